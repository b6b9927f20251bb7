import type { Kysely } from 'kysely';
import { clientSearchTerms } from '../../core/matching/client-search.js';
import { companyNameKey, type CountryCode } from '../../core/normalize/index.js';
import {
  companiesWithKeys,
  findCompany,
  insertCompany,
  insertOwnerHistory,
  listCompanies,
  moveCompanyLinks,
  updateCompany,
  wouldLoop,
  type CompanyRecord,
} from '../../store/client-base-queries.js';
import { readJson } from '../../store/json.js';
import type { Database } from '../../store/schema.js';
import { actorName, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError, type FieldIssue } from '../errors.js';
import {
  assertMayChange,
  checkOwner,
  clientWriteScope,
  decodeClientCursor,
  encodeClientCursor,
  normalizedDomain,
  normalizedPhones,
  normalizedTaxId,
  refuseIssues,
  teamManagerIds,
} from './client-common.js';
import type { CompanyCreate, CompanyListQuery, CompanyPatch, OwnerChange } from './client-input.js';

export async function loadCompany(db: Kysely<Database>, id: string): Promise<CompanyRecord> {
  const company = await findCompany(db, id);
  if (company) return company;
  const merged = await db.selectFrom('audit_log').select('after').where('entity', '=', 'company').where('entity_id', '=', id).where('action', '=', 'company.merged_into').executeTakeFirst();
  const into = merged ? readJson<{ intoId?: string } | null>(merged.after, null)?.intoId : undefined;
  throw new LeadRouterError('LR_ERR_NOT_FOUND', into ? `Company ${id} was merged into ${into}` : `No company with id ${id}`);
}

export async function listCompanyPage(ctx: AppContext, query: CompanyListQuery): Promise<{ items: CompanyRecord[]; nextCursor: string | null }> {
  const db = ctx.store.db;
  const after = query.cursor ? decodeClientCursor(query.cursor) : undefined;
  const ownerIds = query.teamId ? await teamManagerIds(db, query.teamId) : undefined;
  const filter = {
    ...(query.ownerId === 'none' ? { unowned: true } : query.ownerId ? { ownerIds: ownerIds ? ownerIds.filter((id) => id === query.ownerId) : [query.ownerId] } : ownerIds ? { ownerIds } : {}),
    ...(query.parentId ? { parentId: query.parentId } : {}),
    ...(query.q ? { search: clientSearchTerms(query.q, ctx.config.defaultCountry as CountryCode) } : {}),
  };
  const rows = await listCompanies(db, filter, { limit: query.limit + 1, ...(after ? { after } : {}) });
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? encodeClientCursor(last.name, last.id) : null };
}

interface CompanyKeys {
  taxId: string | null | undefined;
  domain: string | null | undefined;
  phones: string[] | undefined;
}

function companyKeysOf(ctx: AppContext, input: CompanyPatch, issues: FieldIssue[]): CompanyKeys {
  return {
    taxId: normalizedTaxId(input.taxId, issues),
    domain: normalizedDomain(input.domain, issues),
    phones: input.phones === undefined ? undefined : normalizedPhones(input.phones, ctx.config.defaultCountry as CountryCode, issues),
  };
}

/** One ИНН, one domain, one company: a second is refused with the one that has it, so the caller can open or merge it. */
async function refuseDuplicate(db: Kysely<Database>, keys: { taxId: string | null; domain: string | null }, exceptId: string | null): Promise<void> {
  const others = await companiesWithKeys(db, keys, exceptId);
  if (others.length === 0) return;
  const issues: FieldIssue[] = [];
  for (const other of others) {
    if (keys.taxId && other.taxId === keys.taxId) issues.push({ path: 'taxId', code: 'duplicate', message: `«${other.name}» (${other.id}) has this ИНН` });
    if (keys.domain && other.domain === keys.domain) issues.push({ path: 'domain', code: 'duplicate', message: `«${other.name}» (${other.id}) has this domain` });
  }
  throw new LeadRouterError('LR_ERR_CONFLICT', `A company with this ИНН or domain exists: ${others.map((o) => `«${o.name}»`).join(', ')}; open it or merge the two`, issues);
}

