import { Box, Card, Group, Progress, Select, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/ui/ErrorState';
import { PageLoader } from '@/ui/PageLoader';
import { PLAN_METRICS, useLeaderboard, type Leaderboard, type PlanMetric } from './motivation-api';
import { useMetricValue } from './progress-parts';

/** Gold, silver, bronze: a small round badge with the place, nothing louder. */
const MEDAL: Record<number, string> = { 1: '#d4a72c', 2: '#9aa4b1', 3: '#b8763a' };

function Place({ rank }: { rank: number }) {
  const { t } = useTranslation();
  const medal = MEDAL[rank];
  if (!medal) return <Text size="sm" c="dimmed" ta="center" w={26}>{rank}</Text>;
  return (
    <ThemeIcon radius="xl" size={26} color={medal} aria-label={t('motivation.leaderboard.medal', { rank })}>
      <Text size="xs" fw={700} c="white">{rank}</Text>
    </ThemeIcon>
  );
}

/** The team ranked by one metric for the month; the asker's own row stands out. */
export function LeaderboardView({ period, team, enabled, metric, onMetric }: { period: string; team: string | undefined; enabled: boolean; metric: string | null; onMetric(metric: string): void }) {
  const { t } = useTranslation();
  const value = useMetricValue();
  const chosen: PlanMetric = PLAN_METRICS.find((m) => m === metric) ?? 'wonValue';
  const board = useLeaderboard(period, team, chosen, enabled);
  const data: Leaderboard | undefined = board.data;
  return (
    <Stack gap="sm">
      <Select
        label={t('motivation.leaderboard.metric')}
        w={260}
        allowDeselect={false}
        value={chosen}
        onChange={(v) => v && onMetric(v)}
        data={PLAN_METRICS.map((m) => ({ value: m, label: t(`motivation.metrics.${m}`) }))}
        data-testid="leaderboard-metric"
      />
      <Text size="xs" c="dimmed">{t(`motivation.hints.${chosen}`)}</Text>
      {board.isError && <ErrorState error={board.error} />}
      {!data && board.isPending && enabled && <PageLoader />}
      {data && data.rows.length === 0 && <Text c="dimmed">{t('motivation.leaderboard.empty')}</Text>}
      {data && data.rows.length > 0 && (
        <Card withBorder padding={0} maw={760}>
          <Table verticalSpacing={8} data-testid="leaderboard">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>{t('motivation.leaderboard.rank')}</Table.Th>
                <Table.Th>{t('motivation.manager')}</Table.Th>
                <Table.Th ta="right">{t('motivation.leaderboard.fact')}</Table.Th>
                <Table.Th ta="right">{t('motivation.leaderboard.plan')}</Table.Th>
                <Table.Th w={170}>{t('motivation.leaderboard.done')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.rows.map((r, i) => (
                <Table.Tr key={r.managerId ?? `${r.name}-${i}`} bg={r.self ? 'var(--mantine-color-blue-light)' : undefined} data-self={r.self || undefined}>
                  <Table.Td><Place rank={r.rank} /></Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={r.self ? 600 : 400} c={r.anonymous ? 'dimmed' : undefined}>{r.anonymous ? t('motivation.leaderboard.colleague', { name: r.name }) : r.name}</Text>
                      {r.self && <Text size="xs" c="blue.8">({t('motivation.leaderboard.you')})</Text>}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right"><Text size="sm" fw={500}>{value(data.unit, r.fact)}</Text></Table.Td>
                  <Table.Td ta="right"><Text size="sm" c="dimmed">{r.target === null ? '—' : value(data.unit, r.target)}</Text></Table.Td>
                  <Table.Td>
                    {r.done === null ? <Text size="sm" c="dimmed">—</Text> : (
                      <Group gap={8} wrap="nowrap">
                        <Box flex={1}><Progress value={Math.min(100, r.done * 100)} color={r.done >= 1 ? 'teal' : 'blue'} size="sm" /></Box>
                        <Text size="xs" w={40} ta="right">{Math.round(r.done * 100)}%</Text>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {data?.scope.kind === 'self' && data.rows.some((r) => r.anonymous) && <Text size="xs" c="dimmed">{t('motivation.leaderboard.anonymous')}</Text>}
    </Stack>
  );
}
