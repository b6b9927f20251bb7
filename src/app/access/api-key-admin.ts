import { z } from 'zod';
import { findApiKeyById, listApiKeys, revokeApiKey, setApiKeyKeepUnknownFields, type ApiKeyRecord } from '../../store/api-key-queries.js';
import { userNames } from '../../store/user-queries.js';
import { API_KEY_SCOPES, createApiKey, type ApiKeyScope } from '../api-keys.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError, type FieldIssue } from '../errors.js';
import { actorName, type Principal } from './principal.js';

export const apiKeyInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').describe('Who uses the key, e.g. "website form"'),
  scopes: z
    .array(z.string().max(50))
    .min(1, 'choose at least one scope')
    .max(API_KEY_SCOPES.length * 2)
    .describe(`What the key may do; each one of ${API_KEY_SCOPES.join(', ')} (admin: everything)`),
  keepUnknownFields: z.boolean().optional().describe('Keep lead fields intake does not know as custom fields instead of refusing the lead (default false)'),
});
export const apiKeyPatchSchema = z.strictObject({
  keepUnknownFields: z.boolean().describe('Keep lead fields intake does not know as custom fields instead of refusing the lead'),
});
export type ApiKeyInput = z.infer<typeof apiKeyInputSchema>;

/** A key as the console lists it: never its hash, and its plaintext only once, at creation. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  /** Who made the key: the actor as the audit log names it, and a person's name when it was a person. */
  createdBy: { actor: string; name: string | null } | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  keepUnknownFields: boolean;
}

function isScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** What the audit log keeps of a key: never the hash or the plaintext. */
function auditable(key: ApiKeyRecord): Record<string, unknown> {
  return { name: key.name, prefix: key.prefix, scopes: key.scopes, revokedAt: key.revokedAt, keepUnknownFields: key.keepUnknownFields };
}

function toView(key: ApiKeyRecord, names: Map<string, string>): ApiKeyView {
  let createdBy: ApiKeyView['createdBy'] = null;
  if (key.createdBy) {
    const [kind, ...rest] = key.createdBy.split(':');
    const ref = rest.join(':');
    createdBy = { actor: key.createdBy, name: kind === 'user' ? (names.get(ref) ?? null) : kind === 'system' ? ref : null };
  }
  return { id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes.filter(isScope), createdAt: key.createdAt, createdBy, lastUsedAt: key.lastUsedAt, revokedAt: key.revokedAt, keepUnknownFields: key.keepUnknownFields };
}

async function toViews(ctx: AppContext, keys: ApiKeyRecord[]): Promise<ApiKeyView[]> {
  const userIds = [...new Set(keys.flatMap((k) => (k.createdBy?.startsWith('user:') ? [k.createdBy.slice('user:'.length)] : [])))];
  const names = await userNames(ctx.store.db, userIds);
  return keys.map((k) => toView(k, names));
}

/** Every key, active and revoked, oldest first. */
export async function apiKeys(ctx: AppContext): Promise<ApiKeyView[]> {
  return await toViews(ctx, await listApiKeys(ctx.store.db));
}

/** A new key for an integration, audited; the plaintext is returned here once and is never stored. */
export async function issueApiKey(ctx: AppContext, principal: Principal, input: ApiKeyInput): Promise<{ key: ApiKeyView; plaintext: string }> {
  const unknown: FieldIssue[] = input.scopes.flatMap((s, i) =>
    isScope(s) ? [] : [{ path: `scopes[${i}]`, code: 'unknown_scope', message: `Unknown scope "${s}"; use one of ${API_KEY_SCOPES.join(', ')}` }],
  );
  if (unknown.length > 0) throw new LeadRouterError('LR_ERR_VALIDATION', unknown.map((u) => u.message).join('; '), unknown);
  const scopes = API_KEY_SCOPES.filter((s) => input.scopes.includes(s));
  const created = await ctx.store.db.transaction().execute(async (trx) => {
    const made = await createApiKey(ctx, { name: input.name, scopes, createdBy: actorName(principal), keepUnknownFields: input.keepUnknownFields ?? false }, trx);
    await recordAudit(ctx, trx, principal, [{ action: 'api_key.created', entity: 'api_key', entityId: made.key.id, after: auditable(made.key) }]);
    return made;
  });
  const [view] = await toViews(ctx, [created.key]);
  return { key: view as ApiKeyView, plaintext: created.plaintext };
}

/**
 * Revokes a key, audited. Revoking a revoked key changes nothing and answers the key as it is;
 * an unknown id is a 404. The caller drops the key from its verifier's cache.
 */
export async function revokeApiKeyAs(ctx: AppContext, principal: Principal, id: string): Promise<{ key: ApiKeyView; revokedNow: boolean }> {
  const { record, revokedNow } = await ctx.store.db.transaction().execute(async (trx) => {
    const before = await findApiKeyById(trx, id);
    if (!before) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No API key with id ${id}`);
    if (await revokeApiKey(trx, id, ctx.now().toISOString())) {
      const after = (await findApiKeyById(trx, id)) ?? before;
      await recordAudit(ctx, trx, principal, [{ action: 'api_key.revoked', entity: 'api_key', entityId: id, before: auditable(before), after: auditable(after) }]);
      return { record: after, revokedNow: true };
    }
    return { record: before, revokedNow: false };
  });
  const [view] = await toViews(ctx, [record]);
  return { key: view as ApiKeyView, revokedNow };
}

/** Changes how the key's leads treat unknown fields, audited. The caller drops the key from its verifier's cache. */
export async function changeApiKey(ctx: AppContext, principal: Principal, id: string, patch: z.infer<typeof apiKeyPatchSchema>): Promise<ApiKeyView> {
  const record = await ctx.store.db.transaction().execute(async (trx) => {
    const before = await findApiKeyById(trx, id);
    if (!before) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No API key with id ${id}`);
    await setApiKeyKeepUnknownFields(trx, id, patch.keepUnknownFields);
    const after = (await findApiKeyById(trx, id)) ?? before;
    await recordAudit(ctx, trx, principal, [{ action: 'api_key.changed', entity: 'api_key', entityId: id, before: auditable(before), after: auditable(after) }]);
    return after;
  });
  const [view] = await toViews(ctx, [record]);
  return view as ApiKeyView;
}
