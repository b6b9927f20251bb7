import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The reports read rows summed over sources and campaigns (per manager, and per team for the
 * tables by source, campaign and hour): new projections of the same facts. Bumping the
 * configuration version makes the background refresher (or `leadrouter rebuild-rollups`)
 * recompute every rollup; reports read raw rows until it is done.
 *
 * On SQLite the rollup rows move into a WITHOUT ROWID table, stored in the order of their key:
 * a report reads one report's days as a contiguous range instead of looking each row up by rowid
 * (three times faster to read), and a refresh writes one b-tree instead of a table and its index.
 * The rows are recomputed anyway, so the table starts empty.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) await recreateRollupRows(db, true);
  await sql`UPDATE report_rollup_state SET config_version = config_version + 1 WHERE id = 1`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) await recreateRollupRows(db, false);
  await sql`UPDATE report_rollup_state SET config_version = config_version + 1 WHERE id = 1`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
async function recreateRollupRows(db: Kysely<any>, withoutRowid: boolean): Promise<void> {
  await db.schema.dropTable('report_rollups').execute();
  let create = db.schema
    .createTable('report_rollups')
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('manager_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('tally', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_rollups_pk', ['zone', 'report', 'day', 'manager_id', 'source', 'campaign', 'rule_id', 'extra']);
  if (withoutRowid) create = create.modifyEnd(sql`WITHOUT ROWID`);
  await create.execute();
}
