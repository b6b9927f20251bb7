import { countDuration, decodeHistogram, emptyHistogram, encodeHistogram, histogramQuantile, mergeHistogram, type DurationHistogram } from './duration-histogram.js';
import { MINUTE_MS, ratio, round } from './stats.js';

/**
 * The funnel of a cohort of leads: lead → qualified → deal → won. Each stage implies the ones
 * before it (a lead converted without passing qualification counts as qualified when it was
 * converted). Pure.
 */
export interface FunnelItem {
  createdMs: number;
  qualifiedMs: number | null;
  dealMs: number | null;
  wonMs: number | null;
  /** Σ amounts of the lead's deals, and of those won. */
  dealValue: number;
  wonValue: number;
}

export interface FunnelFigures {
  leads: number;
  qualified: number;
  deals: number;
  won: number;
  qualifiedRate: number | null;
  dealRate: number | null;
  dealFromQualifiedRate: number | null;
  winRate: number | null;
  leadToWonRate: number | null;
  dealValue: number;
  wonValue: number;
  medianMinutesToQualified: number | null;
  medianMinutesQualifiedToDeal: number | null;
  medianMinutesDealToWon: number | null;
}

/**
 * What a set of leads adds up to, in a form that sums: counts, values in kopecks (exact
 * integers, so subtracting a lead again leaves no rounding behind) and the stage durations as
 * histograms (duration-histogram.ts). Rollups keep one per day, manager, source, campaign and rule.
 */
export interface FunnelTally {
  leads: number;
  qualified: number;
  deals: number;
  won: number;
  dealKopecks: number;
  wonKopecks: number;
  toQualified: DurationHistogram;
  toDeal: DurationHistogram;
  toWon: DurationHistogram;
}

export function emptyFunnelTally(): FunnelTally {
  return { leads: 0, qualified: 0, deals: 0, won: 0, dealKopecks: 0, wonKopecks: 0, toQualified: emptyHistogram(), toDeal: emptyHistogram(), toWon: emptyHistogram() };
}

const kopecks = (value: number) => Math.round(value * 100);

/** Adds (sign 1) or removes (sign -1) one lead. */
export function tallyFunnelItem(t: FunnelTally, i: FunnelItem, sign = 1): void {
  t.leads += sign;
  const q = i.qualifiedMs ?? i.dealMs;
  if (q !== null) {
    t.qualified += sign;
    countDuration(t.toQualified, (q - i.createdMs) / MINUTE_MS, sign);
  }
  if (i.dealMs !== null) {
    t.deals += sign;
    t.dealKopecks += sign * kopecks(i.dealValue);
    countDuration(t.toDeal, (i.dealMs - (q ?? i.dealMs)) / MINUTE_MS, sign);
  }
  if (i.wonMs !== null && i.dealMs !== null) {
    t.won += sign;
    t.wonKopecks += sign * kopecks(i.wonValue);
    countDuration(t.toWon, (i.wonMs - i.dealMs) / MINUTE_MS, sign);
  }
}

export function mergeFunnelTally(into: FunnelTally, from: FunnelTally, sign = 1): void {
  into.leads += sign * from.leads;
  into.qualified += sign * from.qualified;
  into.deals += sign * from.deals;
  into.won += sign * from.won;
  into.dealKopecks += sign * from.dealKopecks;
  into.wonKopecks += sign * from.wonKopecks;
  mergeHistogram(into.toQualified, from.toQualified, sign);
  mergeHistogram(into.toDeal, from.toDeal, sign);
  mergeHistogram(into.toWon, from.toWon, sign);
}

export function funnelTallyIsEmpty(t: FunnelTally): boolean {
  return t.leads === 0 && t.qualified === 0 && t.deals === 0 && t.won === 0 && t.dealKopecks === 0 && t.wonKopecks === 0 && t.toQualified.size === 0 && t.toDeal.size === 0 && t.toWon.size === 0;
}

export function encodeFunnelTally(t: FunnelTally): unknown {
  return [t.leads, t.qualified, t.deals, t.won, t.dealKopecks, t.wonKopecks, encodeHistogram(t.toQualified), encodeHistogram(t.toDeal), encodeHistogram(t.toWon)];
}

export function decodeFunnelTally(v: unknown): FunnelTally {
  const a = v as [number, number, number, number, number, number, number[], number[], number[]];
  return { leads: a[0], qualified: a[1], deals: a[2], won: a[3], dealKopecks: a[4], wonKopecks: a[5], toQualified: decodeHistogram(a[6]), toDeal: decodeHistogram(a[7]), toWon: decodeHistogram(a[8]) };
}

export function funnelFigures(items: readonly FunnelItem[]): FunnelFigures {
  const t = emptyFunnelTally();
  for (const i of items) tallyFunnelItem(t, i);
  return funnelFiguresOf(t);
}

export function funnelFiguresOf(t: FunnelTally): FunnelFigures {
  const { leads, qualified, deals, won } = t;
  return {
    leads,
    qualified,
    deals,
    won,
    qualifiedRate: round(ratio(qualified, leads)),
    dealRate: round(ratio(deals, leads)),
    dealFromQualifiedRate: round(ratio(deals, qualified)),
    winRate: round(ratio(won, deals)),
    leadToWonRate: round(ratio(won, leads)),
    dealValue: round(t.dealKopecks / 100, 2) as number,
    wonValue: round(t.wonKopecks / 100, 2) as number,
    medianMinutesToQualified: round(histogramQuantile(t.toQualified, 0.5), 2),
    medianMinutesQualifiedToDeal: round(histogramQuantile(t.toDeal, 0.5), 2),
    medianMinutesDealToWon: round(histogramQuantile(t.toWon, 0.5), 2),
  };
}
