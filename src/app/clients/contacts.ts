import type { Kysely } from 'kysely';
import { clientSearchTerms } from '../../core/matching/client-search.js';
import type { CountryCode } from '../../core/normalize/index.js';
import {
  contactsWithKeys,
  findCompany,
  findContact,
  insertContact,
  insertOwnerHistory,
  listContacts,
  moveContactLinks,
  updateContact,
  type ContactRecord,
} from '../../store/client-base-queries.js';
import { readJson } from '../../store/json.js';
import type { Database } from '../../store/schema.js';
import { actorName, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError, type FieldIssue } from '../errors.js';
import { assertMayChange, checkOwner, clientWriteScope, decodeClientCursor, encodeClientCursor, normalizedEmails, normalizedPhones, refuseIssues, teamManagerIds } from './client-common.js';
import type { ContactCreate, ContactListQuery, ContactPatch, OwnerChange } from './client-input.js';

export async function loadContact(db: Kysely<Database>, id: string): Promise<ContactRecord> {
  const contact = await findContact(db, id);
  if (contact) return contact;
  const merged = await db.selectFrom('audit_log').select('after').where('entity', '=', 'contact').where('entity_id', '=', id).where('action', '=', 'contact.merged_into').executeTakeFirst();
  const into = merged ? readJson<{ intoId?: string } | null>(merged.after, null)?.intoId : undefined;
  throw new LeadRouterError('LR_ERR_NOT_FOUND', into ? `Contact ${id} was merged into ${into}` : `No contact with id ${id}`);
}

export async function listContactPage(ctx: AppContext, query: ContactListQuery): Promise<{ items: ContactRecord[]; nextCursor: string | null }> {
  const db = ctx.store.db;
  const after = query.cursor ? decodeClientCursor(query.cursor) : undefined;
  const ownerIds = query.teamId ? await teamManagerIds(db, query.teamId) : undefined;
  const filter = {
    ...(query.ownerId === 'none' ? { unowned: true } : query.ownerId ? { ownerIds: ownerIds ? ownerIds.filter((id) => id === query.ownerId) : [query.ownerId] } : ownerIds ? { ownerIds } : {}),
    ...(query.companyId ? { companyId: query.companyId } : {}),
    ...(query.q ? { search: clientSearchTerms(query.q, ctx.config.defaultCountry as CountryCode) } : {}),
  };
  const rows = await listContacts(db, filter, { limit: query.limit + 1, ...(after ? { after } : {}) });
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? encodeClientCursor(last.name ?? '', last.id) : null };
}

async function checkCompany(db: Kysely<Database>, companyId: string | null | undefined): Promise<string | null | undefined> {
  if (companyId === undefined || companyId === null) return companyId;
  const company = await findCompany(db, companyId);
  if (!company) throw new LeadRouterError('LR_ERR_VALIDATION', `No company with id ${companyId}`, [{ path: 'companyId', code: 'unknown_company', message: `No company with id ${companyId}` }]);
  return company.id;
}

/** One phone or e-mail, one contact: matching must know whose a returning lead is. */
async function refuseDuplicate(db: Kysely<Database>, keys: { phones: string[]; emails: string[] }, exceptId: string | null): Promise<void> {
  const others = await contactsWithKeys(db, keys, exceptId);
  if (others.length === 0) return;
  const issues: FieldIssue[] = others.map((o) => ({ path: o.kind === 'phone' ? 'phones' : 'emails', code: 'duplicate', message: `${o.value} belongs to «${o.name ?? o.id}» (${o.id})` }));
  throw new LeadRouterError('LR_ERR_CONFLICT', `A contact with this phone or e-mail exists: ${[...new Set(others.map((o) => `«${o.name ?? o.id}»`))].join(', ')}; open it or merge the two`, issues);
}

function validate(ctx: AppContext, input: ContactPatch, requireSomething: boolean): { phones: string[] | undefined; emails: string[] | undefined } {
  const issues: FieldIssue[] = [];
  const phones = input.phones === undefined ? undefined : normalizedPhones(input.phones, ctx.config.defaultCountry as CountryCode, issues);
  const emails = input.emails === undefined ? undefined : normalizedEmails(input.emails, issues);
  if (requireSomething && !input.name?.trim() && !phones?.length && !emails?.length && issues.length === 0) {
    issues.push({ path: 'name', code: 'required', message: 'A contact needs a name, a phone or an e-mail' });
  }
  refuseIssues(issues);
  return { phones, emails };
}

export async function createContact(ctx: AppContext, principal: Principal, input: ContactCreate): Promise<ContactRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const scope = await clientWriteScope(trx, principal);
    const keys = validate(ctx, input, true);
    const ownerId = await checkOwner(trx, scope, input.ownerId);
    const at = ctx.now().toISOString();
    const contact: ContactRecord = {
      id: ctx.newId(),
      name: input.name?.trim() || null,
      companyId: (await checkCompany(trx, input.companyId)) ?? null,
      ownerId,
      phones: keys.phones ?? [],
      emails: keys.emails ?? [],
      position: input.position ?? null,
      note: input.note ?? null,
      createdAt: at,
      updatedAt: at,
    };
    await refuseDuplicate(trx, contact, null);
    await insertContact(trx, contact);
    if (ownerId) await insertOwnerHistory(trx, [{ id: ctx.newId(), clientKind: 'contact', clientId: contact.id, ownerId, previousOwnerId: null, actor: actorName(principal), reason: null, at }]);
    await recordAudit(ctx, trx, principal, [{ action: 'contact.created', entity: 'contact', entityId: contact.id, after: contact }]);
    return contact;
  });
}

