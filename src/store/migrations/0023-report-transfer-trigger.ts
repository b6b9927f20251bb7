import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** The transfers report reads rollups too (migration 0018): a transfer request's change marks its lead dirty. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql.raw('CREATE TRIGGER report_dirty_transfers AFTER INSERT OR UPDATE OR DELETE ON transfers FOR EACH ROW EXECUTE FUNCTION report_mark_dirty_lead_id()').execute(db);
    return;
  }
  const mark = (ref: string) => `INSERT INTO report_dirty (lead_id, version) SELECT ${ref}, 1 WHERE ${ref} IS NOT NULL ON CONFLICT (lead_id) DO UPDATE SET version = version + 1;`;
  await sql.raw(`CREATE TRIGGER report_dirty_transfers_insert AFTER INSERT ON transfers FOR EACH ROW BEGIN ${mark('NEW.lead_id')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER report_dirty_transfers_update AFTER UPDATE ON transfers FOR EACH ROW BEGIN ${mark('OLD.lead_id')} ${mark('NEW.lead_id')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER report_dirty_transfers_delete AFTER DELETE ON transfers FOR EACH ROW BEGIN ${mark('OLD.lead_id')} END`).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql.raw('DROP TRIGGER IF EXISTS report_dirty_transfers ON transfers').execute(db);
  else for (const op of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS report_dirty_transfers_${op}`).execute(db);
}
