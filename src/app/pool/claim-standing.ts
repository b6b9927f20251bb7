import type { Kysely } from 'kysely';
import { CLAIM_WINDOW_MS, claimStanding, type ClaimStanding } from '../../core/pool/claim-limits.js';
import type { ManagerProfile } from '../../core/routing/manager-profile.js';
import { countClaimsSince } from '../../store/pool-queries.js';
import type { Database } from '../../store/schema.js';
import type { Principal, UserPrincipal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { loadProfiles } from '../transfers/recipient.js';
import { poolSettingsOf, teamOfPrincipal, type PoolSettingsView } from './pool-settings.js';

/** A signed-in person with a routing profile: the only one who claims from the pool. */
export type Claimer = UserPrincipal & { managerId: string };

export function requireClaimer(principal: Principal, refusal = 'Only a person with a manager profile claims leads from the pool'): Claimer {
  if (principal.kind !== 'user' || principal.managerId === null) throw new LeadRouterError('LR_ERR_FORBIDDEN', refusal);
  return principal as Claimer;
}

/** What the pool limits are judged on at `now`: the team's settings, the manager's profile with its loads, the claims in the window. */
export interface ClaimerState {
  settings: PoolSettingsView;
  manager: ManagerProfile;
  recentClaims: number;
}

/** Loads the claimer's state as a claim checks it; a switched-off profile is refused (403). */
export async function loadClaimerState(db: Kysely<Database>, claimer: Claimer, now: Date): Promise<ClaimerState> {
  const settings = await poolSettingsOf(db, await teamOfPrincipal(db, claimer));
  const manager = (await loadProfiles(db, now)).get(claimer.managerId);
  if (!manager) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Your manager profile is switched off; ask the head to switch it on');
  const recentClaims = await countClaimsSince(db, claimer.managerId, new Date(now.getTime() - CLAIM_WINDOW_MS).toISOString());
  return { settings, manager, recentClaims };
}

export interface PoolStanding extends ClaimStanding {
  managerId: string;
}

/** What the caller may still take from the pool now: claims left in the rolling hour, and the loads the caps are checked against. */
export async function poolStanding(ctx: AppContext, principal: Principal): Promise<PoolStanding> {
  const claimer = requireClaimer(principal, 'The pool standing belongs to a person with a manager profile; API keys and people without one claim nothing from the pool');
  const state = await loadClaimerState(ctx.store.db, claimer, ctx.now());
  return { managerId: claimer.managerId, ...claimStanding(state.settings, state.recentClaims, state.manager) };
}
