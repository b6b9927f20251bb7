import { findLead, OPEN_LEAD_EXCLUDED_STATUSES, type LeadRecord } from '../../store/lead-queries.js';
import { takeRoutingLock } from '../../store/routing-lock.js';
import { assertLeadVisible } from '../access/lead-access.js';
import { actorName, isAdmin, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import { changeOwner } from '../leads/change-owner.js';
import { rearmSla } from '../sla/sla-clock.js';
import { cancelPendingTransfers } from '../transfers/pending-transfers.js';

/** The owner gives a lead up to the pool with a reason; the team's head hears of it. A head of the team or an admin may do it too. */
export async function releaseLead(ctx: AppContext, principal: Principal, leadId: string, input: { reason: string }): Promise<LeadRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    await takeRoutingLock(trx);
    const lead = await assertLeadVisible(trx, principal, await findLead(trx, leadId), leadId);
    if (!lead.ownerId) throw new LeadRouterError('LR_ERR_CONFLICT', `Lead ${leadId} has no owner; it is already in the pool or waiting for qualification`);
    if ((OPEN_LEAD_EXCLUDED_STATUSES as readonly string[]).includes(lead.status)) throw new LeadRouterError('LR_ERR_CONFLICT', `Lead ${leadId} is closed (${lead.status})`);
    const mayRelease = principal.kind !== 'user' || isAdmin(principal) || principal.role === 'head' || principal.managerId === lead.ownerId;
    if (!mayRelease) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Only the owner of the lead releases it to the pool');
    const now = ctx.now();
    await cancelPendingTransfers(ctx, trx, principal, [lead.id], 'The lead was released to the pool');
    const released = await changeOwner(ctx, trx, {
      lead,
      toManagerId: null,
      via: 'release',
      actor: actorName(principal),
      reason: input.reason,
      topic: 'lead.pooled',
      audience: { headsOf: [lead.ownerId] },
    });
    await rearmSla(ctx, trx, [lead.id], now);
    await recordAudit(ctx, trx, principal, [{ action: 'lead.released', entity: 'lead', entityId: lead.id, before: { ownerId: lead.ownerId, status: lead.status }, after: { ownerId: null, status: released.status, reason: input.reason } }]);
    return (await findLead(trx, lead.id)) ?? released;
  });
}
