import { createHash, randomBytes } from 'node:crypto';
import { findApiKeyByHash, insertApiKey, listApiKeys, revokeApiKey, touchApiKey, type ApiKeyRecord } from '../store/api-key-queries.js';
import type { AppContext } from './app-context.js';

export const API_KEY_SCOPES = ['leads:write', 'leads:read', 'leads:work', 'leads:manage', 'rules:read', 'rules:write', 'team:read', 'team:write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * Keys are 32 random bytes, so a fast hash is enough to store them safely (no dictionary to
 * guess from); passwords, which people choose, get scrypt instead.
 */
export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext).digest('hex');
}

/**
 * Stores a new key and returns its only plaintext copy. Not audited by itself: the console and
 * the CLI go through issueApiKey (access/api-key-admin.ts), which validates and audits.
 */
export async function createApiKey(
  ctx: AppContext,
  input: { name: string; scopes: ApiKeyScope[]; plaintext?: string; createdBy?: string | null; keepUnknownFields?: boolean },
  db = ctx.store.db,
): Promise<{ key: ApiKeyRecord; plaintext: string }> {
  const plaintext = input.plaintext ?? `lr_${randomBytes(32).toString('base64url')}`;
  const id = ctx.newId();
  const at = ctx.now().toISOString();
  const prefix = plaintext.slice(0, 10);
  const createdBy = input.createdBy ?? null;
  const keepUnknownFields = input.keepUnknownFields ?? false;
  await insertApiKey(db, { id, name: input.name, prefix, hash: hashApiKey(plaintext), scopes: input.scopes, createdBy, keepUnknownFields }, at);
  return { key: { id, name: input.name, prefix, scopes: input.scopes, createdAt: at, revokedAt: null, createdBy, lastUsedAt: null, keepUnknownFields }, plaintext };
}

/** Ensures a key with exactly this value exists (LEADROUTER_ADMIN_API_KEY, the demo key). */
export async function ensureApiKey(ctx: AppContext, input: { name: string; scopes: ApiKeyScope[]; plaintext: string }): Promise<ApiKeyRecord> {
  const hash = hashApiKey(input.plaintext);
  const existing = await findApiKeyByHash(ctx.store.db, hash);
  if (existing) return existing;
  const prefix = input.plaintext.slice(0, 10);
  await insertApiKey(ctx.store.db, { id: ctx.newId(), name: input.name, prefix, hash, scopes: input.scopes }, ctx.now().toISOString(), { ifAbsent: true });
  const stored = await findApiKeyByHash(ctx.store.db, hash);
  if (!stored) throw new Error('the API key vanished right after it was ensured');
  return stored;
}

export { listApiKeys, revokeApiKey };

const CACHE_TTL_MS = 10_000;
/** A key's last use is written at most this often per key and process. */
export const LAST_USE_WRITE_INTERVAL_MS = 60_000;

/**
 * Verifies keys with a short cache: intake checks a key on every request, and a revocation
 * takes effect within CACHE_TTL_MS in every process (at once in the process that revoked it,
 * which calls forgetKey).
 *
 * It also keeps each key's last use: at most one write a minute per key and process, made
 * after the request's own work (setImmediate) and never awaited by it, so intake pays one map
 * lookup per request. A failed write is dropped; the next use a minute later tries again.
 */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, { key: ApiKeyRecord | null; until: number }>();
  private readonly lastWritten = new Map<string, number>();
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly ctx: AppContext) {}

  async verify(plaintext: string): Promise<ApiKeyRecord | null> {
    const hash = hashApiKey(plaintext);
    const now = Date.now();
    const cached = this.cache.get(hash);
    let key: ApiKeyRecord | null;
    if (cached && cached.until > now) {
      key = cached.key;
    } else {
      const found = await findApiKeyByHash(this.ctx.store.db, hash);
      // Looking up by the hash, never by the key itself, gives a timing attack nothing to learn.
      key = found && !found.revokedAt ? found : null;
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { key, until: now + CACHE_TTL_MS });
    }
    if (key) this.noteUse(key.id);
    return key;
  }

  private noteUse(id: string): void {
    const at = this.ctx.now();
    const last = this.lastWritten.get(id);
    if (last !== undefined && at.getTime() - last < LAST_USE_WRITE_INTERVAL_MS) return;
    if (this.lastWritten.size > 10_000) this.lastWritten.clear();
    this.lastWritten.set(id, at.getTime());
    const write: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => await touchApiKey(this.ctx.store.db, id, at.toISOString()))
      .catch(() => undefined)
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /** Resolves when this process's pending last-use writes are done (the key list, closing). */
  async settled(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  /** Drops a revoked key from this process's cache, so it is refused from the next request on. */
  forgetKey(id: string): void {
    for (const [hash, entry] of this.cache) if (entry.key?.id === id) this.cache.delete(hash);
  }

  forget(): void {
    this.cache.clear();
  }
}

export function hasScope(key: ApiKeyRecord, scope: ApiKeyScope): boolean {
  return key.scopes.includes('admin') || key.scopes.includes(scope);
}
