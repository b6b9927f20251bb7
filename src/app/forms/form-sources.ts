import { randomBytes } from 'node:crypto';
import { findFormSource, insertFormSource, listFormSources, updateFormSource, type FormSourceRecord } from '../../store/form-source-queries.js';
import { createApiKey } from '../api-keys.js';
import { isAdmin, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { FormSourceCreate, FormSourcePatch } from './form-source-input.js';

export const DEFAULT_HONEYPOT_FIELD = '_lr_hp';

/** What people see of a form source: everything but the captcha secret, which is only said to be set. */
export type FormSourceView = Omit<FormSourceRecord, 'captchaSecret' | 'apiKeyId'> & { captcha: boolean };

export function formSourceView(f: FormSourceRecord): FormSourceView {
  const { captchaSecret, apiKeyId: _apiKeyId, ...rest } = f;
  return { ...rest, captcha: captchaSecret !== null };
}

function requireAdmin(principal: Principal): void {
  if (!isAdmin(principal)) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Only an administrator sets up web forms');
}

/** Audit rows never hold the captcha secret. */
const audited = (f: FormSourceRecord): FormSourceView => formSourceView(f);

export async function createFormSource(ctx: AppContext, principal: Principal, input: FormSourceCreate): Promise<FormSourceRecord> {
  requireAdmin(principal);
  return await ctx.store.db.transaction().execute(async (trx) => {
    const at = ctx.now().toISOString();
    // The form's own key row: its submissions are attributed to it and deduplicated by its
    // submission ids, like an integration's requests. It has no scopes and its value is never kept.
    const { key } = await createApiKey(ctx, { name: `web form: ${input.name}`, scopes: [] }, trx);
    const form: FormSourceRecord = {
      id: ctx.newId(),
      name: input.name,
      publicKey: `lrf_${randomBytes(18).toString('base64url')}`,
      apiKeyId: key.id,
      source: input.source ?? null,
      channel: input.channel ?? 'form',
      campaign: input.campaign ?? null,
      fieldMap: input.fieldMap ?? {},
      allowedOrigins: input.allowedOrigins ?? [],
      thankYouUrl: input.thankYouUrl ?? null,
      honeypotField: input.honeypotField === undefined ? DEFAULT_HONEYPOT_FIELD : input.honeypotField,
      minSeconds: input.minSeconds ?? 3,
      keepUnknown: input.keepUnknown ?? true,
      perIpPerMinute: input.perIpPerMinute ?? 10,
      perFormPerMinute: input.perFormPerMinute ?? 300,
      captchaSecret: input.captchaSecret ?? null,
      active: input.active ?? true,
      createdAt: at,
      updatedAt: at,
    };
    await insertFormSource(trx, form);
    await recordAudit(ctx, trx, principal, [{ action: 'form_source.created', entity: 'form_source', entityId: form.id, after: audited(form) }]);
    return form;
  });
}

export async function changeFormSource(ctx: AppContext, principal: Principal, id: string, patch: FormSourcePatch): Promise<FormSourceRecord> {
  requireAdmin(principal);
  return await ctx.store.db.transaction().execute(async (trx) => {
    const before = await findFormSource(trx, id);
    if (!before) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No web form ${id}`);
    const after: FormSourceRecord = { ...before, updatedAt: ctx.now().toISOString() };
    for (const [key, value] of Object.entries(patch) as Array<[keyof FormSourcePatch, unknown]>) {
      if (value !== undefined) (after as unknown as Record<string, unknown>)[key] = value;
    }
    await updateFormSource(trx, after);
    await recordAudit(ctx, trx, principal, [{ action: 'form_source.changed', entity: 'form_source', entityId: id, before: audited(before), after: audited(after) }]);
    return after;
  });
}

export async function formSources(ctx: AppContext, principal: Principal): Promise<FormSourceRecord[]> {
  requireAdmin(principal);
  return await listFormSources(ctx.store.db);
}

export async function formSource(ctx: AppContext, principal: Principal, id: string): Promise<FormSourceRecord> {
  requireAdmin(principal);
  const form = await findFormSource(ctx.store.db, id);
  if (!form) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No web form ${id}`);
  return form;
}
