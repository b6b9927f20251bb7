import type { FormSource, FormSourceBody } from './forms-api';

/** Lead fields a form field may fill (docs/forms.md), in the order an admin looks for them; «custom» is custom.<name>. */
export const LEAD_FIELDS = [
  'name', 'phone', 'email', 'companyName', 'taxId', 'website', 'comment', 'region', 'dealValue', 'companySize', 'productInterest', 'campaign',
  'utm.source', 'utm.medium', 'utm.campaign', 'utm.term', 'utm.content',
] as const;
export const CUSTOM = 'custom';

export interface MappingRow {
  /** A stable React key. */
  key: number;
  field: string;
  /** A lead field, or CUSTOM with `custom` naming it. */
  target: string;
  custom: string;
}

export interface FormDraft {
  name: string;
  source: string;
  channel: string;
  campaign: string;
  mapping: MappingRow[];
  allowedOrigins: string[];
  thankYouUrl: string;
  honeypotField: string;
  minSeconds: number | string;
  perIpPerMinute: number | string;
  perFormPerMinute: number | string;
  keepUnknown: boolean;
  active: boolean;
  /** A new SmartCaptcha server key; empty keeps the one set (the key itself is never shown). */
  captchaSecret: string;
  /** Remove the key that is set. */
  captchaRemove: boolean;
}

let rowKey = 0;
export const newRow = (field = '', target = 'phone', custom = ''): MappingRow => ({ key: ++rowKey, field, target, custom });

export function draftOf(form: FormSource | null): FormDraft {
  if (!form) {
    return {
      name: '', source: 'website', channel: 'form', campaign: '', mapping: [], allowedOrigins: [], thankYouUrl: '', honeypotField: '_lr_hp',
      minSeconds: 3, perIpPerMinute: 10, perFormPerMinute: 300, keepUnknown: true, active: true, captchaSecret: '', captchaRemove: false,
    };
  }
  return {
    name: form.name,
    source: form.source ?? '',
    channel: form.channel ?? '',
    campaign: form.campaign ?? '',
    mapping: Object.entries(form.fieldMap).map(([field, target]) => (target.startsWith('custom.') ? newRow(field, CUSTOM, target.slice('custom.'.length)) : newRow(field, target))),
    allowedOrigins: [...form.allowedOrigins],
    thankYouUrl: form.thankYouUrl ?? '',
    honeypotField: form.honeypotField ?? '',
    minSeconds: form.minSeconds,
    perIpPerMinute: form.perIpPerMinute,
    perFormPerMinute: form.perFormPerMinute,
    keepUnknown: form.keepUnknown,
    active: form.active,
    captchaSecret: '',
    captchaRemove: false,
  };
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());
/** A number field left empty is sent as nothing, so the server keeps (or defaults) the value. */
const count = (v: number | string): number | undefined => (typeof v === 'number' ? v : v.trim() === '' ? undefined : Number(v));

/** What the server takes: empty texts are «not set», the mapping a record, the captcha key only when typed or removed. */
export function bodyOf(draft: FormDraft): FormSourceBody {
  const fieldMap: Record<string, string> = {};
  for (const row of draft.mapping) {
    if (row.field.trim() === '') continue;
    fieldMap[row.field.trim()] = row.target === CUSTOM ? `custom.${row.custom.trim()}` : row.target;
  }
  const body: FormSourceBody = {
    name: draft.name.trim(),
    source: orNull(draft.source),
    channel: orNull(draft.channel),
    campaign: orNull(draft.campaign),
    fieldMap,
    allowedOrigins: draft.allowedOrigins.map((o) => o.trim().replace(/\/+$/, '')).filter((o) => o !== ''),
    thankYouUrl: orNull(draft.thankYouUrl),
    honeypotField: orNull(draft.honeypotField),
    keepUnknown: draft.keepUnknown,
    active: draft.active,
  };
  const minSeconds = count(draft.minSeconds);
  const perIp = count(draft.perIpPerMinute);
  const perForm = count(draft.perFormPerMinute);
  if (minSeconds !== undefined) body.minSeconds = minSeconds;
  if (perIp !== undefined) body.perIpPerMinute = perIp;
  if (perForm !== undefined) body.perFormPerMinute = perForm;
  if (draft.captchaSecret.trim() !== '') body.captchaSecret = draft.captchaSecret.trim();
  else if (draft.captchaRemove) body.captchaSecret = null;
  return body;
}

/** Whether the draft says something other than the form (or a new form's defaults) — for the unsaved-changes guard. */
export function isDirty(draft: FormDraft, form: FormSource | null): boolean {
  return JSON.stringify(bodyOf(draft)) !== JSON.stringify(bodyOf(draftOf(form)));
}

/** The snippet for a site without a form builder: a marked form and the script (docs/forms.md). */
export function embedSnippet(origin: string, form: Pick<FormSource, 'embedPath'>, labels: { name: string; phone: string; submit: string }): string {
  return [
    '<form data-leadrouter>',
    `  <input name="name" placeholder="${labels.name}">`,
    `  <input name="phone" type="tel" placeholder="${labels.phone}">`,
    `  <button type="submit">${labels.submit}</button>`,
    '</form>',
    `<script src="${origin}${form.embedPath}" async></script>`,
  ].join('\n');
}

/** The lead fields the replay form offers as inputs, in this order; the rest of the stored input travels as it came. */
export const REPLAY_FIELDS = ['name', 'phone', 'email', 'companyName', 'dealValue', 'comment'] as const;

/** «250 000», «1500,50» → a number; anything else stays text, for the server to refuse next to the field. */
export function dealValueOf(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const squeezed = t.replace(/[\s\u00a0]/g, '').replace(',', '.');
  return /^\d+(\.\d+)?$/.test(squeezed) ? Number(squeezed) : t;
}
