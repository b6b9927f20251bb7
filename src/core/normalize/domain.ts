import { normalizeHostname } from './hostname.js';
import { FREE_MAIL_BRANDS, FREE_MAIL_DOMAINS, PLATFORM_DOMAINS } from './shared-domain-lists.js';

// Longer than any sane URL; the cap keeps the regexes below from ever seeing megabytes.
const MAX_INPUT_LENGTH = 2048;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//;
const PORT = /:\d*$/;
const PATH_START = /[/?#]/;
// The part after a brand that is a public suffix: "de", "co.uk", "com.br".
const BRAND_SUFFIX = /^(?:[\p{L}]{2,}|(?:co|com|net|org)\.\p{L}{2,})$/u;

/**
 * The host of a domain or URL, without "www.", port or trailing dot; null if there is none.
 * Subdomains are kept: without a public-suffix list "shop.example.ru" cannot be told apart
 * from "example.spb.ru", and guessing wrong would merge unrelated companies.
 * @example normalizeDomain('https://WWW.Example.ru/path') // 'example.ru'
 */
export function normalizeDomain(raw: string): string | null {
  let s = raw.trim();
  if (s.length === 0 || s.length > MAX_INPUT_LENGTH) return null;
  s = s.normalize('NFKC').toLowerCase().replace(SCHEME, '');
  if (s.startsWith('//')) s = s.slice(2);
  const end = s.search(PATH_START);
  if (end !== -1) s = s.slice(0, end);
  s = s.slice(s.lastIndexOf('@') + 1).replace(PORT, '');
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s.startsWith('www.')) s = s.slice(4);
  return normalizeHostname(s);
}

/**
 * True for mailbox providers (and their subdomains). Such a domain says nothing about the
 * company, so it must never be used to match one.
 * @example isFreeMailDomain('gmx.de') // true
 */
export function isFreeMailDomain(domain: string): boolean {
  const host = domain.toLowerCase();
  if (inSetOrParent(host, FREE_MAIL_DOMAINS)) return true;
  const dot = host.indexOf('.');
  return dot > 0 && FREE_MAIL_BRANDS.has(host.slice(0, dot)) && BRAND_SUFFIX.test(host.slice(dot + 1));
}

/**
 * True for social networks, messengers and marketplaces, where the company is in the path
 * and the domain is shared by everyone.
 * @example isPlatformDomain('m.vk.com') // true
 */
export function isPlatformDomain(domain: string): boolean {
  return inSetOrParent(domain.toLowerCase(), PLATFORM_DOMAINS);
}

function inSetOrParent(host: string, set: ReadonlySet<string>): boolean {
  let suffix = host;
  for (;;) {
    if (set.has(suffix)) return true;
    const dot = suffix.indexOf('.');
    if (dot === -1) return false;
    suffix = suffix.slice(dot + 1);
  }
}
