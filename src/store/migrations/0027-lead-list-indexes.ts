import { sql, type Kysely } from 'kysely';

/**
 * The lead list by owner (issue 16: a page of 50 in ≤ 50 ms at 1,000,000 leads). Pages are read
 * newest first, `order by created_at desc, id desc limit 51`, one branch per owner of a person's
 * view (listLeads), and with only leads_owner_status (owner_id, status) the database read every lead
 * of an owner (~25,000 at that size) or of an owner in a status and sorted them: 130–360 ms a page.
 *
 * - leads_owner_created (owner_id, created_at, id): `owner_id = ?` — the owner filter, a manager's
 *   own list, each owner of a head's team — walked newest first, stopping after the page.
 * - leads_owner_status_created (owner_id, status, created_at, id) replaces leads_owner_status: the
 *   same entries, longer; `owner_id = ? and status = ?` (an owner's or a team's leads in a status)
 *   walked in order, and everything leads_owner_status served by its prefix (the team board's
 *   counts per owner, the pool `owner_id is null and status = 'pool'`, the sweeper's owner checks).
 * - leads_pool_created (created_at, id) where owner_id is null and status = 'pool': the pool branch
 *   of a manager's or a head's view, `owner_id is null and status = 'pool'`, newest first.
 *   PostgreSQL does not take `owner_id is null` as fixing the column for the order, and guesses the
 *   two conditions independent (3% × 3%), so it read all ~30,000 pool leads and sorted them (50 ms
 *   at 1,000,000 leads). Only leads in the pool have an entry.
 *
 * Intake cost: one more index entry per lead written (leads_owner_created; leads_pool_created only
 * while a lead is in the pool) and per owner change; a status change rewrites one entry, as before.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('leads_owner_created').on('leads').columns(['owner_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('leads_owner_status_created').on('leads').columns(['owner_id', 'status', 'created_at', 'id']).execute();
  await db.schema.dropIndex('leads_owner_status').execute();
  await db.schema
    .createIndex('leads_pool_created')
    .on('leads')
    .columns(['created_at', 'id'])
    .where((eb) => eb.and([eb(sql.ref('owner_id'), 'is', null), eb(sql.ref('status'), '=', sql.lit('pool'))]))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('leads_pool_created').execute();
  await db.schema.createIndex('leads_owner_status').on('leads').columns(['owner_id', 'status']).execute();
  await db.schema.dropIndex('leads_owner_status_created').execute();
  await db.schema.dropIndex('leads_owner_created').execute();
}