async function checkParent(db: Kysely<Database>, id: string, parentId: string | null | undefined): Promise<string | null | undefined> {
  if (parentId === undefined || parentId === null) return parentId;
  const parent = await findCompany(db, parentId);
  if (!parent) throw new LeadRouterError('LR_ERR_VALIDATION', `No company with id ${parentId}`, [{ path: 'parentId', code: 'unknown_company', message: `No company with id ${parentId}` }]);
  if (await wouldLoop(db, id, parentId)) {
    throw new LeadRouterError('LR_ERR_VALIDATION', `«${parent.name}» is this company or one of its subsidiaries; a holding cannot belong to itself`, [{ path: 'parentId', code: 'loop', message: 'A company cannot belong to itself or its own subsidiary' }]);
  }
  return parent.id;
}

export async function createCompany(ctx: AppContext, principal: Principal, input: CompanyCreate): Promise<CompanyRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const scope = await clientWriteScope(trx, principal);
    const issues: FieldIssue[] = [];
    const keys = companyKeysOf(ctx, input, issues);
    refuseIssues(issues);
    const ownerId = await checkOwner(trx, scope, input.ownerId);
    const at = ctx.now().toISOString();
    const id = ctx.newId();
    const company: CompanyRecord = {
      id,
      name: input.name,
      nameKey: companyNameKey(input.name),
      taxId: keys.taxId ?? null,
      domain: keys.domain ?? null,
      parentId: (await checkParent(trx, id, input.parentId)) ?? null,
      size: input.size ?? null,
      industry: input.industry ?? null,
      region: input.region ?? null,
      ownerId,
      phones: keys.phones ?? [],
      note: input.note ?? null,
      createdAt: at,
      updatedAt: at,
    };
    await refuseDuplicate(trx, company, null);
    await insertCompany(trx, company);
    if (ownerId) await insertOwnerHistory(trx, [{ id: ctx.newId(), clientKind: 'company', clientId: id, ownerId, previousOwnerId: null, actor: actorName(principal), reason: null, at }]);
    await recordAudit(ctx, trx, principal, [{ action: 'company.created', entity: 'company', entityId: id, after: company }]);
    return company;
  });
}

const EDITABLE = ['name', 'taxId', 'domain', 'phones', 'parentId', 'size', 'industry', 'region', 'note'] as const;

export async function changeCompany(ctx: AppContext, principal: Principal, id: string, patch: CompanyPatch): Promise<CompanyRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const scope = await clientWriteScope(trx, principal);
    const before = await loadCompany(trx, id);
    assertMayChange(scope, 'company', before);
    const issues: FieldIssue[] = [];
    const keys = companyKeysOf(ctx, patch, issues);
    refuseIssues(issues);
    const parentId = await checkParent(trx, id, patch.parentId);
    const name = patch.name ?? before.name;
    const after: CompanyRecord = {
      ...before,
      name,
      nameKey: companyNameKey(name),
      taxId: keys.taxId === undefined ? before.taxId : keys.taxId,
      domain: keys.domain === undefined ? before.domain : keys.domain,
      phones: keys.phones ?? before.phones,
      parentId: parentId === undefined ? before.parentId : parentId,
      size: patch.size === undefined ? before.size : patch.size,
      industry: patch.industry === undefined ? before.industry : patch.industry,
      region: patch.region === undefined ? before.region : patch.region,
      note: patch.note === undefined ? before.note : patch.note,
      updatedAt: ctx.now().toISOString(),
    };
    const changed = EDITABLE.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length === 0) return before;
    await refuseDuplicate(trx, { taxId: after.taxId !== before.taxId ? after.taxId : null, domain: after.domain !== before.domain ? after.domain : null }, id);
    await updateCompany(trx, after);
    await recordAudit(ctx, trx, principal, [{ action: 'company.changed', entity: 'company', entityId: id, before, after: { ...after, changed } }]);
    return after;
  });
}

