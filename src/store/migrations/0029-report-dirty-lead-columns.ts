import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * A lead's update marks it dirty for the report rollups only when it changes a column the reports
 * read (src/store/report-queries.ts: cohortLeads and the joins on leads). Every edit, activity,
 * search-text refresh and counter update used to mark it, so the refresher recomputed leads whose
 * figures could not have changed. Inserts and deletes still always mark.
 *
 * report_rollup_state.resets counts the times the rollups started over (a rebuild, a calendar
 * change): a report that chose the rollups and finds the count moved when it reads them answers
 * from the raw rows instead of the half-rebuilt sums.
 */
const REPORTED_COLUMNS = [
  'created_at',
  'source',
  'campaign',
  'priority',
  'status',
  'owner_id',
  'first_contact_at',
  'qualified_at',
  'closed_at',
  'junk_reason',
  'sla_policy_id',
  'sla_kind',
  'sla_due_at',
  'escalated_at',
];

const mark = (ref: string) => `INSERT INTO report_dirty (lead_id, version) SELECT ${ref}, 1 WHERE ${ref} IS NOT NULL ON CONFLICT (lead_id) DO UPDATE SET version = version + 1;`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_rollup_state').addColumn('resets', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  const columns = REPORTED_COLUMNS.join(', ');
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql.raw('DROP TRIGGER report_dirty_leads ON leads').execute(db);
    await sql.raw('CREATE TRIGGER report_dirty_leads AFTER INSERT OR DELETE ON leads FOR EACH ROW EXECUTE FUNCTION report_mark_dirty_id()').execute(db);
    const changed = REPORTED_COLUMNS.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ');
    await sql.raw(`CREATE TRIGGER report_dirty_leads_update AFTER UPDATE OF ${columns} ON leads FOR EACH ROW WHEN (${changed}) EXECUTE FUNCTION report_mark_dirty_id()`).execute(db);
  } else {
    await sql.raw('DROP TRIGGER report_dirty_leads_update').execute(db);
    const changed = REPORTED_COLUMNS.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
    await sql.raw(`CREATE TRIGGER report_dirty_leads_update AFTER UPDATE OF ${columns} ON leads FOR EACH ROW WHEN ${changed} BEGIN ${mark('NEW.id')} END`).execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_rollup_state').dropColumn('resets').execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql.raw('DROP TRIGGER report_dirty_leads_update ON leads').execute(db);
    await sql.raw('DROP TRIGGER report_dirty_leads ON leads').execute(db);
    await sql.raw('CREATE TRIGGER report_dirty_leads AFTER INSERT OR UPDATE OR DELETE ON leads FOR EACH ROW EXECUTE FUNCTION report_mark_dirty_id()').execute(db);
  } else {
    await sql.raw('DROP TRIGGER report_dirty_leads_update').execute(db);
    await sql.raw(`CREATE TRIGGER report_dirty_leads_update AFTER UPDATE ON leads FOR EACH ROW BEGIN ${mark('OLD.id')} ${mark('NEW.id')} END`).execute(db);
  }
}
