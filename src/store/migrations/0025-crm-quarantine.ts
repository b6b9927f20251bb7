import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * The quarantine of refused leads (0012) also keeps leads a connected CRM (Bitrix24, amoCRM)
 * holds but intake refused: `connector_id` names the connector and `form_id` is empty for
 * them. One entry per CRM lead and connector (its intake key), so a repeated event or the
 * poll finding the lead again keeps no second entry. SQLite cannot drop a NOT NULL: the table
 * is rebuilt there, rows kept.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`ALTER TABLE form_quarantine ALTER COLUMN form_id DROP NOT NULL`.execute(db);
    await db.schema.alterTable('form_quarantine').addColumn('connector_id', 'text', (c) => c.references('crm_connectors.id').onDelete('set null')).execute();
  } else {
    await db.schema
      .createTable('form_quarantine_0025')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('form_id', 'text', (c) => c.references('form_sources.id'))
      .addColumn('fields', t.json, (c) => c.notNull())
      .addColumn('input', t.json, (c) => c.notNull())
      .addColumn('issues', t.json, (c) => c.notNull())
      .addColumn('idempotency_key', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('lead_id', 'text')
      .addColumn('received_at', t.timestamp, (c) => c.notNull())
      .addColumn('resolved_at', t.timestamp)
      .addColumn('resolved_by', 'text')
      .addColumn('connector_id', 'text', (c) => c.references('crm_connectors.id').onDelete('set null'))
      .execute();
    await sql`INSERT INTO form_quarantine_0025 (id, form_id, fields, input, issues, idempotency_key, status, lead_id, received_at, resolved_at, resolved_by)
      SELECT id, form_id, fields, input, issues, idempotency_key, status, lead_id, received_at, resolved_at, resolved_by FROM form_quarantine`.execute(db);
    await db.schema.dropTable('form_quarantine').execute();
    await sql`ALTER TABLE form_quarantine_0025 RENAME TO form_quarantine`.execute(db);
    await db.schema.createIndex('form_quarantine_waiting').on('form_quarantine').columns(['status', 'received_at']).execute();
  }
  await db.schema.createIndex('form_quarantine_crm_lead').on('form_quarantine').columns(['connector_id', 'idempotency_key']).unique().execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('form_quarantine_crm_lead').execute();
  await db.deleteFrom('form_quarantine').where('connector_id', 'is not', null).execute();
  await db.schema.alterTable('form_quarantine').dropColumn('connector_id').execute();
}