export async function changeCompanyOwner(ctx: AppContext, principal: Principal, id: string, change: OwnerChange): Promise<CompanyRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const scope = await clientWriteScope(trx, principal);
    const before = await loadCompany(trx, id);
    assertMayChange(scope, 'company', before);
    const ownerId = await checkOwner(trx, scope, change.ownerId);
    const at = ctx.now().toISOString();
    const actor = actorName(principal);
    const reason = change.reason?.trim() || null;
    const after: CompanyRecord = { ...before, ownerId, updatedAt: at };
    if (ownerId !== before.ownerId) {
      await updateCompany(trx, after);
      await insertOwnerHistory(trx, [{ id: ctx.newId(), clientKind: 'company', clientId: id, ownerId, previousOwnerId: before.ownerId, actor, reason, at }]);
      await recordAudit(ctx, trx, principal, [{ action: 'company.owner_changed', entity: 'company', entityId: id, before: { ownerId: before.ownerId }, after: { ownerId, reason } }]);
    }
    if (change.withContacts) {
      // The company's people who were the previous owner's (or nobody's) follow the company.
      const rows = await trx.selectFrom('contacts').select(['id', 'owner_id']).where('company_id', '=', id).execute();
      const moving = rows.filter((r) => r.owner_id !== ownerId && (r.owner_id === null || r.owner_id === before.ownerId));
      if (moving.length > 0) {
        await trx.updateTable('contacts').set({ owner_id: ownerId, updated_at: at }).where('id', 'in', moving.map((r) => r.id)).execute();
        await insertOwnerHistory(trx, moving.map((r) => ({ id: ctx.newId(), clientKind: 'contact' as const, clientId: r.id, ownerId, previousOwnerId: r.owner_id, actor, reason: reason ?? 'company owner changed', at })));
        await recordAudit(ctx, trx, principal, moving.map((r) => ({ action: 'contact.owner_changed', entity: 'contact', entityId: r.id, before: { ownerId: r.owner_id }, after: { ownerId, reason, companyId: id } })));
      }
    }
    return ownerId !== before.ownerId ? after : before;
  });
}

/**
 * Two records of one company become one: the kept record's details win, its blanks are filled
 * from the duplicate, and every lead, deal, contact, subsidiary, phone and owner-history entry
 * of the duplicate moves to it. The duplicate is deleted; the audit log keeps both as they were.
 */
export async function mergeCompanies(ctx: AppContext, principal: Principal, keptId: string, duplicateId: string): Promise<{ company: CompanyRecord; moved: { leads: number; deals: number; contacts: number; subsidiaries: number } }> {
  if (keptId === duplicateId) throw new LeadRouterError('LR_ERR_VALIDATION', 'A company cannot be merged with itself', [{ path: 'duplicateId', code: 'same_record', message: 'Choose another company' }]);
  return await ctx.store.db.transaction().execute(async (trx) => {
    const scope = await clientWriteScope(trx, principal);
    const kept = await loadCompany(trx, keptId);
    const duplicate = await loadCompany(trx, duplicateId);
    assertMayChange(scope, 'company', kept);
    assertMayChange(scope, 'company', duplicate);
    const at = ctx.now().toISOString();
    let parentId = kept.parentId === duplicate.id ? duplicate.parentId : (kept.parentId ?? (duplicate.parentId === kept.id ? null : duplicate.parentId));
    if (parentId === kept.id) parentId = null;
    const merged: CompanyRecord = {
      ...kept,
      taxId: kept.taxId ?? duplicate.taxId,
      domain: kept.domain ?? duplicate.domain,
      phones: [...new Set([...kept.phones, ...duplicate.phones])],
      parentId,
      size: kept.size ?? duplicate.size,
      industry: kept.industry ?? duplicate.industry,
      region: kept.region ?? duplicate.region,
      note: [kept.note, duplicate.note].filter(Boolean).join('\n\n') || null,
      ownerId: kept.ownerId ?? duplicate.ownerId,
      updatedAt: at,
    };
    const moved = await moveCompanyLinks(trx, duplicate.id, kept.id, at);
    await updateCompany(trx, merged);
    const actor = actorName(principal);
    if (merged.ownerId !== kept.ownerId) {
      await insertOwnerHistory(trx, [{ id: ctx.newId(), clientKind: 'company', clientId: kept.id, ownerId: merged.ownerId, previousOwnerId: kept.ownerId, actor, reason: `merged with «${duplicate.name}»`, at }]);
    }
    await recordAudit(ctx, trx, principal, [
      { action: 'company.merged', entity: 'company', entityId: kept.id, before: { kept, duplicate }, after: { ...merged, duplicateId: duplicate.id, duplicateName: duplicate.name, moved } },
      { action: 'company.merged_into', entity: 'company', entityId: duplicate.id, before: duplicate, after: { intoId: kept.id } },
    ]);
    return { company: merged, moved };
  });
}
