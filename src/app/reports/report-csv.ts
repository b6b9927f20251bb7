import { Readable } from 'node:stream';
import { LeadRouterError } from '../errors.js';

/**
 * CSV export of one table of a report: UTF-8 with a byte-order mark (so Excel opens Cyrillic
 * names right), comma-separated, CRLF lines, produced row by row as a stream. A nested table
 * (a rule's managers) is flattened: each inner row carries its outer row's plain fields,
 * prefixed with the outer table's name.
 */
export const BOM = '\uFEFF';

type Scalar = string | number | boolean | null;
type Row = Record<string, unknown>;

function isScalar(v: unknown): v is Scalar {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** The tables (arrays of objects) a report has, by name: what `section` may name. */
export function csvSections(report: Record<string, unknown>): string[] {
  return Object.entries(report)
    .filter(([, v]) => Array.isArray(v))
    .map(([k]) => k);
}

function flatRows(rows: unknown[], prefix: string | null): Row[] {
  const out: Row[] = [];
  for (const raw of rows) {
    if (raw === null || typeof raw !== 'object') continue;
    const row = raw as Row;
    const plain: Row = {};
    let nested: [string, unknown[]] | null = null;
    for (const [k, v] of Object.entries(row)) {
      if (isScalar(v)) plain[prefix ? `${prefix}.${k}` : k] = v;
      else if (Array.isArray(v) && nested === null && v.some((x) => x !== null && typeof x === 'object')) nested = [k, v];
      else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        for (const [k2, v2] of Object.entries(v as Row)) if (isScalar(v2)) plain[`${prefix ? `${prefix}.` : ''}${k}.${k2}`] = v2;
      }
    }
    if (nested === null) {
      out.push(plain);
      continue;
    }
    const inner = flatRows(nested[1], null);
    if (inner.length === 0) out.push(plain);
    for (const r of inner) out.push({ ...plain, ...r });
  }
  return out;
}

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  let s = String(v);
  // A cell a spreadsheet would run as a formula is written as text.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One table of a report, flattened: its columns in first-seen order and its rows; 400 naming the tables there are when `section` is not one. */
export function reportTable(report: Record<string, unknown>, section: string): { columns: string[]; rows: Row[] } {
  const sections = csvSections(report);
  const rows = report[section];
  if (!Array.isArray(rows)) {
    throw new LeadRouterError('LR_ERR_VALIDATION', `section: "${section}" is not a table of this report; one of ${sections.join(', ')}`, [
      { path: 'section', code: 'unknown_section', message: `one of ${sections.join(', ')}` },
    ]);
  }
  const flat = flatRows(rows, section === 'byRule' ? 'rule' : null);
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of flat) {
    for (const k of Object.keys(r)) {
      if (seen.has(k)) continue;
      seen.add(k);
      columns.push(k);
    }
  }
  return { columns, rows: flat };
}

/** The table as a stream of CSV text. */
export function reportCsv(report: Record<string, unknown>, section: string): Readable {
  const { columns, rows: flat } = reportTable(report, section);
  function* lines(): Generator<string> {
    yield `${BOM}${columns.map(csvCell).join(',')}\r\n`;
    for (const r of flat) yield `${columns.map((c) => csvCell(r[c])).join(',')}\r\n`;
  }
  return Readable.from(lines());
}
