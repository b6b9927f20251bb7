import type { Kysely } from 'kysely';
import { managerLocalDate } from '../../core/routing/availability.js';
import { refusalToTake } from '../../core/routing/can-take-leads.js';
import { exclusionPhrase } from '../../core/routing/explain-exclusion.js';
import type { ManagerProfile } from '../../core/routing/manager-profile.js';
import type { StateChange } from '../../core/routing/routing-session.js';
import type { DecisionTrace, Exclusion } from '../../core/routing/trace.js';
import type { LeadRecord } from '../../store/lead-queries.js';
import { findManagerRow, loadManagerProfiles } from '../../store/manager-queries.js';
import type { Database } from '../../store/schema.js';
import { LeadRouterError } from '../errors.js';
import { factsOfRecord } from '../intake/prepare-lead.js';
import { RoutingSnapshotLoader } from '../routing/routing-snapshot.js';
import { routingSessionOf } from '../routing/routing-turn.js';

/** Why a recipient failed the check: a routing exclusion, or a profile switched off. */
export type RecipientRefusal = Exclusion | { kind: 'inactive' };

export interface RecipientOutcome {
  profile: ManagerProfile;
  /** The check that failed and was overridden, recorded with the override's reason. */
  overridden: RecipientRefusal | null;
}

/** Active managers as routing sees them at `at` (loads, caps, absences, hours). */
export async function loadProfiles(db: Kysely<Database>, at: Date): Promise<Map<string, ManagerProfile>> {
  const profiles = await loadManagerProfiles(db, {
    absencesSince: new Date(at.getTime() - 86_400_000).toISOString().slice(0, 10),
    localDateOf: (timeZone) => managerLocalDate({ timeZone }, at.getTime()),
    performance: new Map(),
  });
  return new Map(profiles.map((p) => [p.id as string, p]));
}

/**
 * Checks that a manager can take `count` more leads now: active, not paused, not away, within
 * working hours, under both caps. A failing check is a 422 naming it, unless the head sends an
 * override with a reason; a switched-off profile cannot be overridden.
 */
export async function assertRecipientCanTake(
  db: Kysely<Database>,
  managerId: string,
  at: Date,
  options: { count: number; override: { reason: string } | undefined; path?: string },
): Promise<RecipientOutcome> {
  const path = options.path ?? 'toManagerId';
  const profile = (await loadProfiles(db, at)).get(managerId);
  if (!profile) {
    const row = await findManagerRow(db, managerId);
    if (!row) throw new LeadRouterError('LR_ERR_VALIDATION', `No manager with id ${managerId}`, [{ path, code: 'unknown_manager', message: `no manager with id ${managerId}` }]);
    throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `${row.name} is switched off and cannot take leads`, [{ path, code: 'inactive', message: `${row.name} is switched off` }]);
  }
  const refusal = refusalToTake(profile, at.getTime(), { count: options.count });
  if (!refusal) return { profile, overridden: null };
  if (options.override) return { profile, overridden: refusal };
  const text = refusalText(profile, refusal, options.count);
  throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `${text}; send override {reason} to hand over anyway`, [{ path, code: refusal.kind, message: text }]);
}

export function refusalText(profile: Pick<ManagerProfile, 'name'>, refusal: RecipientRefusal, count: number): string {
  if (refusal.kind === 'inactive') return `${profile.name} is switched off`;
  if (refusal.kind === 'open_cap' && count > 1) return `${profile.name} has ${refusal.open} open leads; ${count} more would pass the limit of ${refusal.max}`;
  if (refusal.kind === 'daily_cap' && count > 1) return `${profile.name} got ${refusal.today} leads today; ${count} more would pass the daily limit of ${refusal.max}`;
  return `${profile.name} cannot take a lead now: ${exclusionPhrase(refusal)}`;
}

export interface RoutedRecipient {
  managerId: string;
  trace: DecisionTrace;
  /** Fairness state to save if the lead really goes to this manager. */
  states: StateChange[];
}

/**
 * The manager the published rules would give this lead to now, the current owner left out;
 * null when the rules would send it to the pool. Call under the routing lock.
 */
export async function routeToNextManager(db: Kysely<Database>, lead: LeadRecord, at: Date): Promise<RoutedRecipient | null> {
  const snapshot = await new RoutingSnapshotLoader().load(db, at);
  const session = routingSessionOf(snapshot);
  const excluded = new Set(lead.ownerId ? [lead.ownerId] : []) as ReadonlySet<string> as ReadonlySet<ManagerProfile['id']>;
  const decision = session.route({ lead: factsOfRecord(lead), at: at.getTime(), owner: null, excludeManagers: excluded });
  // A fallback to a named manager may name the owner again: that is no transfer.
  if (decision.outcome !== 'assigned' || decision.managerId === lead.ownerId) return null;
  return { managerId: decision.managerId, trace: decision.trace, states: session.changedStates() };
}
