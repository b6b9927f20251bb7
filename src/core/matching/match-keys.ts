import {
  companyNameKey,
  isDisposableDomain,
  isFreeMailDomain,
  isPlatformDomain,
  normalizeDomain,
  normalizeEmail,
  normalizePhone,
  normalizeTaxId,
  registrableDomain,
  type CountryCode,
  type PhoneProblem,
  type TaxId,
  type TaxIdProblem,
} from '../normalize/index.js';

/** Contact and company details of a lead as they arrived. */
export interface MatchInput {
  phones?: readonly string[] | undefined;
  emails?: readonly string[] | undefined;
  website?: string | undefined;
  companyName?: string | undefined;
  taxId?: string | undefined;
}

/**
 * A value that was given but cannot serve as a key. Intake keeps `raw` on the lead and
 * reports the problem; the lead itself is still accepted.
 */
export type MatchProblem =
  | { field: 'phones'; index: number; raw: string; reason: PhoneProblem }
  | { field: 'emails'; index: number; raw: string; reason: 'not_an_email' }
  | { field: 'website'; raw: string; reason: DomainProblem }
  | { field: 'companyName'; raw: string; reason: 'no_name' }
  | { field: 'taxId'; raw: string; reason: TaxIdProblem };

export interface MatchKeys {
  /** E.164, first occurrence kept, in input order. */
  phones: string[];
  emails: string[];
  /**
   * The registrable domain (public suffix list: shop.romashka.ru → romashka.ru) of the website,
   * else of the first e-mail on a company's own domain; IDN in its Unicode form.
   */
  domain: string | null;
  taxId: TaxId | null;
  companyNameKey: string | null;
  problems: MatchProblem[];
}

export type DomainProblem = 'not_a_domain' | 'free_mail_domain' | 'disposable_domain' | 'platform_domain';

type DomainVerdict = { ok: true; domain: string } | { ok: false; reason: DomainProblem };

/**
 * The keys a lead can be matched on. Blank values count as absent, not as problems.
 * @example matchKeys({ phones: ['8 916 123-45-67'], emails: ['a@gmail.com'] }, 'RU')
 * // { phones: ['+79161234567'], emails: ['a@gmail.com'], domain: null, … }
 */
export function matchKeys(input: MatchInput, defaultCountry: CountryCode): MatchKeys {
  const problems: MatchProblem[] = [];

  const phones = new Set<string>();
  (input.phones ?? []).forEach((raw, index) => {
    if (isBlank(raw)) return;
    const result = normalizePhone(raw, defaultCountry);
    if (result.ok) phones.add(result.e164);
    else problems.push({ field: 'phones', index, raw, reason: result.reason });
  });

  const emails = new Set<string>();
  (input.emails ?? []).forEach((raw, index) => {
    if (isBlank(raw)) return;
    const email = normalizeEmail(raw);
    if (email !== null) emails.add(email);
    else problems.push({ field: 'emails', index, raw, reason: 'not_an_email' });
  });

  let domain: string | null = null;
  if (input.website !== undefined && !isBlank(input.website)) {
    const verdict = companyDomain(normalizeDomain(input.website));
    if (verdict.ok) domain = verdict.domain;
    else problems.push({ field: 'website', raw: input.website, reason: verdict.reason });
  }
  if (domain === null) {
    for (const email of emails) {
      const verdict = companyDomain(email.slice(email.indexOf('@') + 1));
      if (verdict.ok) {
        domain = verdict.domain;
        break;
      }
    }
  }

  let taxId: TaxId | null = null;
  if (input.taxId !== undefined && !isBlank(input.taxId)) {
    const result = normalizeTaxId(input.taxId);
    if (result.ok) taxId = result.taxId;
    else problems.push({ field: 'taxId', raw: input.taxId, reason: result.reason });
  }

  let nameKey: string | null = null;
  if (input.companyName !== undefined && !isBlank(input.companyName)) {
    nameKey = companyNameKey(input.companyName);
    if (nameKey === null) problems.push({ field: 'companyName', raw: input.companyName, reason: 'no_name' });
  }

  return { phones: [...phones], emails: [...emails], domain, taxId, companyNameKey: nameKey, problems };
}

// A shared domain would link every lead of, say, gmail.com to one company. The full host is
// checked first (market.yandex.ru is a platform), then the domain the company registered.
export function companyDomain(host: string | null): DomainVerdict {
  if (host === null) return { ok: false, reason: 'not_a_domain' };
  const shared = sharedDomainProblem(host);
  if (shared !== null) return { ok: false, reason: shared };
  const domain = registrableDomain(host);
  if (domain === null) return { ok: false, reason: 'not_a_domain' };
  const sharedParent = domain === host ? null : sharedDomainProblem(domain);
  return sharedParent === null ? { ok: true, domain } : { ok: false, reason: sharedParent };
}

function sharedDomainProblem(host: string): DomainProblem | null {
  if (isDisposableDomain(host)) return 'disposable_domain';
  if (isFreeMailDomain(host)) return 'free_mail_domain';
  if (isPlatformDomain(host)) return 'platform_domain';
  return null;
}

function isBlank(s: string): boolean {
  return s.trim() === '';
}
