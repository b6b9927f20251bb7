import { Badge, Card, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/ui/format';
import type { MetricProgress, PlanMetric } from './motivation-api';

export const STATE_COLOR: Record<MetricProgress['state'], string> = { done: 'teal', ahead: 'blue', behind: 'orange', none: 'gray' };

const compactMoney = new Map<string, Intl.NumberFormat>();

/**
 * A metric's value in its unit: money in roubles (from a million on, compact: «2,1 млн ₽», so a
 * card stays one line), counts as numbers; `whole` rounds a count (a forecast of 290,4 calls is 290).
 */
export function useMetricValue() {
  const format = useFormat();
  return (unit: MetricProgress['unit'], value: number | null | undefined, whole = false, compactFrom = 1_000_000): string => {
    if (value === null || value === undefined) return '—';
    if (unit === 'money') {
      if (Math.abs(value) < compactFrom) return format.money(value);
      let f = compactMoney.get(format.locale);
      if (!f) {
        f = new Intl.NumberFormat(format.locale, { style: 'currency', currency: 'RUB', notation: 'compact', maximumFractionDigits: 1 });
        compactMoney.set(format.locale, f);
      }
      return f.format(value);
    }
    return format.number(whole ? Math.round(value) : Math.round(value * 10) / 10);
  };
}

export function MetricName({ metric, short = false }: { metric: PlanMetric; short?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t(`motivation.hints.${metric}`)} multiline w={280} withArrow>
      <Text span size="sm" fw={500} style={{ cursor: 'help' }}>{short ? t(`motivation.short.${metric}`) : t(`motivation.metrics.${metric}`)}</Text>
    </Tooltip>
  );
}

/** The pace the rest of the month needs, or why there is none. */
export function PaceLine({ m, remainingDays }: { m: MetricProgress; remainingDays: number }) {
  const { t } = useTranslation();
  const value = useMetricValue();
  if (m.state === 'none') return null;
  if (m.state === 'done') return <Text size="xs" c="teal.8">{t('motivation.state.done')}</Text>;
  if (m.pacePerDay === null || remainingDays <= 0) return <Text size="xs" c="dimmed">{t('motivation.monthOver')}</Text>;
  // A pace or a forecast in money reads in thousands: «нужно 998 тыс. ₽ в день».
  return <Text size="xs" c={m.state === 'behind' ? 'orange.9' : 'dimmed'}>{t('motivation.pace', { value: value(m.unit, m.pacePerDay, false, 10_000) })}</Text>;
}

/** One planned metric: fact of target, a bar coloured by how it goes, the pace needed and the forecast. */
export function MetricCard({ m, remainingDays }: { m: MetricProgress; remainingDays: number }) {
  const { t } = useTranslation();
  const value = useMetricValue();
  const share = m.done ?? (m.state === 'done' ? 1 : 0);
  return (
    <Card withBorder padding="sm" radius="md" data-testid={`metric-${m.metric}`}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <MetricName metric={m.metric} />
          <Badge size="sm" variant="light" color={STATE_COLOR[m.state]} style={{ flexShrink: 0 }}>{t(`motivation.state.${m.state}`)}</Badge>
        </Group>
        <Group gap={6} align="baseline" wrap="nowrap">
          <Text fz={22} fw={600} lh={1.1}>{value(m.unit, m.fact)}</Text>
          <Text size="sm" c="dimmed">{m.target !== null ? `/ ${value(m.unit, m.target)}` : ''}</Text>
          {m.done !== null && <Text size="sm" c="dimmed" ml="auto">{Math.round(m.done * 100)}%</Text>}
        </Group>
        <Progress value={Math.min(100, share * 100)} color={STATE_COLOR[m.state]} size="sm" aria-label={t(`motivation.metrics.${m.metric}`)} />
        {m.norm !== null && <Text size="xs" c="dimmed">{t('motivation.perDay', { value: value(m.unit, m.norm) })}{m.factPerDay !== null ? ` · ${t('motivation.factPerDay', { value: value(m.unit, m.factPerDay) })}` : ''}</Text>}
        {/* Side by side when they fit; the forecast drops below a long pace in money. */}
        <Group justify="space-between" gap={4} wrap="wrap" style={{ whiteSpace: 'nowrap' }}>
          <PaceLine m={m} remainingDays={remainingDays} />
          {m.forecast !== null && m.state !== 'done' && remainingDays > 0 && (
            <Text size="xs" c={m.state === 'behind' ? 'orange.9' : 'dimmed'}>{t('motivation.forecast', { value: value(m.unit, m.forecast, true, 10_000) })}</Text>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

/** A compact cell of the managers × metrics table. */
export function ProgressCell({ m, remainingDays }: { m: MetricProgress | undefined; remainingDays: number }) {
  const { t } = useTranslation();
  const value = useMetricValue();
  if (!m) return null;
  if (m.target === null) return <Text size="sm" c="dimmed">{value(m.unit, m.fact)}</Text>;
  const share = m.done ?? (m.state === 'done' ? 1 : 0);
  return (
    <Stack gap={3} miw={110}>
      <Text size="sm">
        <Text span fw={600}>{value(m.unit, m.fact)}</Text>
        <Text span c="dimmed"> / {value(m.unit, m.target)}</Text>
      </Text>
      <Progress value={Math.min(100, share * 100)} color={STATE_COLOR[m.state]} size="xs" aria-label={t(`motivation.metrics.${m.metric}`)} />
      <PaceLine m={m} remainingDays={remainingDays} />
    </Stack>
  );
}
