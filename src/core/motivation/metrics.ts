import type { ActivityKind } from '../lifecycle/activities.js';

/**
 * What a plan can set a target for (docs/reports.md, "Motivation"). Four are counted over the
 * period; the activity norms are set per working day and become a period target by the
 * manager's working days.
 */
export const PLAN_METRICS = ['leadsWorked', 'firstContacts', 'conversions', 'wonValue', 'calls', 'emails', 'meetings'] as const;
export type PlanMetric = (typeof PLAN_METRICS)[number];

export interface MetricDefinition {
  key: PlanMetric;
  /** money: a sum of deal amounts; count: whole things counted. */
  unit: 'count' | 'money';
  /** period: a target for the whole period; workingDay: a norm per working day. */
  per: 'period' | 'workingDay';
  /** For activity norms: the kind of activity counted. */
  activityKind: Exclude<ActivityKind, 'note'> | null;
}

export const METRICS: Readonly<Record<PlanMetric, MetricDefinition>> = Object.freeze({
  leadsWorked: { key: 'leadsWorked', unit: 'count', per: 'period', activityKind: null },
  firstContacts: { key: 'firstContacts', unit: 'count', per: 'period', activityKind: null },
  conversions: { key: 'conversions', unit: 'count', per: 'period', activityKind: null },
  wonValue: { key: 'wonValue', unit: 'money', per: 'period', activityKind: null },
  calls: { key: 'calls', unit: 'count', per: 'workingDay', activityKind: 'call' },
  emails: { key: 'emails', unit: 'count', per: 'workingDay', activityKind: 'email' },
  meetings: { key: 'meetings', unit: 'count', per: 'workingDay', activityKind: 'meeting' },
});

export function isPlanMetric(value: string): value is PlanMetric {
  return (PLAN_METRICS as readonly string[]).includes(value);
}

/** The largest target accepted: more than any department's month, less than where doubles lose cents. */
export const MAX_TARGET = 1e12;

export interface TargetIssue {
  code: 'negative' | 'not_a_number' | 'too_large' | 'not_whole' | 'too_precise';
  message: string;
}

/**
 * Whether a target fits its metric: finite, not negative, at most MAX_TARGET; counts over a
 * period are whole numbers; money and per-day norms have at most two decimals (2.5 meetings a day).
 */
export function checkTarget(metric: PlanMetric, target: number): TargetIssue | null {
  if (!Number.isFinite(target)) return { code: 'not_a_number', message: 'a finite number' };
  if (target < 0) return { code: 'negative', message: 'not negative' };
  if (target > MAX_TARGET) return { code: 'too_large', message: `at most ${MAX_TARGET}` };
  const def = METRICS[metric];
  if (def.unit === 'count' && def.per === 'period' && !Number.isInteger(target)) return { code: 'not_whole', message: `${metric} is counted in whole numbers` };
  if (Math.abs(Math.round(target * 100) - target * 100) > 1e-6) return { code: 'too_precise', message: 'at most two decimals' };
  return null;
}
