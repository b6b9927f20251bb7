import { sql, type Kysely } from 'kysely';

/**
 * A lead's dirty mark is kept once refreshed, with the version refreshed (`done_version`), so its
 * version only ever grows: a refresh that computed from an older state can tell, under the lock,
 * that the lead changed again — even if another refresh cleared the mark meanwhile — and leaves
 * it for the next pass. Dirty means version > done_version.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_dirty').addColumn('done_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`CREATE INDEX report_dirty_waiting ON report_dirty (lead_id) WHERE version > done_version`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX report_dirty_waiting`.execute(db);
  await db.schema.alterTable('report_dirty').dropColumn('done_version').execute();
}
