import { lookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where webhooks may not go: this machine, its local networks and addresses no one should
 * receive a lead on. An admin names exceptions (a receiver on the LAN) in WEBHOOK_ALLOW_HOSTS.
 */
const FORBIDDEN_RANGES: Array<{ net: string; prefix: number; family: 'ipv4' | 'ipv6'; kind: string }> = [
  { net: '0.0.0.0', prefix: 8, family: 'ipv4', kind: 'unspecified' },
  { net: '127.0.0.0', prefix: 8, family: 'ipv4', kind: 'loopback' },
  { net: '10.0.0.0', prefix: 8, family: 'ipv4', kind: 'private' },
  { net: '172.16.0.0', prefix: 12, family: 'ipv4', kind: 'private' },
  { net: '192.168.0.0', prefix: 16, family: 'ipv4', kind: 'private' },
  { net: '169.254.0.0', prefix: 16, family: 'ipv4', kind: 'link-local' },
  { net: '100.64.0.0', prefix: 10, family: 'ipv4', kind: 'carrier-grade NAT' },
  { net: '192.0.0.0', prefix: 24, family: 'ipv4', kind: 'reserved' },
  { net: '198.18.0.0', prefix: 15, family: 'ipv4', kind: 'reserved' },
  { net: '224.0.0.0', prefix: 4, family: 'ipv4', kind: 'multicast' },
  { net: '240.0.0.0', prefix: 4, family: 'ipv4', kind: 'reserved' },
  { net: '::', prefix: 128, family: 'ipv6', kind: 'unspecified' },
  { net: '::1', prefix: 128, family: 'ipv6', kind: 'loopback' },
  { net: 'fc00::', prefix: 7, family: 'ipv6', kind: 'private' },
  { net: 'fec0::', prefix: 10, family: 'ipv6', kind: 'private' },
  { net: 'fe80::', prefix: 10, family: 'ipv6', kind: 'link-local' },
  { net: 'ff00::', prefix: 8, family: 'ipv6', kind: 'multicast' },
];

const FORBIDDEN = FORBIDDEN_RANGES.map((r) => {
  const list = new BlockList();
  list.addSubnet(r.net, r.prefix, r.family);
  return { list, kind: r.kind };
});

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::/96) IPv6 address. */
function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  if (!groups) return null;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (!mapped && !nat64) return null;
  const [hi, lo] = [groups[6] as number, groups[7] as number];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function expandIpv6(address: string): number[] | null {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const p = dotted[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1].length)}${((p[0] << 8) | p[1]).toString(16)}:${((p[2] << 8) | p[3]).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((h) => parseInt(h, 16)) : []);
  const a = part(head);
  const b = part(tail);
  const groups = tail === undefined ? a : [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** What kind of forbidden address this is (loopback, private, …), or null for a public one. */
export function forbiddenAddressKind(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return null;
  const v4 = family === 6 ? embeddedIpv4(address) : address;
  const [checked, type] = v4 ? [v4, 'ipv4' as const] : [address, 'ipv6' as const];
  return FORBIDDEN.find((f) => f.list.check(checked, type))?.kind ?? null;
}

/** WEBHOOK_ALLOW_HOSTS: host names, IP addresses and CIDR ranges webhooks may reach although they are local. */
export interface WebhookAllowList {
  hosts: ReadonlySet<string>;
  ranges: BlockList;
  /** As configured, for messages. */
  entries: readonly string[];
}

export const EMPTY_ALLOW_LIST: WebhookAllowList = { hosts: new Set(), ranges: new BlockList(), entries: [] };

/** Parses a comma-separated list: `localhost`, `hooks.lan`, `127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`. Throws on a malformed range. */
export function parseWebhookAllowList(text: string | undefined): WebhookAllowList {
  const entries = (text ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  const hosts = new Set<string>();
  const ranges = new BlockList();
  for (const entry of entries) {
    const [address, prefixText] = entry.replace(/^\[|\](?=\/|$)/g, '').split('/') as [string, string | undefined];
    const family = isIP(address);
    if (family === 0) {
      if (prefixText !== undefined || !/^[a-z0-9.-]+$/i.test(address)) throw new Error(`"${entry}" is neither a host name, an IP address nor a CIDR range`);
      hosts.add(address.toLowerCase());
      continue;
    }
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`"${entry}": the prefix must be 0-${max}`);
    ranges.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return { hosts, ranges, entries };
}

function allowedAddress(address: string, allow: WebhookAllowList): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (allow.ranges.check(address, family === 4 ? 'ipv4' : 'ipv6')) return true;
  const v4 = family === 6 ? embeddedIpv4(address) : null;
  return v4 !== null && allow.ranges.check(v4, 'ipv4');
}

/** Why this address may not be reached (a sentence), or null when it may. */
export function refusedAddress(address: string, allow: WebhookAllowList): string | null {
  const kind = forbiddenAddressKind(address);
  if (!kind || allowedAddress(address, allow)) return null;
  return `${address} is a ${kind} address; webhooks may not reach it unless WEBHOOK_ALLOW_HOSTS names it`;
}

/** The URL's host as a lookup sees it: brackets of an IPv6 literal removed, lower case. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

export class WebhookTargetRefused extends Error {
  override name = 'WebhookTargetRefused';
}

/**
 * A DNS lookup for sockets that refuses a name resolving to a forbidden address (every address
 * of the answer is checked, so a name cannot slip one past among public ones). Used by the
 * connection itself, so what is checked is what is connected to: a name that changes its answer
 * between the check at creation and the delivery is still caught.
 */
export function guardedLookup(allow: WebhookAllowList): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as Array<{ address: string; family: number }>;
      for (const a of list) {
        const refusal = refusedAddress(a.address, allow);
        if (refusal) return callback(Object.assign(new WebhookTargetRefused(`${hostname} resolves to ${refusal}`), { code: 'ELEADROUTER_TARGET' }), '', 0);
      }
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      else callback(null, first.address, first.family);
    });
  };
}

/**
 * Checks a webhook URL at creation: refused when its host is (or resolves to) a forbidden address
 * and the allow-list names neither the host nor the address. A name that does not resolve now
 * is accepted: delivery checks again, on every connection.
 */
export async function checkWebhookUrl(url: string, allow: WebhookAllowList, options: { timeoutMs?: number } = {}): Promise<string | null> {
  const host = hostOf(new URL(url));
  if (allow.hosts.has(host)) return null;
  if (isIP(host)) return refusedAddress(host, allow);
  const addresses = await new Promise<Array<{ address: string }>>((resolve) => {
    const timer = setTimeout(() => resolve([]), options.timeoutMs ?? 2_000);
    lookup(host, { all: true }, (error, found) => {
      clearTimeout(timer);
      resolve(error ? [] : found);
    });
  });
  for (const a of addresses) {
    const refusal = refusedAddress(a.address, allow);
    if (refusal) return `${host} resolves to ${refusal}`;
  }
  return null;
}
