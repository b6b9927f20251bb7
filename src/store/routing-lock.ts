import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from './database.js';
import type { Database } from './schema.js';

// An arbitrary constant naming the one routing lock in pg_locks.
const ROUTING_LOCK_KEY = 727_001;

/**
 * Serialises routing decisions across processes for the rest of the transaction, so fairness
 * state, caps and idempotency checks read what the previous decision committed. On SQLite the
 * single writer connection already serialises transactions.
 */
export async function takeRoutingLock(trx: Kysely<Database>, kind: DatabaseKind): Promise<void> {
  if (kind === 'postgres') await sql`select pg_advisory_xact_lock(${ROUTING_LOCK_KEY})`.execute(trx);
}
