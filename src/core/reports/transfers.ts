import { countDuration, decodeHistogram, emptyHistogram, encodeHistogram, histogramQuantiles, mergeHistogram, type DurationHistogram } from './duration-histogram.js';
import { MINUTE_MS, ratio, round } from './stats.js';

/** Transfer requests by outcome; the approval rate counts decided requests only (approved ÷ approved + rejected). Pure. */
export interface OutcomeCounts {
  total: number;
  pending: number;
  approved: number;
  rejected: number;
  cancelled: number;
  approvalRate: number | null;
}

const OUTCOME_OF: Record<string, 'pending' | 'approved' | 'rejected' | 'cancelled'> = { requested: 'pending', approved: 'approved', rejected: 'rejected', cancelled: 'cancelled' };

/** The counters of OutcomeCounts, which sum across requests and days. */
export type OutcomeTally = Omit<OutcomeCounts, 'approvalRate'>;

export function emptyOutcomeTally(): OutcomeTally {
  return { total: 0, pending: 0, approved: 0, rejected: 0, cancelled: 0 };
}

export function tallyOutcome(t: OutcomeTally, status: string, sign = 1): void {
  t.total += sign;
  const outcome = OUTCOME_OF[status];
  if (outcome) t[outcome] += sign;
}

export function mergeOutcomeTally(into: OutcomeTally, from: OutcomeTally, sign = 1): void {
  for (const k of ['total', 'pending', 'approved', 'rejected', 'cancelled'] as const) into[k] += sign * from[k];
}

export function outcomeCounts(statuses: Iterable<string>): OutcomeCounts {
  const t = emptyOutcomeTally();
  for (const s of statuses) tallyOutcome(t, s);
  return outcomeCountsOf(t);
}

export function outcomeCountsOf(t: OutcomeTally): OutcomeCounts {
  return { ...t, approvalRate: round(ratio(t.approved, t.approved + t.rejected)) };
}

/** One stay of a lead in the pool: from going there to the next owner change (or its closing). */
export interface PoolStay {
  enteredMs: number;
  leftMs: number | null;
  claimed: boolean;
}

export interface PoolFigures {
  entered: number;
  claimed: number;
  leftOtherwise: number;
  stillWaiting: number;
  medianWaitMinutes: number | null;
  p90WaitMinutes: number | null;
}

/** Stays in the pool summed: counts and the waits of the stays that ended, in bins. */
export interface PoolTally {
  entered: number;
  claimed: number;
  ended: number;
  waits: DurationHistogram;
}

export function emptyPoolTally(): PoolTally {
  return { entered: 0, claimed: 0, ended: 0, waits: emptyHistogram() };
}

export function tallyPoolStay(t: PoolTally, s: PoolStay, sign = 1): void {
  t.entered += sign;
  if (s.leftMs === null) return;
  t.ended += sign;
  countDuration(t.waits, (s.leftMs - s.enteredMs) / MINUTE_MS, sign);
  if (s.claimed) t.claimed += sign;
}

export function mergePoolTally(into: PoolTally, from: PoolTally, sign = 1): void {
  into.entered += sign * from.entered;
  into.claimed += sign * from.claimed;
  into.ended += sign * from.ended;
  mergeHistogram(into.waits, from.waits, sign);
}

export function encodePoolTally(t: PoolTally): unknown {
  return [t.entered, t.claimed, t.ended, encodeHistogram(t.waits)];
}

export function decodePoolTally(v: unknown): PoolTally {
  const a = v as [number, number, number, number[]];
  return { entered: a[0], claimed: a[1], ended: a[2], waits: decodeHistogram(a[3]) };
}

/** Waiting time counts stays that ended (claimed, handed out or closed); stays still open are counted apart. */
export function poolFigures(stays: readonly PoolStay[]): PoolFigures {
  const t = emptyPoolTally();
  for (const s of stays) tallyPoolStay(t, s);
  return poolFiguresOf(t);
}

export function poolFiguresOf(t: PoolTally): PoolFigures {
  const [waitMedian, waitP90] = histogramQuantiles(t.waits, [0.5, 0.9]);
  return {
    entered: t.entered,
    claimed: t.claimed,
    leftOtherwise: t.ended - t.claimed,
    stillWaiting: t.entered - t.ended,
    medianWaitMinutes: round(waitMedian ?? null, 2),
    p90WaitMinutes: round(waitP90 ?? null, 2),
  };
}
