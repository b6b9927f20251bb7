import type { Kysely } from 'kysely';
import { isClosedDealStage } from '../../core/lifecycle/deals.js';
import { findDeal, type DealRecord } from '../../store/deal-queries.js';
import { appendEvents } from '../../store/journal-queries.js';
import { findLead } from '../../store/lead-queries.js';
import { findManagerStanding, updateDealPeople, updateLeadOriginator } from '../../store/originator-queries.js';
import type { Database } from '../../store/schema.js';
import { assertLeadVisible, leadScopeOf } from '../access/lead-access.js';
import { actorName, isAdmin, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import { leadDetailsOf, type LeadDetails } from './read-leads.js';

/**
 * Correcting who brought a client in, and handing a deal to the colleague who will close it.
 * Every change names its reason, goes to the audit log (before, after, reason) and to the lead's
 * timeline. The originator of a lead or deal is corrected by a head (own team) or an admin; a deal
 * is handed over by its owner, the team's head or an admin, while it is open.
 */
export interface PeopleChange {
  managerId: string | null;
  reason: string;
}

/** Who may correct originators: an admin (or the system, or an admin API key), or a head. */
function assertCorrector(principal: Principal): void {
  if (isAdmin(principal)) return;
  if (principal.kind === 'user' && principal.role === 'head') return;
  throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Only a head of sales or an admin corrects who brought a client in');
}

/**
 * The manager a change names: an active manager (422 otherwise), of the head's own team when a
 * head names them (403 otherwise).
 */
async function checkNamedManager(db: Kysely<Database>, principal: Principal, managerId: string): Promise<{ teamId: string | null; name: string }> {
  const standing = await findManagerStanding(db, managerId);
  if (!standing) throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `No manager with id ${managerId}`, [{ path: 'managerId', code: 'unknown_manager', message: `no manager with id ${managerId}` }]);
  if (!standing.active) throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `The manager ${standing.name} is deactivated`, [{ path: 'managerId', code: 'inactive_manager', message: `${standing.name} is deactivated` }]);
  if (principal.kind === 'user' && !isAdmin(principal)) {
    const sameTeam = principal.teamId !== null && principal.teamId === standing.teamId;
    if (!sameTeam && principal.managerId !== managerId) {
      throw new LeadRouterError('LR_ERR_FORBIDDEN', principal.role === 'head' ? 'A head names managers of the own team only' : 'A deal is handed to a colleague of your team only');
    }
  }
  return standing;
}

export async function setLeadOriginator(ctx: AppContext, principal: Principal, leadId: string, change: PeopleChange): Promise<LeadDetails> {
  assertCorrector(principal);
  const lead = await ctx.store.db.transaction().execute(async (trx) => {
    const before = await assertLeadVisible(trx, principal, await findLead(trx, leadId), leadId);
    if (change.managerId !== null) await checkNamedManager(trx, principal, change.managerId);
    if (before.originatorId === change.managerId) return before;
    const at = ctx.now().toISOString();
    if (!(await updateLeadOriginator(trx, leadId, before.updatedAt, change.managerId, at))) throw new LeadRouterError('LR_ERR_CONFLICT', `Lead ${leadId} changed meanwhile; reload it and try again`);
    await appendEvents(trx, [
      { id: ctx.newId(), leadId, type: 'lead.originator_changed', actor: actorName(principal), payload: { leadId, fromManagerId: before.originatorId, managerId: change.managerId, reason: change.reason }, createdAt: at },
    ]);
    await recordAudit(ctx, trx, principal, [
      { action: 'lead.originator_changed', entity: 'lead', entityId: leadId, before: { originatorId: before.originatorId }, after: { originatorId: change.managerId, reason: change.reason } },
    ]);
    return { ...before, originatorId: change.managerId, updatedAt: at };
  });
  return await leadDetailsOf(ctx, lead);
}

/** Deals follow their people: as in deals.ts, a manager sees the deals they own or registered, a head the team's. */
async function loadVisibleDeal(db: Kysely<Database>, principal: Principal, id: string): Promise<DealRecord> {
  const deal = await findDeal(db, id);
  const scope = await leadScopeOf(db, principal);
  const visible =
    deal !== undefined &&
    (scope.kind === 'all' || (scope.kind === 'owners' && [deal.ownerId, deal.originatorId].some((m) => m !== null && scope.managerIds.has(m))));
  if (!visible) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No deal with id ${id}`);
  return deal;
}

export async function setDealOriginator(ctx: AppContext, principal: Principal, dealId: string, change: PeopleChange): Promise<DealRecord> {
  assertCorrector(principal);
  return await ctx.store.db.transaction().execute(async (trx) => {
    const before = await loadVisibleDeal(trx, principal, dealId);
    if (change.managerId !== null) await checkNamedManager(trx, principal, change.managerId);
    if (before.originatorId === change.managerId) return before;
    const at = ctx.now().toISOString();
    if (!(await updateDealPeople(trx, dealId, before.updatedAt, { originatorId: change.managerId }, at))) throw new LeadRouterError('LR_ERR_CONFLICT', `Deal ${dealId} changed meanwhile; reload it and try again`);
    await appendEvents(trx, [
      { id: ctx.newId(), leadId: before.leadId, type: 'deal.originator_changed', actor: actorName(principal), payload: { dealId, fromManagerId: before.originatorId, managerId: change.managerId, reason: change.reason }, createdAt: at },
    ]);
    await recordAudit(ctx, trx, principal, [
      { action: 'deal.originator_changed', entity: 'deal', entityId: dealId, before: { originatorId: before.originatorId }, after: { originatorId: change.managerId, reason: change.reason } },
    ]);
    return { ...before, originatorId: change.managerId, updatedAt: at };
  });
}

/** Hands an open deal to the colleague who will close it (the closer is the owner when it is won). */
export async function handOverDeal(ctx: AppContext, principal: Principal, dealId: string, change: { managerId: string; reason: string }): Promise<DealRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const before = await loadVisibleDeal(trx, principal, dealId);
    const mayHand = isAdmin(principal) || (principal.kind === 'user' && (principal.role === 'head' || (principal.managerId !== null && principal.managerId === before.ownerId)));
    if (!mayHand) throw new LeadRouterError('LR_ERR_FORBIDDEN', "A deal is handed over by its owner, the team's head or an admin");
    if (isClosedDealStage(before.stage)) throw new LeadRouterError('LR_ERR_CONFLICT', `The deal is closed (${before.stage}); a closed deal keeps the owner who closed it`);
    await checkNamedManager(trx, principal, change.managerId);
    if (before.ownerId === change.managerId) throw new LeadRouterError('LR_ERR_CONFLICT', 'The deal already belongs to this manager');
    const at = ctx.now().toISOString();
    if (!(await updateDealPeople(trx, dealId, before.updatedAt, { ownerId: change.managerId }, at))) throw new LeadRouterError('LR_ERR_CONFLICT', `Deal ${dealId} changed meanwhile; reload it and try again`);
    await appendEvents(trx, [
      { id: ctx.newId(), leadId: before.leadId, type: 'deal.owner_changed', actor: actorName(principal), payload: { dealId, fromManagerId: before.ownerId, managerId: change.managerId, reason: change.reason }, createdAt: at },
    ]);
    await recordAudit(ctx, trx, principal, [
      { action: 'deal.owner_changed', entity: 'deal', entityId: dealId, before: { ownerId: before.ownerId }, after: { ownerId: change.managerId, reason: change.reason } },
    ]);
    return { ...before, ownerId: change.managerId, updatedAt: at };
  });
}
