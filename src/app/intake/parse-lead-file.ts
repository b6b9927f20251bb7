import { parse } from 'csv-parse/sync';
import type { FieldIssue } from '../errors.js';
import { unstorableValueProblem } from '../storable-text.js';
import { LEAD_INPUT_FIELDS, leadInputSchema, type LeadInput } from './lead-input.js';

const NUMERIC = new Set(['companySize', 'dealValue', 'score']);
const LIST = new Set(['productInterest', 'phones', 'emails']);

export interface ParsedLeadFile {
  leads: LeadInput[];
  rejected: Array<{ row: number; issues: FieldIssue[] }>;
  /** CSV columns that are not intake fields (an export's own id or notes), left out of every lead. */
  ignoredColumns: string[];
}

/**
 * Reads leads from CSV (a header row naming API fields; `custom.<key>` columns become custom
 * fields; lists separated by `;`) or from JSON (an array of leads or `{ leads: [...] }`).
 * Rows that do not validate are reported by row number, never silently dropped.
 */
export function parseLeadFile(content: string, format: 'csv' | 'json'): ParsedLeadFile {
  const { rows, ignoredColumns } = format === 'json' ? { rows: jsonRows(content).map((value, index) => ({ row: index + 1, value })), ignoredColumns: [] } : csvRows(content);
  const leads: LeadInput[] = [];
  const rejected: ParsedLeadFile['rejected'] = [];
  for (const { row, value } of rows) {
    const textProblem = unstorableValueProblem(value);
    if (textProblem) {
      rejected.push({ row, issues: [{ path: '(row)', code: 'invalid_character', message: textProblem }] });
      continue;
    }
    const parsed = leadInputSchema.safeParse(value);
    if (parsed.success) leads.push(parsed.data);
    else {
      rejected.push({
        row,
        issues: parsed.error.issues.flatMap((i): FieldIssue[] =>
          // One issue per unknown column or key, named, rather than one for the whole row.
          i.code === 'unrecognized_keys'
            ? i.keys.map((k) => ({ path: [...i.path, k].join('.'), code: i.code, message: `Unrecognized key: ${JSON.stringify(k)}` }))
            : [{ path: i.path.join('.') || '(row)', code: i.code, message: i.message }],
        ),
      });
    }
  }
  return { leads, rejected, ignoredColumns };
}

function jsonRows(content: string): unknown[] {
  const data: unknown = JSON.parse(content);
  if (Array.isArray(data)) return data;
  if (data && typeof data === 'object' && Array.isArray((data as { leads?: unknown }).leads)) return (data as { leads: unknown[] }).leads;
  throw new Error('A JSON lead file holds an array of leads or { "leads": [...] }');
}

/**
 * Rows numbered as a spreadsheet shows them: the header is row 1 and skipped blank lines still
 * count. JSON rows are numbered from 1 too, in list order.
 */
function csvRows(content: string): { rows: Array<{ row: number; value: unknown }>; ignoredColumns: string[] } {
  const ignored = new Set<string>();
  const records = parse(content, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true, info: true }) as Array<{
    record: Record<string, string>;
    info: { records: number; empty_lines: number };
  }>;
  const rows = records.map(({ record, info }) => {
    const lead: Record<string, unknown> = {};
    const custom: Record<string, string> = {};
    for (const [column, value] of Object.entries(record)) {
      if (value === '' || value === undefined) continue;
      if (column.startsWith('custom.')) custom[column.slice('custom.'.length)] = value;
      else if (!LEAD_INPUT_FIELDS.has(column)) ignored.add(column);
      else if (NUMERIC.has(column)) lead[column] = toNumber(value);
      else if (LIST.has(column)) lead[column] = value.split(';').map((v) => v.trim()).filter(Boolean);
      else lead[column] = value;
    }
    if (Object.keys(custom).length > 0) lead.custom = custom;
    return { row: info.records + info.empty_lines + 1, value: lead };
  });
  return { rows, ignoredColumns: [...ignored] };
}

/** "1 500,50" → 1500.5; text that is no number stays text, so validation names what was sent. */
function toNumber(value: string): number | string {
  const n = Number(value.replace(/[\s\u00a0]/g, '').replace(',', '.'));
  return Number.isFinite(n) ? n : value;
}
