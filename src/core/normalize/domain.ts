import emailProviders from 'email-providers/all.json' with { type: 'json' };
import mailchecker from 'mailchecker';
import { getDomain } from 'tldts';
import { asciiHostname, normalizeHostname } from './hostname.js';
import { FREE_MAIL_BRANDS, FREE_MAIL_DOMAINS, PLATFORM_DOMAINS } from './shared-domain-lists.js';

// Private suffixes too (github.io, tilda.ws): two sites on one of those are two owners.
const PSL_OPTIONS = { allowPrivateDomains: true } as const;

// Longer than any sane URL; the cap keeps the regexes below from ever seeing megabytes.
const MAX_INPUT_LENGTH = 2048;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//;
const PORT = /:\d*$/;
const PATH_START = /[/?#]/;
// The part after a brand that is a public suffix: "de", "co.uk", "com.br".
const BRAND_SUFFIX = /^(?:[\p{L}]{2,}|(?:co|com|net|org)\.\p{L}{2,})$/u;

/**
 * The host of a domain or URL, without "www.", port or trailing dot; null if there is none.
 * Subdomains are kept here (market.yandex.ru is a platform, yandex.ru a mailbox provider);
 * `registrableDomain` gives the company's own domain.
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
 * The part of a host that one owner registers, by the public suffix list: a shop's subdomain
 * belongs to the company, a city's second-level zone does not (romashka.spb.ru). Null when the
 * host is itself a public suffix (spb.ru, co.uk). Unicode form, like normalizeHostname.
 * @example registrableDomain('shop.romashka.ru') // 'romashka.ru'
 * @example registrableDomain('romashka.spb.ru') // 'romashka.spb.ru'
 */
export function registrableDomain(host: string): string | null {
  const normalized = normalizeHostname(host);
  if (normalized === null) return null;
  const registrable = getDomain(asciiHostname(normalized), PSL_OPTIONS);
  return registrable === null || registrable === '' ? null : normalizeHostname(registrable);
}

/**
 * True for mailbox providers (and their subdomains): the Russian list kept here merged with the
 * maintained `email-providers` package. Such a domain says nothing about the company, so it must
 * never be used to match one.
 * @example isFreeMailDomain('gmx.de') // true
 */
export function isFreeMailDomain(domain: string): boolean {
  const host = domain.toLowerCase();
  if (inSetOrParent(host, FREE_MAIL_DOMAINS)) return true;
  const dot = host.indexOf('.');
  if (dot > 0 && FREE_MAIL_BRANDS.has(host.slice(0, dot)) && BRAND_SUFFIX.test(host.slice(dot + 1))) return true;
  return inSetOrParent(asciiHostname(host), packageLists().freeMail);
}

/**
 * True for throw-away mailbox services (yopmail.com and tens of thousands more, from the
 * maintained `mailchecker` package). Never a company's domain.
 * @example isDisposableDomain('yopmail.com') // true
 */
export function isDisposableDomain(domain: string): boolean {
  return inSetOrParent(asciiHostname(domain.toLowerCase()), packageLists().disposable);
}

interface PackageLists {
  freeMail: ReadonlySet<string>;
  disposable: ReadonlySet<string>;
}

let lists: PackageLists | undefined;

// Sifted on first use (≈ 65,000 names), so a command that never matches a lead does not pay for it.
function packageLists(): PackageLists {
  lists ??= { freeMail: ownedDomains(emailProviders), disposable: ownedDomains(mailchecker.blacklist()) };
  return lists;
}

// A list entry that is itself a public suffix (msk.ru, pp.ua) would flag every company under it.
function ownedDomains(names: Iterable<string>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const name of names) {
    const host = name.trim().toLowerCase();
    if (host !== '' && getDomain(host, PSL_OPTIONS) !== null) out.add(host);
  }
  return out;
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
