import type { TextEncodingName } from '../../core/intake/text-file.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError, type FieldIssue } from '../errors.js';
import { importScope, tellOwners } from '../intake/import-leads.js';
import type { LeadInput } from '../intake/lead-input.js';
import type { LeadIntake } from '../intake/lead-intake.js';
import { leadOfCells, validateLeadRow } from '../intake/parse-lead-file.js';
import { mappingReader, suggestMapping, type ColumnMapping } from './import-mapping.js';
import { fileHash, openLeadFile, type ImportFormat, type LeadFileReader } from './lead-file-stream.js';

/** Valid leads per intake request: the chunk an idempotency key covers (the same as the in-memory import, so its keys match). */
export const IMPORT_CHUNK = 500;

export interface ImportCounts {
  /** Data rows read (valid and rejected). */
  rows: number;
  created: number;
  /** Leads this file made before (a re-run, or the part done before an interruption): left as they are. */
  alreadyImported: number;
  rejected: number;
  assigned: number;
  pooled: number;
  /** Per manager, how many of the new leads became theirs. */
  byOwner: Record<string, number>;
}

export interface ImportProgress extends ImportCounts {
  /** Chunks of valid leads committed, in file order; a resumed run skips them. */
  chunksDone: number;
  /** The row number of the last row of the last committed chunk. */
  lastRow: number;
  bytesRead: number;
  size: number;
  elapsedMs: number;
}

export type RejectedRow = { row: number; issues: FieldIssue[] };

export interface StreamImportInput {
  path: string;
  format: ImportFormat;
  fileName: string;
  actor: string;
  slaClocks: boolean;
  /** Columns to fields; absent: suggested from the header, as intake reads a file by itself. */
  mapping?: ColumnMapping;
  encoding?: TextEncodingName;
  /** The file's hash when already known (an upload hashes it as it arrives). */
  hash?: string;
  /** Where an interrupted run stopped: its chunks are not sent again and its counts carry on. */
  resume?: { chunksDone: number; lastRow: number; counts: ImportCounts };
  /** Rows refused, in file order, after the chunk before them is committed (rows up to a resumed run's lastRow are not repeated). */
  onRejected?: (rows: RejectedRow[]) => Promise<void> | void;
  /** After each committed chunk, and at the end. */
  onProgress?: (p: ImportProgress) => Promise<void> | void;
  /** Intake requests in flight at once (1: the next chunk is read when the previous one is stored; more did not help on SQLite). */
  inFlight?: number;
  /** Stops after the chunk in flight when it turns true (a cancelled job). */
  cancelled?: () => boolean;
}

export interface StreamImportResult extends ImportProgress {
  reader: Pick<LeadFileReader, 'header' | 'csv'>;
  mapping: ColumnMapping;
  cancelled: boolean;
}

/**
 * Imports a file read row by row through the normal intake (matched, routed by the published
 * rules, stored), IMPORT_CHUNK valid leads per request under the idempotency key
 * `file:<sha-256 of the file>:<chunk>`: a re-run of the same file, or a run resumed after an
 * interruption, adds nothing twice. Memory stays bounded by the chunks in flight, whatever the
 * file's size: rows are pulled from the file only as fast as intake stores them. No message per
 * lead: each manager who got new leads is told once at the end (topic leads.imported), and SLA
 * clocks start only with `slaClocks`.
 */
