import { MINUTE_MS, quantile, ratio, round } from './stats.js';

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

export function funnelFigures(items: readonly FunnelItem[]): FunnelFigures {
  let qualified = 0;
  let deals = 0;
  let won = 0;
  let dealValue = 0;
  let wonValue = 0;
  const toQualified: number[] = [];
  const toDeal: number[] = [];
  const toWon: number[] = [];
  for (const i of items) {
    const q = i.qualifiedMs ?? i.dealMs;
    if (q !== null) {
      qualified += 1;
      toQualified.push((q - i.createdMs) / MINUTE_MS);
    }
    if (i.dealMs !== null) {
      deals += 1;
      dealValue += i.dealValue;
      toDeal.push((i.dealMs - (q ?? i.dealMs)) / MINUTE_MS);
    }
    if (i.wonMs !== null && i.dealMs !== null) {
      won += 1;
      wonValue += i.wonValue;
      toWon.push((i.wonMs - i.dealMs) / MINUTE_MS);
    }
  }
  const leads = items.length;
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
    dealValue: round(dealValue, 2) as number,
    wonValue: round(wonValue, 2) as number,
    medianMinutesToQualified: round(quantile(toQualified, 0.5), 2),
    medianMinutesQualifiedToDeal: round(quantile(toDeal, 0.5), 2),
    medianMinutesDealToWon: round(quantile(toWon, 0.5), 2),
  };
}
