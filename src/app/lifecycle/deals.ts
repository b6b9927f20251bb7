import type { Kysely } from 'kysely';
import { isClosedDealStage, nextDealStage, withControlPoints, type DealStage } from '../../core/lifecycle/deals.js';
import { findDeal, listDeals, updateDealIfUnchanged, type DealRecord } from '../../store/deal-queries.js';
import { appendEvents } from '../../store/journal-queries.js';
import type { Database } from '../../store/schema.js';
import { leadScopeOf, type LeadScope } from '../access/lead-access.js';
import { actorName, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import { recordBonusTerms } from '../bonus/bonus-report.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { DealPatch } from './lifecycle-input.js';

/** Deals follow their people: a manager sees the deals they own or registered, a head the team's. */
function dealVisible(scope: LeadScope, deal: DealRecord): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'qualification':
      return false;
    case 'owners':
      return [deal.ownerId, deal.originatorId].some((id) => id !== null && scope.managerIds.has(id));
  }
}

async function loadVisibleDeal(db: Kysely<Database>, principal: Principal, id: string): Promise<DealRecord> {
  const deal = await findDeal(db, id);
  if (!deal || !dealVisible(await leadScopeOf(db, principal), deal)) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No deal with id ${id}`);
  return deal;
}

export async function getDeal(ctx: AppContext, principal: Principal, id: string): Promise<DealRecord> {
  return await loadVisibleDeal(ctx.store.db, principal, id);
}

export async function visibleDeals(ctx: AppContext, principal: Principal, filter: { stage?: DealStage; limit: number }): Promise<DealRecord[]> {
  const scope = await leadScopeOf(ctx.store.db, principal);
  if (scope.kind === 'qualification') return [];
  return await listDeals(ctx.store.db, { ...filter, ...(scope.kind === 'owners' ? { managerIds: [...scope.managerIds] } : {}) });
}

/** Moves a deal along its stages, records control points, or closes it won or lost. */
export async function changeDeal(ctx: AppContext, principal: Principal, id: string, patch: DealPatch): Promise<DealRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const before = await loadVisibleDeal(trx, principal, id);
    const next = nextDealStage(before.stage, { ...(patch.stage ? { stage: patch.stage } : {}), ...(patch.closed ? { closed: patch.closed } : {}) });
    if ('refused' in next) throw new LeadRouterError('LR_ERR_CONFLICT', next.refused);
    const at = ctx.now().toISOString();
    const after: DealRecord = {
      ...before,
      title: patch.title ?? before.title,
      amount: patch.amount === undefined ? before.amount : patch.amount,
      currency: patch.currency === undefined ? before.currency : (patch.currency?.toUpperCase() ?? null),
      stage: next.stage,
      controlPoints: patch.controlPoints ? withControlPoints(before.controlPoints, utcInstants(patch.controlPoints), reachedBy(principal, before)) : before.controlPoints,
      updatedAt: at,
      closedAt: before.closedAt ?? (isClosedDealStage(next.stage) ? at : null),
    };
    if (!(await updateDealIfUnchanged(trx, before, after))) throw new LeadRouterError('LR_ERR_CONFLICT', `Deal ${id} changed meanwhile; reload it and try again`);
    if (after.stage === 'won' && before.stage !== 'won') await recordBonusTerms(trx, after, at);
    const changed: string[] = (['title', 'amount', 'currency', 'stage'] as const).filter((k) => before[k] !== after[k]);
    if (JSON.stringify(before.controlPoints) !== JSON.stringify(after.controlPoints)) changed.push('controlPoints');
    const actor = actorName(principal);
    await appendEvents(trx, [{ id: ctx.newId(), leadId: before.leadId, type: 'deal.updated', actor, payload: { dealId: id, changed, stage: after.stage, amount: after.amount, controlPoints: after.controlPoints }, createdAt: at }]);
    await recordAudit(ctx, trx, principal, [{ action: 'deal.changed', entity: 'deal', entityId: id, before, after }]);
    return after;
  });
}

/** Who reached a control point being recorded: the manager recording it, else the deal's owner at that moment. */
function reachedBy(principal: Principal, deal: DealRecord): string | null {
  return principal.kind === 'user' && principal.role === 'manager' && principal.managerId ? principal.managerId : deal.ownerId;
}

/** Control points are stored as UTC instants, like every other time, whatever offset they were sent with. */
function utcInstants<K extends string>(points: Partial<Record<K, string | null | undefined>>): Partial<Record<K, string | null>> {
  const out: Partial<Record<K, string | null>> = {};
  for (const [key, value] of Object.entries(points) as Array<[K, string | null | undefined]>) {
    if (value !== undefined) out[key] = value === null ? null : new Date(value).toISOString();
  }
  return out;
}
