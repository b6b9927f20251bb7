import { COMMON_LEAD_FIELDS, leadFieldOf, numberFromText } from '../intake/field-names.js';

/**
 * A form submission's fields turned into a lead's input. Pure. Sites name their fields every
 * way there is (Tilda's `Name`/`Phone`, Contact Form 7's `your-name`, a landing page's
 * `телефон`); a form source's own mapping comes first, then the common names below. What no
 * mapping knows becomes a custom field (when the form keeps unknown fields), so nothing a
 * visitor typed is lost.
 */

/** Fields a form's machinery sends that are no lead data: Tilda's ids and cookies, our snippet's markers, captcha tokens. */
const TECHNICAL = new Set(['tranid', 'formid', 'formname', 'cookies', 'test', 'smart-token', 'g-recaptcha-response', '_lr_elapsed', '_lr_id', '_lr_hp', '_lr_referrer', '_lr_page']);

export const LEAD_FIELDS_FROM_FORMS: readonly string[] = [...COMMON_LEAD_FIELDS, 'utm.source', 'utm.medium', 'utm.campaign', 'utm.term', 'utm.content'];

export type FormFields = Readonly<Record<string, string>>;

export interface MappedSubmission {
  /** The lead input the form's fields make (validated later by intake's own schema). */
  input: Record<string, unknown>;
  /** Fields no mapping knew, when the form does not keep them (they are still kept with the submission). */
  dropped: string[];
}

export interface FormMapping {
  /** Form field name → lead field (`phone`, `utm.source`, `custom.tariff`). */
  fieldMap: Readonly<Record<string, string>>;
  keepUnknown: boolean;
  /** Stamped on every lead of the form unless the submission says otherwise. */
  source: string | null;
  channel: string | null;
  campaign: string | null;
}

/** A number written the way people type it (see field-names.ts). */
export const numberFromForm = numberFromText;

const NUMBER_FIELDS = new Set(['dealValue', 'companySize']);

/** Russian letters in Latin, so a custom field named «Мобильный» keeps a readable key (mobilnyy). */
const TRANSLIT: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** A custom field's key from a field's name: Latin letters, digits, `_ . -`, at most 64 characters. */
function customKey(name: string): string {
  const latin = [...name.toLowerCase()].map((ch) => TRANSLIT[ch] ?? ch).join('');
  const key = latin.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64);
  return key || 'field';
}

export function mapSubmission(fields: FormFields, mapping: FormMapping): MappedSubmission {
  const input: Record<string, unknown> = {};
  const utm: Record<string, string> = {};
  const custom: Record<string, string | number> = {};
  const dropped: string[] = [];
  const explicit = new Map(Object.entries(mapping.fieldMap).map(([k, v]) => [k.toLowerCase(), v]));

  for (const [name, raw] of Object.entries(fields)) {
    const value = raw.trim();
    if (value === '' || TECHNICAL.has(name.toLowerCase())) continue;
    const target = explicit.get(name.toLowerCase()) ?? leadFieldOf(name);
    if (target === null) {
      if (mapping.keepUnknown && Object.keys(custom).length < 50) custom[customKey(name)] = value.slice(0, 2000);
      else dropped.push(name);
      continue;
    }
    if (target.startsWith('utm.')) utm[target.slice(4)] = value.slice(0, 200);
    else if (target.startsWith('custom.')) custom[customKey(target.slice(7))] = value.slice(0, 2000);
    else if (NUMBER_FIELDS.has(target)) {
      const n = numberFromForm(value);
      // A number that does not read as one stays as typed, so intake's refusal names it.
      input[target] = n ?? value;
    } else if (input[target] === undefined) input[target] = value;
    else if (target === 'comment') input[target] = `${String(input[target])}\n${value}`;
    // A second field meaning the same (a second phone): kept under its own name, never dropped silently.
    else if (mapping.keepUnknown) custom[customKey(name)] = value.slice(0, 2000);
    else dropped.push(name);
  }
  // Where the visit came from, as the embed snippet reports it.
  const referrer = fields._lr_referrer?.trim();
  const page = fields._lr_page?.trim();
  if (referrer) custom.referrer = referrer.slice(0, 2000);
  if (page) custom.landing_page = page.slice(0, 2000);
  if (Object.keys(utm).length > 0) input.utm = utm;
  if (Object.keys(custom).length > 0) input.custom = custom;
  if (input.source === undefined && (mapping.source ?? utm.source)) input.source = mapping.source ?? utm.source;
  if (input.channel === undefined && mapping.channel) input.channel = mapping.channel;
  if (input.campaign === undefined && (mapping.campaign ?? utm.campaign)) input.campaign = mapping.campaign ?? utm.campaign;
  return { input, dropped };
}
