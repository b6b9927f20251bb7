import { normalizeDomain, normalizeEmail, normalizePhone, normalizeTaxId, type CountryCode } from '../normalize/index.js';
import { normalizeSearchText } from '../normalize/search-text.js';
import { companyDomain } from './match-keys.js';

/**
 * What a search of the client base looks for: the text always (a name contains it), and the
 * exact keys the query reads as — an ИНН, a phone, an e-mail, a company domain. A query can be
 * several at once ("7707083893" is an ИНН and digits of a phone).
 */
export interface ClientSearchTerms {
  text: string;
  taxId: string | null;
  phone: string | null;
  email: string | null;
  /** The registrable domain of a site or of an e-mail on a company's own domain. */
  domain: string | null;
}

const PHONE_LIKE = /^[+\d\s().-]+$/u;
const MIN_PHONE_DIGITS = 7;

/**
 * @example clientSearchTerms('ivan@xn--80a1acny.xn--p1ai', 'RU') // { email: 'ivan@почта.рф', domain: 'почта.рф', … }
 */
export function clientSearchTerms(query: string, defaultCountry: CountryCode): ClientSearchTerms {
  const raw = query.trim();
  const text = normalizeSearchText(raw);
  let email: string | null = null;
  let domain: string | null = null;
  if (raw.includes('@')) {
    email = normalizeEmail(raw);
    if (email !== null) {
      const verdict = companyDomain(email.slice(email.indexOf('@') + 1));
      if (verdict.ok) domain = verdict.domain;
    }
  } else if (raw.includes('.') && !/\s/.test(raw)) {
    const verdict = companyDomain(normalizeDomain(raw));
    if (verdict.ok) domain = verdict.domain;
  }
  const tax = normalizeTaxId(raw);
  let phone: string | null = null;
  if (PHONE_LIKE.test(raw) && raw.replace(/\D+/g, '').length >= MIN_PHONE_DIGITS) {
    const result = normalizePhone(raw, defaultCountry);
    if (result.ok) phone = result.e164;
  }
  return { text, taxId: tax.ok ? tax.taxId : null, phone, email, domain };
}

/** A company as text search reads it: name, ИНН and domain, normalised, one per line. */
export function companySearchText(company: { name: string; taxId: string | null; domain: string | null }): string {
  return [company.name, company.taxId, company.domain].flatMap((v) => (v ? [normalizeSearchText(v)] : [])).join('\n');
}

/** A contact as text search reads it: name and e-mails, normalised, one per line. */
export function contactSearchText(contact: { name: string | null; emails: readonly string[] }): string {
  return [contact.name, ...contact.emails].flatMap((v) => (v ? [normalizeSearchText(v)] : [])).join('\n');
}
