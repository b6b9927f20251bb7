import { sql, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { ClientSearchTerms } from '../core/matching/client-search.js';
import { companySearchText, contactSearchText } from '../core/matching/client-search.js';
import { readJson, writeJson } from './json.js';
import type { CompaniesTable, ContactsTable, Database } from './schema.js';

export interface CompanyRecord {
  id: string;
  name: string;
  nameKey: string | null;
  taxId: string | null;
  domain: string | null;
  parentId: string | null;
  size: number | null;
  industry: string | null;
  region: string | null;
  ownerId: string | null;
  phones: string[];
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ContactRecord {
  id: string;
  name: string | null;
  companyId: string | null;
  ownerId: string | null;
  phones: string[];
  emails: string[];
  position: string | null;
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export type ClientKind = 'company' | 'contact';

function companyOf(r: Selectable<CompaniesTable>): CompanyRecord {
  return {
    id: r.id, name: r.name, nameKey: r.name_key, taxId: r.tax_id, domain: r.domain, parentId: r.parent_id, size: r.size, industry: r.industry,
    region: r.region, ownerId: r.owner_id, phones: readJson<string[]>(r.phones, []), note: r.note, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function contactOf(r: Selectable<ContactsTable>): ContactRecord {
  return {
    id: r.id, name: r.name, companyId: r.company_id, ownerId: r.owner_id, phones: readJson<string[]>(r.phones, []), emails: readJson<string[]>(r.emails, []),
    position: r.position, note: r.note, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function companyRow(c: CompanyRecord) {
  return {
    id: c.id, name: c.name, name_key: c.nameKey, tax_id: c.taxId, domain: c.domain, parent_id: c.parentId, size: c.size, industry: c.industry, region: c.region,
    owner_id: c.ownerId, phones: writeJson(c.phones), note: c.note, search_text: companySearchText(c), created_at: c.createdAt, updated_at: c.updatedAt,
  };
}

function contactRow(c: ContactRecord) {
  return {
    id: c.id, name: c.name, company_id: c.companyId, owner_id: c.ownerId, phones: writeJson(c.phones), emails: writeJson(c.emails), position: c.position,
    note: c.note, search_text: contactSearchText(c), created_at: c.createdAt, updated_at: c.updatedAt,
  };
}

export async function findCompany(db: Kysely<Database>, id: string): Promise<CompanyRecord | undefined> {
  const row = await db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? companyOf(row) : undefined;
}

export async function findCompaniesByIds(db: Kysely<Database>, ids: readonly string[]): Promise<CompanyRecord[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('companies').selectAll().where('id', 'in', [...ids]).execute()).map(companyOf);
}

export async function findContact(db: Kysely<Database>, id: string): Promise<ContactRecord | undefined> {
  const row = await db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? contactOf(row) : undefined;
}

export async function insertCompany(db: Kysely<Database>, c: CompanyRecord): Promise<void> {
  await db.insertInto('companies').values(companyRow(c)).execute();
  await writeCompanyKeys(db, c);
}

export async function updateCompany(db: Kysely<Database>, c: CompanyRecord): Promise<void> {
  const { id: _id, created_at: _created, ...rest } = companyRow(c);
  await db.updateTable('companies').set(rest).where('id', '=', c.id).execute();
  await writeCompanyKeys(db, c);
}

async function writeCompanyKeys(db: Kysely<Database>, c: CompanyRecord): Promise<void> {
  await db.deleteFrom('company_keys').where('company_id', '=', c.id).execute();
  const phones = [...new Set(c.phones)];
  if (phones.length) await db.insertInto('company_keys').values(phones.map((value) => ({ kind: 'phone', value, company_id: c.id }))).execute();
}

export async function insertContact(db: Kysely<Database>, c: ContactRecord): Promise<void> {
  await db.insertInto('contacts').values(contactRow(c)).execute();
  await writeContactKeys(db, c);
}

export async function updateContact(db: Kysely<Database>, c: ContactRecord): Promise<void> {
  const { id: _id, created_at: _created, ...rest } = contactRow(c);
  await db.updateTable('contacts').set(rest).where('id', '=', c.id).execute();
  await writeContactKeys(db, c);
}

async function writeContactKeys(db: Kysely<Database>, c: ContactRecord): Promise<void> {
  await db.deleteFrom('contact_keys').where('contact_id', '=', c.id).execute();
  const keys = [...new Set(c.phones)].map((value) => ({ kind: 'phone', value, contact_id: c.id })).concat([...new Set(c.emails)].map((value) => ({ kind: 'email', value, contact_id: c.id })));
  if (keys.length) await db.insertInto('contact_keys').values(keys).execute();
}

/** Other companies that already carry this ИНН or domain (a duplicate about to be made). */
export async function companiesWithKeys(db: Kysely<Database>, keys: { taxId: string | null; domain: string | null }, exceptId: string | null): Promise<CompanyRecord[]> {
  if (!keys.taxId && !keys.domain) return [];
  let q = db.selectFrom('companies').selectAll().where((eb) => eb.or([...(keys.taxId ? [eb('tax_id', '=', keys.taxId)] : []), ...(keys.domain ? [eb('domain', '=', keys.domain)] : [])]));
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.limit(5).execute()).map(companyOf);
}

/** Other contacts that already carry one of these phones or e-mails. */
export async function contactsWithKeys(db: Kysely<Database>, keys: { phones: string[]; emails: string[] }, exceptId: string | null): Promise<Array<{ id: string; name: string | null; kind: string; value: string }>> {
  if (keys.phones.length + keys.emails.length === 0) return [];
  let q = db
    .selectFrom('contact_keys')
    .innerJoin('contacts', 'contacts.id', 'contact_keys.contact_id')
    .select(['contacts.id', 'contacts.name', 'contact_keys.kind', 'contact_keys.value'])
    .where((eb) =>
      eb.or([
        ...(keys.phones.length ? [eb.and([eb('contact_keys.kind', '=', 'phone'), eb('contact_keys.value', 'in', keys.phones)])] : []),
        ...(keys.emails.length ? [eb.and([eb('contact_keys.kind', '=', 'email'), eb('contact_keys.value', 'in', keys.emails)])] : []),
      ]),
    );
  if (exceptId) q = q.where('contacts.id', '!=', exceptId);
  return await q.limit(5).execute();
}

export interface ClientListFilter {
  /** Owned by one of these managers. */
  ownerIds?: string[];
  /** Only clients with no owner. */
  unowned?: boolean;
  parentId?: string;
  companyId?: string;
  search?: ClientSearchTerms;
}

export interface ClientPage {
  limit: number;
  after?: { name: string; id: string };
}

function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** By name, then id: a keyset page is the rows after the (name, id) of the previous page's last. */
export async function listCompanies(db: Kysely<Database>, filter: ClientListFilter, page: ClientPage): Promise<CompanyRecord[]> {
  let q = db.selectFrom('companies').selectAll();
  if (filter.ownerIds) q = filter.ownerIds.length ? q.where('owner_id', 'in', filter.ownerIds) : q.where(sql<SqlBool>`1 = 0`);
  if (filter.unowned) q = q.where('owner_id', 'is', null);
  if (filter.parentId) q = q.where('parent_id', '=', filter.parentId);
  const search = filter.search;
  if (search) {
    q = q.where((eb) => {
      const ors = [];
      if (search.text) ors.push(sql<SqlBool>`companies.search_text like ${containsPattern(search.text)} escape '\\'`);
      if (search.taxId) ors.push(eb('companies.tax_id', '=', search.taxId));
      if (search.domain) ors.push(eb('companies.domain', '=', search.domain));
      if (search.phone) {
        ors.push(eb('companies.id', 'in', eb.selectFrom('company_keys').select('company_id').where('kind', '=', 'phone').where('value', '=', search.phone)));
        ors.push(eb('companies.id', 'in', contactCompanies(eb.selectFrom('contact_keys'), 'phone', search.phone)));
      }
      if (search.email) ors.push(eb('companies.id', 'in', contactCompanies(eb.selectFrom('contact_keys'), 'email', search.email)));
      return ors.length ? eb.or(ors) : sql<SqlBool>`1 = 0`;
    });
  }
  if (page.after) {
    const { name, id } = page.after;
    q = q.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
  }
  return (await q.orderBy('name', 'asc').orderBy('id', 'asc').limit(page.limit).execute()).map(companyOf);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a subquery builder over contact_keys
function contactCompanies(from: any, kind: string, value: string) {
  return from
    .innerJoin('contacts', 'contacts.id', 'contact_keys.contact_id')
    .select('contacts.company_id')
    .where('contact_keys.kind', '=', kind)
    .where('contact_keys.value', '=', value)
    .where('contacts.company_id', 'is not', null);
}

/** By name (nameless last, as ''), then id. */
export async function listContacts(db: Kysely<Database>, filter: ClientListFilter, page: ClientPage): Promise<ContactRecord[]> {
  const sortName = sql<string>`coalesce(contacts.name, '')`;
  let q = db.selectFrom('contacts').selectAll();
  if (filter.ownerIds) q = filter.ownerIds.length ? q.where('owner_id', 'in', filter.ownerIds) : q.where(sql<SqlBool>`1 = 0`);
  if (filter.unowned) q = q.where('owner_id', 'is', null);
  if (filter.companyId) q = q.where('company_id', '=', filter.companyId);
  const search = filter.search;
  if (search) {
    q = q.where((eb) => {
      const ors = [];
      if (search.text) ors.push(sql<SqlBool>`contacts.search_text like ${containsPattern(search.text)} escape '\\'`);
      for (const [kind, value] of [['phone', search.phone], ['email', search.email]] as const) {
        if (value) ors.push(eb('contacts.id', 'in', eb.selectFrom('contact_keys').select('contact_id').where('kind', '=', kind).where('value', '=', value)));
      }
      if (search.taxId || search.domain) {
        ors.push(
          eb('contacts.company_id', 'in', eb.selectFrom('companies').select('id').where((c) => c.or([...(search.taxId ? [c('tax_id', '=', search.taxId)] : []), ...(search.domain ? [c('domain', '=', search.domain)] : [])]))),
        );
      }
      return ors.length ? eb.or(ors) : sql<SqlBool>`1 = 0`;
    });
  }
  if (page.after) {
    const { name, id } = page.after;
    q = q.where((eb) => eb.or([eb(sortName, '>', name), eb.and([eb(sortName, '=', name), eb('id', '>', id)])]));
  }
  return (await q.orderBy(sortName, 'asc').orderBy('id', 'asc').limit(page.limit).execute()).map(contactOf);
}

export async function subsidiariesOf(db: Kysely<Database>, id: string): Promise<CompanyRecord[]> {
  return (await db.selectFrom('companies').selectAll().where('parent_id', '=', id).orderBy('name').orderBy('id').limit(500).execute()).map(companyOf);
}

/** True when `candidateParent` is `id` or sits below it: making it the parent would close a loop. */
export async function wouldLoop(db: Kysely<Database>, id: string, candidateParent: string): Promise<boolean> {
  let current: string | null = candidateParent;
  for (let depth = 0; current !== null && depth < 100; depth++) {
    if (current === id) return true;
    const row: { parent_id: string | null } | undefined = await db.selectFrom('companies').select('parent_id').where('id', '=', current).executeTakeFirst();
    current = row?.parent_id ?? null;
  }
  return current !== null;
}

export interface OwnerHistoryEntry {
  id: string;
  clientKind: ClientKind;
  clientId: string;
  ownerId: string | null;
  previousOwnerId: string | null;
  actor: string;
  reason: string | null;
  at: string;
}

export async function insertOwnerHistory(db: Kysely<Database>, entries: OwnerHistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('client_owner_history')
    .values(entries.map((e) => ({ id: e.id, client_kind: e.clientKind, client_id: e.clientId, owner_id: e.ownerId, previous_owner_id: e.previousOwnerId, actor: e.actor, reason: e.reason, at: e.at })))
    .execute();
}

/** Newest first. */
export async function listOwnerHistory(db: Kysely<Database>, kind: ClientKind, id: string): Promise<OwnerHistoryEntry[]> {
  const rows = await db.selectFrom('client_owner_history').selectAll().where('client_kind', '=', kind).where('client_id', '=', id).orderBy('at', 'desc').orderBy('id', 'desc').limit(500).execute();
  return rows.map((r) => ({ id: r.id, clientKind: r.client_kind as ClientKind, clientId: r.client_id, ownerId: r.owner_id, previousOwnerId: r.previous_owner_id, actor: r.actor, reason: r.reason, at: r.at }));
}

/** Everything that points at the duplicate company now points at the kept one; the duplicate row is deleted. */
export async function moveCompanyLinks(db: Kysely<Database>, fromId: string, toId: string, at: string): Promise<{ leads: number; deals: number; contacts: number; subsidiaries: number }> {
  const leads = await db.updateTable('leads').set({ company_id: toId, updated_at: at }).where('company_id', '=', fromId).executeTakeFirst();
  const deals = await db.updateTable('deals').set({ company_id: toId, updated_at: at }).where('company_id', '=', fromId).executeTakeFirst();
  const contacts = await db.updateTable('contacts').set({ company_id: toId, updated_at: at }).where('company_id', '=', fromId).executeTakeFirst();
  const subsidiaries = await db.updateTable('companies').set({ parent_id: toId, updated_at: at }).where('parent_id', '=', fromId).where('id', '!=', toId).executeTakeFirst();
  await db.updateTable('client_owner_history').set({ client_id: toId }).where('client_kind', '=', 'company').where('client_id', '=', fromId).execute();
  await db.deleteFrom('company_keys').where('company_id', '=', fromId).execute();
  await db.deleteFrom('companies').where('id', '=', fromId).execute();
  return { leads: Number(leads.numUpdatedRows), deals: Number(deals.numUpdatedRows), contacts: Number(contacts.numUpdatedRows), subsidiaries: Number(subsidiaries.numUpdatedRows) };
}

/** Everything that points at the duplicate contact now points at the kept one; the duplicate row is deleted. */
export async function moveContactLinks(db: Kysely<Database>, fromId: string, toId: string, at: string): Promise<{ leads: number; deals: number }> {
  const leads = await db.updateTable('leads').set({ contact_id: toId, updated_at: at }).where('contact_id', '=', fromId).executeTakeFirst();
  const deals = await db.updateTable('deals').set({ contact_id: toId, updated_at: at }).where('contact_id', '=', fromId).executeTakeFirst();
  await db.updateTable('client_owner_history').set({ client_id: toId }).where('client_kind', '=', 'contact').where('client_id', '=', fromId).execute();
  await db.deleteFrom('contact_keys').where('contact_id', '=', fromId).execute();
  await db.deleteFrom('contacts').where('id', '=', fromId).execute();
  return { leads: Number(leads.numUpdatedRows), deals: Number(deals.numUpdatedRows) };
}

export interface ClientLead {
  id: string;
  name: string | null;
  companyName: string | null;
  status: string;
  ownerId: string | null;
  dealValue: number | null;
  createdAt: string;
}

/** A client's leads, newest first. */
export async function leadsOfClient(db: Kysely<Database>, kind: ClientKind, id: string, limit: number): Promise<ClientLead[]> {
  const column = kind === 'company' ? 'company_id' : 'contact_id';
  const rows = await db
    .selectFrom('leads')
    .select(['id', 'name', 'company_name', 'status', 'owner_id', 'deal_value', 'created_at'])
    .where(column, '=', id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, companyName: r.company_name, status: r.status, ownerId: r.owner_id, dealValue: r.deal_value, createdAt: r.created_at }));
}

export interface ClientDeal {
  id: string;
  leadId: string;
  title: string;
  amount: number | null;
  currency: string | null;
  stage: string;
  ownerId: string | null;
  originatorId: string | null;
  createdAt: string;
  closedAt: string | null;
}

export async function dealsOfClient(db: Kysely<Database>, kind: ClientKind, id: string, limit: number): Promise<ClientDeal[]> {
  const column = kind === 'company' ? 'company_id' : 'contact_id';
  const rows = await db
    .selectFrom('deals')
    .select(['id', 'lead_id', 'title', 'amount', 'currency', 'stage', 'owner_id', 'originator_id', 'created_at', 'closed_at'])
    .where(column, '=', id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, leadId: r.lead_id, title: r.title, amount: r.amount, currency: r.currency, stage: r.stage, ownerId: r.owner_id, originatorId: r.originator_id, createdAt: r.created_at, closedAt: r.closed_at }));
}

export interface ClientEvent {
  id: string;
  leadId: string | null;
  type: string;
  actor: string;
  payload: unknown;
  createdAt: string;
}

/** The journal of these leads, newest first. */
export async function eventsOfLeads(db: Kysely<Database>, leadIds: readonly string[], limit: number): Promise<ClientEvent[]> {
  if (leadIds.length === 0) return [];
  const rows = await db.selectFrom('events').selectAll().where('lead_id', 'in', [...leadIds]).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, leadId: r.lead_id, type: r.type, actor: r.actor, payload: readJson<unknown>(r.payload, null), createdAt: r.created_at }));
}

