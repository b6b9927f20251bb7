import { Anchor, Card, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '@/ui/format';
import { monthName } from './months';
import { useLeaderboard, usePlanFact, type MetricProgress, type PlanMetric } from './motivation-api';
import { STATE_COLOR, useMetricValue } from './progress-parts';

const PHONE_ITEMS = 4;

/** Which metric the strip ranks by: won value when planned, else the first planned one. */
function rankingMetric(metrics: readonly MetricProgress[]): PlanMetric {
  const planned = metrics.filter((m) => m.target !== null);
  return planned.find((m) => m.metric === 'wonValue')?.metric ?? planned[0]?.metric ?? 'wonValue';
}

/**
 * «Мой месяц» on a manager's home screen (the leads page): progress on each planned metric this
 * month and the place in the team. `bonusSlot` takes the bonus to date when the bonus report shows it.
 */
export function MyStanding({ bonusSlot }: { bonusSlot?: ReactNode }) {
  const { t } = useTranslation();
  const format = useFormat();
  const value = useMetricValue();
  const view = usePlanFact(undefined, undefined);
  const me = view.data?.managers.find((m) => m.self);
  const metric = me ? rankingMetric(me.metrics) : 'wonValue';
  const board = useLeaderboard(view.data?.period, undefined, metric, me !== undefined);
  if (!view.data || !me) return null;
  const planned = me.metrics.filter((m) => m.target !== null);
  const mine = board.data?.rows.find((r) => r.self);
  const standing = (
    <>
      {mine && board.data && (
        <Text size="sm" data-testid="my-rank">
          <Text span fw={600}>{t('motivation.mine.rank', { rank: mine.rank, count: board.data.rows.length })}</Text>{' '}
          <Text span c="dimmed">{t('motivation.mine.rankBy', { metric: t(`motivation.metrics.${metric}`) })}</Text>
        </Text>
      )}
      {bonusSlot}
    </>
  );

  return (
    <Card withBorder padding="sm" radius="md" data-testid="my-standing">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="nowrap" align="baseline">
          <Group gap={8} align="baseline" wrap="wrap">
            <Text fw={600}>{t('motivation.mine.title')}</Text>
            <Text size="sm" c="dimmed">{monthName(view.data.period, format.locale)}</Text>
            {/* Beside the title on a wide screen; on a phone its own line below. */}
            <Group visibleFrom="sm" gap="md" ml="md">{standing}</Group>
          </Group>
          <Anchor component={Link} to="/motivation" size="sm" style={{ flexShrink: 0 }}>{t('motivation.mine.details')}</Anchor>
        </Group>
        {(mine || bonusSlot) && <Group hiddenFrom="sm" gap="md" wrap="wrap">{standing}</Group>}
        {planned.length === 0 ? (
          <Text size="sm" c="dimmed">{t('motivation.mine.noPlan')}</Text>
        ) : (
          <SimpleGrid cols={{ base: 2, sm: 4, lg: Math.min(planned.length, 7) }} spacing="sm" verticalSpacing={6}>
            {planned.map((m, i) => (
              // On a phone the first four (the month's results before the activity norms); the rest on the page.
              <Stack key={m.metric} gap={3} data-testid={`mine-${m.metric}`} visibleFrom={i >= PHONE_ITEMS ? 'sm' : undefined}>
                <Group justify="space-between" gap={4} wrap="nowrap">
                  <Text size="xs" c="dimmed" truncate>{t(`motivation.short.${m.metric}`)}</Text>
                  <Text size="xs" c="dimmed">{m.done === null ? '' : `${Math.round(m.done * 100)}%`}</Text>
                </Group>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  <Text span fw={600}>{value(m.unit, m.fact)}</Text>
                  <Text span c="dimmed"> / {value(m.unit, m.target)}</Text>
                </Text>
                <Progress value={Math.min(100, (m.done ?? 0) * 100)} color={STATE_COLOR[m.state]} size="xs" aria-label={t(`motivation.metrics.${m.metric}`)} />
              </Stack>
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </Card>
  );
}
