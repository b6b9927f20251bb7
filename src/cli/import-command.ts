import { createWriteStream, type WriteStream } from 'node:fs';
import { basename } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { errorReportHeader, errorReportLines } from '../app/imports/error-report.js';
import { formatOfName, openLeadFile } from '../app/imports/lead-file-stream.js';
import { mappingReader, suggestMapping } from '../app/imports/import-mapping.js';
import type { RejectedRow } from '../app/imports/stream-import.js';
import { leadOfCells, validateLeadRow } from '../app/intake/parse-lead-file.js';
import type * as Bootstrap from './bootstrap.js';
import { ProgressBar } from './import-progress.js';

export interface ImportOptions {
  dryRun: boolean;
  sla: boolean;
  errors?: string;
}

const SHOWN_ERRORS = 50;

/**
 * A full garbage collection every few chunks (≈ every 2,000 rows, a few ms each). Each stored
 * chunk leaves tens of megabytes of short-lived records that outlive the young generation, and V8
 * lets the old generation grow to several times what is live before collecting it: a long import
 * then held 350 MB instead of the ≈ 200 MB it needs. The CLI runs nothing else, so the pauses cost
 * nobody; the server (imports in the web app) is left to V8's own schedule.
 */
const COLLECT_EVERY_CHUNKS = 4;
const collect = ((): (() => void) | null => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
})();

/**
 * `leadrouter import <file>`: a CSV or .xlsx streamed row by row (a file of a million rows is
 * never in memory whole), with a progress bar on stderr; JSON files are read whole as before.
 */
export async function importCommand(file: string, o: ImportOptions, runtimeModule: () => Promise<typeof Bootstrap>): Promise<void> {
  if (file.toLowerCase().endsWith('.json')) return await importJson(file, o, runtimeModule);
  const format = formatOfName(file);
  const reader = await openLeadFile(file, format);
  const mapping = suggestMapping(reader.header);
  const read: string[] = [];
  if (reader.csv) read.push(`read as ${reader.csv.encoding.toUpperCase()}, fields separated by ${reader.csv.delimiter === '\t' ? 'tabs' : `"${reader.csv.delimiter}"`}`);
  const byName = Object.entries(mapping).filter(([column, field]) => field !== null && field !== column);
  if (byName.length) read.push(`columns read by name: ${byName.map(([c, f]) => `${c} → ${f}`).join(', ')}`);
  console.error(read.join('; '));
  const ignored = Object.entries(mapping).filter(([, f]) => f === null).map(([c]) => c);
  if (ignored.length) console.error(`ignored columns (not intake fields): ${ignored.join(', ')}`);

  const report = o.errors ? createWriteStream(o.errors) : null;
  report?.write(errorReportHeader());
  let shown = 0;
  const tell = async (rows: RejectedRow[]) => {
    for (const r of rows) {
      if (shown++ < SHOWN_ERRORS) console.error(`row ${r.row}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
      else if (shown === SHOWN_ERRORS + 1 && !report) console.error('… more rejected rows: --errors <file.csv> writes them all');
    }
    if (report) await write(report, errorReportLines(rows));
  };
  const bar = new ProgressBar();
  try {
    if (o.dryRun) {
      const started = Date.now();
      const columns = mappingReader(mapping);
      let rows = 0;
      let valid = 0;
      let batch: RejectedRow[] = [];
      for await (const { row, cells } of reader.rows) {
        rows++;
        const checked = validateLeadRow(leadOfCells(cells, columns));
        if (checked.ok) valid++;
        else batch.push({ row, issues: checked.issues });
        if (batch.length >= 100) {
          await tell(batch);
          batch = [];
        }
        if (rows % 1000 === 0) bar.update({ rows, bytesRead: reader.bytesRead(), size: reader.size, elapsedMs: Date.now() - started });
      }
      await tell(batch);
      bar.done();
      console.log(`${valid} valid rows, ${rows - valid} rejected (dry run: nothing stored)`);
      return;
    }
    const [{ openRuntime }, { importLeadStream }, { LeadIntake }] = await Promise.all([runtimeModule(), import('../app/imports/stream-import.js'), import('../app/intake/lead-intake.js')]);
    const runtime = await openRuntime();
    const intake = new LeadIntake(runtime.ctx);
    try {
      const s = await importLeadStream(runtime.ctx, intake, {
        path: file,
        format,
        fileName: basename(file),
        actor: `cli:import ${file}`,
        slaClocks: o.sla,
        mapping,
        onRejected: tell,
        onProgress: (p) => {
          bar.update(p);
          if (p.chunksDone % COLLECT_EVERY_CHUNKS === 0) collect?.();
        },
      });
      bar.update(s, true);
      bar.done();
      console.log(`${s.rows - s.rejected} valid rows, ${s.rejected} rejected`);
      console.log(`Imported ${s.created} leads${s.alreadyImported ? ` (${s.alreadyImported} were imported from this file before and are left as they are)` : ''}: ${s.assigned} assigned, ${s.pooled} in the pool`);
      const told = Object.keys(s.byOwner).length;
      if (told > 0) console.log(`${told} ${told === 1 ? 'manager was' : 'managers were'} told once each how many leads are now theirs${o.sla ? '' : '; no SLA clocks were started (--sla starts them)'}`);
    } finally {
      await intake.close();
      await runtime.close();
    }
  } finally {
    if (report) await new Promise<void>((resolve) => report.end(resolve));
  }
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
}

async function importJson(file: string, o: ImportOptions, runtimeModule: () => Promise<typeof Bootstrap>): Promise<void> {
  const { readLeadFile } = await import('./lead-file.js');
  const parsed = await readLeadFile(file);
  for (const r of parsed.rejected) console.error(`row ${r.row}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  console.log(`${parsed.leads.length} valid rows, ${parsed.rejected.length} rejected`);
  if (o.dryRun || parsed.leads.length === 0) return;
  const [{ openRuntime }, { importLeadFile }, { LeadIntake }] = await Promise.all([runtimeModule(), import('../app/intake/import-leads.js'), import('../app/intake/lead-intake.js')]);
  const runtime = await openRuntime();
  try {
    const s = await importLeadFile(runtime.ctx, new LeadIntake(runtime.ctx), { content: parsed.content, leads: parsed.leads, actor: `cli:import ${file}`, fileName: basename(file), slaClocks: o.sla });
    console.log(`Imported ${s.created} leads${s.alreadyImported ? ` (${s.alreadyImported} were imported from this file before and are left as they are)` : ''}: ${s.assigned} assigned, ${s.pooled} in the pool`);
  } finally {
    await runtime.close();
  }
}