export async function importLeadStream(ctx: AppContext, intake: LeadIntake, input: StreamImportInput): Promise<StreamImportResult> {
  const started = Date.now();
  const hash = input.hash ?? (await fileHash(input.path));
  const reader = await openLeadFile(input.path, input.format, input.encoding ? { encoding: input.encoding } : {});
  const mapping = input.mapping ?? suggestMapping(reader.header);
  const columns = mappingReader(mapping);
  const apiKeyId = await importScope(ctx);
  const inFlight = Math.max(1, input.inFlight ?? 1);
  const resume = input.resume;
  const counts: ImportCounts = resume ? { ...resume.counts, byOwner: { ...resume.counts.byOwner } } : { rows: 0, created: 0, alreadyImported: 0, rejected: 0, assigned: 0, pooled: 0, byOwner: {} };
  let chunksDone = resume?.chunksDone ?? 0;
  let lastRow = resume?.lastRow ?? 0;
  const progress = (): ImportProgress => ({ ...counts, byOwner: { ...counts.byOwner }, chunksDone, lastRow, bytesRead: reader.bytesRead(), size: reader.size, elapsedMs: Date.now() - started });

  const pending: Array<{ chunk: number; lastRow: number; rejected: RejectedRow[]; rowsRead: number; done: Promise<void> }> = [];
  let rowsRead = 0;
  const settle = async () => {
    const first = pending.shift();
    if (!first) return;
    await first.done;
    chunksDone = first.chunk + 1;
    lastRow = Math.max(lastRow, first.lastRow);
    counts.rows = Math.max(counts.rows, first.rowsRead);
    counts.rejected += first.rejected.length;
    if (first.rejected.length > 0) await input.onRejected?.(first.rejected);
    await input.onProgress?.(progress());
  };

  let chunk = 0;
  let leads: LeadInput[] = [];
  let rejected: RejectedRow[] = [];
  let chunkLastRow = 0;
  let cancelled = false;
  const send = async (): Promise<void> => {
    const number = chunk++;
    const batch = leads;
    const refused = rejected.filter((r) => r.row > (resume?.lastRow ?? 0));
    leads = [];
    rejected = [];
    if (number < (resume?.chunksDone ?? 0)) return;
    const done = batch.length === 0 ? Promise.resolve() : submit(batch, number);
    // Kept from becoming an unhandled rejection while it waits its turn; settle() rethrows it.
    done.catch(() => undefined);
    pending.push({ chunk: number, lastRow: chunkLastRow, rejected: refused, rowsRead, done });
    if (pending.length >= inFlight) await settle();
  };
  const submit = async (batch: LeadInput[], number: number): Promise<void> => {
    try {
      const outcomes = await intake.accept({ leads: batch, apiKeyId, idempotencyKey: `file:${hash}:${number}`, actor: input.actor, bulk: { slaClocks: input.slaClocks } });
      for (const o of outcomes) {
        if (o.status === 'replayed') counts.alreadyImported++;
        else counts.created++;
        if (o.lead.ownerId) counts.assigned++;
        else counts.pooled++;
        if (o.status === 'created' && o.lead.ownerId) counts.byOwner[o.lead.ownerId] = (counts.byOwner[o.lead.ownerId] ?? 0) + 1;
      }
    } catch (error) {
      // The same file imported before with another mapping: its rows are there already, and stay as they are.
      if (error instanceof LeadRouterError && error.code === 'LR_ERR_IDEMPOTENCY_MISMATCH') counts.alreadyImported += batch.length;
      else throw error;
    }
  };

  for await (const { row, cells } of reader.rows) {
    rowsRead++;
    chunkLastRow = row;
    const checked = validateLeadRow(leadOfCells(cells, columns));
    if (checked.ok) leads.push(checked.lead);
    else rejected.push({ row, issues: checked.issues });
    if (leads.length >= IMPORT_CHUNK) {
      await send();
      if (input.cancelled?.()) {
        cancelled = true;
        break;
      }
    }
  }
  if (!cancelled && (leads.length > 0 || rejected.length > 0)) await send();
  while (pending.length > 0) await settle();
  counts.rows = Math.max(counts.rows, rowsRead);
  if (!cancelled) await tellOwners(ctx, counts.byOwner, input.fileName);
  const result = { ...progress(), reader: { header: reader.header, ...(reader.csv ? { csv: reader.csv } : {}) }, mapping, cancelled };
  await input.onProgress?.(result);
  return result;
}
