import { readFileSync } from 'node:fs';
import { simulateRouting, type SimulationReport, type SimulationSource } from '../app/routing/simulate-routing.js';
import { openRuntime } from './bootstrap.js';
import { howRead, readLeadFile } from './lead-file.js';

export interface SimulateOptions {
  file?: string;
  from?: string;
  to?: string;
  version?: string;
  draft?: string;
  json?: boolean;
  /** When leads from a file are taken to arrive (working hours are checked then); default now. */
  at?: string;
}

export async function simulateCommand(options: SimulateOptions): Promise<void> {
  const runtime = await openRuntime();
  try {
    let source: SimulationSource;
    let rejected = 0;
    if (options.file) {
      const parsed = await readLeadFile(options.file);
      rejected = parsed.rejected.length;
      const read = howRead(parsed);
      if (read) console.error(read);
      if (parsed.ignoredColumns.length) console.error(`ignored columns (not intake fields): ${parsed.ignoredColumns.join(', ')}`);
      for (const r of parsed.rejected.slice(0, 10)) console.error(`row ${r.row}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
      const at = options.at === undefined ? undefined : new Date(options.at);
      if (at && Number.isNaN(at.getTime())) throw new Error('--at takes an instant such as 2026-12-07T10:00:00+03:00');
      source = { kind: 'inputs', leads: parsed.leads, rows: parsed.rows, ...(at ? { at } : {}) };
    } else {
      if (options.at) throw new Error('--at applies to --file; stored leads arrive when they arrived');
      const to = options.to ? new Date(options.to) : runtime.ctx.now();
      const from = options.from ? new Date(options.from) : new Date(to.getTime() - 30 * 86_400_000);
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new Error('--from and --to take dates such as 2026-11-01');
      source = { kind: 'stored', from: from.toISOString(), to: to.toISOString() };
    }
    const report = await simulateRouting(runtime.ctx, {
      ...(options.version ? { version: Number(options.version) } : {}),
      ...(options.draft ? { definition: JSON.parse(readFileSync(options.draft, 'utf8')) as unknown } : {}),
      source,
    });
    if (options.json) console.log(JSON.stringify({ ...report, rejected }, null, 2));
    else printReport(report, rejected);
  } finally {
    await runtime.close();
  }
}

function printReport(report: SimulationReport, rejected: number): void {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  console.log(`Rule set: ${report.ruleSetVersion === null ? 'unsaved draft' : `version ${report.ruleSetVersion}`}`);
  console.log(`Leads: ${report.leads} (assigned ${report.assigned}, pool ${report.pool}${rejected ? `, ${rejected} rows rejected` : ''})`);
  console.log('');
  console.log(`${'Manager'.padEnd(36)} ${'Leads'.padStart(6)} ${'Share'.padStart(7)} ${'Target'.padStart(7)} ${'Max dev'.padStart(8)}`);
  for (const m of report.perManager) {
    console.log(`${m.name.slice(0, 36).padEnd(36)} ${String(m.count).padStart(6)} ${pct(m.share).padStart(7)} ${pct(m.targetShare).padStart(7)} ${m.maxDeviation.toFixed(2).padStart(8)}`);
  }
  console.log('');
  console.log(`Largest deviation from the fair share at any point: ${report.maxDeviation.toFixed(2)} leads`);
  for (const f of report.fairness) console.log(`  rule ${f.ruleId}: ${f.leads} leads, max deviation ${f.maxDeviation.toFixed(2)}`);
  if (report.truncated) console.log('Only the newest 100,000 leads of the period were replayed.');
  console.log(`By rule: ${Object.entries(report.byRule).map(([k, v]) => `${k}=${v}`).join(', ') || '-'}`);
  console.log(`Fell to the fallback: ${report.fallback.count} ${JSON.stringify(report.fallback.reasons)}`);
  for (const e of report.fallback.examples.slice(0, 5)) console.log(`  #${e.index}: ${e.summary}`);
}
