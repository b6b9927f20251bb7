import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { leadFieldOf, numberFromText } from '../../core/intake/field-names.js';
import { decodeText, detectDelimiter, type TextEncodingName } from '../../core/intake/text-file.js';
import type { FieldIssue } from '../errors.js';
import { unstorableValueProblem } from '../storable-text.js';
import { LEAD_INPUT_FIELDS, leadInputSchema, type LeadInput } from './lead-input.js';

const NUMERIC = new Set(['companySize', 'dealValue', 'score']);
const LIST = new Set(['productInterest', 'phones', 'emails']);

export interface ParsedLeadFile {
  leads: LeadInput[];
  /** The row each lead came from, as the spreadsheet numbers it (JSON: its place in the list, from 1). */
  rows: number[];
  rejected: Array<{ row: number; issues: FieldIssue[] }>;
  /** Columns (of a CSV or a workbook) that are not intake fields (an export's own id or notes), left out of every lead. */
  ignoredColumns: string[];
  /** Columns read as an intake field by their name («Телефон» → phone, `utm_source` → utm.source). */
  mappedColumns: Array<{ column: string; field: string }>;
  /** How a CSV was read: its encoding and delimiter. */
  csv?: { encoding: TextEncodingName; delimiter: string };
}

/**
 * Reads leads from CSV (a header row naming API fields; `custom.<key>` columns become custom
 * fields; lists separated by `;`) or from JSON (an array of leads or `{ leads: [...] }`).
 * Rows that do not validate are reported by row number, never silently dropped.
 */
export function parseLeadFile(content: string | Uint8Array, format: 'csv' | 'json', options: { encoding?: TextEncodingName } = {}): ParsedLeadFile {
  if (format === 'json') {
    const text = typeof content === 'string' ? content : decodeText(content, options.encoding).text;
    return validateRows({ rows: jsonRows(text).map((value, index) => ({ row: index + 1, value })), columns: new ColumnReader() });
  }
  const decoded = typeof content === 'string' ? { text: content, encoding: 'utf-8' as const } : decodeText(content, options.encoding);
  const delimiter = detectDelimiter(decoded.text);
  return { ...validateRows(csvRows(decoded.text, delimiter)), csv: { encoding: decoded.encoding, delimiter } };
}

/**
 * Reads leads from an .xlsx workbook: its first sheet, whose first row names the fields as a CSV
 * header does. Numbers stay numbers, dates become ISO text (a date alone as yyyy-mm-dd), empty
 * cells are left out, and rows are numbered as the spreadsheet shows them (empty rows count).
 * Throws, with a message for a person, when the bytes are not a workbook.
 */
export async function parseLeadWorkbook(bytes: Uint8Array): Promise<ParsedLeadFile> {
  return validateRows(await workbookRows(bytes));
}

function validateRows({ rows, columns }: { rows: Array<{ row: number; value: unknown }>; columns: ColumnReader }): ParsedLeadFile {
  const leads: LeadInput[] = [];
  const accepted: number[] = [];
  const rejected: ParsedLeadFile['rejected'] = [];
  for (const { row, value } of rows) {
    const checked = validateLeadRow(value);
    if (checked.ok) {
      leads.push(checked.lead);
      accepted.push(row);
    } else rejected.push({ row, issues: checked.issues });
  }
  return { leads, rows: accepted, rejected, ignoredColumns: [...columns.ignored], mappedColumns: [...columns.mapped].map(([column, field]) => ({ column, field })) };
}

/** One row's lead body checked as intake checks it: the lead, or every problem named by its field. */
export function validateLeadRow(value: unknown): { ok: true; lead: LeadInput } | { ok: false; issues: FieldIssue[] } {
  const textProblem = unstorableValueProblem(value);
  if (textProblem) return { ok: false, issues: [{ path: '(row)', code: 'invalid_character', message: textProblem }] };
  const parsed = leadInputSchema.safeParse(value);
  if (parsed.success) return { ok: true, lead: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.flatMap((i): FieldIssue[] =>
      // One issue per unknown column or key, named, rather than one for the whole row.
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ path: [...i.path, k].join('.'), code: i.code, message: `Unrecognized key: ${JSON.stringify(k)}` }))
        : [{ path: i.path.join('.') || '(row)', code: i.code, message: i.message }],
    ),
  };
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
function csvRows(content: string, delimiter: string): { rows: Array<{ row: number; value: unknown }>; columns: ColumnReader } {
  const columns = new ColumnReader();
  const records = parse(content, { columns: true, delimiter, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true, info: true }) as Array<{
    record: Record<string, string>;
    info: { records: number; empty_lines: number };
  }>;
  const rows = records
    // A row of empty cells (`;;;;`, how spreadsheets export a blank row) is a blank line, not a lead to refuse.
    .filter(({ record }) => Object.values(record).some((v) => v !== ''))
    .map(({ record, info }) => ({ row: info.records + info.empty_lines + 1, value: leadOfCells(Object.entries(record), columns) }));
  return { rows, columns };
}

