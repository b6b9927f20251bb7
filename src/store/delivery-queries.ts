import type { ExpressionBuilder, Kysely, Selectable, UpdateObject } from 'kysely';
import { chunkForInsert } from './chunk.js';
import type { DatabaseKind } from './database.js';
import { readJson, writeJson } from './json.js';
import type { Database, DeliveriesTable } from './schema.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** Ids per `IN (…)` list, well under SQLite's parameter limit. */
const ID_CHUNK = 5_000;

export interface NewDelivery {
  id: string;
  outboxId: string;
  topic: string;
  channel: string;
  recipient: string;
  payload: unknown;
  /** live when its message was fanned out fresh from the live lane; bulk otherwise. */
  lane?: 'live' | 'bulk';
}

export interface DeliveryRecord {
  id: string;
  outboxId: string;
  topic: string;
  channel: string;
  recipient: string;
  payload: unknown;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  /** While a dispatcher sends it: until when its claim keeps the others off. */
  claimedUntil: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

function toDelivery(r: Selectable<DeliveriesTable>): DeliveryRecord {
  return {
    id: r.id, outboxId: r.outbox_id, topic: r.topic, channel: r.channel, recipient: r.recipient, payload: readJson<unknown>(r.payload, null),
    status: r.status as DeliveryStatus, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, claimedUntil: r.claimed_until, lastError: r.last_error, deliveredAt: r.delivered_at, createdAt: r.created_at,
  };
}

/**
 * One row per message, channel and recipient: a message fanned out twice (a dispatcher whose
 * claim ran out while another took over) still makes each delivery once.
 */
export async function insertDeliveries(db: Kysely<Database>, deliveries: NewDelivery[], at: string): Promise<void> {
  const rows = deliveries.map((d) => ({
    id: d.id, outbox_id: d.outboxId, topic: d.topic, channel: d.channel, recipient: d.recipient, payload: writeJson(d.payload),
    status: 'pending', attempts: 0, next_attempt_at: at, claimed_until: null, last_error: null, delivered_at: null, created_at: at, lane: d.lane ?? 'bulk',
  }));
  for (const chunk of chunkForInsert(rows)) {
    await db.insertInto('deliveries').values(chunk).onConflict((oc) => oc.columns(['outbox_id', 'channel', 'recipient']).doNothing()).execute();
  }
}

/** Which channels a claim takes: the in-app ones are sent as one batch, the outside ones a few at a time. */
export type ChannelFilter = { only: string[] } | { except: string[] };

/**
 * Claims due pending deliveries like claimOutboxMessages: the row's conditions are checked again
 * as it is updated. `until` is also the claim's token: a later claim of the same row always
 * writes a later time (it can only start once this one has run out), so the completions below,
 * made on condition that the row still carries it, tell a claim that was taken over.
 */
export async function claimDueDeliveries(
  db: Kysely<Database>,
  kind: DatabaseKind,
  options: {
    now: string;
    until: string;
    limit: number;
    channels?: ChannelFilter;
    /** Only live deliveries due since then (the fresh ones), read from the lane's index however many others wait. */
    liveSince?: string;
  },
): Promise<DeliveryRecord[]> {
  const { now, until, limit, channels, liveSince } = options;
  if (limit <= 0) return [];
  const rows = await db
    // Materialized: evaluated once. As a plain `IN (subquery)` PostgreSQL may evaluate it again
    // while updating, find the rows just claimed no longer free, and claim more than `limit`.
    .with(
      (cte) => cte('due').materialized(),
      (qb) =>
        qb
          .selectFrom('deliveries')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .$if(liveSince !== undefined, (q) => q.where('lane', '=', 'live').where('next_attempt_at', '>=', liveSince as string))
          .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
          .$if(channels !== undefined && 'only' in channels, (q) => q.where('channel', 'in', (channels as { only: string[] }).only))
          .$if(channels !== undefined && 'except' in channels, (q) => q.where('channel', 'not in', (channels as { except: string[] }).except))
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(limit)
          .$if(kind === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .updateTable('deliveries')
    .set({ claimed_until: until })
    .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .returningAll()
    .execute();
  return rows.map(toDelivery).sort((a, b) => (a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : a.id < b.id ? -1 : 1));
}

/**
 * The completions below change a delivery only while it still carries the claim `claim`, and
 * return how many did: the others were taken over by another dispatcher (or an admin's retry).
 */
export async function markDeliveriesDelivered(db: Kysely<Database>, ids: string[], claim: string, at: string): Promise<number> {
  return await updateUnderClaim(db, ids, claim, (eb) => ({ status: 'delivered', delivered_at: at, attempts: eb('attempts', '+', 1), claimed_until: null, last_error: null }));
}

/** Gives back claims a failed pass still holds (see ClaimReleases): the deliveries are due again at once, no attempt used. */
export async function releaseDeliveryClaims(db: Kysely<Database>, ids: string[], claim: string): Promise<number> {
  return await updateUnderClaim(db, ids, claim, () => ({ claimed_until: null }));
}

/** A failed attempt: counted, with the error, and either another try at `retryAt` or, without one, failed for good. */
export async function recordDeliveryFailure(db: Kysely<Database>, id: string, claim: string, failure: { error: string; retryAt: string | null }): Promise<boolean> {
  const result = await db
    .updateTable('deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_error: failure.error.slice(0, 1000),
      claimed_until: null,
      ...(failure.retryAt ? { next_attempt_at: failure.retryAt } : { status: 'failed' }),
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('claimed_until', '=', claim)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Not an attempt at all (the channel is not configured here): waits without using up its retries. Returns how many still carried the claim. */
export async function postponeDeliveries(db: Kysely<Database>, ids: string[], claim: string, reason: string, until: string): Promise<number> {
  return await updateUnderClaim(db, ids, claim, () => ({ last_error: reason.slice(0, 1000), next_attempt_at: until, claimed_until: null }));
}

async function updateUnderClaim(db: Kysely<Database>, ids: string[], claim: string, changes: (eb: ExpressionBuilder<Database, 'deliveries'>) => UpdateObject<Database, 'deliveries'>): Promise<number> {
  let done = 0;
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const result = await db
      .updateTable('deliveries')
      .set(changes)
      .where('id', 'in', ids.slice(i, i + ID_CHUNK))
      .where('status', '=', 'pending')
      .where('claimed_until', '=', claim)
      .executeTakeFirst();
    done += Number(result.numUpdatedRows);
  }
  return done;
}

/**
 * Postpones due, unclaimed deliveries over `channel` to `until`, at most `limit` of them in one
 * statement (a backlog of a million is postponed over several passes, never in one long
 * statement that holds the database); returns how many.
 */
export async function postponeDueOnChannel(db: Kysely<Database>, channel: string, reason: string, now: string, until: string, limit = 1_000): Promise<number> {
  const result = await db
    .updateTable('deliveries')
    .set({ last_error: reason.slice(0, 1000), next_attempt_at: until, claimed_until: null })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('deliveries as due')
        .select('due.id')
        .where('due.channel', '=', channel)
        .where('due.status', '=', 'pending')
        .where('due.next_attempt_at', '<=', now)
        .where((w) => w.or([w('due.claimed_until', 'is', null), w('due.claimed_until', '<=', now)]))
        .limit(limit),
    )
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function failPendingDeliveriesTo(db: Kysely<Database>, channel: string, recipient: string, reason: string): Promise<void> {
  await db.updateTable('deliveries').set({ status: 'failed', last_error: reason, claimed_until: null }).where('channel', '=', channel).where('recipient', '=', recipient).where('status', '=', 'pending').execute();
}

export async function findDelivery(db: Kysely<Database>, id: string): Promise<DeliveryRecord | null> {
  const row = await db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toDelivery(row) : null;
}

/** Newest first; `before` is the id of the last row of the previous page (ids are time-ordered). */
export async function listDeliveries(db: Kysely<Database>, filter: { status?: DeliveryStatus; channel?: string; outboxId?: string; before?: string; limit: number }): Promise<DeliveryRecord[]> {
  const rows = await db
    .selectFrom('deliveries')
    .selectAll()
    .$if(filter.status !== undefined, (qb) => qb.where('status', '=', filter.status as string))
    .$if(filter.channel !== undefined, (qb) => qb.where('channel', '=', filter.channel as string))
    .$if(filter.outboxId !== undefined, (qb) => qb.where('outbox_id', '=', filter.outboxId as string))
    .$if(filter.before !== undefined, (qb) => qb.where('id', '<', filter.before as string))
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
  return rows.map(toDelivery);
}

/**
 * Puts a delivery back in the queue for now with a fresh set of retries; only one not yet
 * delivered and not being sent right now (its claim still runs), or it would go out twice.
 */
export async function requeueDelivery(db: Kysely<Database>, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: at, claimed_until: null })
    .where('id', '=', id)
    .where('status', '<>', 'delivered')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
