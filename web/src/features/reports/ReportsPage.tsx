import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useManagers } from '@/features/leads/leads-api';
import { useCurrentUser } from '@/features/session/use-session';
import { useTeams } from '@/features/team/team-api';
import { DistributionSection } from './DistributionSection';
import { FunnelSection } from './FunnelSection';
import { JunkSection } from './JunkSection';
import { groupingFor, periodOf, PERIOD_PRESETS, type Grouping, type PeriodPreset } from './report-period';
import { ReportFilters, type FilterState } from './ReportFilters';
import type { ReportQuery } from './reports-api';
import { SlaSection } from './SlaSection';
import { SourceHealthSection } from '@/features/source-health/SourceHealthSection';
import { SpeedSection } from './SpeedSection';
import { TransfersSection } from './TransfersSection';

const TABS = ['distribution', 'speed', 'sla', 'funnel', 'junk', 'transfers', 'sources'] as const;
type Tab = (typeof TABS)[number];

/**
 * The head of sales' dashboard: the same period and filters over every report, kept in the
 * address so a view can be shared or bookmarked (`/reports?tab=sla&preset=lastMonth&team=…`).
 */
export function ReportsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const teams = useTeams();
  const managers = useManagers();
  const [params, setParams] = useSearchParams();

  const filters = useMemo((): FilterState => {
    const preset = (PERIOD_PRESETS as readonly string[]).includes(params.get('preset') ?? '') ? (params.get('preset') as PeriodPreset) : 'last30';
    const range = preset === 'custom' ? { from: params.get('from') ?? periodOf('last30', new Date()).from, to: params.get('to') ?? periodOf('last30', new Date()).to } : periodOf(preset, new Date());
    const grouping = (['day', 'week', 'month'] as const).find((g) => g === params.get('grouping')) ?? groupingFor(range);
    return { preset, ...range, grouping, team: params.get('team'), manager: params.get('manager') };
  }, [params]);
  // Source health is about the company's channels: heads and the admin watch it, managers do not.
  const tabs = TABS.filter((x) => x !== 'sources' || user.role !== 'manager');
  const tab: Tab = tabs.find((x) => x === params.get('tab')) ?? 'distribution';

  const change = (next: Partial<FilterState> & { tab?: Tab }) => {
    const merged = { ...filters, tab, ...next };
    const out = new URLSearchParams({ tab: merged.tab, preset: merged.preset });
    if (merged.preset === 'custom') {
      out.set('from', merged.from);
      out.set('to', merged.to);
    }
    if (next.grouping !== undefined || params.has('grouping')) out.set('grouping', merged.grouping);
    if (merged.team) out.set('team', merged.team);
    if (merged.manager) out.set('manager', merged.manager);
    setParams(out, { replace: true });
  };

  const query: ReportQuery = {
    from: filters.from,
    to: filters.to,
    grouping: filters.grouping satisfies Grouping,
    ...(filters.team ? { team: filters.team } : {}),
    ...(filters.manager ? { manager: filters.manager } : {}),
  };

  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={2}>{user.role === 'manager' ? t('nav.myFigures') : t('reports.title')}</Title>
        <Text size="sm" c="dimmed">{user.role === 'manager' ? t('reports.introManager') : t('reports.intro')}</Text>
      </Stack>
      <ReportFilters value={filters} onChange={change} teams={teams.data ?? []} managers={managers.data ?? []} canPickTeam={user.role === 'admin'} canPickManager={user.role !== 'manager'} />
      <Tabs value={tab} onChange={(v) => change({ tab: (TABS.find((x) => x === v) ?? 'distribution') })} keepMounted={false}>
        <Tabs.List>
          {tabs.map((x) => <Tabs.Tab key={x} value={x}>{t(`reports.tabs.${x}`)}</Tabs.Tab>)}
        </Tabs.List>
        <Tabs.Panel value="distribution" pt="md"><DistributionSection query={query} /></Tabs.Panel>
        <Tabs.Panel value="speed" pt="md"><SpeedSection query={query} /></Tabs.Panel>
        <Tabs.Panel value="sla" pt="md"><SlaSection query={query} /></Tabs.Panel>
        <Tabs.Panel value="funnel" pt="md"><FunnelSection query={query} /></Tabs.Panel>
        <Tabs.Panel value="junk" pt="md"><JunkSection query={query} /></Tabs.Panel>
        <Tabs.Panel value="transfers" pt="md"><TransfersSection query={query} /></Tabs.Panel>
        <Tabs.Panel value="sources" pt="md"><SourceHealthSection from={filters.from} to={filters.to} /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
