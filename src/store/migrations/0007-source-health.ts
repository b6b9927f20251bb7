import { sql, type Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * Source health: the incidents a check opened (a source gone silent, its junk share jumped)
 * and closed when the source recovered, and one lock row the checks of all processes take in
 * turn. At most one open incident per source and kind, whatever two checks do at once.
 * Leads by source, arrival time and junk reason, for a source's last lead and its hourly counts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  await db.schema
    .createTable('source_health_incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    /** 'silence' or 'junk'. */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('opened_at', t.timestamp, (c) => c.notNull())
    .addColumn('resolved_at', t.timestamp)
    /** The figures that opened it (expected leads, probability, junk shares, …). */
    .addColumn('details', t.json, (c) => c.notNull())
    /** The figures that closed it. */
    .addColumn('resolution', t.json)
    .execute();
  await db.schema
    .createIndex('source_health_one_open')
    .on('source_health_incidents')
    .columns(['source', 'kind'])
    .unique()
    .where(sql.ref('resolved_at'), 'is', null)
    .execute();
  await db.schema.createIndex('source_health_incidents_opened').on('source_health_incidents').columns(['opened_at', 'id']).execute();

  await db.schema
    .createTable('source_health_lock')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('checked_at', t.timestamp)
    .execute();
  await db.insertInto('source_health_lock').values({ id: 1, checked_at: null }).execute();

  // Covering for the hourly counts per source (leads and junk), and a source's last lead.
  await db.schema.createIndex('leads_source_created').on('leads').columns(['source', 'created_at', 'junk_reason']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('leads_source_created').execute();
  await db.schema.dropTable('source_health_lock').execute();
  await db.schema.dropTable('source_health_incidents').execute();
}
