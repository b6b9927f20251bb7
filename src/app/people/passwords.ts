import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP's current recommendation for scrypt (Password Storage Cheat Sheet): N=2^17, r=8, p=1 —
 * 128 MiB and about 0.3 s per hash on this hardware, once per sign-in. Hashes stored at a lower
 * cost are upgraded the next time their owner signs in (`needsRehash`).
 */
export const OWASP_SCRYPT: Readonly<ScryptCost> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

let cost: ScryptCost = { ...OWASP_SCRYPT };

/**
 * The cost new hashes get. Only the test suite lowers it (test/support/fast-passwords.ts): it
 * signs in hundreds of times, and what it checks (storage, verification, rehash) does not
 * depend on the cost.
 */
export function setPasswordHashCost(next: ScryptCost): void {
  cost = { ...next };
}

const KEY_LENGTH = 64;

function derive(password: string, salt: Buffer, params: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash`, so the cost can be raised later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const params = cost;
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string): { params: ScryptCost; salt: Buffer; hash: Buffer } | null {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return null;
  return { params: { N: Number(n), r: Number(r), p: Number(p) }, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
}

/** A stored hash made at a lower cost than new hashes get: replace it once the password is known. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  return parsed.params.N < cost.N || parsed.params.r < cost.r || parsed.params.p < cost.p;
}

/** Spent on unknown e-mails too, so response time does not reveal which accounts exist. */
let dummyHash: { cost: ScryptCost; hash: Promise<string> } | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  if (dummyHash?.cost !== cost) dummyHash = { cost, hash: hashPassword('no such user') };
  await verifyPassword(password, await dummyHash.hash);
}
