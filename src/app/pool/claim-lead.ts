import type { Kysely } from 'kysely';
import { claimRefusal, type ClaimRefusal } from '../../core/pool/claim-limits.js';
import { exclusionPhrase } from '../../core/routing/explain-exclusion.js';
import { moveOpenTasks } from '../../store/handover-queries.js';
import { findLead, type LeadRecord } from '../../store/lead-queries.js';
import { latestAssignmentVia, listPoolLeads } from '../../store/pool-queries.js';
import { takeRoutingLock } from '../../store/routing-lock.js';
import type { Database } from '../../store/schema.js';
import { POOL_STATUS, scopeAllows, leadScopeOf } from '../access/lead-access.js';
import { actorName, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { isLeadRouterError, LeadRouterError } from '../errors.js';
import { changeOwner } from '../leads/change-owner.js';
import { rearmSla } from '../sla/sla-clock.js';
import { loadClaimerState, requireClaimer, type Claimer } from './claim-standing.js';

/** How many leads take-next tries when another claim got there first. */
const TAKE_NEXT_ATTEMPTS = 5;

/**
 * A manager takes a lead from the pool. Exactly one of two simultaneous claims wins: both wait
 * for the routing lock, and the second then finds the lead owned (409 "already claimed");
 * changeOwner's version check guards the same from any writer that skips the lock.
 */
export async function claimLead(ctx: AppContext, principal: Principal, leadId: string): Promise<LeadRecord> {
  const claimer = requireClaimer(principal);
  return await ctx.store.db.transaction().execute(async (trx) => {
    await takeRoutingLock(trx);
    const lead = await findLead(trx, leadId);
    if (!lead) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No lead with id ${leadId}`);
    if (lead.ownerId !== null || lead.status !== POOL_STATUS) throw await notInPool(trx, principal, lead);
    await assertMayClaim(ctx, trx, claimer, true);
    return await claim(ctx, trx, claimer, lead, 'picked');
  });
}

/** The next lead in the team's order (oldest, or highest score), for teams that do not pick. */
export async function takeNextLead(ctx: AppContext, principal: Principal): Promise<LeadRecord> {
  const claimer = requireClaimer(principal);
  return await ctx.store.db.transaction().execute(async (trx) => {
    await takeRoutingLock(trx);
    const settings = await assertMayClaim(ctx, trx, claimer, false);
    const skip: string[] = [];
    for (let attempt = 0; attempt < TAKE_NEXT_ATTEMPTS; attempt++) {
      const [next] = await listPoolLeads(trx, settings.order, { limit: 1, skip });
      if (!next) throw new LeadRouterError('LR_ERR_NOT_FOUND', 'The pool is empty');
      try {
        return await claim(ctx, trx, claimer, next, 'take_next');
      } catch (error) {
        // Someone else's claim got there first: take the one after it.
        if (!isLeadRouterError(error) || error.code !== 'LR_ERR_CONFLICT') throw error;
        skip.push(next.id);
      }
    }
    throw new LeadRouterError('LR_ERR_CONFLICT', 'Other managers are taking the same leads right now; try again');
  });
}

/**
 * The loser of a claim race learns that the lead was claimed (409): every salesperson could see
 * it in the pool a moment ago. Any other lead the caller may not see answers 404, so claims
 * cannot probe which ids exist.
 */
async function notInPool(db: Kysely<Database>, principal: Principal, lead: LeadRecord): Promise<LeadRouterError> {
  if (scopeAllows(await leadScopeOf(db, principal), lead) || (await latestAssignmentVia(db, lead.id)) === 'claim') return alreadyClaimed(lead.id);
  return new LeadRouterError('LR_ERR_NOT_FOUND', `No lead with id ${lead.id}`);
}

function alreadyClaimed(leadId: string): LeadRouterError {
  return new LeadRouterError('LR_ERR_CONFLICT', `Lead ${leadId} was already claimed or is no longer in the pool`);
}

/** Refuses a claim over the team's limits; returns the team's pool settings. */
async function assertMayClaim(ctx: AppContext, trx: Kysely<Database>, claimer: Claimer, picking: boolean) {
  const now = ctx.now();
  const { settings, manager, recentClaims } = await loadClaimerState(trx, claimer, now);
  const refusal = claimRefusal({ settings, picking, recentClaims, manager, at: now.getTime() });
  if (refusal) throw refusalError(refusal);
  return settings;
}

function refusalError(refusal: ClaimRefusal): LeadRouterError {
  switch (refusal.kind) {
    case 'take_next_only':
      return new LeadRouterError('LR_ERR_FORBIDDEN', 'Your team takes pool leads in order: use POST /api/v1/pool/take-next instead of picking', [
        { path: 'leadId', code: 'take_next_only', message: 'picking from the pool is switched off for your team' },
      ]);
    case 'rate':
      // The limit counts the last hour, so an hour from now is the latest a claim is possible again.
      return Object.assign(new LeadRouterError('LR_ERR_RATE_LIMITED', `You claimed ${refusal.claims} leads in the last hour, the most allowed (${refusal.max}); try again later`), { retryAfterSeconds: 3600 });
    case 'capacity':
      return new LeadRouterError('LR_ERR_UNPROCESSABLE', `You cannot take more leads: ${exclusionPhrase(refusal.exclusion)}; close or hand over some first`, [
        { path: 'managerId', code: refusal.exclusion.kind, message: exclusionPhrase(refusal.exclusion) },
      ]);
  }
}

async function claim(ctx: AppContext, trx: Kysely<Database>, claimer: Claimer, lead: LeadRecord, how: 'picked' | 'take_next'): Promise<LeadRecord> {
  const now = ctx.now();
  let claimed: LeadRecord;
  try {
    claimed = await changeOwner(ctx, trx, {
      lead,
      toManagerId: claimer.managerId,
      via: 'claim',
      actor: actorName(claimer),
      reason: how === 'picked' ? 'Claimed from the pool' : 'Took the next lead from the pool',
      topic: 'lead.claimed',
      details: { how },
    });
  } catch (error) {
    if (isLeadRouterError(error) && error.code === 'LR_ERR_CONFLICT') throw alreadyClaimed(lead.id);
    throw error;
  }
  await moveOpenTasks(trx, [lead.id], claimer.managerId, now.toISOString());
  await rearmSla(ctx, trx, [lead.id], now);
  await recordAudit(ctx, trx, claimer, [{ action: 'lead.claimed', entity: 'lead', entityId: lead.id, before: { ownerId: null, status: lead.status }, after: { ownerId: claimer.managerId, how } }]);
  return (await findLead(trx, lead.id)) ?? claimed;
}
