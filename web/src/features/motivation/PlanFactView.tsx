import { Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { PLAN_METRICS, usePlanFact, type MetricProgress, type PlanFact } from './motivation-api';
import { MetricCard, MetricName, ProgressCell, useMetricValue } from './progress-parts';

/** «Прошло 4,3 из 20 рабочих дней · осталось 16». */
export function DaysLine({ workingDays, elapsedDays, compact = false }: { workingDays: number; elapsedDays: number; compact?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const left = Math.max(0, workingDays - elapsedDays);
  if (compact) return <Text size="xs" c="dimmed">{t('motivation.daysShort', { elapsed: format.number(Math.round(elapsedDays * 10) / 10), total: workingDays })}</Text>;
  const tail = elapsedDays <= 0 ? t('motivation.notStarted') : left <= 0 ? t('motivation.monthOver') : t('motivation.daysLeft', { count: Math.ceil(left - 1e-9) });
  return (
    <Text size="sm" c="dimmed">
      {t('motivation.days', { elapsed: format.number(Math.round(elapsedDays * 10) / 10), total: workingDays })} · {tail}
    </Text>
  );
}

/** The facts of metrics without a plan, in one quiet line. */
function UnplannedLine({ metrics }: { metrics: MetricProgress[] }) {
  const { t } = useTranslation();
  const value = useMetricValue();
  const rest = metrics.filter((m) => m.target === null);
  if (rest.length === 0) return null;
  return (
    <Text size="xs" c="dimmed">
      {t('motivation.noPlan')}: {rest.map((m) => `${t(`motivation.short.${m.metric}`)} ${value(m.unit, m.fact)}`).join(' · ')}
    </Text>
  );
}

function Cards({ metrics, remainingDays }: { metrics: MetricProgress[]; remainingDays: number }) {
  const planned = metrics.filter((m) => m.target !== null);
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
      {planned.map((m) => <MetricCard key={m.metric} m={m} remainingDays={remainingDays} />)}
    </SimpleGrid>
  );
}

/** Plan against fact: a manager's own cards and the team's; for a head the team and a managers × metrics table. */
export function PlanFactView({ period, team, enabled }: { period: string; team: string | undefined; enabled: boolean }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const view = usePlanFact(period, team, enabled);
  if (view.isError) return <ErrorState error={view.error} />;
  if (!view.data) return enabled ? <PageLoader /> : null;
  const data: PlanFact = view.data;
  const self = data.managers.find((m) => m.self);
  const anyPlan = data.managers.some((m) => m.metrics.some((x) => x.target !== null)) || (data.team?.metrics.some((x) => x.target !== null) ?? false);

  return (
    <Stack gap="lg" data-testid="plan-fact">
      {!anyPlan && <Text c="dimmed">{user.role === 'manager' ? t('motivation.nothingPlanned') : t('motivation.nothingPlannedHead')}</Text>}
      {self && (
        <Stack gap="xs">
          <Group justify="space-between" align="baseline">
            <Title order={4}>{self.name}</Title>
            <DaysLine workingDays={self.workingDays} elapsedDays={self.elapsedDays} />
          </Group>
          <Cards metrics={self.metrics} remainingDays={self.workingDays - self.elapsedDays} />
          <UnplannedLine metrics={self.metrics} />
        </Stack>
      )}
      {data.team && (
        <Stack gap="xs">
          <Group justify="space-between" align="baseline">
            <Title order={4}>{t('motivation.teamTotal')}{data.teamName ? ` · ${data.teamName}` : ''}</Title>
            <DaysLine workingDays={data.team.workingDays} elapsedDays={data.team.elapsedDays} />
          </Group>
          <Cards metrics={data.team.metrics} remainingDays={data.team.workingDays - data.team.elapsedDays} />
          {data.team.metrics.some((m) => m.targetFrom === 'managers') && <Text size="xs" c="dimmed">{t('motivation.fromManagers')}: {data.team.metrics.filter((m) => m.targetFrom === 'managers').map((m) => t(`motivation.short.${m.metric}`)).join(', ')}</Text>}
        </Stack>
      )}
      {!self && <ManagersTable data={data} />}
    </Stack>
  );
}

function ManagersTable({ data }: { data: PlanFact }) {
  const { t } = useTranslation();
  if (data.managers.length === 0) return <Text c="dimmed">{t('motivation.noManagers')}</Text>;
  // Planned metrics first; those nobody has a plan for still show their facts, after them.
  const planned = PLAN_METRICS.filter((metric) => data.managers.some((m) => m.metrics.some((x) => x.metric === metric && x.target !== null)));
  const columns = [...planned, ...PLAN_METRICS.filter((m) => !planned.includes(m))];
  return (
    <Stack gap="xs">
      <Title order={4}>{t('motivation.managers')}</Title>
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="xs" highlightOnHover data-testid="plan-fact-managers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('motivation.manager')}</Table.Th>
                {columns.map((metric) => <Table.Th key={metric}><MetricName metric={metric} short /></Table.Th>)}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.managers.map((m) => (
                <Table.Tr key={m.managerId}>
                  <Table.Td>
                    <Text size="sm" fw={500}>{m.name}</Text>
                    <DaysLine workingDays={m.workingDays} elapsedDays={m.elapsedDays} compact />
                  </Table.Td>
                  {columns.map((metric) => (
                    <Table.Td key={metric} style={{ verticalAlign: 'top' }}>
                      <ProgressCell m={m.metrics.find((x) => x.metric === metric)} remainingDays={m.workingDays - m.elapsedDays} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}
