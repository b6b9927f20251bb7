import { decodeJunkTally, emptyJunkTally, encodeJunkTally, junkTallyIsEmpty, mergeJunkTally, tallyJunkItem, type JunkTally } from '../../core/reports/junk.js';
import { lastOwner } from '../../core/reports/lead-history.js';
import type { Cell, TallyKind } from '../../core/reports/report-cells.js';
import type { LeadBundle } from './lead-cohort.js';

export const JUNK_TALLY: TallyKind<JunkTally> = {
  empty: emptyJunkTally,
  merge: mergeJunkTally,
  isEmpty: junkTallyIsEmpty,
  encode: encodeJunkTally,
  decode: decodeJunkTally,
};

/** Each lead: junk or not, with its reason; a junk lead's cell also names who marked it (`user:<id>`, …). */
export function junkCells(bundle: LeadBundle): Array<Cell<JunkTally>> {
  const markerOf = new Map<string, string>();
  for (const e of bundle.events) if ((e.type === 'lead.status_changed' || e.type === 'lead.qualified') && e.payload.to === 'junk') markerOf.set(e.leadId, e.actor);
  return bundle.leads.map((lead) => {
    const junk = lead.status === 'junk';
    const tally = emptyJunkTally();
    tallyJunkItem(tally, { junk, reason: junk ? lead.junkReason : null });
    return { managerId: lead.ownerId ?? lastOwner(lead.changes), source: lead.source, campaign: lead.campaign, ruleId: lead.ruleId, extra: junk ? (markerOf.get(lead.id) ?? null) : null, at: lead.createdMs, tally };
  });
}
