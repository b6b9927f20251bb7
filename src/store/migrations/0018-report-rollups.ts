import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Report rollups (issue 13: reports on 1,000,000 leads in milliseconds). Three tables:
 * - report_dirty: leads whose report facts may have changed. Triggers on leads, assignments,
 *   deals and the timeline events the reports read add a lead here in the same transaction as
 *   the change, so no write path can forget it; `version` counts the changes, so a refresh that
 *   read an older state does not clear a newer one.
 * - report_lead_facts: per lead, what it contributes to each report (computed by the same code
 *   the raw reports use), so a change subtracts the old contribution and adds the new one.
 * - report_rollups: per report time zone, local day of arrival, manager, source, campaign, rule
 *   and one extra key, the sum of those contributions (counters and duration histograms, JSON).
 * report_rollup_state's single row is taken first by every refresh (the same trick as
 * routing_lock) so two processes never merge into one rollup row at once; report_rollup_zones
 * lists the zones whose rollups are complete. Every lead that exists now is marked dirty, so
 * the background refresher builds the rollups of an existing database by itself.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('report_dirty')
    .addColumn('lead_id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('report_lead_facts')
    .addColumn('lead_id', 'text', (c) => c.primaryKey())
    /** JSON: { report: [contribution, …] }. */
    .addColumn('facts', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('report_rollups')
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    /** YYYY-MM-DD, the local day of the lead's arrival in `zone`. */
    .addColumn('day', 'text', (c) => c.notNull())
    /** '' stands for "none" in the key columns (a primary key has no nulls). */
    .addColumn('manager_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    /** JSON: the report's tally (counters, duration histograms). */
    .addColumn('tally', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_rollups_pk', ['zone', 'report', 'day', 'manager_id', 'source', 'campaign', 'rule_id', 'extra'])
    .execute();
  await db.schema
    .createTable('report_rollup_zones')
    .addColumn('zone', 'text', (c) => c.primaryKey())
    /** null while the zone's rollups are being built from the stored facts, lead by lead id. */
    .addColumn('built_at', 'text')
    /** The last lead id added while building; changes to leads beyond it are left to the builder. */
    .addColumn('cursor', 'text')
    .execute();
  await db.schema
    .createTable('report_rollup_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('refreshes', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('report_rollup_state').values({ id: 1, refreshes: 0 }).execute();

  // Which changes make a lead dirty: the tables the report facts are computed from.
  const watched: Array<{ table: string; column: string; when?: string }> = [
    { table: 'leads', column: 'id' },
    { table: 'assignments', column: 'lead_id' },
    { table: 'deals', column: 'lead_id' },
    { table: 'events', column: 'lead_id', when: `type IN ('lead.status_changed', 'lead.qualified', 'sla.breached')` },
  ];
  if (postgres) {
    // One function per key column; DELETE reads OLD, INSERT NEW, UPDATE both (a deal moved between leads).
    for (const column of ['id', 'lead_id']) {
      await sql
        .raw(
          `CREATE FUNCTION report_mark_dirty_${column}() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.${column} IS NOT NULL THEN
    INSERT INTO report_dirty (lead_id, version) VALUES (OLD.${column}, 1) ON CONFLICT (lead_id) DO UPDATE SET version = report_dirty.version + 1;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.${column} IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.${column} IS DISTINCT FROM OLD.${column}) THEN
    INSERT INTO report_dirty (lead_id, version) VALUES (NEW.${column}, 1) ON CONFLICT (lead_id) DO UPDATE SET version = report_dirty.version + 1;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql`,
        )
        .execute(db);
    }
    for (const w of watched) {
      const when = w.when ? `WHEN (${w.when.replace('type', 'NEW.type')})` : '';
      // Events are only ever inserted; the other tables change in every way.
      const ops = w.table === 'events' ? 'INSERT' : 'INSERT OR UPDATE OR DELETE';
      await sql.raw(`CREATE TRIGGER report_dirty_${w.table} AFTER ${ops} ON ${w.table} FOR EACH ROW ${when} EXECUTE FUNCTION report_mark_dirty_${w.column}()`).execute(db);
    }
  } else {
    const mark = (ref: string) => `INSERT INTO report_dirty (lead_id, version) SELECT ${ref}, 1 WHERE ${ref} IS NOT NULL ON CONFLICT (lead_id) DO UPDATE SET version = version + 1;`;
    for (const w of watched) {
      const newWhen = w.when ? `WHEN ${w.when.replace('type', 'NEW.type')}` : '';
      await sql.raw(`CREATE TRIGGER report_dirty_${w.table}_insert AFTER INSERT ON ${w.table} FOR EACH ROW ${newWhen} BEGIN ${mark(`NEW.${w.column}`)} END`).execute(db);
      if (w.table === 'events') continue;
      await sql.raw(`CREATE TRIGGER report_dirty_${w.table}_update AFTER UPDATE ON ${w.table} FOR EACH ROW BEGIN ${mark(`OLD.${w.column}`)} ${mark(`NEW.${w.column}`)} END`).execute(db);
      await sql.raw(`CREATE TRIGGER report_dirty_${w.table}_delete AFTER DELETE ON ${w.table} FOR EACH ROW BEGIN ${mark(`OLD.${w.column}`)} END`).execute(db);
    }
  }
  // The leads already stored: the refresher builds their facts and rollups in the background.
  await sql`INSERT INTO report_dirty (lead_id, version) SELECT id, 1 FROM leads`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const table of ['leads', 'assignments', 'deals', 'events']) {
    if (postgres) await sql.raw(`DROP TRIGGER IF EXISTS report_dirty_${table} ON ${table}`).execute(db);
    else for (const op of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS report_dirty_${table}_${op}`).execute(db);
  }
  if (postgres) for (const column of ['id', 'lead_id']) await sql.raw(`DROP FUNCTION IF EXISTS report_mark_dirty_${column}()`).execute(db);
  for (const table of ['report_rollup_state', 'report_rollup_zones', 'report_rollups', 'report_lead_facts', 'report_dirty']) await db.schema.dropTable(table).execute();
}
