import type { Kysely, Selectable } from 'kysely';
import { readJson, writeJson } from './json.js';
import type { Database, ImportJobsTable } from './schema.js';

export type ImportJobStatus = 'uploaded' | 'running' | 'done' | 'failed' | 'cancelled';

export type ImportKind = 'leads' | 'companies';

export interface ImportJobRecord {
  id: string;
  /** What the rows become: leads, or companies and contacts (0020). */
  kind: ImportKind;
  fileName: string;
  format: 'csv' | 'xlsx';
  sizeBytes: number;
  fileHash: string;
  header: string[];
  csv: { encoding: string; delimiter: string } | null;
  mapping: Record<string, string | null>;
  status: ImportJobStatus;
  slaClocks: boolean;
  rowsRead: number;
  chunksDone: number;
  lastRow: number;
  bytesRead: number;
  created: number;
  replayed: number;
  rejected: number;
  assigned: number;
  pooled: number;
  byOwner: Record<string, number>;
  runMs: number;
  error: string | null;
  createdBy: string;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

function fromRow(r: Selectable<ImportJobsTable>): ImportJobRecord {
  return {
    id: r.id,
    kind: r.kind === 'companies' ? 'companies' : 'leads',
    fileName: r.file_name,
    format: r.format === 'xlsx' ? 'xlsx' : 'csv',
    sizeBytes: Number(r.size_bytes),
    fileHash: r.file_hash,
    header: readJson<string[]>(r.header, []),
    csv: r.csv_encoding && r.csv_delimiter ? { encoding: r.csv_encoding, delimiter: r.csv_delimiter } : null,
    mapping: readJson<Record<string, string | null>>(r.mapping, {}),
    status: r.status as ImportJobStatus,
    slaClocks: Number(r.sla_clocks) === 1,
    rowsRead: Number(r.rows_read),
    chunksDone: Number(r.chunks_done),
    lastRow: Number(r.last_row),
    bytesRead: Number(r.bytes_read),
    created: Number(r.created_count),
    replayed: Number(r.replayed_count),
    rejected: Number(r.rejected_count),
    assigned: Number(r.assigned_count),
    pooled: Number(r.pooled_count),
    byOwner: readJson<Record<string, number>>(r.by_owner, {}),
    runMs: Number(r.run_ms),
    error: r.error,
    createdBy: r.created_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function insertImportJob(db: Kysely<Database>, job: Pick<ImportJobRecord, 'id' | 'fileName' | 'format' | 'sizeBytes' | 'fileHash' | 'header' | 'csv' | 'mapping' | 'createdBy' | 'createdAt'> & { kind?: ImportKind }): Promise<void> {
  await db
    .insertInto('import_jobs')
    .values({
      id: job.id,
      kind: job.kind ?? 'leads',
      file_name: job.fileName,
      format: job.format,
      size_bytes: job.sizeBytes,
      file_hash: job.fileHash,
      header: writeJson(job.header),
      csv_encoding: job.csv?.encoding ?? null,
      csv_delimiter: job.csv?.delimiter ?? null,
      mapping: writeJson(job.mapping),
      status: 'uploaded',
      sla_clocks: 0,
      rows_read: 0,
      chunks_done: 0,
      last_row: 0,
      bytes_read: 0,
      created_count: 0,
      replayed_count: 0,
      rejected_count: 0,
      assigned_count: 0,
      pooled_count: 0,
      by_owner: '{}',
      run_ms: 0,
      error: null,
      created_by: job.createdBy,
      started_at: null,
      finished_at: null,
      created_at: job.createdAt,
      updated_at: job.createdAt,
    })
    .execute();
}

export async function findImportJob(db: Kysely<Database>, id: string): Promise<ImportJobRecord | null> {
  const row = await db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function listImportJobs(db: Kysely<Database>, options: { createdBy?: string; limit: number }): Promise<ImportJobRecord[]> {
  let q = db.selectFrom('import_jobs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit);
  if (options.createdBy !== undefined) q = q.where('created_by', '=', options.createdBy);
  return (await q.execute()).map(fromRow);
}

export async function saveImportMapping(db: Kysely<Database>, id: string, mapping: Record<string, string | null>, at: string): Promise<void> {
  await db.updateTable('import_jobs').set({ mapping: writeJson(mapping), updated_at: at }).where('id', '=', id).execute();
}

/** Moves a job to running only from a state that allows it; false when another request started it first. */
export async function claimImportJob(db: Kysely<Database>, id: string, from: ImportJobStatus[], set: { slaClocks: boolean; at: string }): Promise<boolean> {
  const result = await db
    .updateTable('import_jobs')
    .set({ status: 'running', sla_clocks: set.slaClocks ? 1 : 0, error: null, started_at: set.at, finished_at: null, updated_at: set.at })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ImportJobProgress {
  rowsRead: number;
  chunksDone: number;
  lastRow: number;
  bytesRead: number;
  created: number;
  replayed: number;
  rejected: number;
  assigned: number;
  pooled: number;
  byOwner: Record<string, number>;
  runMs: number;
}

export async function saveImportProgress(db: Kysely<Database>, id: string, p: ImportJobProgress, at: string, end?: { status: ImportJobStatus; error: string | null }): Promise<void> {
  await db
    .updateTable('import_jobs')
    .set({
      rows_read: p.rowsRead,
      chunks_done: p.chunksDone,
      last_row: p.lastRow,
      bytes_read: p.bytesRead,
      created_count: p.created,
      replayed_count: p.replayed,
      rejected_count: p.rejected,
      assigned_count: p.assigned,
      pooled_count: p.pooled,
      by_owner: writeJson(p.byOwner),
      run_ms: Math.round(p.runMs),
      updated_at: at,
      ...(end ? { status: end.status, error: end.error, finished_at: at } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function endImportJob(db: Kysely<Database>, id: string, status: ImportJobStatus, error: string | null, at: string): Promise<void> {
  await db.updateTable('import_jobs').set({ status, error, finished_at: at, updated_at: at }).where('id', '=', id).execute();
}

export async function insertImportErrors(db: Kysely<Database>, jobId: string, rows: Array<{ row: number; issues: Array<{ path: string; code: string; message: string }> }>): Promise<void> {
  const values = rows.flatMap((r) => r.issues.map((i, seq) => ({ job_id: jobId, row: r.row, seq, field: i.path, code: i.code, message: i.message.slice(0, 1000) })));
  for (let i = 0; i < values.length; i += 500) await db.insertInto('import_errors').values(values.slice(i, i + 500)).execute();
}

/** Errors of rows after `afterRow` (a resumed run reads them again). */
export async function deleteImportErrorsAfter(db: Kysely<Database>, jobId: string, afterRow: number): Promise<void> {
  await db.deleteFrom('import_errors').where('job_id', '=', jobId).where('row', '>', afterRow).execute();
}

/** A page of a job's errors in row order, from after `afterRow`. */
export async function importErrorsPage(db: Kysely<Database>, jobId: string, afterRow: number, limit: number): Promise<Array<{ row: number; field: string; code: string; message: string }>> {
  return (
    await db.selectFrom('import_errors').select(['row', 'seq', 'field', 'code', 'message']).where('job_id', '=', jobId).where('row', '>', afterRow).orderBy('row').orderBy('seq').limit(limit).execute()
  ).map((r) => ({ row: Number(r.row), field: r.field, code: r.code, message: r.message }));
}

export interface ImportPresetRecord {
  id: string;
  name: string;
  mapping: Record<string, string | null>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export async function listImportPresets(db: Kysely<Database>): Promise<ImportPresetRecord[]> {
  return (await db.selectFrom('import_presets').selectAll().orderBy('name').execute()).map((r) => ({
    id: r.id,
    name: r.name,
    mapping: readJson<Record<string, string | null>>(r.mapping, {}),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** Saves a preset under its name: a preset of that name already there is replaced. */
export async function upsertImportPreset(db: Kysely<Database>, preset: { id: string; name: string; mapping: Record<string, string | null>; createdBy: string; at: string }): Promise<void> {
  await db
    .insertInto('import_presets')
    .values({ id: preset.id, name: preset.name, mapping: writeJson(preset.mapping), created_by: preset.createdBy, created_at: preset.at, updated_at: preset.at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ mapping: writeJson(preset.mapping), updated_at: preset.at }))
    .execute();
}

export async function deleteImportPreset(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('import_presets').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
