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

/** What a file's columns may feed: lead fields for lead imports, company fields for a client base. */
export interface MappingTarget {
  isField(field: string): boolean;
  /** The field a column feeds by the name people give it («Телефон», «ИНН», `utm_source`), or null. */
  fieldOfHeader(column: string): string | null;
  /** The fields named in an error, e.g. "name, phone, email, companyName, custom.<key> …". */
  fieldsHint: string;
  /** "lead" or "company", for the error's words. */
  noun: string;
}

const LEAD_TARGET: MappingTarget = { isField: isImportField, fieldOfHeader: leadFieldOf, fieldsHint: 'name, phone, email, companyName, custom.<key> …', noun: 'lead' };

/**
 * The mapping the app suggests from a header, as intake reads a file by itself: a column named
 * as a field (`phone`, `custom.tariff`) feeds it, else the name people give it («Телефон»,
 * «ИНН», `utm_source`) unless a column of the field's own name or an earlier column takes it.
 */
export function suggestMappingFor(header: readonly string[], target: MappingTarget): ColumnMapping {
  const mapping: ColumnMapping = {};
  const own = new Set(header.filter((c) => target.isField(c)));
  const taken = new Set<string>(own);
  for (const column of header) {
    if (column in mapping) continue;
    if (own.has(column)) {
      mapping[column] = column;
      continue;
    }
    const field = target.fieldOfHeader(column);
    if (field !== null && !taken.has(field)) {
      mapping[column] = field;
      taken.add(field);
    } else mapping[column] = null;
  }
  return mapping;
}

/**
 * A mapping checked against the file's header: known columns, known fields, no field fed twice;
 * every column of the header named (the ones the mapping leaves out, null). Returns it with the
 * fields it feeds, for the caller's own "needs at least …" check.
 */
export function checkMappingFor(mapping: ColumnMapping, header: readonly string[], target: MappingTarget): { mapping: ColumnMapping; fields: Set<string> } {
  const issues: FieldIssue[] = [];
  const columns = new Set(header);
  const seen = new Map<string, string>();
  for (const [column, field] of Object.entries(mapping)) {
    if (!columns.has(column)) issues.push({ path: `mapping.${column}`, code: 'unknown_column', message: `The file has no column «${column}»` });
    if (field === null) continue;
    if (!target.isField(field)) issues.push({ path: `mapping.${column}`, code: 'unknown_field', message: `«${field}» is no ${target.noun} field (${target.fieldsHint})` });
    const other = seen.get(field);
    if (other !== undefined) issues.push({ path: `mapping.${column}`, code: 'field_taken', message: `Column «${other}» already feeds ${field}` });
    seen.set(field, column);
  }
  if (issues.length > 0) throw new LeadRouterError('LR_ERR_VALIDATION', issues.map((i) => i.message).join('; '), issues);
  return { mapping: Object.fromEntries(header.map((c) => [c, mapping[c] ?? null])), fields: new Set(seen.keys()) };
}

export function suggestMapping(header: readonly string[]): ColumnMapping {
  return suggestMappingFor(header, LEAD_TARGET);
}

/** A lead mapping checked against the header; a lead needs a name, phone, e-mail or company. */
export function checkMapping(mapping: ColumnMapping, header: readonly string[]): ColumnMapping {
  const checked = checkMappingFor(mapping, header, LEAD_TARGET);
  if (![...checked.fields].some((f) => ['name', 'phone', 'email', 'companyName', 'phones', 'emails'].includes(f))) {
    throw new LeadRouterError('LR_ERR_VALIDATION', 'Map a column to name, phone, email or companyName: a lead needs one of them', [{ path: 'mapping', code: 'no_contact_field', message: 'a lead needs name, phone, email or companyName' }]);
  }
  return checked.mapping;
}

/** A mapping as the cell reader asks it: the field of a column, or null. */
export function mappingReader(mapping: ColumnMapping): { fieldOf(column: string): string | null } {
  return { fieldOf: (column) => mapping[column] ?? null };
}
