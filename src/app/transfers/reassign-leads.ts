import type { FieldIssue } from '../errors.js';
import { moveOpenTasks } from '../../store/handover-queries.js';
import { findLeadsByIds, OPEN_LEAD_EXCLUDED_STATUSES, type LeadRecord } from '../../store/lead-queries.js';
import { findManagerRow } from '../../store/manager-queries.js';
import { takeRoutingLock } from '../../store/routing-lock.js';
import { leadScopeOf, scopeAllows } from '../access/lead-access.js';
import { actorName, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import { changeOwner } from '../leads/change-owner.js';
import { rearmSla } from '../sla/sla-clock.js';
import { cancelPendingTransfers } from './pending-transfers.js';
import { assertRecipientCanTake } from './recipient.js';
import { runsTeam } from './transfer-access.js';
import type { BulkReassignInput } from './transfer-input.js';

export interface ReassignOutcome {
  toManagerId: string;
  items: Array<{ leadId: string; fromManagerId: string | null }>;
  /** The recipient check that failed and was overridden, if one did. */
  overriddenCheck: string | null;
}

type LeadProblem = { leadId: string; code: 'not_found' | 'closed' | 'same_owner'; message: string };

/**
 * The head hands leads to a manager directly: one lead, or up to 500 at once, all or none.
 * A head works within the team (leads the team owns or the pool, a recipient in the team); an
 * admin anywhere. The recipient's capacity counts the whole batch; an override with a reason
 * hands over anyway and is recorded.
 */
export async function reassignLeads(ctx: AppContext, principal: Principal, input: BulkReassignInput, single = false): Promise<ReassignOutcome> {
  const leadIds = [...new Set(input.leadIds)];
  return await ctx.store.db.transaction().execute(async (trx) => {
    await takeRoutingLock(trx);
    const now = ctx.now();
    const recipient = await findManagerRow(trx, input.toManagerId);
    if (!recipient) {
      throw new LeadRouterError('LR_ERR_VALIDATION', `No manager with id ${input.toManagerId}`, [{ path: 'toManagerId', code: 'unknown_manager', message: `no manager with id ${input.toManagerId}` }]);
    }
    if (!runsTeam(principal, recipient.team_id)) {
      throw new LeadRouterError('LR_ERR_FORBIDDEN', 'A head reassigns leads only to managers of the own team', [
        { path: 'toManagerId', code: 'other_team', message: 'the manager is not in your team' },
      ]);
    }
    const found = new Map((await findLeadsByIds(trx, leadIds)).map((l) => [l.id, l]));
    const scope = await leadScopeOf(trx, principal);
    const problems: LeadProblem[] = [];
    const leads: LeadRecord[] = [];
    for (const id of leadIds) {
      const lead = found.get(id);
      if (!lead || !scopeAllows(scope, lead)) problems.push({ leadId: id, code: 'not_found', message: `no lead with id ${id}` });
      else if ((OPEN_LEAD_EXCLUDED_STATUSES as readonly string[]).includes(lead.status)) problems.push({ leadId: id, code: 'closed', message: `lead ${id} is closed (${lead.status})` });
      else if (lead.ownerId === input.toManagerId) problems.push({ leadId: id, code: 'same_owner', message: `lead ${id} already belongs to ${input.toManagerId}` });
      else leads.push(lead);
    }
    if (problems.length > 0) throw problemError(problems, single, input.leadIds);

    const { overridden } = await assertRecipientCanTake(trx, input.toManagerId, now, { count: leads.length, override: input.override });
    const actor = actorName(principal);
    const ids = leads.map((l) => l.id);
    await cancelPendingTransfers(ctx, trx, principal, ids, 'The head reassigned the lead');
    for (const lead of leads) {
      await changeOwner(ctx, trx, {
        lead,
        toManagerId: input.toManagerId,
        via: 'reassign',
        actor,
        reason: input.reason,
        topic: 'lead.reassigned',
        audience: { managers: lead.ownerId ? [lead.ownerId] : [] },
        details: { batch: leads.length, overrideReason: overridden ? (input.override?.reason ?? null) : null },
        // A lead from the pool starts fresh; an owned one keeps its stage.
        ...(lead.ownerId ? { status: lead.status } : {}),
      });
    }
    await moveOpenTasks(trx, ids, input.toManagerId, now.toISOString());
    await rearmSla(ctx, trx, ids, now);
    const override = overridden ? { reason: input.override?.reason, failedCheck: overridden } : null;
    await recordAudit(
      ctx,
      trx,
      principal,
      leads.map((l) => ({ action: 'lead.reassigned', entity: 'lead', entityId: l.id, before: { ownerId: l.ownerId, status: l.status }, after: { ownerId: input.toManagerId, reason: input.reason, override } })),
    );
    return { toManagerId: input.toManagerId, items: leads.map((l) => ({ leadId: l.id, fromManagerId: l.ownerId })), overriddenCheck: overridden?.kind ?? null };
  });
}

/** One lead gets the answer its problem deserves; a batch gets every problem listed, path by path. */
function problemError(problems: LeadProblem[], single: boolean, requested: string[]): LeadRouterError {
  const first = problems[0] as LeadProblem;
  if (single) {
    if (first.code === 'not_found') return new LeadRouterError('LR_ERR_NOT_FOUND', `No lead with id ${first.leadId}`);
    if (first.code === 'closed') return new LeadRouterError('LR_ERR_CONFLICT', `Lead ${first.leadId} is closed and cannot be reassigned`);
    return new LeadRouterError('LR_ERR_VALIDATION', 'The lead already belongs to this manager', [{ path: 'toManagerId', code: 'same_owner', message: first.message }]);
  }
  const details: FieldIssue[] = problems.map((p) => ({ path: `leadIds[${requested.indexOf(p.leadId)}]`, code: p.code, message: p.message }));
  return new LeadRouterError('LR_ERR_UNPROCESSABLE', `${problems.length} of ${requested.length} leads cannot be reassigned; nothing was changed`, details);
}
