import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Serialises routing decisions for the rest of the transaction, across processes, by updating
 * the one row of routing_lock: on PostgreSQL the row lock is held until commit; on SQLite the
 * update takes the database write lock before anything is read, so a second process waits
 * (busy_timeout) instead of failing to upgrade a read transaction. Fairness state, caps and
 * idempotency checks then read what the previous decision committed.
 *
 * Returns the time of the latest committed decision, so a caller whose clock lags behind
 * another process's never writes a daily counter for a day that is already over.
 */
export async function takeRoutingLock(trx: Kysely<Database>): Promise<string | null> {
  const row = await trx
    .updateTable('routing_lock')
    .set({ decisions: sql`decisions + 1` })
    .where('id', '=', 1)
    .returning('last_decided_at')
    .executeTakeFirst();
  return row?.last_decided_at ?? null;
}

export async function recordDecisionTime(trx: Kysely<Database>, at: string): Promise<void> {
  await trx.updateTable('routing_lock').set({ last_decided_at: at }).where('id', '=', 1).execute();
}
