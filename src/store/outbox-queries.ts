import type { Kysely } from 'kysely';
import type { DatabaseKind } from './database.js';
import type { Database } from './schema.js';

export interface ClaimedOutboxMessage {
  id: string;
  topic: string;
  /** As stored: parsed by the caller, so one unreadable message does not stop the batch. */
  payloadJson: string;
  createdAt: string;
  attempts: number;
  lane: string;
}

/**
 * Claims up to `limit` messages that are due and not yet fanned out, by setting claimed_until:
 * the conditions are checked again on the row being updated, so of two dispatchers racing for
 * a message exactly one gets it. PostgreSQL skips rows another dispatcher has locked instead
 * of waiting for them.
 */
export async function claimOutboxMessages(
  db: Kysely<Database>,
  kind: DatabaseKind,
  options: {
    now: string;
    until: string;
    limit: number;
    /** Only the live lane's messages due since then (the fresh ones): read from the lane's index, a few entries however large the backlog. */
    liveSince?: string;
  },
): Promise<ClaimedOutboxMessage[]> {
  const { now, until, limit, liveSince } = options;
  if (limit <= 0) return [];
  const rows = await db
    // Materialized: evaluated once. As a plain `IN (subquery)` PostgreSQL may evaluate it again
    // while updating, find the rows just claimed no longer free, and claim more than `limit`.
    .with(
      (cte) => cte('due').materialized(),
      (qb) =>
        qb
          .selectFrom('outbox')
          .select('id')
          .where('delivered_at', 'is', null)
          .where('available_at', '<=', now)
          .$if(liveSince !== undefined, (q) => q.where('lane', '=', 'live').where('available_at', '>=', liveSince as string))
          .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
          .orderBy('available_at')
          .orderBy('id')
          .limit(limit)
          .$if(kind === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .updateTable('outbox')
    .set({ claimed_until: until })
    .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
    .where('delivered_at', 'is', null)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .returning(['id', 'topic', 'payload', 'created_at', 'attempts', 'lane'])
    .execute();
  return rows
    .map((r) => ({ id: r.id, topic: r.topic, payloadJson: r.payload, createdAt: r.created_at, attempts: r.attempts, lane: r.lane }))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
}

/** All of a pass's messages in one statement. */
export async function markOutboxFannedOut(db: Kysely<Database>, ids: string[], at: string): Promise<void> {
  // Chunked to stay under SQLite's parameter limit whatever the pass size.
  for (let i = 0; i < ids.length; i += 5_000) {
    await db.updateTable('outbox').set({ delivered_at: at, claimed_until: null, last_error: null }).where('id', 'in', ids.slice(i, i + 5_000)).execute();
  }
}

/** Gives back claims a failed pass still holds (see ClaimReleases): only messages not fanned out that still carry that claim. */
export async function releaseOutboxClaims(db: Kysely<Database>, ids: string[], claim: string): Promise<number> {
  let released = 0;
  for (let i = 0; i < ids.length; i += 5_000) {
    const result = await db
      .updateTable('outbox')
      .set({ claimed_until: null })
      .where('id', 'in', ids.slice(i, i + 5_000))
      .where('delivered_at', 'is', null)
      .where('claimed_until', '=', claim)
      .executeTakeFirst();
    released += Number(result.numUpdatedRows);
  }
  return released;
}

/** A message that could not be fanned out (its payload is unreadable, the database hiccuped) waits and is tried again. */
export async function deferOutboxMessage(db: Kysely<Database>, id: string, error: string, availableAt: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 1000), available_at: availableAt, claimed_until: null }))
    .where('id', '=', id)
    .execute();
}
