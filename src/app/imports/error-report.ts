import type { FieldIssue } from '../errors.js';

/**
 * The error report of an import: one line per problem of a refused row (row, field, code,
 * message), UTF-8 with a byte-order mark so Excel opens it right, comma-separated, CRLF lines,
 * as the report exports are.
 */
export function errorReportHeader(): string {
  return '\uFEFFrow,field,code,message\r\n';
}

export function errorReportLines(rows: Array<{ row: number; issues: FieldIssue[] }>): string {
  let out = '';
  for (const r of rows) for (const i of r.issues) out += `${r.row},${cell(i.path)},${cell(i.code)},${cell(i.message)}\r\n`;
  return out;
}

function cell(value: string): string {
  // A cell Excel would run as a formula is kept as text.
  const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
