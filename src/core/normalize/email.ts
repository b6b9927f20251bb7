import { normalizeHostname } from './hostname.js';

const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
// Quoted local parts and comments are legal in RFC 5322 but never seen in real leads;
// rejecting their characters keeps "Name <a@b.ru>, c@d.ru" from passing as one address.
const LOCAL_PART = /^[^\s\p{Cc}\p{Cf}"(),:;<>[\]\\@]+$/u;
const MAILTO = /^mailto:/;

/**
 * @example normalizeEmail('  Ivan.Petrov@Mail.RU ') // 'ivan.petrov@mail.ru'
 */
export function normalizeEmail(raw: string): string | null {
  let s = raw.trim();
  // Generous enough for "mailto:<…>" around the longest legal address.
  if (s.length > MAX_ADDRESS_LENGTH + 16) return null;
  s = s.normalize('NFKC').toLowerCase().replace(MAILTO, '');
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1);

  const at = s.indexOf('@');
  if (at <= 0 || at !== s.lastIndexOf('@')) return null;
  const local = s.slice(0, at);
  if (
    local.length > MAX_LOCAL_LENGTH ||
    !LOCAL_PART.test(local) ||
    local.startsWith('.') ||
    local.endsWith('.') ||
    local.includes('..')
  ) {
    return null;
  }
  const domain = normalizeHostname(s.slice(at + 1));
  if (domain === null) return null;
  const address = `${local}@${domain}`;
  return address.length <= MAX_ADDRESS_LENGTH ? address : null;
}

/**
 * The domain of an address, or null when the value is not a plausible address.
 * @example emailDomain('ivan@Romashka.ru') // 'romashka.ru'
 */
export function emailDomain(email: string): string | null {
  const address = normalizeEmail(email);
  return address === null ? null : address.slice(address.indexOf('@') + 1);
}
