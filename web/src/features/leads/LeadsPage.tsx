import { Button, Group, SegmentedControl, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { LeadListQuery } from '@/api/types';
import { MyStanding } from '@/features/motivation/MyStanding';
import { MyBonusToDate } from '@/features/bonus/MyBonusToDate';
import { useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { PageLoader } from '@/ui/PageLoader';
import { useNow } from '@/ui/use-now';
import { stageLabel } from './labels';
import { LeadBoard } from './LeadBoard';
import { useLeadList, usePipelines } from './leads-api';
import { LeadTable } from './LeadTable';
import { NewLeadButton } from './originator/NewLeadDialog';
import { ownerFilterFor, pipelineFor } from './use-lead-scope';

const BOARD_LIMIT = 500;
const PAGE_SIZE = 50;

/** A manager's own leads (a head's: the team's) as a board by stage or a filtered list; both follow the live stream. */
export function LeadsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const now = useNow();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'list' ? 'list' : 'board';
  const pipelines = usePipelines();
  const pipeline = pipelineFor(pipelines.data, user.teamId);
  const openStages = useMemo(() => (pipeline?.stages ?? []).filter((s) => s.kind === 'open'), [pipeline]);
  const allStages = pipeline?.stages ?? [];

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('cursor');
    setParams(next, { replace: true });
  };

  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const [cursors, setCursors] = useState<string[]>([]);
  const showOwner = user.role !== 'manager';

  const boardQuery: LeadListQuery = { ...ownerFilterFor(user), status: openStages.map((s) => s.key).join(','), limit: BOARD_LIMIT, decisions: 'false' };
  const listQuery: LeadListQuery = {
    ...ownerFilterFor(user),
    limit: PAGE_SIZE,
    decisions: 'false',
    ...(params.get('status') ? { status: params.get('status') ?? '' } : {}),
    ...(params.get('source') ? { source: params.get('source') ?? '' } : {}),
    ...(params.get('sla') ? { sla: params.get('sla') as LeadListQuery['sla'] } : {}),
    ...(params.get('from') ? { createdFrom: new Date(`${params.get('from')}T00:00:00`).toISOString() } : {}),
    ...(params.get('to') ? { createdTo: new Date(`${params.get('to')}T23:59:59.999`).toISOString() } : {}),
    ...(debouncedSearch.length > 0 ? { q: debouncedSearch } : {}),
    ...(cursors.length > 0 ? { cursor: cursors[cursors.length - 1] } : {}),
  };
  const leads = useLeadList(view === 'board' ? boardQuery : listQuery, { enabled: pipeline !== null });

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>{user.role === 'manager' ? t('nav.myLeads') : user.role === 'head' ? t('nav.teamLeads') : t('nav.allLeads')}</Title>
        <Group gap="sm">
          <NewLeadButton user={user} />
          <SegmentedControl
            value={view}
            onChange={(v) => setParam('view', v === 'list' ? 'list' : null)}
            data={[
              { value: 'board', label: t('leads.board') },
              { value: 'list', label: t('leads.list') },
            ]}
          />
        </Group>
      </Group>
      {user.role === 'manager' && <MyStanding bonusSlot={<MyBonusToDate />} />}

      {view === 'list' && (
        <Group gap="xs" align="flex-end" wrap="wrap">
          <TextInput label={t('leads.filters.search')} placeholder={t('leads.filters.searchPlaceholder')} value={search} onChange={(e) => { setSearch(e.currentTarget.value); setCursors([]); }} w={240} />
          <Select
            label={t('leads.filters.status')}
            clearable
            w={170}
            value={params.get('status')}
            onChange={(v) => { setParam('status', v); setCursors([]); }}
            data={[...allStages.map((s) => ({ value: s.key, label: stageLabel(t, s.key, s.label) })), { value: 'pool', label: stageLabel(t, 'pool') }]}
          />
          <TextInput label={t('leads.filters.source')} w={140} value={params.get('source') ?? ''} onChange={(e) => { setParam('source', e.currentTarget.value || null); setCursors([]); }} />
          <Select
            label={t('leads.filters.sla')}
            clearable
            w={160}
            value={params.get('sla')}
            onChange={(v) => { setParam('sla', v); setCursors([]); }}
            data={[
              { value: 'breached', label: t('leads.filters.slaBreached') },
              { value: 'running', label: t('leads.filters.slaRunning') },
              { value: 'none', label: t('leads.filters.slaNone') },
            ]}
          />
          <TextInput type="date" label={t('leads.filters.from')} value={params.get('from') ?? ''} onChange={(e) => { setParam('from', e.currentTarget.value || null); setCursors([]); }} w={150} />
          <TextInput type="date" label={t('leads.filters.to')} value={params.get('to') ?? ''} onChange={(e) => { setParam('to', e.currentTarget.value || null); setCursors([]); }} w={150} />
        </Group>
      )}

      {leads.isError && <ErrorState error={leads.error} />}
      {leads.isPending && <PageLoader />}
      {leads.data && view === 'board' && (
        <>
          <LeadBoard stages={openStages} items={leads.data.items} now={now} showOwner={showOwner} />
          {leads.data.nextCursor && <Text size="xs" c="dimmed">{t('leads.boardTruncated', { count: BOARD_LIMIT })}</Text>}
        </>
      )}
      {leads.data && view === 'list' && (
        <>
          {leads.data.items.length === 0 ? <Text c="dimmed">{t('leads.empty')}</Text> : <LeadTable items={leads.data.items} now={now} showOwner={showOwner} />}
          <Group justify="flex-end">
            <Button variant="default" size="xs" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>{t('common.previous')}</Button>
            <Button variant="default" size="xs" disabled={!leads.data.nextCursor} onClick={() => leads.data?.nextCursor && setCursors([...cursors, leads.data.nextCursor])}>{t('common.next')}</Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
