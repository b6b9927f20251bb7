import { Alert, Badge, Button, Group, Paper, Select, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/ui/ErrorState';
import { FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { useCrmUsers, useMatchByEmail, useSaveUserMap, type CrmUsers } from './integrations-api';

type Draft = Record<string, string | null>;

const draftOf = (data: CrmUsers): Draft => Object.fromEntries(data.managers.map((m) => [m.managerId, m.crmUserId]));

/** Which Bitrix24 user each manager is: picked by hand, or matched by e-mail in one click. */
export function UserMapping({ connectorId, kind }: { connectorId: string; kind: 'bitrix24' | 'amocrm' }) {
  const { t } = useTranslation();
  const users = useCrmUsers(connectorId);
  const save = useSaveUserMap(connectorId);
  const match = useMatchByEmail(connectorId);
  const [draft, setDraft] = useState<Draft>({});
  const crm = kind === 'amocrm' ? 'amoCRM' : t('integrations.bitrix24.tab');

  useEffect(() => {
    if (users.data) setDraft(draftOf(users.data));
  }, [users.data]);

  const options = useMemo(() => (users.data?.crmUsers ?? []).map((u) => ({ value: u.id, label: u.email ? `${u.name} · ${u.email}` : u.name })), [users.data]);
  const dirty = users.data ? users.data.managers.some((m) => (draft[m.managerId] ?? null) !== m.crmUserId) : false;
  const unmatched = users.data ? users.data.managers.filter((m) => !m.crmUserId && m.suggestedCrmUserId).length : 0;

  const submit = () => {
    if (!users.data) return;
    const names = new Map(users.data.crmUsers.map((u) => [u.id, u.name]));
    const items = Object.entries(draft).flatMap(([managerId, crmUserId]) => (crmUserId ? [{ managerId, crmUserId, crmUserName: names.get(crmUserId) ?? null }] : []));
    save.mutate(items);
  };

  return (
    <Paper withBorder p="md" component="section" aria-label={t('integrations.users.title', { crm })}>
      <UnsavedChangesGuard when={dirty} />
      <Group justify="space-between" mb={4}>
        <Title order={5}>{t('integrations.users.title', { crm })}</Title>
        <Button size="xs" variant="light" loading={match.isPending} disabled={dirty || unmatched === 0} onClick={() => match.mutate()} data-testid="match-by-email">
          {t('integrations.users.matchByEmail', { count: unmatched })}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">{t('integrations.users.hint', { crm })}</Text>
      {match.data && <Text size="sm" c="teal" mb="xs">{t('integrations.users.matched', { count: match.data.matched })}</Text>}
      <FormError error={match.error} />
      {users.isPending ? (
        <PageLoader />
      ) : users.isError ? (
        <ErrorState error={users.error} />
      ) : users.data.managers.length === 0 ? (
        <Alert color="gray">{t('integrations.users.noManagers')}</Alert>
      ) : (
        <>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('integrations.users.manager')}</Table.Th>
                <Table.Th>{t('integrations.users.email')}</Table.Th>
                <Table.Th w="45%">{t('integrations.users.crmUser', { crm })}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.managers.map((m) => {
                const suggested = !draft[m.managerId] && m.suggestedCrmUserId;
                return (
                  <Table.Tr key={m.managerId}>
                    <Table.Td>{m.name}</Table.Td>
                    <Table.Td><Text size="sm" c="dimmed">{m.email ?? '—'}</Text></Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Select
                          aria-label={t('integrations.users.crmUserOf', { name: m.name, crm })}
                          placeholder={t('integrations.users.notMapped')}
                          data={options}
                          value={draft[m.managerId] ?? null}
                          onChange={(v) => setDraft((d) => ({ ...d, [m.managerId]: v }))}
                          searchable
                          clearable
                          style={{ flex: 1 }}
                        />
                        {suggested && <Badge variant="light" color="blue">{t('integrations.users.sameEmail')}</Badge>}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <FormError error={save.error} />
          <Group justify="flex-end" mt="sm">
            <Button onClick={submit} loading={save.isPending} disabled={!dirty}>{t('integrations.users.save')}</Button>
          </Group>
        </>
      )}
    </Paper>
  );
}
