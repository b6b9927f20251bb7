import { getCountryCallingCode, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { normalizePhone } from './phone.js';

/**
 * Text as lead search compares it: Unicode-aware lower case (JavaScript's, not the database's:
 * SQLite's LIKE and lower() fold ASCII only, and PostgreSQL's lower() depends on the
 * database's locale), compatibility forms folded (NFKC), ё read as е (people type «Петр» for
 * «Пётр»), runs of white space as one space.
 *
 * @example normalizeSearchText('  ООО «Ёлка»\tПлюс ') // 'ооо «елка» плюс'
 */
export function normalizeSearchText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/ё/g, 'е').replace(/\s+/gu, ' ').trim();
}

/**
 * What a lead is found by as text: its name, company name and e-mail, each normalised, one per
 * line, so a query never matches across two of them (queries hold no line breaks). null when
 * the lead has none of them.
 */
export function leadSearchText(lead: { name: string | null; companyName: string | null; email: string | null }): string | null {
  const parts = [lead.name, lead.companyName, lead.email].flatMap((value) => {
    const normalised = value ? normalizeSearchText(value) : '';
    return normalised ? [normalised] : [];
  });
  return parts.length > 0 ? parts.join('\n') : null;
}

/**
 * The digits of a lead's phone numbers as written and as normalised (E.164), space separated,
 * so "916 123-45" finds +79161234567 and a number kept unparsed is still found by its digits.
 */
export function leadSearchDigits(lead: { phone: string | null; phoneRaw: string | null }): string | null {
  const numbers = new Set<string>();
  for (const phone of [lead.phone, lead.phoneRaw]) {
    const digits = phone ? digitsOf(phone) : '';
    if (digits) numbers.add(digits);
  }
  return numbers.size > 0 ? [...numbers].join(' ') : null;
}

/** A search as the store runs it: the normalised text, and digit strings when the query reads as (part of) a phone number. */
export interface LeadSearchTerms {
  text: string;
  /** Empty unless the query is made of phone characters only and holds at least MIN_PHONE_DIGITS digits. */
  phoneDigits: string[];
}

/** Fewer digits than this find too many numbers to be a phone search (and "ООО 2" is not one). */
export const MIN_PHONE_DIGITS = 3;
const PHONE_LIKE = /^[+\d\s().-]+$/u;

/**
 * @example leadSearchTerms('8 916 123-45', 'RU') // { text: '8 916 123-45', phoneDigits: ['891612345', '791612345'] }
 */
export function leadSearchTerms(query: string, defaultCountry: CountryCode): LeadSearchTerms {
  const text = normalizeSearchText(query);
  if (!PHONE_LIKE.test(text)) return { text, phoneDigits: [] };
  const digits = digitsOf(text);
  if (digits.length < MIN_PHONE_DIGITS) return { text, phoneDigits: [] };
  const variants = new Set([digits]);
  // A whole number written nationally ("8 (916) 123-45-67") is found by its E.164 digits.
  const whole = normalizePhone(query, defaultCountry);
  if (whole.ok) variants.add(digitsOf(whole.e164));
  // Where the trunk prefix is 8 and the country code 7 (Russia, Kazakhstan), people start a
  // number with 8 that is stored as +7: "8 916 12" is a prefix of +7 916 12….
  if (digits.startsWith('8') && !text.startsWith('+') && isSupportedCountry(defaultCountry) && getCountryCallingCode(defaultCountry) === '7') {
    variants.add(`7${digits.slice(1)}`);
  }
  return { text, phoneDigits: [...variants] };
}

function digitsOf(text: string): string {
  return text.replace(/\D+/g, '');
}
