import type { Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * File imports in the web app (issue 14): an uploaded file kept on the server as an import job
 * (its header, the column mapping, progress and counts, so a run interrupted half-way resumes
 * where it stopped), the rows it refused (the downloadable error report), and named mappings
 * people save to reuse for the next file of the same shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  await db.schema
    .createTable('import_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    /** csv or xlsx. */
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('file_hash', 'text', (c) => c.notNull())
    .addColumn('header', t.json, (c) => c.notNull())
    .addColumn('csv_encoding', 'text')
    .addColumn('csv_delimiter', 'text')
    .addColumn('mapping', t.json, (c) => c.notNull())
    /** uploaded, running, done, failed, cancelled. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sla_clocks', 'integer', (c) => c.notNull())
    .addColumn('rows_read', 'integer', (c) => c.notNull())
    .addColumn('chunks_done', 'integer', (c) => c.notNull())
    .addColumn('last_row', 'integer', (c) => c.notNull())
    .addColumn('bytes_read', 'bigint', (c) => c.notNull())
    .addColumn('created_count', 'integer', (c) => c.notNull())
    .addColumn('replayed_count', 'integer', (c) => c.notNull())
    .addColumn('rejected_count', 'integer', (c) => c.notNull())
    .addColumn('assigned_count', 'integer', (c) => c.notNull())
    .addColumn('pooled_count', 'integer', (c) => c.notNull())
    .addColumn('by_owner', t.json, (c) => c.notNull())
    /** Milliseconds the run has taken so far, over every resumption: rows per second are read from it. */
    .addColumn('run_ms', 'bigint', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('started_at', t.timestamp)
    .addColumn('finished_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('import_jobs_created').on('import_jobs').columns(['created_at']).execute();

  await db.schema
    .createTable('import_errors')
    .addColumn('job_id', 'text', (c) => c.notNull().references('import_jobs.id').onDelete('cascade'))
    .addColumn('row', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_errors_pk', ['job_id', 'row', 'seq'])
    .execute();

  await db.schema
    .createTable('import_presets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('mapping', t.json, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
}
