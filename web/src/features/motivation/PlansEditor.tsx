import { Alert, Button, Card, Group, NumberInput, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@/api/client';
import { ErrorState } from '@/ui/ErrorState';
import { FormError } from '@/ui/FormError';
import { fieldText } from '@/ui/field-messages';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { monthName, shiftMonth } from './months';
import { PER_DAY, PLAN_METRICS, usePlanLoader, usePlans, useSavePlans, type PlanMetric, type TargetInput, type TeamPlan } from './motivation-api';
import { MetricName } from './progress-parts';

/** A cell of the grid: a manager's target or the team's own (`team`). */
type CellKey = `${string}|${PlanMetric}`;
const TEAM = '';
const keyOf = (managerId: string | null, metric: PlanMetric): CellKey => `${managerId ?? TEAM}|${metric}`;
const WHOLE: ReadonlySet<PlanMetric> = new Set(['leadsWorked', 'firstContacts', 'conversions']);
const OWN_CODES = new Set(['negative', 'not_whole', 'too_precise', 'too_large', 'unknown_metric', 'duplicate_target', 'unknown_manager']);

/** The month's plan as an editable grid, managers × metrics and the team's own row; saved in one request. */
export function PlansEditor({ period, team, enabled }: { period: string; team: string | undefined; enabled: boolean }) {
  const plans = usePlans(period, team, enabled);
  if (plans.isError) return <ErrorState error={plans.error} />;
  if (!plans.data) return enabled ? <PageLoader /> : null;
  const plan = plans.data.teams[0];
  if (!plan) return null;
  // A fresh editor per month and team, so edits of one never leak into another.
  return <Grid key={`${plan.teamId}|${plans.data.period}`} plan={plan} period={plans.data.period} />;
}

function Grid({ plan, period }: { plan: TeamPlan; period: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const save = useSavePlans();
  const loadPlan = usePlanLoader();
  const [draft, setDraft] = useState<Partial<Record<CellKey, number | null>>>({});
  const [copyNote, setCopyNote] = useState<string | null>(null);
  const [sent, setSent] = useState<TargetInput[]>([]);

  const saved = (managerId: string | null, metric: PlanMetric): number | null => (managerId === null ? plan.team.targets[metric] : (plan.managers.find((m) => m.managerId === managerId)?.targets[metric] ?? null));
  const shown = (managerId: string | null, metric: PlanMetric): number | null => {
    const k = keyOf(managerId, metric);
    return k in draft ? (draft[k] ?? null) : saved(managerId, metric);
  };
  const changes: TargetInput[] = [];
  for (const [k, v] of Object.entries(draft) as Array<[CellKey, number | null]>) {
    const [managerId, metric] = k.split('|') as [string, PlanMetric];
    const manager = managerId === TEAM ? null : managerId;
    if (v !== saved(manager, metric)) changes.push({ manager, metric, target: v });
  }
  const dirty = changes.length > 0;
  const editable = plan.editable;

  const set = (managerId: string | null, metric: PlanMetric, raw: string | number) => {
    const value = raw === '' || raw === null ? null : Number(raw);
    setDraft((d) => ({ ...d, [keyOf(managerId, metric)]: value === null || Number.isNaN(value) ? null : value }));
    setCopyNote(null);
  };

  const copyPrevious = async () => {
    const previous = shiftMonth(period, -1);
    const before = (await loadPlan(previous, plan.teamId)).teams[0];
    if (!before) return;
    const next = { ...draft };
    let count = 0;
    const fill = (managerId: string | null, targets: TeamPlan['team']['targets']) => {
      for (const metric of PLAN_METRICS) {
        const value = targets[metric];
        if (value === null || shown(managerId, metric) !== null) continue;
        next[keyOf(managerId, metric)] = value;
        count += 1;
      }
    };
    fill(null, before.team.targets);
    for (const m of before.managers) if (plan.managers.some((x) => x.managerId === m.managerId)) fill(m.managerId, m.targets);
    setDraft(next);
    const month = monthName(previous, format.locale, true);
    setCopyNote(count === 0 ? t('motivation.plans.nothingToCopy', { month }) : t('motivation.plans.copied', { count, month }));
  };

  const submit = () => {
    setSent(changes);
    save.mutate(
      { period, team: plan.teamId, targets: changes },
      {
        onSuccess: () => {
          setDraft({});
          setCopyNote(null);
          toasts.show({ color: 'green', message: t('motivation.plans.saved') });
        },
      },
    );
  };

  // The server names a refused target by its place in the request: targets.3.target.
  const cellError = (managerId: string | null, metric: PlanMetric): string | undefined => {
    if (!(save.error instanceof ApiError)) return undefined;
    const index = sent.findIndex((c) => c.manager === managerId && c.metric === metric);
    if (index < 0) return undefined;
    const detail = save.error.details.find((d) => d.path === `targets.${index}` || d.path?.startsWith(`targets.${index}.`));
    if (!detail) return undefined;
    return detail.code && OWN_CODES.has(detail.code) ? t(`motivation.errors.${detail.code}` as 'motivation.errors.negative') : fieldText(t, detail, save.error.message);
  };
  const closedByServer = save.error instanceof ApiError && save.error.details.some((d) => d.code === 'period_closed');

  const sumOf = (metric: PlanMetric): number | null => {
    const values = plan.managers.map((m) => shown(m.managerId, metric)).filter((v): v is number => v !== null);
    return values.length === 0 ? null : Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;
  };

  const cell = (managerId: string | null, metric: PlanMetric) => {
    const error = cellError(managerId, metric);
    const sum = managerId === null ? sumOf(metric) : null;
    if (!editable) {
      const v = shown(managerId, metric);
      return (
        <Table.Td key={metric}>
          <Text size="sm" c={v === null ? 'dimmed' : undefined}>{v === null ? (sum !== null ? t('motivation.plans.teamPlaceholder', { value: format.number(sum) }) : '—') : format.number(v)}</Text>
        </Table.Td>
      );
    }
    const label = `${managerId === null ? t('motivation.plans.teamRow') : (plan.managers.find((m) => m.managerId === managerId)?.name ?? '')} — ${t(`motivation.metrics.${metric}`)}`;
    return (
      <Table.Td key={metric} style={{ verticalAlign: 'top' }}>
        <NumberInput
          size="xs"
          w={metric === 'wonValue' ? 130 : 84}
          hideControls
          min={0}
          allowNegative={false}
          decimalScale={WHOLE.has(metric) ? 0 : 2}
          thousandSeparator={metric === 'wonValue' ? ' ' : undefined}
          value={shown(managerId, metric) ?? ''}
          placeholder={sum !== null ? t('motivation.plans.teamPlaceholder', { value: format.number(sum) }) : '—'}
          onChange={(v) => set(managerId, metric, v)}
          disabled={!editable}
          error={error}
          aria-label={label}
          styles={{ error: { whiteSpace: 'normal', maxWidth: 130 } }}
        />
      </Table.Td>
    );
  };

  return (
    <Stack gap="sm" data-testid="plans-editor">
      <UnsavedChangesGuard when={dirty} />
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Stack gap={2}>
          <Title order={4}>{t('motivation.plans.title', { month: monthName(period, format.locale, true) })}{` · ${plan.teamName}`}</Title>
          <Text size="xs" c="dimmed" maw={720}>{t('motivation.plans.hint')}</Text>
        </Stack>
        {editable && (
          <Tooltip label={t('motivation.plans.copyHint', { month: monthName(shiftMonth(period, -1), format.locale, true) })} multiline w={260}>
            <Button variant="default" size="xs" onClick={() => void copyPrevious()}>{t('motivation.plans.copyPrevious')}</Button>
          </Tooltip>
        )}
      </Group>
      {(plan.closed || closedByServer) && <Alert color="gray" py="xs">{t('motivation.plans.closed')}</Alert>}
      {!plan.closed && !editable && <Alert color="gray" py="xs">{t('motivation.plans.readOnly')}</Alert>}
      {copyNote && <Alert color="blue" py="xs">{copyNote}</Alert>}
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={980}>
          <Table verticalSpacing={6} data-testid="plans-grid">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('motivation.manager')}</Table.Th>
                {PLAN_METRICS.map((metric) => (
                  <Table.Th key={metric}>
                    <Stack gap={0}>
                      <MetricName metric={metric} short />
                      <Text size="xs" c="dimmed" fw={400}>{PER_DAY.has(metric) ? t('motivation.plans.perDay') : metric === 'wonValue' ? t('motivation.plans.perMonthMoney') : t('motivation.plans.perMonth')}</Text>
                    </Stack>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {plan.managers.map((m) => (
                <Table.Tr key={m.managerId}>
                  <Table.Td><Text size="sm">{m.name}</Text></Table.Td>
                  {PLAN_METRICS.map((metric) => cell(m.managerId, metric))}
                </Table.Tr>
              ))}
              <Table.Tr bg="var(--mantine-color-gray-light)">
                <Table.Td><Text size="sm" fw={600}>{t('motivation.plans.teamRow')}</Text></Table.Td>
                {PLAN_METRICS.map((metric) => cell(null, metric))}
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      {save.error && !closedByServer && !(save.error instanceof ApiError && save.error.details.some((d) => d.path?.startsWith('targets.'))) && <FormError error={save.error} />}
      {editable && (
        <Group gap="sm">
          <Button onClick={submit} disabled={!dirty} loading={save.isPending}>{t('motivation.plans.save')}</Button>
          <Button variant="subtle" color="gray" onClick={() => { setDraft({}); setCopyNote(null); save.reset(); }} disabled={!dirty}>{t('motivation.plans.reset')}</Button>
          {dirty && <Text size="sm" c="orange.8">{t('motivation.plans.unsaved', { count: changes.length })}</Text>}
        </Group>
      )}
    </Stack>
  );
}
