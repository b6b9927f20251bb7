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

export function junkFigures(items: readonly JunkItem[]): JunkFigures {
  const junk = items.filter((i) => i.junk).length;
  return { leads: items.length, junk, junkRate: round(ratio(junk, items.length)) };
}

export function standsOut(figures: JunkFigures, overallRate: number | null): boolean {
  if (figures.leads < JUNK_MIN_LEADS || figures.junkRate === null) return false;
  return figures.junkRate >= JUNK_ALARM_RATE || (overallRate !== null && overallRate > 0 && figures.junkRate >= 2 * overallRate);
}

/** Junk leads per reason, most frequent first. */
export function reasonCounts(items: readonly JunkItem[], labels: ReadonlyMap<string, string>): Array<{ reason: string | null; label: string | null; count: number }> {
  const counts = new Map<string | null, number>();
  for (const i of items) if (i.junk) counts.set(i.reason, (counts.get(i.reason) ?? 0) + 1);
  return [...counts]
    .map(([reason, count]) => ({ reason, label: reason ? (labels.get(reason) ?? reason) : null, count }))
    .sort((a, b) => b.count - a.count || String(a.reason).localeCompare(String(b.reason)));
}
