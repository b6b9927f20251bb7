import { sql, type Kysely } from 'kysely';

/**
 * The reports read rows summed over sources and campaigns (per manager, and per team for the
 * tables by source, campaign and hour): new projections of the same facts. Bumping the
 * configuration version makes the background refresher (or `leadrouter rebuild-rollups`)
 * recompute every rollup; reports read raw rows until it is done.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await sql`UPDATE report_rollup_state SET config_version = config_version + 1 WHERE id = 1`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await sql`UPDATE report_rollup_state SET config_version = config_version + 1 WHERE id = 1`.execute(db);
}
