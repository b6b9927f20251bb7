import { sql, type Kysely } from 'kysely';

/**
 * Lanes for the outbox and the deliveries: `live` for person-facing messages that matter now (a
 * lead assigned, an SLA warning, a pool offer), `bulk` for everything else. The dispatcher takes
 * the due live ones of the last minutes first, then works the rest oldest first in bounded
 * slices, so a fresh lead's notification never waits behind a backlog. Rows written before
 * count as bulk. The partial indexes hold only what is still waiting: the live slice reads a
 * few entries however large the backlog, and the metrics count each lane's backlog from them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('lane', 'text', (c) => c.notNull().defaultTo('bulk')).execute();
  await db.schema.alterTable('deliveries').addColumn('lane', 'text', (c) => c.notNull().defaultTo('bulk')).execute();
  await db.schema.createIndex('outbox_waiting_by_lane').on('outbox').columns(['lane', 'available_at']).where(sql.ref('delivered_at'), 'is', null).execute();
  await db.schema.createIndex('deliveries_pending_by_lane').on('deliveries').columns(['lane', 'next_attempt_at']).where(sql.ref('status'), '=', sql.lit('pending')).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('deliveries_pending_by_lane').execute();
  await db.schema.dropIndex('outbox_waiting_by_lane').execute();
  await db.schema.alterTable('deliveries').dropColumn('lane').execute();
  await db.schema.alterTable('outbox').dropColumn('lane').execute();
}
