import { Alert, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { AuditEntryDiff } from './AuditEntryDiff';
import { entityLabel } from './audit-diff';
import { useActors, useAuditLog, type AuditEntry, type AuditFilter } from './audit-api';

const ENTITIES = ['lead', 'user', 'team', 'manager', 'sla_policy', 'holiday', 'pipeline', 'reason', 'settings', 'webhook', 'api_key', 'transfer', 'deal', 'task', 'activity', 'contact', 'company', 'delivery', 'bonus_period'] as const;

/** A local date (YYYY-MM-DD) as the instant its day starts in the browser's zone, `days` later. */
function dayStart(date: string, days = 0): string | undefined {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, d + days).toISOString();
}

/** The admin's audit log: filter by who, what, object and dates; open an entry to compare before and after. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const { dateTime } = useFormat();
  const [params, setParams] = useSearchParams();
  const actor = params.get('actor') ?? '';
  const entity = params.get('entity') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const [entityIdInput, setEntityIdInput] = useState(params.get('entityId') ?? '');
  const [entityId] = useDebouncedValue(entityIdInput.trim(), 300);
  const [open, setOpen] = useState<string | null>(null);
  const actors = useActors();

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const filter: AuditFilter = {
    ...(actor ? { actor } : {}),
    ...(entity ? { entity } : {}),
    ...(entityId ? { entityId } : {}),
    ...(from && dayStart(from) ? { from: dayStart(from) } : {}),
    ...(to && dayStart(to, 1) ? { to: dayStart(to, 1) } : {}),
  };
  const log = useAuditLog(filter);
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];

  const who = (name: string) => {
    const known = actors.get(name);
    const [kind, ...rest] = name.split(':');
    const id = rest.join(':');
    if (known) return known.kind === 'api-key' ? t('audit.actors.apiKey', { name: known.name }) : known.name;
    if (kind === 'system') return t('audit.actors.system', { name: id });
    if (kind === 'api-key') return t('audit.actors.unknownKey', { id });
    if (kind === 'user') return t('audit.actors.unknownUser', { id });
    return name;
  };
  const actionText = (action: string) => (i18n.exists(`audit.actions.${action}`) ? t(`audit.actions.${action}` as never) : action);
  const entityText = (e: string) => (i18n.exists(`audit.entities.${e}`) ? t(`audit.entities.${e}` as never) : e);
  const actorOptions = [...actors.entries()].map(([value, a]) => ({ value, label: a.kind === 'api-key' ? t('audit.actors.apiKey', { name: a.name }) : a.name })).sort((a, b) => a.label.localeCompare(b.label));

  return (
    <Stack>
      <div>
        <Title order={2}>{t('audit.title')}</Title>
        <Text c="dimmed" size="sm" maw={820}>{t('audit.subtitle')}</Text>
      </div>
      <Group align="flex-end" gap="sm" component="search" aria-label={t('audit.title')}>
        <Select label={t('audit.filters.who')} placeholder={t('audit.filters.whoAny')} data={actorOptions} value={actor || null} onChange={(v) => set('actor', v)} clearable searchable w={240} />
        <Select
          label={t('audit.filters.what')}
          placeholder={t('audit.filters.whatAny')}
          data={ENTITIES.map((e) => ({ value: e, label: entityText(e) })).sort((a, b) => a.label.localeCompare(b.label))}
          value={entity || null}
          onChange={(v) => set('entity', v)}
          clearable
          searchable
          w={220}
        />
        <TextInput
          label={t('audit.filters.entityId')}
          placeholder={t('audit.filters.entityIdPlaceholder')}
          value={entityIdInput}
          onChange={(e) => {
            setEntityIdInput(e.currentTarget.value);
            set('entityId', e.currentTarget.value.trim() || null);
          }}
          w={220}
        />
        <TextInput type="date" label={t('audit.filters.from')} value={from} onChange={(e) => set('from', e.currentTarget.value || null)} w={160} />
        <TextInput type="date" label={t('audit.filters.to')} value={to} onChange={(e) => set('to', e.currentTarget.value || null)} w={160} />
        {params.size > 0 && (
          <Button
            variant="subtle"
            onClick={() => {
              setEntityIdInput('');
              setParams({}, { replace: true });
            }}
          >
            {t('audit.filters.reset')}
          </Button>
        )}
      </Group>
      {log.isPending ? (
        <PageLoader />
      ) : log.isError ? (
        <ErrorState error={log.error} />
      ) : items.length === 0 ? (
        <Alert color="gray">{t('audit.table.empty')}</Alert>
      ) : (
        <Table verticalSpacing="xs" aria-label={t('audit.title')} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={190}>{t('audit.table.at')}</Table.Th>
              <Table.Th>{t('audit.table.who')}</Table.Th>
              <Table.Th>{t('audit.table.action')}</Table.Th>
              <Table.Th>{t('audit.table.entity')}</Table.Th>
              <Table.Th w={110} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((entry: AuditEntry) => (
              <Fragment key={entry.id}>
                <Table.Tr data-testid="audit-row" onClick={() => setOpen(open === entry.id ? null : entry.id)} style={{ cursor: 'pointer' }}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTime(entry.at)}</Table.Td>
                  <Table.Td>{who(entry.actor)}</Table.Td>
                  <Table.Td title={entry.action}>{actionText(entry.action)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {entityText(entry.entity)}
                      {entityLabel(entry) && (
                        <Text span c="dimmed" size="sm">
                          {' '}
                          · {entityLabel(entry)}
                        </Text>
                      )}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="subtle" aria-expanded={open === entry.id}>
                      {open === entry.id ? t('audit.table.hide') : t('audit.table.details')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
                {open === entry.id && (
                  <Table.Tr>
                    <Table.Td colSpan={5} bg="var(--mantine-color-gray-0)">
                      <AuditEntryDiff entry={entry} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {log.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>{t('audit.table.more')}</Button>
        </Group>
      )}
    </Stack>
  );
}
