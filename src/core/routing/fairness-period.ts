import { DateTime, IANAZone } from 'luxon';
import type { FairnessPeriod } from './rule-set.js';

export const FAIRNESS_PERIODS = ['none', 'day', 'week', 'month'] as const satisfies readonly FairnessPeriod[];

/** One run of a rule's fair-share count: its key and its bounds (start inclusive, end exclusive). */
export interface PeriodWindow {
  /** day: 2026-12-07, week: 2026-W50 (ISO, Monday first), month: 2026-12; '' for `none`. */
  readonly key: string;
  readonly startMs: number;
  readonly endMs: number;
}

const FOREVER: PeriodWindow = Object.freeze({ key: '', startMs: Number.NEGATIVE_INFINITY, endMs: Number.POSITIVE_INFINITY });

const UNIT = { day: 'day', week: 'week', month: 'month' } as const;

/**
 * The period containing `at` in `zone`. Local calendar days, ISO weeks and months, so a day
 * across a DST change is 23 or 25 hours long. An unknown zone reads as UTC.
 */
export function periodWindow(period: FairnessPeriod | undefined, zone: string, at: number): PeriodWindow {
  if (period === undefined || period === 'none') return FOREVER;
  const local = DateTime.fromMillis(at, { zone: IANAZone.isValidZone(zone) ? zone : 'UTC' });
  const start = local.startOf(UNIT[period]);
  const end = start.plus({ [`${UNIT[period]}s`]: 1 });
  const key = period === 'day' ? start.toFormat('yyyy-MM-dd') : period === 'week' ? start.toFormat("kkkk-'W'WW") : start.toFormat('yyyy-MM');
  return { key, startMs: start.toMillis(), endMs: end.toMillis() };
}

export function isWithin(window: PeriodWindow, at: number): boolean {
  return at >= window.startMs && at < window.endMs;
}
