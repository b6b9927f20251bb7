import { hostToUnicode } from './punycode.js';

const MAX_HOSTNAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
// Unicode letters are allowed so that Cyrillic domains (почта.рф) pass without punycode.
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;
// A numeric last label means an IP address, which identifies no company.
const TOP_LEVEL = /^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/u;
// Only these need the IDNA round trip; a plain ASCII host is already in its one form.
const NEEDS_IDNA = /[^\p{ASCII}]|xn--/u;
// What may reach the URL parser: anything else (a slash, a colon, a space) is no host name.
const HOST_CHARACTERS = /^[\p{L}\p{N}\p{M}.-]+$/u;

/**
 * Lower-cases a bare host name and checks it has the shape of a public domain. An
 * internationalised domain has one form whichever way it came, Unicode or punycode
 * (IDNA/UTS-46 through the URL parser): the Unicode one people read, so «почта.рф» and
 * «xn--80a1acny.xn--p1ai» are the same key.
 * @example normalizeHostname('Example.RU.') // 'example.ru'
 * @example normalizeHostname('XN--80A1ACNY.XN--P1AI') // 'почта.рф'
 */
export function normalizeHostname(raw: string): string | null {
  let host = raw.normalize('NFKC').toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  // A Unicode form is never longer than its punycode, so this bound holds for both.
  if (host.length === 0 || host.length > MAX_HOSTNAME_LENGTH) return null;
  if (NEEDS_IDNA.test(host)) {
    const ascii = toAscii(host);
    if (ascii === null || ascii.length > MAX_HOSTNAME_LENGTH) return null;
    const unicode = hostToUnicode(ascii);
    if (unicode === null) return null;
    host = unicode;
  }

  const labels = host.split('.');
  if (labels.length < 2) return null;
  for (const label of labels) {
    if (label.length > MAX_LABEL_LENGTH || !LABEL.test(label)) return null;
  }
  const top = labels[labels.length - 1];
  return top !== undefined && TOP_LEVEL.test(top) ? host : null;
}

/**
 * The punycode (ASCII) form of a normalised host, as mail and domain lists spell it.
 * @example asciiHostname('почта.рф') // 'xn--80a1acny.xn--p1ai'
 */
export function asciiHostname(host: string): string {
  return NEEDS_IDNA.test(host) ? (toAscii(host) ?? host) : host;
}

// The WHATWG URL parser applies UTS-46 (mapping, punycode, validation), like node:url's domainToASCII.
function toAscii(host: string): string | null {
  if (!HOST_CHARACTERS.test(host)) return null;
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
}
