const MAX_HOSTNAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
// Unicode letters are allowed so that Cyrillic domains (почта.рф) pass without punycode.
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;
// A numeric last label means an IP address, which identifies no company.
const TOP_LEVEL = /^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/u;

/**
 * Lower-cases a bare host name and checks it has the shape of a public domain.
 * @example normalizeHostname('Example.RU.') // 'example.ru'
 */
export function normalizeHostname(raw: string): string | null {
  let host = raw.normalize('NFKC').toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host.length === 0 || host.length > MAX_HOSTNAME_LENGTH) return null;

  const labels = host.split('.');
  if (labels.length < 2) return null;
  for (const label of labels) {
    if (label.length > MAX_LABEL_LENGTH || !LABEL.test(label)) return null;
  }
  const top = labels[labels.length - 1];
  return top !== undefined && TOP_LEVEL.test(top) ? host : null;
}
