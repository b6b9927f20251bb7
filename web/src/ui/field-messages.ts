import type { TFunction } from 'i18next';

/** One of the server's `details[]`: the field, a machine-readable code and the server's English sentence. */
export interface FieldDetail {
  path?: string | undefined;
  code?: string | undefined;
  message?: string | undefined;
}

/**
 * Codes with a text of their own under errors.field: the schema validator's (zod issue codes, as
 * the server passes them on) and the application's own. Any other code shows the server's message.
 */
const OWN_TEXT = [
  'required', 'invalid_type', 'invalid_value', 'invalid_union', 'invalid_format', 'invalid_date', 'invalid_time_zone', 'invalid_character', 'invalid_range', 'from_after_to',
  'not_multiple_of', 'unrecognized_keys', 'unknown_key', 'too_small', 'too_big', 'too_deep', 'duplicate_key', 'not_found', 'unknown_manager', 'unknown_team', 'unknown_scope',
  'unknown_policy', 'unknown_stage', 'unknown_reason', 'in_future', 'admin_only', 'other_team', 'not_yours', 'own_role', 'last_admin', 'admin_not_head',
] as const;
type OwnText = (typeof OWN_TEXT)[number];

function hasOwnText(code: string | undefined): code is OwnText {
  return (OWN_TEXT as readonly (string | undefined)[]).includes(code);
}

/** The bound zod states in its message: "Too small: expected string to have >=3 characters", "Too big: expected number to be <=10". */
const BOUND = /expected (\w+) to (?:have|be) (>=|>|<=|<)\s*(-?\d+(?:\.\d+)?)/;

function boundText(t: TFunction, code: 'too_small' | 'too_big', message: string): string | null {
  const match = BOUND.exec(message);
  if (!match) return null;
  const [, origin, operator, value] = match as unknown as [string, string, string, string];
  const limit = Number(value);
  const exclusive = operator === '>' || operator === '<';
  if (origin === 'string' && !exclusive) return t(`errors.field.${code}_string`, { count: limit });
  if ((origin === 'array' || origin === 'set') && !exclusive) return t(`errors.field.${code}_items`, { count: limit });
  if (origin === 'number' || origin === 'int' || origin === 'bigint') return t(exclusive ? `errors.field.${code}_number_exclusive` : `errors.field.${code}_number`, { limit: value });
  return null;
}

function formatText(t: TFunction, message: string): string {
  if (/e-?mail/i.test(message)) return t('errors.field.invalid_email');
  if (/\bURL\b/i.test(message)) return t('errors.field.invalid_url');
  if (/\b(datetime|date|time)\b/i.test(message)) return t('errors.field.invalid_date');
  return t('errors.field.invalid_format');
}

/**
 * A field's error in the reader's language, by the detail's code (limits from the validator's
 * message); for a code without a text of its own, the server's message, else `fallback`.
 */
export function fieldText(t: TFunction, detail: FieldDetail, fallback: string): string {
  const message = detail.message ?? '';
  const code = detail.code;
  // zod reports a missing field as a value of the wrong type: "expected string, received undefined".
  if (code === 'invalid_type' && /received undefined/.test(message)) return t('errors.field.required');
  if (code === 'too_small' || code === 'too_big') return boundText(t, code, message) ?? t(`errors.field.${code}`);
  if (code === 'invalid_format') return formatText(t, message);
  if (hasOwnText(code)) return t(`errors.field.${code}`);
  return detail.message ?? fallback;
}

/** Whether fieldText has a text of its own for this detail (rather than the server's words). */
export function hasFieldText(detail: FieldDetail): boolean {
  return hasOwnText(detail.code);
}
