import { Alert, Button, Card, Drawer, Group, Select, Stack, Table, Tabs, Text, TextInput, Title, useMantineTheme } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useManagers } from '@/features/leads/leads-api';
import { hasRole, useCurrentUser } from '@/features/session/use-session';
import { useTeams } from '@/features/team/team-api';
import { ErrorState } from '@/ui/ErrorState';
import { useDiscardConfirm } from '@/ui/use-discard-confirm';
import { useCompanies, useContacts, type Company, type CompanyFilter, type Contact } from './clients-api';
import { CompanyForm } from './CompanyForm';
import { ContactForm } from './ContactForm';

const NO_OWNER = 'none';
const companyPath = (id: string) => `/clients/companies/${id}`;
const contactPath = (id: string) => `/clients/contacts/${id}`;

/** Below Mantine's `sm` breakpoint (a phone) the lists are cards: six columns do not fit 390 px. */
function useNarrow(): boolean {
  const theme = useMantineTheme();
  return useMediaQuery(`(max-width: ${theme.breakpoints.sm})`, false, { getInitialValueInEffect: false });
}

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

  const narrow = useNarrow();
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
        <TextInput aria-label={t('clients.search')} placeholder={t('clients.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={{ base: '100%', sm: 380 }} data-testid="client-search" />
        <Group gap="xs" wrap="nowrap" w={{ base: '100%', xs: 'auto' }}>
          <Select aria-label={t('clients.filter.owner')} placeholder={t('clients.filter.anyOwner')} data={ownerOptions} value={ownerId} onChange={setOwnerId} clearable searchable flex={{ base: 1, xs: 'none' }} w={{ base: 0, xs: 220 }} />
          <Select aria-label={t('clients.filter.team')} placeholder={t('clients.filter.anyTeam')} data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))} value={teamId} onChange={setTeamId} clearable flex={{ base: 1, xs: 'none' }} w={{ base: 0, xs: 200 }} />
        </Group>
      </Group>
      <Tabs value={tab} onChange={(next) => setParams(next === 'contacts' ? { tab: 'contacts' } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="companies">{t('clients.tabs.companies')}</Tabs.Tab>
          <Tabs.Tab value="contacts">{t('clients.tabs.contacts')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="companies">
          <CompaniesList filter={filter} narrow={narrow} onOpen={(id) => void navigate(companyPath(id))} />
        </Tabs.Panel>
        <Tabs.Panel value="contacts">
          <ContactsList filter={filter} narrow={narrow} onOpen={(id) => void navigate(contactPath(id))} />
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

type ListProps = { filter: CompanyFilter; narrow: boolean; onOpen: (id: string) => void };

/** The pages a list has loaded, as the infinite queries of clients-api give them. */
interface PagedList<T> {
  data?: { pages: Array<{ items: T[] }> } | undefined;
  error: unknown;
  isSuccess: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/**
 * What companies and contacts lists share: the error, the empty base or filter, cards on a phone
 * and a table otherwise (its head and rows given), and «Ещё» while more pages wait.
 */
function ClientList<T extends { id: string }>(props: {
  list: PagedList<T>;
  filter: CompanyFilter;
  narrow: boolean;
  testId: string;
  card: (item: T) => React.ReactNode;
  head: React.ReactNode;
  cells: (item: T) => React.ReactNode;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { list } = props;
  if (list.error) return <ErrorState error={list.error} />;
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (list.isSuccess && items.length === 0) return <Alert color="gray">{Object.keys(props.filter).length ? t('clients.empty') : t('clients.emptyBase')}</Alert>;
  return (
    <Stack>
      {props.narrow ? (
        <Stack gap="xs" data-testid={`${props.testId}-cards`}>
          {items.map((item) => props.card(item))}
        </Stack>
      ) : (
        <Table highlightOnHover verticalSpacing="xs" data-testid={`${props.testId}-table`}>
          <Table.Thead>
            <Table.Tr>{props.head}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.id} onClick={() => props.onOpen(item.id)} style={{ cursor: 'pointer' }}>
                {props.cells(item)}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>{t('clients.more')}</Button>
        </Group>
      )}
    </Stack>
  );
}

function CompaniesList({ filter, narrow, onOpen }: ListProps) {
  const { t } = useTranslation();
  const nobody = <Text span c="dimmed" size="sm">{t('clients.nobody')}</Text>;
  return (
    <ClientList
      list={useCompanies(filter)}
      filter={filter}
      narrow={narrow}
      testId="companies"
      onOpen={onOpen}
      card={(c: Company) => <CompanyCard key={c.id} company={c} />}
      head={
        <>
          <Table.Th>{t('clients.columns.name')}</Table.Th>
          <Table.Th>{t('clients.columns.taxId')}</Table.Th>
          <Table.Th>{t('clients.columns.domain')}</Table.Th>
          <Table.Th>{t('clients.columns.parent')}</Table.Th>
          <Table.Th>{t('clients.columns.region')}</Table.Th>
          <Table.Th>{t('clients.columns.owner')}</Table.Th>
        </>
      }
      cells={(c: Company) => (
        <>
          <Table.Td fw={500}>{c.name}</Table.Td>
          <Table.Td>{c.taxId ?? '—'}</Table.Td>
          <Table.Td>{c.domain ?? '—'}</Table.Td>
          <Table.Td>{c.parent?.name ?? '—'}</Table.Td>
          <Table.Td>{c.region ?? '—'}</Table.Td>
          <Table.Td>{c.owner?.name ?? nobody}</Table.Td>
        </>
      )}
    />
  );
}

function ContactsList({ filter, narrow, onOpen }: ListProps) {
  const { t } = useTranslation();
  const nobody = <Text span c="dimmed" size="sm">{t('clients.nobody')}</Text>;
  return (
    <ClientList
      list={useContacts(filter)}
      filter={filter}
      narrow={narrow}
      testId="contacts"
      onOpen={onOpen}
      card={(c: Contact) => <ContactCard key={c.id} contact={c} />}
      head={
        <>
          <Table.Th>{t('clients.columns.person')}</Table.Th>
          <Table.Th>{t('clients.columns.company')}</Table.Th>
          <Table.Th>{t('clients.columns.phones')}</Table.Th>
          <Table.Th>{t('clients.columns.emails')}</Table.Th>
          <Table.Th>{t('clients.columns.owner')}</Table.Th>
        </>
      }
      cells={(c: Contact) => (
        <>
          <Table.Td fw={500}>{c.name ?? '—'}</Table.Td>
          <Table.Td>{c.company?.name ?? '—'}</Table.Td>
          <Table.Td>{c.phones.join(', ') || '—'}</Table.Td>
          <Table.Td>{c.emails.join(', ') || '—'}</Table.Td>
          <Table.Td>{c.owner?.name ?? nobody}</Table.Td>
        </>
      )}
    />
  );
}

function OwnerName({ owner }: { owner: { name: string } | null }) {
  const { t } = useTranslation();
  return owner ? <Text size="sm" fw={500}>{owner.name}</Text> : <Text size="sm" c="dimmed">{t('clients.nobody')}</Text>;
}

/** A company on a phone: what a manager recognises a client by — name, ИНН, owner, region and phone. */
function CompanyCard({ company: c }: { company: Company }) {
  const { t } = useTranslation();
  const where = [c.region, c.phones[0]].filter(Boolean).join(' · ');
  return (
    <Card withBorder padding="sm" component={Link} to={companyPath(c.id)} data-testid="company-card">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Text fw={600} style={{ overflowWrap: 'anywhere' }}>{c.name}</Text>
        <OwnerName owner={c.owner} />
      </Group>
      {(c.taxId || c.parent) && (
        <Text size="sm" c="dimmed">
          {[c.taxId ? `${t('clients.columns.taxId')} ${c.taxId}` : null, c.parent ? `${t('clients.columns.parent')}: ${c.parent.name}` : null].filter(Boolean).join(' · ')}
        </Text>
      )}
      {where && <Text size="sm">{where}</Text>}
    </Card>
  );
}

/** A contact on a phone: the person, their company, a phone or e-mail to call, the owner. */
function ContactCard({ contact: c }: { contact: Contact }) {
  const reach = [c.phones[0], c.emails[0]].filter(Boolean).join(' · ');
  return (
    <Card withBorder padding="sm" component={Link} to={contactPath(c.id)} data-testid="contact-card">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Text fw={600} style={{ overflowWrap: 'anywhere' }}>{c.name ?? c.emails[0] ?? c.phones[0] ?? '—'}</Text>
        <OwnerName owner={c.owner} />
      </Group>
      {c.company && <Text size="sm" c="dimmed">{c.company.name}{c.position ? ` · ${c.position}` : ''}</Text>}
      {reach && <Text size="sm" style={{ overflowWrap: 'anywhere' }}>{reach}</Text>}
    </Card>
  );
}