/** Audit entries about one client (created, changed, merged), newest first. */
export async function auditOfClient(db: Kysely<Database>, kind: ClientKind, id: string, limit: number): Promise<Array<{ id: string; action: string; actor: string; after: unknown; at: string }>> {
  const rows = await db.selectFrom('audit_log').select(['id', 'action', 'actor', 'after', 'at']).where('entity', '=', kind).where('entity_id', '=', id).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, action: r.action, actor: r.actor, after: readJson<unknown>(r.after, null), at: r.at }));
}

/** How many contacts and subsidiaries each company has. */
export async function companyCounts(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, { contacts: number; subsidiaries: number }>> {
  const out = new Map<string, { contacts: number; subsidiaries: number }>(ids.map((id) => [id, { contacts: 0, subsidiaries: 0 }]));
  if (ids.length === 0) return out;
  const contacts = await db.selectFrom('contacts').select(['company_id', db.fn.countAll<number | string>().as('n')]).where('company_id', 'in', [...ids]).groupBy('company_id').execute();
  for (const r of contacts) if (r.company_id) (out.get(r.company_id) as { contacts: number }).contacts = Number(r.n);
  const subs = await db.selectFrom('companies').select(['parent_id', db.fn.countAll<number | string>().as('n')]).where('parent_id', 'in', [...ids]).groupBy('parent_id').execute();
  for (const r of subs) if (r.parent_id) (out.get(r.parent_id) as { subsidiaries: number }).subsidiaries = Number(r.n);
  return out;
}
