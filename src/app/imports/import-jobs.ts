import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TextEncodingName } from '../../core/intake/text-file.js';
import {
  claimImportJob,
  deleteImportErrorsAfter,
  deleteImportPreset,
  endImportJob,
  findImportJob,
  importErrorsPage,
  insertImportErrors,
  insertImportJob,
  listImportJobs,
  listImportPresets,
  saveImportMapping,
  saveImportProgress,
  upsertImportPreset,
  type ImportJobRecord,
  type ImportKind,
  type ImportPresetRecord,
} from '../../store/import-queries.js';
import { actorName, isAdmin, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { LeadIntake } from '../intake/lead-intake.js';
import { checkCompanyMapping, dryRunCompanyImport, importCompanyStream, suggestCompanyMapping } from './company-import.js';
import { dryRunImport, type DryRunReport } from './dry-run.js';
import { errorReportHeader, errorReportLines } from './error-report.js';
import { checkMapping, suggestMapping, type ColumnMapping } from './import-mapping.js';
import { formatOfName, openLeadFile } from './lead-file-stream.js';
import { importLeadStream, type ImportProgress } from './stream-import.js';

/** The largest file an upload takes. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
/** A running job whose progress has not moved for this long, and that no run of this process holds, was interrupted (a restart). */
const STALE_MS = 60_000;

export type ImportJobView = ReturnType<ImportJobs['view']>;

/**
 * File imports in the web app: an uploaded file is kept in the import directory as a job; the
 * mapping of its columns is suggested and adjusted; a dry run tells what would happen; the run
 * goes in the background through the streaming import, its progress saved after every chunk
 * so the page can show it and an interrupted run resumes where it stopped. An admin sees every
 * job, a head their own. Leads are routed by the published rules, as any lead is: a head's
 * import is no different (the rules send each lead to whom they send it; heads of several teams
 * share one rule set).
 */
export class ImportJobs {
  private readonly running = new Map<string, { cancel: boolean; done: Promise<void> }>();

  constructor(
    private readonly ctx: AppContext,
    private readonly intake: LeadIntake,
    private readonly dir: string,
  ) {}

  private pathOf(id: string): string {
    return join(this.dir, `${id}.upload`);
  }

  private creatorOf(principal: Principal): string {
    return principal.kind === 'user' ? principal.userId : actorName(principal);
  }

  /** Stores an uploaded file as a job: hashed as it arrives, its header read and a mapping suggested. */
  async upload(principal: Principal, file: { fileName: string; stream: Readable; truncated?: () => boolean }, kind: ImportKind = 'leads'): Promise<ImportJobRecord> {
    const fileName = file.fileName.replace(/[\\/]/g, '_').slice(0, 200) || 'import.csv';
    const format = formatOfName(fileName);
    await mkdir(this.dir, { recursive: true });
    const id = this.ctx.newId();
    const path = this.pathOf(id);
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        file.stream,
        new Transform({
          transform(chunk: Buffer, _e, done) {
            size += chunk.length;
            if (size > MAX_IMPORT_BYTES) return done(new LeadRouterError('LR_ERR_BODY_TOO_LARGE', `An import file is at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`));
            hash.update(chunk);
            done(null, chunk);
          },
        }),
        createWriteStream(path),
      );
      if (file.truncated?.()) throw new LeadRouterError('LR_ERR_BODY_TOO_LARGE', `An import file is at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`);
      if (size === 0) throw new LeadRouterError('LR_ERR_VALIDATION', 'The file is empty', [{ path: 'file', code: 'empty', message: 'the file is empty' }]);
      let reader;
      try {
        reader = await openLeadFile(path, format);
      } catch (error) {
        throw new LeadRouterError('LR_ERR_VALIDATION', `The file cannot be read: ${(error as Error).message}`, [{ path: 'file', code: 'unreadable', message: (error as Error).message }]);
      }
      if (reader.header.length === 0) throw new LeadRouterError('LR_ERR_VALIDATION', 'The file has no header row naming its columns', [{ path: 'file', code: 'no_header', message: 'the first row should name the columns' }]);
      const at = this.ctx.now().toISOString();
      await insertImportJob(this.ctx.store.db, { id, fileName, format, sizeBytes: size, fileHash: hash.digest('base64url'), header: reader.header, csv: reader.csv ?? null, mapping: kind === 'companies' ? suggestCompanyMapping(reader.header) : suggestMapping(reader.header), kind, createdBy: this.creatorOf(principal), createdAt: at });
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return (await findImportJob(this.ctx.store.db, id)) as ImportJobRecord;
  }

  async list(principal: Principal): Promise<ImportJobRecord[]> {
    return await listImportJobs(this.ctx.store.db, { ...(isAdmin(principal) ? {} : { createdBy: this.creatorOf(principal) }), limit: 50 });
  }

  /** A job the caller may see: an admin any, anyone else their own. */
  async get(principal: Principal, id: string): Promise<ImportJobRecord> {
    const job = await findImportJob(this.ctx.store.db, id);
    if (!job || (!isAdmin(principal) && job.createdBy !== this.creatorOf(principal))) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No import ${id}`);
    return job;
  }

  async setMapping(principal: Principal, id: string, mapping: ColumnMapping): Promise<ImportJobRecord> {
    const job = await this.get(principal, id);
    // Chunks already written were cut by the old mapping; a new one would make other leads of the same rows.
    if (job.status !== 'uploaded') throw new LeadRouterError('LR_ERR_CONFLICT', 'The mapping of an import that has started cannot change; upload the file again');
    await saveImportMapping(this.ctx.store.db, id, checkMappingOf(job, mapping), this.ctx.now().toISOString());
    return await this.get(principal, id);
  }

  async dryRun(principal: Principal, id: string, limit: number): Promise<DryRunReport> {
    const job = await this.get(principal, id);
    checkMappingOf(job, job.mapping);
    if (job.kind === 'companies') {
      return await dryRunCompanyImport(this.ctx, principal, { path: this.pathOf(id), format: job.format, ...(job.csv ? { encoding: job.csv.encoding as TextEncodingName } : {}), mapping: job.mapping, limit });
    }
    return await dryRunImport(this.ctx, { path: this.pathOf(id), format: job.format, ...(job.csv ? { encoding: job.csv.encoding as TextEncodingName } : {}), mapping: job.mapping, limit });
  }

  /** Starts the run in the background, or resumes one that failed or was interrupted. */
  async start(principal: Principal, id: string, options: { slaClocks: boolean }): Promise<ImportJobRecord> {
    const job = await this.get(principal, id);
    checkMappingOf(job, job.mapping);
    const from: ImportJobRecord['status'][] = ['uploaded', 'failed', 'cancelled'];
    if (this.interrupted(job)) from.push('running');
    if (job.status === 'done') throw new LeadRouterError('LR_ERR_CONFLICT', 'This import is done; uploading the same file again adds nothing twice');
    if (!(await claimImportJob(this.ctx.store.db, id, from, { slaClocks: options.slaClocks, at: this.ctx.now().toISOString() }))) {
      throw new LeadRouterError('LR_ERR_CONFLICT', 'This import is running already');
    }
    const claimed = await this.get(principal, id);
    const state = { cancel: false, done: Promise.resolve() };
    state.done = (claimed.kind === 'companies' ? this.runCompanies(claimed, principal, state) : this.run(claimed, actorName(principal), state)).finally(() => this.running.delete(id));
    this.running.set(id, state);
    return claimed;
  }

  private async run(job: ImportJobRecord, actor: string, state: { cancel: boolean }): Promise<void> {
    const db = this.ctx.store.db;
    const baseMs = job.runMs;
    const save = async (p: ImportProgress, end?: { status: ImportJobRecord['status']; error: string | null }) =>
      await saveImportProgress(
        db,
        job.id,
        { rowsRead: p.rows, chunksDone: p.chunksDone, lastRow: p.lastRow, bytesRead: p.bytesRead, created: p.created, replayed: p.alreadyImported, rejected: p.rejected, assigned: p.assigned, pooled: p.pooled, byOwner: p.byOwner, runMs: baseMs + p.elapsedMs },
        this.ctx.now().toISOString(),
        end,
      );
    try {
      await deleteImportErrorsAfter(db, job.id, job.chunksDone > 0 ? job.lastRow : 0);
      const result = await importLeadStream(this.ctx, this.intake, {
        path: this.pathOf(job.id),
        format: job.format,
        fileName: job.fileName,
        actor: `${actor} import ${job.fileName}`,
        slaClocks: job.slaClocks,
        mapping: job.mapping,
        hash: job.fileHash,
        ...(job.csv ? { encoding: job.csv.encoding as TextEncodingName } : {}),
        ...(job.chunksDone > 0
          ? { resume: { chunksDone: job.chunksDone, lastRow: job.lastRow, counts: { rows: job.rowsRead, created: job.created, alreadyImported: job.replayed, rejected: job.rejected, assigned: job.assigned, pooled: job.pooled, byOwner: job.byOwner } } }
          : {}),
        onRejected: async (rows) => await insertImportErrors(db, job.id, rows),
        onProgress: async (p) => await save(p),
        cancelled: () => state.cancel,
      });
      await save(result, { status: result.cancelled ? 'cancelled' : 'done', error: null });
    } catch (error) {
      await endImportJob(db, job.id, 'failed', (error as Error).message.slice(0, 500), this.ctx.now().toISOString()).catch(() => undefined);
    }
  }

  /** A company import: the same job, progress and error report; rows become companies and contacts. */
  private async runCompanies(job: ImportJobRecord, principal: Principal, state: { cancel: boolean }): Promise<void> {
    const db = this.ctx.store.db;
    const baseMs = job.runMs;
    // The contacts and holdings linked are kept in by_owner's place for a company job, as counts.
    const extra = job.byOwner;
    try {
      await deleteImportErrorsAfter(db, job.id, job.chunksDone > 0 ? job.lastRow : 0);
      const save = async (p: Awaited<ReturnType<typeof importCompanyStream>> | Parameters<Parameters<typeof importCompanyStream>[2]['onProgress']>[0], end?: { status: ImportJobRecord['status']; error: string | null }) =>
        await saveImportProgress(
          db,
          job.id,
          { rowsRead: p.rows, chunksDone: p.chunksDone, lastRow: p.lastRow, bytesRead: p.bytesRead, created: p.created, replayed: p.alreadyImported, rejected: p.rejected, assigned: p.assigned, pooled: 0, byOwner: { contactsCreated: p.contactsCreated, parentsLinked: p.parentsLinked }, runMs: baseMs + p.elapsedMs },
          this.ctx.now().toISOString(),
          end,
        );
      const result = await importCompanyStream(this.ctx, principal, {
        jobId: job.id,
        path: this.pathOf(job.id),
        format: job.format,
        fileName: job.fileName,
        ...(job.csv ? { encoding: job.csv.encoding as TextEncodingName } : {}),
        mapping: job.mapping,
        ...(job.chunksDone > 0
          ? { resume: { chunksDone: job.chunksDone, lastRow: job.lastRow, counts: { rows: job.rowsRead, created: job.created, alreadyImported: job.replayed, rejected: job.rejected, assigned: job.assigned, contactsCreated: extra.contactsCreated ?? 0, parentsLinked: extra.parentsLinked ?? 0 } } }
          : {}),
        onRejected: async (rows) => await insertImportErrors(db, job.id, rows),
        onProgress: async (p) => await save(p),
        cancelled: () => state.cancel,
      });
      await save(result, { status: result.cancelled ? 'cancelled' : 'done', error: null });
    } catch (error) {
      await endImportJob(db, job.id, 'failed', (error as Error).message.slice(0, 500), this.ctx.now().toISOString()).catch(() => undefined);
    }
  }

  /** Running in the database, but no run of this process holds it and its progress stopped: the server restarted under it. */
  interrupted(job: ImportJobRecord): boolean {
    return job.status === 'running' && !this.running.has(job.id) && this.ctx.now().getTime() - Date.parse(job.updatedAt) > STALE_MS;
  }

  async cancel(principal: Principal, id: string): Promise<ImportJobRecord> {
    const job = await this.get(principal, id);
    const run = this.running.get(id);
    if (run) {
      run.cancel = true;
      await run.done;
    } else if (job.status === 'uploaded' || this.interrupted(job)) await endImportJob(this.ctx.store.db, id, 'cancelled', null, this.ctx.now().toISOString());
    else throw new LeadRouterError('LR_ERR_CONFLICT', `An import that is ${job.status} cannot be cancelled`);
    return await this.get(principal, id);
  }

  /** The refused rows as CSV (row, field, code, message), read page by page. */
  async errorReport(principal: Principal, id: string): Promise<{ fileName: string; stream: Readable }> {
    const job = await this.get(principal, id);
    const db = this.ctx.store.db;
    async function* lines(): AsyncGenerator<string> {
      yield errorReportHeader();
      let after = 0;
      for (;;) {
        const page = await importErrorsPage(db, id, after, 2000);
        if (page.length === 0) return;
        // A page ends at a whole row: its last row's issues may go on in the next page.
        const lastRow = (page[page.length - 1] as { row: number }).row;
        const whole = page.length === 2000 ? page.filter((e) => e.row < lastRow) : page;
        const rows = whole.length > 0 ? whole : page;
        const byRow = new Map<number, Array<{ path: string; code: string; message: string }>>();
        for (const e of rows) byRow.set(e.row, [...(byRow.get(e.row) ?? []), { path: e.field, code: e.code, message: e.message }]);
        yield errorReportLines([...byRow].map(([row, issues]) => ({ row, issues })));
        after = (rows[rows.length - 1] as { row: number }).row;
      }
    }
    return { fileName: `${job.fileName.replace(/\.[^.]*$/, '')}-errors.csv`, stream: Readable.from(lines()) };
  }

  async presets(): Promise<ImportPresetRecord[]> {
    return await listImportPresets(this.ctx.store.db);
  }

  async savePreset(principal: Principal, input: { name: string; mapping: ColumnMapping }): Promise<ImportPresetRecord> {
    await upsertImportPreset(this.ctx.store.db, { id: this.ctx.newId(), name: input.name.trim(), mapping: input.mapping, createdBy: this.creatorOf(principal), at: this.ctx.now().toISOString() });
    return (await this.presets()).find((p) => p.name === input.name.trim()) as ImportPresetRecord;
  }

  async deletePreset(id: string): Promise<void> {
    if (!(await deleteImportPreset(this.ctx.store.db, id))) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No mapping preset ${id}`);
  }

  /** Waits for every run of this process to end: asked to stop after the chunk in flight. */
  async close(): Promise<void> {
    for (const run of this.running.values()) run.cancel = true;
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Waits for the runs in flight (tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  view(job: ImportJobRecord) {
    const status = this.interrupted(job) ? ('interrupted' as const) : job.status;
    const fraction = job.status === 'done' ? 1 : job.sizeBytes > 0 ? Math.min(1, job.bytesRead / job.sizeBytes) : 0;
    const seconds = job.runMs / 1000;
    const rowsPerSec = seconds > 0 ? Math.round(job.rowsRead / seconds) : 0;
    const secondsLeft = status === 'running' && fraction > 0.001 && seconds > 0 ? Math.round((seconds / fraction) * (1 - fraction)) : null;
    return {
      id: job.id,
      kind: job.kind,
      fileName: job.fileName,
      format: job.format,
      sizeBytes: job.sizeBytes,
      header: job.header,
      csv: job.csv,
      mapping: job.mapping,
      status,
      slaClocks: job.slaClocks,
      progress: {
        fraction,
        rowsRead: job.rowsRead,
        rowsPerSec,
        secondsLeft,
        created: job.created,
        alreadyImported: job.replayed,
        rejected: job.rejected,
        assigned: job.assigned,
        pooled: job.pooled,
        managersTold: job.kind === 'companies' ? 0 : Object.keys(job.byOwner).length,
        ...(job.kind === 'companies' ? { contactsCreated: job.byOwner.contactsCreated ?? 0, parentsLinked: job.byOwner.parentsLinked ?? 0 } : {}),
      },
      error: job.error,
      createdBy: job.createdBy,
      createdAt: job.createdAt,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
    };
  }
}

function checkMappingOf(job: ImportJobRecord, mapping: ColumnMapping): ColumnMapping {
  return job.kind === 'companies' ? checkCompanyMapping(mapping, job.header) : checkMapping(mapping, job.header);
}
