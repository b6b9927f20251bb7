import type { Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * The client base import and split (issue 14 §3):
 * - import_jobs.kind: a file import feeds leads (as before) or companies and contacts;
 * - companies.revenue: the yearly revenue a base may carry (the value tier of a split reads it);
 * - import_clients: the companies each company import brought or matched, so a split can take
 *   "the companies of this import";
 * - client_splits and client_split_entries: a split of ownership among managers (its method and
 *   parameters, who made it) and, per company, the owner it had before and the one it was given,
 *   so a split can be undone.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  await db.schema.alterTable('import_jobs').addColumn('kind', 'text', (c) => c.notNull().defaultTo('leads')).execute();
  await db.schema.alterTable('companies').addColumn('revenue', 'bigint').execute();

  await db.schema
    .createTable('import_clients')
    .addColumn('job_id', 'text', (c) => c.notNull().references('import_jobs.id').onDelete('cascade'))
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_clients_pk', ['job_id', 'company_id'])
    .execute();

  await db.schema
    .createTable('client_splits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** alphabet, territory, tier, even. */
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('params', t.json, (c) => c.notNull())
    /** applied or undone. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('company_count', 'integer', (c) => c.notNull())
    .addColumn('changed_count', 'integer', (c) => c.notNull())
    /** { managerId: companies given }. */
    .addColumn('per_manager', t.json, (c) => c.notNull())
    /** The head's team when a head made it (a head sees the own team's splits). */
    .addColumn('team_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('undone_by', 'text')
    .addColumn('undone_at', t.timestamp)
    .addColumn('restored_count', 'integer')
    .execute();
  await db.schema.createIndex('client_splits_created').on('client_splits').columns(['created_at']).execute();

  await db.schema
    .createTable('client_split_entries')
    .addColumn('split_id', 'text', (c) => c.notNull().references('client_splits.id').onDelete('cascade'))
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('previous_owner_id', 'text')
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_split_entries_pk', ['split_id', 'company_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('client_split_entries').execute();
  await db.schema.dropTable('client_splits').execute();
  await db.schema.dropTable('import_clients').execute();
  await db.schema.alterTable('companies').dropColumn('revenue').execute();
  await db.schema.alterTable('import_jobs').dropColumn('kind').execute();
}
