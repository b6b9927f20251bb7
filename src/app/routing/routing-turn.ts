import type { Kysely } from 'kysely';
import { createRoutingSession } from '../../core/routing/create-routing-session.js';
import type { RuleSetDefinition } from '../../core/routing/rule-set.js';
import type { RoutingSession } from '../../core/routing/routing-session.js';
import { takeRoutingLock } from '../../store/routing-lock.js';
import type { Database } from '../../store/schema.js';
import type { AppContext } from '../app-context.js';
import type { RoutingSnapshot, RoutingSnapshotLoader } from './routing-snapshot.js';

/** The caller's turn to route: the routing lock is held until its transaction ends. */
export interface RoutingTurn {
  /** The caller's clock, read after the lock. */
  now: Date;
  /** When the decisions count: `now`, or the latest committed decision if another process's clock runs ahead. */
  at: Date;
  snapshot: RoutingSnapshot;
  /** Routes against the published rules, the managers and the fairness state of `snapshot`. */
  session: RoutingSession;
}

/**
 * Takes the routing lock and loads what routing decides from, so that intake and qualification
 * route a lead exactly alike. Warm `snapshots` before the transaction: the lock is then held
 * only for the decisions. The caller routes, then writes the decisions, the session's changed
 * states and the decision time in the same transaction.
 */
export async function takeRoutingTurn(ctx: AppContext, trx: Kysely<Database>, snapshots: RoutingSnapshotLoader): Promise<RoutingTurn> {
  const lastDecidedAt = await takeRoutingLock(trx);
  // Read after the lock: a process that waited must not decide in the past of one that did not.
  const now = ctx.now();
  const at = lastDecidedAt && Date.parse(lastDecidedAt) > now.getTime() ? new Date(lastDecidedAt) : now;
  const snapshot = await snapshots.load(trx, at);
  return { now, at, snapshot, session: routingSessionOf(snapshot) };
}

/** A session over the snapshot, by its published rules unless another rule set is given (the SLA's reassignment rules). */
export function routingSessionOf(snapshot: RoutingSnapshot, ruleSet: RuleSetDefinition = snapshot.ruleSet): RoutingSession {
  return createRoutingSession({
    ruleSet,
    ruleSetVersion: snapshot.ruleSetVersion,
    managers: snapshot.managers,
    states: snapshot.states,
    priorConversionRate: snapshot.priorConversionRate,
    teamTimeZones: snapshot.teamTimeZones,
    defaultTimeZone: snapshot.defaultTimeZone,
  });
}