const EDITABLE = ['name', 'companyId', 'phones', 'emails', 'position', 'note'] as const;

export async function changeContact(ctx: AppContext, principal: Principal, id: string, patch: ContactPatch): Promise<ContactRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const scope = await clientWriteScope(trx, principal);
    const before = await loadContact(trx, id);
    assertMayChange(scope, 'contact', before);
    const keys = validate(ctx, patch, false);
    const companyId = await checkCompany(trx, patch.companyId);
    const after: ContactRecord = {
      ...before,
      name: patch.name === undefined ? before.name : patch.name?.trim() || null,
      companyId: companyId === undefined ? before.companyId : companyId,
      phones: keys.phones ?? before.phones,
      emails: keys.emails ?? before.emails,
      position: patch.position === undefined ? before.position : patch.position,
      note: patch.note === undefined ? before.note : patch.note,
      updatedAt: ctx.now().toISOString(),
    };
    if (!after.name && after.phones.length === 0 && after.emails.length === 0) refuseIssues([{ path: 'name', code: 'required', message: 'A contact needs a name, a phone or an e-mail' }]);
    const changed = EDITABLE.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length === 0) return before;
    await refuseDuplicate(trx, { phones: after.phones.filter((p) => !before.phones.includes(p)), emails: after.emails.filter((e) => !before.emails.includes(e)) }, id);
    await updateContact(trx, after);
    await recordAudit(ctx, trx, principal, [{ action: 'contact.changed', entity: 'contact', entityId: id, before, after: { ...after, changed } }]);
    return after;
  });
}

export async function changeContactOwner(ctx: AppContext, principal: Principal, id: string, change: OwnerChange): Promise<ContactRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const scope = await clientWriteScope(trx, principal);
    const before = await loadContact(trx, id);
    assertMayChange(scope, 'contact', before);
    const ownerId = await checkOwner(trx, scope, change.ownerId);
    if (ownerId === before.ownerId) return before;
    const at = ctx.now().toISOString();
    const reason = change.reason?.trim() || null;
    const after: ContactRecord = { ...before, ownerId, updatedAt: at };
    await updateContact(trx, after);
    await insertOwnerHistory(trx, [{ id: ctx.newId(), clientKind: 'contact', clientId: id, ownerId, previousOwnerId: before.ownerId, actor: actorName(principal), reason, at }]);
    await recordAudit(ctx, trx, principal, [{ action: 'contact.owner_changed', entity: 'contact', entityId: id, before: { ownerId: before.ownerId }, after: { ownerId, reason } }]);
    return after;
  });
}

/** Like companies: the kept contact's details win, blanks are filled, phones and e-mails are joined, every link moves. */
export async function mergeContacts(ctx: AppContext, principal: Principal, keptId: string, duplicateId: string): Promise<{ contact: ContactRecord; moved: { leads: number; deals: number } }> {
  if (keptId === duplicateId) throw new LeadRouterError('LR_ERR_VALIDATION', 'A contact cannot be merged with itself', [{ path: 'duplicateId', code: 'same_record', message: 'Choose another contact' }]);
  return await ctx.store.db.transaction().execute(async (trx) => {
    const scope = await clientWriteScope(trx, principal);
    const kept = await loadContact(trx, keptId);
    const duplicate = await loadContact(trx, duplicateId);
    assertMayChange(scope, 'contact', kept);
    assertMayChange(scope, 'contact', duplicate);
    const at = ctx.now().toISOString();
    const merged: ContactRecord = {
      ...kept,
      name: kept.name ?? duplicate.name,
      companyId: kept.companyId ?? duplicate.companyId,
      ownerId: kept.ownerId ?? duplicate.ownerId,
      phones: [...new Set([...kept.phones, ...duplicate.phones])],
      emails: [...new Set([...kept.emails, ...duplicate.emails])],
      position: kept.position ?? duplicate.position,
      note: [kept.note, duplicate.note].filter(Boolean).join('\n\n') || null,
      updatedAt: at,
    };
    const moved = await moveContactLinks(trx, duplicate.id, kept.id, at);
    await updateContact(trx, merged);
    if (merged.ownerId !== kept.ownerId) {
      await insertOwnerHistory(trx, [{ id: ctx.newId(), clientKind: 'contact', clientId: kept.id, ownerId: merged.ownerId, previousOwnerId: kept.ownerId, actor: actorName(principal), reason: `merged with «${duplicate.name ?? duplicate.id}»`, at }]);
    }
    await recordAudit(ctx, trx, principal, [
      { action: 'contact.merged', entity: 'contact', entityId: kept.id, before: { kept, duplicate }, after: { ...merged, duplicateId: duplicate.id, duplicateName: duplicate.name, moved } },
      { action: 'contact.merged_into', entity: 'contact', entityId: duplicate.id, before: duplicate, after: { intoId: kept.id } },
    ]);
    return { contact: merged, moved };
  });
}
