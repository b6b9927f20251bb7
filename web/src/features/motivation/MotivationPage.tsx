import { Group, Select, Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCurrentUser } from '@/features/session/use-session';
import { useTeams } from '@/features/team/team-api';
import { useFormat } from '@/ui/format';
import { LeaderboardView } from './LeaderboardView';
import { monthKey, monthOptions } from './months';
import { PlanFactView } from './PlanFactView';
import { PlansEditor } from './PlansEditor';

const TABS = ['planFact', 'leaderboard', 'plans'] as const;
type Tab = (typeof TABS)[number];

/**
 * Plans, plan / fact and the leaderboard for one month of one team, kept in the address
 * (`/motivation?tab=leaderboard&period=2026-12&team=…`). A head and a manager see their own team;
 * the administrator picks one. Only heads and the administrator have the Plans tab.
 */
export function MotivationPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const format = useFormat();
  const teams = useTeams();
  const [params, setParams] = useSearchParams();
  const tabs = TABS.filter((x) => x !== 'plans' || user.role !== 'manager');
  const tab: Tab = tabs.find((x) => x === params.get('tab')) ?? 'planFact';
  const period = params.get('period') ?? monthKey(new Date());
  const isAdmin = user.role === 'admin';
  const team = isAdmin ? (params.get('team') ?? teams.data?.[0]?.id ?? undefined) : undefined;

  const change = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={2}>{t('motivation.title')}</Title>
        <Text size="sm" c="dimmed">{user.role === 'manager' ? t('motivation.introManager') : t('motivation.intro')}</Text>
      </Stack>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('motivation.month')}
          w={200}
          allowDeselect={false}
          value={period}
          onChange={(v) => change('period', v)}
          data={monthOptions(monthKey(new Date()), period, format.locale)}
          data-testid="motivation-month"
        />
        {isAdmin && (
          <Select
            label={t('motivation.team')}
            w={220}
            allowDeselect={false}
            placeholder={t('motivation.pickTeam')}
            value={team ?? null}
            onChange={(v) => change('team', v)}
            data={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          />
        )}
      </Group>
      <Tabs value={tab} onChange={(v) => change('tab', TABS.find((x) => x === v) ?? 'planFact')} keepMounted={false}>
        <Tabs.List>
          {tabs.map((x) => <Tabs.Tab key={x} value={x}>{t(`motivation.tabs.${x}`)}</Tabs.Tab>)}
        </Tabs.List>
        <Tabs.Panel value="planFact" pt="md"><PlanFactView period={period} team={team} enabled={!isAdmin || team !== undefined} /></Tabs.Panel>
        <Tabs.Panel value="leaderboard" pt="md"><LeaderboardView period={period} team={team} enabled={!isAdmin || team !== undefined} metric={params.get('metric')} onMetric={(m) => change('metric', m)} /></Tabs.Panel>
        {tabs.includes('plans') && <Tabs.Panel value="plans" pt="md"><PlansEditor period={period} team={team} enabled={!isAdmin || team !== undefined} /></Tabs.Panel>}
      </Tabs>
    </Stack>
  );
}
