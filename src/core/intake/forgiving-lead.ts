import { numberFromForm } from '../forms/form-fields.js';

/**
 * A lead as senders in the wild write it, turned into intake's field names before validation.
 * Pure. Accepted: the UTM tags at the top level (`utm_source` …), snake_case of every field
 * (`company_name`), a few common other names (`phone_number`, `inn`), numbers sent as text
 * where they read unambiguously ("250 000", "1500,50"; "1,5 млн" is no number and stays an
 * error). With `keepUnknown`, a field intake does not know becomes a custom field instead of
 * refusing the lead. What is already in intake's own names is left exactly as it is.
 */
const ALIASES: Readonly<Record<string, string>> = {
  phone_number: 'phone',
  phonenumber: 'phone',
  telephone: 'phone',
  e_mail: 'email',
  company: 'companyName',
  inn: 'taxId',
  utm_source: 'utm.source',
  utm_medium: 'utm.medium',
  utm_campaign: 'utm.campaign',
  utm_term: 'utm.term',
  utm_content: 'utm.content',
};

const NUMERIC = new Set(['companySize', 'dealValue', 'score']);

const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export interface ForgivingOptions {
  /** Intake's own field names. */
  known: ReadonlySet<string>;
  keepUnknown: boolean;
}

export function forgivingLead(body: unknown, options: ForgivingOptions): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  const utm: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  const source = body as Record<string, unknown>;
  for (const [key, value] of Object.entries(source)) {
    const target = options.known.has(key) ? key : (ALIASES[key.toLowerCase()] ?? (options.known.has(camel(key)) ? camel(key) : null));
    if (target === null) {
      if (options.keepUnknown && isScalar(value)) custom[key.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 64) || 'field'] = value;
      else out[key] = value; // left for intake's validation to name
      continue;
    }
    if (target.startsWith('utm.')) {
      utm[target.slice(4)] = value;
      continue;
    }
    // The name intake knows wins over an alias sent beside it.
    if (target !== key && Object.hasOwn(source, target)) continue;
    out[target] = NUMERIC.has(target) && typeof value === 'string' ? (numberFromForm(value) ?? value) : value;
  }
  if (Object.keys(utm).length > 0) {
    const given = out.utm;
    out.utm = given !== null && typeof given === 'object' && !Array.isArray(given) ? { ...utm, ...(given as Record<string, unknown>) } : given === undefined ? utm : given;
  }
  if (Object.keys(custom).length > 0) {
    const given = out.custom;
    out.custom = given !== null && typeof given === 'object' && !Array.isArray(given) ? { ...custom, ...(given as Record<string, unknown>) } : given === undefined ? custom : given;
  }
  return out;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
