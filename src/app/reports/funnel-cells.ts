import { decodeFunnelTally, emptyFunnelTally, encodeFunnelTally, funnelTallyIsEmpty, mergeFunnelTally, tallyFunnelItem, type FunnelTally } from '../../core/reports/funnel.js';
import { lastOwner } from '../../core/reports/lead-history.js';
import type { Cell, TallyKind } from '../../core/reports/report-cells.js';
import { breakdown, type LeadBundle } from './lead-cohort.js';

/** The pipeline stage that marks a lead qualified when a manager moves it there. */
export const QUALIFIED_STAGE = 'qualified';

export const FUNNEL_TALLY: TallyKind<FunnelTally> = {
  empty: emptyFunnelTally,
  merge: mergeFunnelTally,
  isEmpty: funnelTallyIsEmpty,
  encode: encodeFunnelTally,
  decode: decodeFunnelTally,
};

/**
 * Each lead's place in the funnel (docs/reports.md): attributed to its owner (or last owner),
 * qualified when marked so or moved to the qualified stage (or when it got a deal), its deals'
 * value and the first won deal.
 */
export function funnelCells(bundle: LeadBundle): Array<Cell<FunnelTally>> {
  const dealsOf = breakdown(bundle.deals, (d) => d.leadId);
  const stagedAt = new Map<string, number>();
  for (const e of bundle.events) if (e.type === 'lead.status_changed' && e.payload.to === QUALIFIED_STAGE && !stagedAt.has(e.leadId)) stagedAt.set(e.leadId, Date.parse(e.createdAt));
  return bundle.leads.map((lead) => {
    const own = dealsOf.get(lead.id) ?? [];
    const wonDeals = own.filter((d) => d.stage === 'won');
    const explicit = [lead.qualifiedAt ? Date.parse(lead.qualifiedAt) : null, stagedAt.get(lead.id) ?? null].filter((v): v is number => v !== null);
    const firstWon = wonDeals.map((d) => Date.parse(d.closedAt ?? d.createdAt)).sort((a, b) => a - b)[0];
    const tally = emptyFunnelTally();
    tallyFunnelItem(tally, {
      createdMs: lead.createdMs,
      qualifiedMs: explicit.length > 0 ? Math.min(...explicit) : null,
      dealMs: own[0] ? Date.parse(own[0].createdAt) : null,
      wonMs: firstWon ?? null,
      dealValue: own.reduce((sum, d) => sum + (d.amount ?? 0), 0),
      wonValue: wonDeals.reduce((sum, d) => sum + (d.amount ?? 0), 0),
    });
    return { managerId: lead.ownerId ?? lastOwner(lead.changes), source: lead.source, campaign: lead.campaign, ruleId: lead.ruleId, extra: null, at: lead.createdMs, tally };
  });
}
