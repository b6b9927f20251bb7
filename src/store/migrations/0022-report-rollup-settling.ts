import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Report rollups, part two (speed to lead and SLA). Their facts depend on the clock while a lead
 * waits (the windows it has waited past, a deadline not yet reached): such a lead is listed in
 * report_unsettled per report, left out of that report's rollups and computed when the report is
 * read, until the moment it settles. The reports also read the business calendars, the SLA
 * policies and who is in which team: a change to those bumps report_rollup_state.config_version
 * (triggers), and the refresher then recomputes every lead's facts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('report_unsettled')
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    /** ISO instant: from then on the lead's figures no longer change by themselves. */
    .addColumn('settles_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_unsettled_pk', ['lead_id', 'report'])
    .execute();
  await db.schema.createIndex('report_unsettled_report').on('report_unsettled').columns(['report', 'settles_at']).execute();
  await db.schema.alterTable('report_rollup_state').addColumn('config_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('report_rollup_state').addColumn('built_config_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  const bump = 'UPDATE report_rollup_state SET config_version = config_version + 1 WHERE id = 1';
  // managers change often (open-lead counters); only their zone, hours and team matter here.
  const watched: Array<{ table: string; columns?: string[] }> = [{ table: 'sla_policies' }, { table: 'holidays' }, { table: 'managers', columns: ['time_zone', 'working_hours', 'team_id'] }];
  if (postgres) {
    await sql.raw(`CREATE FUNCTION report_config_changed() RETURNS trigger AS $$ BEGIN ${bump}; RETURN NULL; END $$ LANGUAGE plpgsql`).execute(db);
    for (const w of watched) {
      // A form that saves every field sets these columns unchanged: only a real change counts.
      const trigger = w.columns
        ? `AFTER UPDATE OF ${w.columns.join(', ')} ON ${w.table} FOR EACH ROW WHEN (${w.columns.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')})`
        : `AFTER INSERT OR UPDATE OR DELETE ON ${w.table} FOR EACH STATEMENT`;
      await sql.raw(`CREATE TRIGGER report_config_${w.table} ${trigger} EXECUTE FUNCTION report_config_changed()`).execute(db);
    }
  } else {
    for (const w of watched) {
      if (w.columns) {
        const changed = w.columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
        await sql.raw(`CREATE TRIGGER report_config_${w.table}_update AFTER UPDATE OF ${w.columns.join(', ')} ON ${w.table} FOR EACH ROW WHEN ${changed} BEGIN ${bump}; END`).execute(db);
        continue;
      }
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) await sql.raw(`CREATE TRIGGER report_config_${w.table}_${op.toLowerCase()} AFTER ${op} ON ${w.table} FOR EACH ROW BEGIN ${bump}; END`).execute(db);
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const table of ['sla_policies', 'holidays', 'managers']) {
    if (postgres) await sql.raw(`DROP TRIGGER IF EXISTS report_config_${table} ON ${table}`).execute(db);
    else for (const op of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS report_config_${table}_${op}`).execute(db);
  }
  if (postgres) await sql.raw('DROP FUNCTION IF EXISTS report_config_changed()').execute(db);
  await db.schema.alterTable('report_rollup_state').dropColumn('built_config_version').execute();
  await db.schema.alterTable('report_rollup_state').dropColumn('config_version').execute();
  await db.schema.dropTable('report_unsettled').execute();
}
