import { leadFieldOf } from '../../core/intake/field-names.js';
import { LeadRouterError, type FieldIssue } from '../errors.js';
import { LEAD_INPUT_FIELDS } from '../intake/lead-input.js';

/** Which lead field each column of a file feeds; null: the column is left out. */
export type ColumnMapping = Record<string, string | null>;

const UTM_PARTS = new Set(['source', 'medium', 'campaign', 'term', 'content']);
const CUSTOM = /^custom\.[A-Za-z0-9_.-]{1,64}$/;

/** The fields a column may be mapped to (besides `custom.<key>`), in the order a person picks them. */
export const IMPORT_FIELDS: readonly string[] = [
  ...['name', 'phone', 'email', 'companyName', 'taxId', 'website', 'region', 'country', 'industry', 'companySize', 'dealValue', 'productInterest', 'source', 'channel', 'campaign', 'comment', 'language', 'score', 'priority', 'phones', 'emails'].filter((f) => LEAD_INPUT_FIELDS.has(f)),
  ...[...UTM_PARTS].map((p) => `utm.${p}`),
];

export function isImportField(field: string): boolean {
  if (field.startsWith('utm.')) return UTM_PARTS.has(field.slice(4));
  return CUSTOM.test(field) || (LEAD_INPUT_FIELDS.has(field) && field !== 'utm' && field !== 'custom');
}

/**
 * The mapping the app suggests from a header, as intake reads a file by itself: a column named
 * as a field (`phone`, `custom.tariff`) feeds it, else the name people give it («Телефон»,
 * «ИНН», `utm_source`) unless a column of the field's own name or an earlier column takes it.
 */
export function suggestMapping(header: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const own = new Set(header.filter((c) => isImportField(c)));
  const taken = new Set<string>(own);
  for (const column of header) {
    if (column in mapping) continue;
    if (own.has(column)) {
      mapping[column] = column;
      continue;
    }
    const field = leadFieldOf(column);
    if (field !== null && !taken.has(field)) {
      mapping[column] = field;
      taken.add(field);
    } else mapping[column] = null;
  }
  return mapping;
}

/** A mapping checked against the file's header: known columns, known fields, no field fed twice. */
export function checkMapping(mapping: ColumnMapping, header: readonly string[]): ColumnMapping {
  const issues: FieldIssue[] = [];
  const columns = new Set(header);
  const seen = new Map<string, string>();
  for (const [column, field] of Object.entries(mapping)) {
    if (!columns.has(column)) issues.push({ path: `mapping.${column}`, code: 'unknown_column', message: `The file has no column «${column}»` });
    if (field === null) continue;
    if (!isImportField(field)) issues.push({ path: `mapping.${column}`, code: 'unknown_field', message: `«${field}» is no lead field (name, phone, email, companyName, custom.<key> …)` });
    const other = seen.get(field);
    if (other !== undefined) issues.push({ path: `mapping.${column}`, code: 'field_taken', message: `Column «${other}» already feeds ${field}` });
    seen.set(field, column);
  }
  if (issues.length > 0) throw new LeadRouterError('LR_ERR_VALIDATION', issues.map((i) => i.message).join('; '), issues);
  if (![...seen.keys()].some((f) => ['name', 'phone', 'email', 'companyName', 'phones', 'emails'].includes(f))) {
    throw new LeadRouterError('LR_ERR_VALIDATION', 'Map a column to name, phone, email or companyName: a lead needs one of them', [{ path: 'mapping', code: 'no_contact_field', message: 'a lead needs name, phone, email or companyName' }]);
  }
  // Columns the mapping does not name are left out.
  return Object.fromEntries(header.map((c) => [c, mapping[c] ?? null]));
}

/** A mapping as the cell reader asks it: the field of a column, or null. */
export function mappingReader(mapping: ColumnMapping): { fieldOf(column: string): string | null } {
  return { fieldOf: (column) => mapping[column] ?? null };
}
