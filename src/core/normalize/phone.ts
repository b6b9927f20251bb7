import {
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/max';

// 'max' rather than 'min': min only checks the length and the leading digit, so it accepts
// +7 300… or +7 400…, codes assigned to nobody; max checks the assigned Russian ABC
// (landline) and DEF (mobile) ranges. The cost: a range allocated after this library
// release reads as 'invalid' until libphonenumber-js is updated.
export type { CountryCode };

export type PhoneProblem =
  | 'empty'
  | 'not_a_number'
  | 'invalid_country'
  | 'too_short'
  | 'too_long'
  | 'invalid';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: PhoneProblem };

// Real numbers with an extension and separators stay far below this; the cap keeps a pasted
// paragraph from costing a full parse.
const MAX_INPUT_LENGTH = 100;

const TEL_URI = /^tel:/i;
// Lists in forms often end with a separator; the number itself is fine.
const TRAILING_SEPARATORS = /[\s,;.]+$/u;
// People in Russia and Kazakhstan often type "+8 916…" meaning the trunk prefix 8.
const PLUS_TRUNK_EIGHT = /^\+\s*8(?=(?:\D*\d){10}\D*$)/u;

export function isCountryCode(s: string): s is CountryCode {
  return isSupportedCountry(s);
}

/**
 * @example normalizePhone('8 (916) 123-45-67', 'RU') // { ok: true, e164: '+79161234567' }
 */
export function normalizePhone(raw: string, defaultCountry: CountryCode): PhoneResult {
  const trimmed = raw.trim();
  // Checked before any regex runs, so input size never drives the cost.
  if (trimmed.length > MAX_INPUT_LENGTH) return { ok: false, reason: 'too_long' };
  const input = trimmed.replace(TEL_URI, '').replace(TRAILING_SEPARATORS, '');
  if (input === '') return { ok: false, reason: 'empty' };

  const first = parseValid(input, defaultCountry);
  if (first !== undefined) return { ok: true, e164: first };

  if (PLUS_TRUNK_EIGHT.test(input) && isSupportedCountry(defaultCountry) && getCountryCallingCode(defaultCountry) === '7') {
    const retried = parseValid(input.replace(PLUS_TRUNK_EIGHT, '8'), defaultCountry);
    if (retried !== undefined) return { ok: true, e164: retried };
  }
  return { ok: false, reason: whyInvalid(input, defaultCountry) };
}

function parseValid(input: string, defaultCountry: CountryCode): string | undefined {
  // extract: false — the whole value must be a phone number, so an ИНН or a sentence with
  // digits in it is not silently read as one.
  const parsed = parsePhoneNumberFromString(input, { defaultCountry, extract: false });
  return parsed !== undefined && parsed.isValid() ? parsed.number : undefined;
}

function whyInvalid(input: string, defaultCountry: CountryCode): PhoneProblem {
  switch (validatePhoneNumberLength(input, defaultCountry)) {
    case 'NOT_A_NUMBER':
      return 'not_a_number';
    case 'INVALID_COUNTRY':
      return 'invalid_country';
    case 'TOO_SHORT':
      return 'too_short';
    case 'TOO_LONG':
      return 'too_long';
    case 'INVALID_LENGTH':
    case undefined:
      return 'invalid';
  }
}
