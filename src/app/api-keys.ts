import { createHash, randomBytes } from 'node:crypto';
import { findApiKeyByHash, insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRecord } from '../store/api-key-queries.js';
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

export async function createApiKey(ctx: AppContext, input: { name: string; scopes: ApiKeyScope[]; plaintext?: string }): Promise<{ key: ApiKeyRecord; plaintext: string }> {
  const plaintext = input.plaintext ?? `lr_${randomBytes(32).toString('base64url')}`;
  const id = ctx.newId();
  const at = ctx.now().toISOString();
  const prefix = plaintext.slice(0, 10);
  await insertApiKey(ctx.store.db, { id, name: input.name, prefix, hash: hashApiKey(plaintext), scopes: input.scopes }, at);
  return { key: { id, name: input.name, prefix, scopes: input.scopes, createdAt: at, revokedAt: null }, plaintext };
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

/**
 * Verifies keys with a short cache: intake checks a key on every request, and a revocation
 * takes effect within CACHE_TTL_MS in every process.
 */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, { key: ApiKeyRecord | null; until: number }>();

  constructor(private readonly ctx: AppContext) {}

  async verify(plaintext: string): Promise<ApiKeyRecord | null> {
    const hash = hashApiKey(plaintext);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.key;
    const found = await findApiKeyByHash(this.ctx.store.db, hash);
    // Looking up by the hash, never by the key itself, gives a timing attack nothing to learn.
    const key = found && !found.revokedAt ? found : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { key, until: now + CACHE_TTL_MS });
    return key;
  }

  forget(): void {
    this.cache.clear();
  }
}

export function hasScope(key: ApiKeyRecord, scope: ApiKeyScope): boolean {
  return key.scopes.includes('admin') || key.scopes.includes(scope);
}