export type Cell = string | number | boolean;

/**
 * One row's cells (column name, value) as the intake body they stand for. Text is read as a CSV
 * field is; a spreadsheet's numbers and booleans are kept where the field takes them (numeric
 * fields, custom fields) and written out as text elsewhere (a phone typed as a number).
 */
export function leadOfCells(cells: Array<[string, Cell | undefined]>, columns: { fieldOf(column: string, present: ReadonlySet<string>): string | null }): Record<string, unknown> {
  const lead: Record<string, unknown> = {};
  const custom: Record<string, Cell> = {};
  const utm: Record<string, string> = {};
  const present = new Set(cells.map(([column]) => column));
  for (const [column, value] of cells) {
    if (value === '' || value === undefined) continue;
    const field = columns.fieldOf(column, present);
    if (field === null) continue;
    if (field.startsWith('custom.')) custom[field.slice('custom.'.length)] = value;
    else if (field.startsWith('utm.')) utm[field.slice('utm.'.length)] = String(value);
    else if (NUMERIC.has(field)) lead[field] = typeof value === 'string' ? toNumber(value) : value;
    else if (LIST.has(field)) lead[field] = String(value).split(';').map((v) => v.trim()).filter(Boolean);
    else lead[field] = typeof value === 'string' ? value : String(value);
  }
  if (Object.keys(custom).length > 0) lead.custom = custom;
  if (Object.keys(utm).length > 0) lead.utm = utm;
  return lead;
}

/**
 * Which intake field each column feeds: its own name (`phone`, `custom.tariff`), else the name
 * people give it («Телефон», «ИНН», `utm_source`), unless a column of that field's own name is
 * there too; the rest are reported as ignored.
 */
class ColumnReader {
  readonly ignored = new Set<string>();
  readonly mapped = new Map<string, string>();

  fieldOf(column: string, present: ReadonlySet<string>): string | null {
    if (column.startsWith('custom.') || LEAD_INPUT_FIELDS.has(column)) return column;
    const field = leadFieldOf(column);
    const known = this.mapped.get(column);
    if (known !== undefined) return known;
    // A second column meaning the same field («Телефон» and «Мобильный») does not overwrite the first: it is reported.
    const taken = field !== null && [...this.mapped].some(([other, f]) => f === field && other !== column && present.has(other));
    if (field === null || present.has(field) || taken) {
      this.ignored.add(column);
      return null;
    }
    this.mapped.set(column, field);
    return field;
  }
}

/** The first sheet's rows after the header, each with its row number in the sheet. */
async function workbookRows(bytes: Uint8Array): Promise<{ rows: Array<{ row: number; value: unknown }>; columns: ColumnReader }> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new Error('the file is not an .xlsx workbook (an older .xls or another file? Save it as .xlsx or CSV)');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the workbook has no sheet');
  const header = new Map<number, string>();
  const columns = new ColumnReader();
  const rows: Array<{ row: number; value: unknown }> = [];
  let headerRead = false;
  sheet.eachRow((row, rowNumber) => {
    // The first row with anything in it names the fields.
    if (!headerRead) {
      headerRead = true;
      row.eachCell((cell, column) => {
        const name = textOf(cell.value).trim();
        if (name !== '') header.set(column, name);
      });
      return;
    }
    const cells: Array<[string, Cell | undefined]> = [];
    row.eachCell((cell, column) => {
      const name = header.get(column);
      if (name !== undefined) cells.push([name, cellOf(cell.value)]);
    });
    rows.push({ row: rowNumber, value: leadOfCells(cells, columns) });
  });
  if (header.size === 0) throw new Error('the first sheet is empty: its first row should name lead fields (name, phone, region…)');
  return { rows, columns };
}

/** A cell's value as intake reads it: text trimmed, numbers and booleans as they are, dates in ISO, formulas by their result. */
export function cellOf(value: ExcelJS.CellValue): Cell | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.trim();
  if (value instanceof Date) return isoOf(value);
  if ('formula' in value || 'sharedFormula' in value) return cellOf((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('error' in value) return value.error;
  return textOf(value).trim();
}

/** Spreadsheet dates carry no zone: read as written, a date alone as yyyy-mm-dd. */
function isoOf(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

/** The text of a cell: rich text run by run, a hyperlink by its text. */
export function textOf(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (value instanceof Date) return isoOf(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return textOf(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return textOf((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('error' in value) return value.error;
  return '';
}

/** "1 500,50" → 1500.5; text that is no number (or an ambiguous "250,000") stays text, so validation names what was sent. */
function toNumber(value: string): number | string {
  return numberFromText(value) ?? value;
}
