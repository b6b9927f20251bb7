import { parse } from 'csv-parse/sync';
import type { FieldIssue } from '../errors.js';
import { leadInputSchema, type LeadInput } from './lead-input.js';

const NUMERIC = new Set(['companySize', 'dealValue', 'score']);
const LIST = new Set(['productInterest', 'phones', 'emails']);

export interface ParsedLeadFile {
  leads: LeadInput[];
  rejected: Array<{ row: number; issues: FieldIssue[] }>;
}

/**
 * Reads leads from CSV (a header row naming API fields; `custom.<key>` columns become custom
 * fields; lists separated by `;`) or from JSON (an array of leads or `{ leads: [...] }`).
 * Rows that do not validate are reported by row number, never silently dropped.
 */
export function parseLeadFile(content: string, format: 'csv' | 'json'): ParsedLeadFile {
  const rows: unknown[] = format === 'json' ? jsonRows(content) : csvRows(content);
  const leads: LeadInput[] = [];
  const rejected: ParsedLeadFile['rejected'] = [];
  rows.forEach((row, index) => {
    const parsed = leadInputSchema.safeParse(row);
    if (parsed.success) leads.push(parsed.data);
    else {
      rejected.push({
        row: format === 'csv' ? index + 2 : index,
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(row)', code: i.code, message: i.message })),
      });
    }
  });
  return { leads, rejected };
}

function jsonRows(content: string): unknown[] {
  const data: unknown = JSON.parse(content);
  if (Array.isArray(data)) return data;
  if (data && typeof data === 'object' && Array.isArray((data as { leads?: unknown }).leads)) return (data as { leads: unknown[] }).leads;
  throw new Error('A JSON lead file holds an array of leads or { "leads": [...] }');
}

function csvRows(content: string): unknown[] {
  const records = parse(content, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true }) as Array<Record<string, string>>;
  return records.map((record) => {
    const lead: Record<string, unknown> = {};
    const custom: Record<string, string> = {};
    for (const [column, value] of Object.entries(record)) {
      if (value === '' || value === undefined) continue;
      if (column.startsWith('custom.')) custom[column.slice('custom.'.length)] = value;
      else if (NUMERIC.has(column)) lead[column] = Number(value.replace(',', '.'));
      else if (LIST.has(column)) lead[column] = value.split(';').map((v) => v.trim()).filter(Boolean);
      else lead[column] = value;
    }
    if (Object.keys(custom).length > 0) lead.custom = custom;
    return lead;
  });
}
