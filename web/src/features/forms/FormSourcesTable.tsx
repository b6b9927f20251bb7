import { Alert, Anchor, Badge, Button, Group, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/ui/ErrorState';
import { FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { useChangeFormSource, useFormSources, type FormSource } from './forms-api';

/** Every web form: what it stamps, whether it takes submissions, where from, and what waits in the quarantine. */
export function FormSourcesTable({ waiting, onEdit, onConnect, onQuarantine }: { waiting: Map<string, number>; onEdit(form: FormSource): void; onConnect(form: FormSource): void; onQuarantine(): void }) {
  const { t } = useTranslation();
  const forms = useFormSources();
  const change = useChangeFormSource();

  if (forms.isPending) return <PageLoader />;
  if (forms.isError) return <ErrorState error={forms.error} />;
  if (forms.data.length === 0) return <Alert color="gray">{t('forms.list.empty')}</Alert>;
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('forms.list.name')}</Table.Th>
              <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('forms.list.stamp')}</Table.Th>
              <Table.Th>{t('forms.list.active')}</Table.Th>
              <Table.Th>{t('forms.list.sites')}</Table.Th>
              <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('forms.list.quarantine')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {forms.data.map((f) => {
              const count = waiting.get(f.id) ?? 0;
              return (
                <Table.Tr key={f.id} data-testid="form-source-row" opacity={f.active ? 1 : 0.7}>
                  <Table.Td>
                    <Stack gap={2}>
                      <Text size="sm" fw={500}>{f.name}</Text>
                      <Text size="xs" c="dimmed" ff="monospace">{f.endpointPath}</Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{[f.source, f.channel].filter(Boolean).join(' / ') || '—'}</Text>
                    {f.campaign && <Text size="xs" c="dimmed">{f.campaign}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={t('forms.list.activeLabel', { name: f.name })}
                      checked={f.active}
                      disabled={change.isPending && change.variables.id === f.id}
                      onChange={(e) => change.mutate({ id: f.id, body: { active: e.currentTarget.checked } })}
                    />
                  </Table.Td>
                  <Table.Td>
                    {f.allowedOrigins.length === 0 ? (
                      <Tooltip label={t('forms.list.noSitesHint')} multiline w={260}>
                        <Text size="sm" c="dimmed">{t('forms.list.noSites')}</Text>
                      </Tooltip>
                    ) : (
                      <Group gap={4}>
                        {f.allowedOrigins.map((o) => (
                          <Badge key={o} variant="light" color="gray" tt="none">{o === '*' ? t('forms.list.anySite') : o.replace(/^https?:\/\//, '')}</Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td data-testid="form-waiting">
                    {count > 0 ? (
                      <Anchor component="button" type="button" size="sm" c="orange.8" fw={500} onClick={onQuarantine}>{t('forms.list.waiting', { count })}</Anchor>
                    ) : (
                      <Text size="sm" c="dimmed">{t('forms.list.noneWaiting')}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="light" onClick={() => onConnect(f)}>{t('forms.list.connect')}</Button>
                      <Button size="xs" variant="default" onClick={() => onEdit(f)}>{t('forms.list.edit')}</Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <FormError error={change.error} />
    </Stack>
  );
}
