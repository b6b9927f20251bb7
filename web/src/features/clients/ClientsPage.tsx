import { Alert, Button, Drawer, Group, Select, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useManagers } from '@/features/leads/leads-api';
import { hasRole, useCurrentUser } from '@/features/session/use-session';
import { useTeams } from '@/features/team/team-api';
import { ErrorState } from '@/ui/ErrorState';
import { useDiscardConfirm } from '@/ui/use-discard-confirm';
import { useCompanies, useContacts, type CompanyFilter } from './clients-api';
import { CompanyForm } from './CompanyForm';
import { ContactForm } from './ContactForm';

const NO_OWNER = 'none';

/** «Клиенты»: the companies and contacts of the base, searched by name, ИНН, phone, e-mail or site. */
export function ClientsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const canEdit = hasRole(user, 'admin', 'head');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'contacts' ? 'contacts' : 'companies';
  const [q, setQ] = useState('');
  const [search] = useDebouncedValue(q.trim(), 300);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const managers = useManagers();
  const teams = useTeams();
  const filter: CompanyFilter = useMemo(() => ({ ...(search ? { q: search } : {}), ...(ownerId ? { ownerId } : {}), ...(teamId ? { teamId } : {}) }), [search, ownerId, teamId]);

  const [creating, setCreating] = useState(false);
  const [dirty, setDirty] = useState(false);
  const onDirtyChange = useCallback((d: boolean) => setDirty(d), []);
  const confirm = useDiscardConfirm(dirty);
  const close = () => {
    setDirty(false);
    setCreating(false);
  };

  const ownerOptions = [{ value: NO_OWNER, label: t('clients.filter.noOwner') }, ...(managers.data ?? []).map((m) => ({ value: m.id, label: m.name }))];
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('clients.title')}</Title>
          <Text c="dimmed" size="sm" maw={820}>{t('clients.subtitle')}</Text>
        </div>
        {canEdit && (
          <Group gap="xs">
            <Button variant="default" onClick={() => void navigate('/clients/split')} data-testid="open-split">{t('clientSplit.open')}</Button>
            <Button onClick={() => setCreating(true)}>{tab === 'companies' ? t('clients.addCompany') : t('clients.addContact')}</Button>
          </Group>
        )}
      </Group>
      {!canEdit && <Text size="sm" c="dimmed">{t('clients.readOnly')}</Text>}
      <Group align="flex-end" wrap="wrap">
        <TextInput aria-label={t('clients.search')} placeholder={t('clients.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={380} data-testid="client-search" />
        <Select aria-label={t('clients.filter.owner')} placeholder={t('clients.filter.anyOwner')} data={ownerOptions} value={ownerId} onChange={setOwnerId} clearable searchable w={220} />
        <Select aria-label={t('clients.filter.team')} placeholder={t('clients.filter.anyTeam')} data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))} value={teamId} onChange={setTeamId} clearable w={200} />
      </Group>
      <Tabs value={tab} onChange={(next) => setParams(next === 'contacts' ? { tab: 'contacts' } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="companies">{t('clients.tabs.companies')}</Tabs.Tab>
          <Tabs.Tab value="contacts">{t('clients.tabs.contacts')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="companies">
          <CompaniesTable filter={filter} onOpen={(id) => void navigate(`/clients/companies/${id}`)} />
        </Tabs.Panel>
        <Tabs.Panel value="contacts">
          <ContactsTable filter={filter} onOpen={(id) => void navigate(`/clients/contacts/${id}`)} />
        </Tabs.Panel>
      </Tabs>
      <Drawer opened={creating} onClose={() => confirm.guard(close)} position="right" size="lg" title={tab === 'companies' ? t('clients.form.newCompany') : t('clients.form.newContact')}>
        {creating && tab === 'companies' && (
          <CompanyForm company={null} onDirtyChange={onDirtyChange} onCancel={() => confirm.guard(close)} onSaved={(c) => { close(); void navigate(`/clients/companies/${c.id}`); }} />
        )}
        {creating && tab === 'contacts' && (
          <ContactForm contact={null} onDirtyChange={onDirtyChange} onCancel={() => confirm.guard(close)} onSaved={(c) => { close(); void navigate(`/clients/contacts/${c.id}`); }} />
        )}
      </Drawer>
      {confirm.modal}
    </Stack>
  );
}

function CompaniesTable({ filter, onOpen }: { filter: CompanyFilter; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const list = useCompanies(filter);
  if (list.error) return <ErrorState error={list.error} />;
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (list.isSuccess && items.length === 0) return <Alert color="gray">{Object.keys(filter).length ? t('clients.empty') : t('clients.emptyBase')}</Alert>;
  return (
    <Stack>
      <Table highlightOnHover verticalSpacing="xs" data-testid="companies-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('clients.columns.name')}</Table.Th>
            <Table.Th>{t('clients.columns.taxId')}</Table.Th>
            <Table.Th>{t('clients.columns.domain')}</Table.Th>
            <Table.Th>{t('clients.columns.parent')}</Table.Th>
            <Table.Th>{t('clients.columns.region')}</Table.Th>
            <Table.Th>{t('clients.columns.owner')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id} onClick={() => onOpen(c.id)} style={{ cursor: 'pointer' }}>
              <Table.Td fw={500}>{c.name}</Table.Td>
              <Table.Td>{c.taxId ?? '—'}</Table.Td>
              <Table.Td>{c.domain ?? '—'}</Table.Td>
              <Table.Td>{c.parent?.name ?? '—'}</Table.Td>
              <Table.Td>{c.region ?? '—'}</Table.Td>
              <Table.Td>{c.owner?.name ?? <Text span c="dimmed" size="sm">{t('clients.nobody')}</Text>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>{t('clients.more')}</Button>
        </Group>
      )}
    </Stack>
  );
}

function ContactsTable({ filter, onOpen }: { filter: CompanyFilter; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const list = useContacts(filter);
  if (list.error) return <ErrorState error={list.error} />;
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (list.isSuccess && items.length === 0) return <Alert color="gray">{Object.keys(filter).length ? t('clients.empty') : t('clients.emptyBase')}</Alert>;
  return (
    <Stack>
      <Table highlightOnHover verticalSpacing="xs" data-testid="contacts-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('clients.columns.person')}</Table.Th>
            <Table.Th>{t('clients.columns.company')}</Table.Th>
            <Table.Th>{t('clients.columns.phones')}</Table.Th>
            <Table.Th>{t('clients.columns.emails')}</Table.Th>
            <Table.Th>{t('clients.columns.owner')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id} onClick={() => onOpen(c.id)} style={{ cursor: 'pointer' }}>
              <Table.Td fw={500}>{c.name ?? '—'}</Table.Td>
              <Table.Td>{c.company?.name ?? '—'}</Table.Td>
              <Table.Td>{c.phones.join(', ') || '—'}</Table.Td>
              <Table.Td>{c.emails.join(', ') || '—'}</Table.Td>
              <Table.Td>{c.owner?.name ?? <Text span c="dimmed" size="sm">{t('clients.nobody')}</Text>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>{t('clients.more')}</Button>
        </Group>
      )}
    </Stack>
  );
}
