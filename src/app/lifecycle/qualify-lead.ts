import { appendEvents } from '../../store/journal-queries.js';
import { findLead, type LeadRecord } from '../../store/lead-queries.js';
import { recordDecisionTime } from '../../store/routing-lock.js';
import { saveRoutingStates } from '../../store/routing-state-queries.js';
import { assertLeadVisible, QUALIFICATION_STATUS } from '../access/lead-access.js';
import { actorName, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { ownerOf } from '../intake/match-lead.js';
import { factsOfRecord } from '../intake/prepare-lead.js';
import { changeOwner } from '../leads/change-owner.js';
import type { RoutingSnapshotLoader } from '../routing/routing-snapshot.js';
import { takeRoutingTurn } from '../routing/routing-turn.js';
import { rearmSla } from '../sla/sla-clock.js';
import type { QualifyInput } from './lifecycle-input.js';
import { moveLeadStatus, requireJunkReason } from './move-lead-status.js';

/** Qualifiers check raw leads; heads and admins may stand in for them. Managers work what is routed to them. */
function mayQualify(principal: Principal): boolean {
  return principal.kind !== 'user' || principal.role !== 'manager';
}

/**
 * A qualifier's verdict on a lead waiting for qualification: qualified leads are routed now,
 * by the published rules, exactly as intake would have routed them; junk is closed with its reason.
 */
export async function qualifyLead(ctx: AppContext, snapshots: RoutingSnapshotLoader, principal: Principal, leadId: string, input: QualifyInput): Promise<LeadRecord> {
  if (!mayQualify(principal)) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Qualifiers, heads and administrators qualify leads');
  if (input.decision === 'qualified') await snapshots.warm(ctx.store.db, ctx.now());
  return await ctx.store.db.transaction().execute(async (trx) => {
    const found = await findLead(trx, leadId);
    // Heads do not see unowned leads in general, but those waiting for them here they do.
    const lead = found?.status === QUALIFICATION_STATUS ? found : await assertLeadVisible(trx, principal, found, leadId);
    if (lead.status !== QUALIFICATION_STATUS) throw new LeadRouterError('LR_ERR_CONFLICT', `The lead is not waiting for qualification (status ${lead.status})`);

    if (input.decision === 'junk') {
      const junkReason = await requireJunkReason(trx, input.junkReason);
      return await moveLeadStatus(ctx, trx, principal, { lead, to: 'junk', kind: 'junk', junkReason, comment: input.comment ?? null, topic: 'lead.status_changed', details: { qualification: 'junk' } });
    }

    const { now, at, snapshot, session } = await takeRoutingTurn(ctx, trx, snapshots);
    const decision = session.route({ lead: factsOfRecord(lead), at: at.getTime(), owner: lead.match ? ownerOf(lead.match) : null });
    await saveRoutingStates(trx, session.changedStates());
    const actor = actorName(principal);
    const toManagerId = decision.outcome === 'assigned' ? decision.managerId : null;
    await changeOwner(ctx, trx, {
      lead,
      toManagerId,
      via: 'qualification',
      actor,
      reason: input.comment ? `Qualified: ${input.comment}` : 'Qualified',
      trace: decision.trace,
      ruleId: decision.ruleId,
      ruleSetVersion: snapshot.ruleSetVersion,
      topic: toManagerId ? 'lead.assigned' : 'lead.pooled',
    });
    await recordDecisionTime(trx, at.toISOString());
    const qualifiedAt = now.toISOString();
    await trx.updateTable('leads').set({ qualified_at: qualifiedAt, qualified_by: actor }).where('id', '=', lead.id).execute();
    await appendEvents(trx, [{ id: ctx.newId(), leadId: lead.id, type: 'lead.qualified', actor, payload: { leadId: lead.id, comment: input.comment ?? null, routedTo: toManagerId }, createdAt: qualifiedAt }]);
    await recordAudit(ctx, trx, principal, [{ action: 'lead.qualified', entity: 'lead', entityId: lead.id, before: { status: lead.status, ownerId: null }, after: { ownerId: toManagerId, summary: decision.trace.summary } }]);
    await rearmSla(ctx, trx, [lead.id], now);
    return (await findLead(trx, lead.id)) as LeadRecord;
  });
}
