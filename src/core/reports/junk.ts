import { ratio, round } from './stats.js';

/**
 * Junk rate: leads closed as junk ÷ leads that arrived. A source or campaign stands out when it
 * has at least JUNK_MIN_LEADS leads and its rate is at least JUNK_ALARM_RATE or twice the
 * overall rate (so a 60%-junk source is flagged, and so is a 30% one where the norm is 10%). Pure.
 */
export const JUNK_MIN_LEADS = 3;
export const JUNK_ALARM_RATE = 0.5;

export interface JunkItem {
  junk: boolean;
  reason: string | null;
}

export interface JunkFigures {
  leads: number;
  junk: number;
  junkRate: number | null;
}

/** What a set of leads adds up to, in a form that sums (rollups keep one per day and key). */
export interface JunkTally {
  leads: number;
  junk: number;
  reasons: Map<string | null, number>;
}

export function emptyJunkTally(): JunkTally {
  return { leads: 0, junk: 0, reasons: new Map() };
}

function addReason(t: JunkTally, reason: string | null, n: number): void {
  const next = (t.reasons.get(reason) ?? 0) + n;
  if (next === 0) t.reasons.delete(reason);
  else t.reasons.set(reason, next);
}

export function tallyJunkItem(t: JunkTally, i: JunkItem, sign = 1): void {
  t.leads += sign;
  if (!i.junk) return;
  t.junk += sign;
  addReason(t, i.reason, sign);
}

export function mergeJunkTally(into: JunkTally, from: JunkTally, sign = 1): void {
  into.leads += sign * from.leads;
  into.junk += sign * from.junk;
  for (const [reason, n] of from.reasons) addReason(into, reason, sign * n);
}

export function junkTallyIsEmpty(t: JunkTally): boolean {
  return t.leads === 0 && t.junk === 0 && t.reasons.size === 0;
}

export function encodeJunkTally(t: JunkTally): unknown {
  return [t.leads, t.junk, [...t.reasons]];
}

export function decodeJunkTally(v: unknown): JunkTally {
  const a = v as [number, number, Array<[string | null, number]>];
  return { leads: a[0], junk: a[1], reasons: new Map(a[2]) };
}

export function junkFigures(items: readonly JunkItem[]): JunkFigures {
  const t = emptyJunkTally();
  for (const i of items) tallyJunkItem(t, i);
  return junkFiguresOf(t);
}

export function junkFiguresOf(t: JunkTally): JunkFigures {
  return { leads: t.leads, junk: t.junk, junkRate: round(ratio(t.junk, t.leads)) };
}

export function standsOut(figures: JunkFigures, overallRate: number | null): boolean {
  if (figures.leads < JUNK_MIN_LEADS || figures.junkRate === null) return false;
  return figures.junkRate >= JUNK_ALARM_RATE || (overallRate !== null && overallRate > 0 && figures.junkRate >= 2 * overallRate);
}

/** Junk leads per reason, most frequent first. */
export function reasonCounts(t: JunkTally, labels: ReadonlyMap<string, string>): Array<{ reason: string | null; label: string | null; count: number }> {
  return [...t.reasons]
    .map(([reason, count]) => ({ reason, label: reason ? (labels.get(reason) ?? reason) : null, count }))
    .sort((a, b) => b.count - a.count || String(a.reason).localeCompare(String(b.reason)));
}
