import type { Kysely } from 'kysely';
import { companySearchText, contactSearchText } from '../core/matching/client-search.js';
import { writeJson } from './json.js';
import type { Database } from './schema.js';

export interface KnownContact {
  id: string;
  ownerId: string | null;
  companyId: string | null;
  keys: Array<{ kind: string; value: string }>;
}

export interface KnownCompany {
  id: string;
  name: string;
  nameKey: string | null;
  taxId: string | null;
  domain: string | null;
  parentId: string | null;
  ownerId: string | null;
}

/** Contacts reachable by any of the phones or e-mails. */
export async function findContactsByKeys(db: Kysely<Database>, keys: { phones: string[]; emails: string[] }): Promise<KnownContact[]> {
  if (keys.phones.length + keys.emails.length === 0) return [];
  const rows = await db
    .selectFrom('contact_keys')
    .innerJoin('contacts', 'contacts.id', 'contact_keys.contact_id')
    .select(['contacts.id', 'contacts.owner_id', 'contacts.company_id', 'contact_keys.kind', 'contact_keys.value'])
    .where((eb) => {
      const ors = [];
      if (keys.phones.length) ors.push(eb.and([eb('contact_keys.kind', '=', 'phone'), eb('contact_keys.value', 'in', keys.phones)]));
      if (keys.emails.length) ors.push(eb.and([eb('contact_keys.kind', '=', 'email'), eb('contact_keys.value', 'in', keys.emails)]));
      return eb.or(ors);
    })
    .execute();
  const byId = new Map<string, KnownContact>();
  for (const r of rows) {
    const contact = byId.get(r.id) ?? { id: r.id, ownerId: r.owner_id, companyId: r.company_id, keys: [] };
    contact.keys.push({ kind: r.kind, value: r.value });
    byId.set(r.id, contact);
  }
  return [...byId.values()];
}

/** Companies matching a tax id, a corporate domain or a normalised name, plus their parents. */
export async function findCompaniesByKeys(
  db: Kysely<Database>,
  keys: { taxIds: string[]; domains: string[]; nameKeys: string[]; ids: string[] },
): Promise<KnownCompany[]> {
  if (keys.taxIds.length + keys.domains.length + keys.nameKeys.length + keys.ids.length === 0) return [];
  const select = ['id', 'name', 'name_key', 'tax_id', 'domain', 'parent_id', 'owner_id'] as const;
  const rows = await db
    .selectFrom('companies')
    .select(select)
    .where((eb) => {
      const ors = [];
      if (keys.taxIds.length) ors.push(eb('tax_id', 'in', keys.taxIds));
      if (keys.domains.length) ors.push(eb('domain', 'in', keys.domains));
      if (keys.nameKeys.length) ors.push(eb('name_key', 'in', keys.nameKeys));
      if (keys.ids.length) ors.push(eb('id', 'in', keys.ids));
      return eb.or(ors);
    })
    .execute();
  const parentIds = [...new Set(rows.map((r) => r.parent_id).filter((p): p is string => p !== null && !rows.some((r) => r.id === p)))];
  const parents = parentIds.length ? await db.selectFrom('companies').select(select).where('id', 'in', parentIds).execute() : [];
  return [...rows, ...parents].map((r) => ({
    id: r.id,
    name: r.name,
    nameKey: r.name_key,
    taxId: r.tax_id,
    domain: r.domain,
    parentId: r.parent_id,
    ownerId: r.owner_id,
  }));
}

export interface NewCompany {
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
}

export async function insertCompanies(db: Kysely<Database>, companies: NewCompany[], at: string): Promise<void> {
  if (companies.length === 0) return;
  await db
    .insertInto('companies')
    .values(
      companies.map((c) => ({
        id: c.id, name: c.name, name_key: c.nameKey, tax_id: c.taxId, domain: c.domain, parent_id: c.parentId,
        size: c.size, industry: c.industry, region: c.region, owner_id: c.ownerId, search_text: companySearchText(c), created_at: at, updated_at: at,
      })),
    )
    .execute();
}

export interface NewContact {
  id: string;
  name: string | null;
  companyId: string | null;
  ownerId: string | null;
  phones: string[];
  emails: string[];
}

export async function insertContacts(db: Kysely<Database>, contacts: NewContact[], at: string): Promise<void> {
  if (contacts.length === 0) return;
  await db
    .insertInto('contacts')
    .values(
      contacts.map((c) => ({
        id: c.id, name: c.name, company_id: c.companyId, owner_id: c.ownerId,
        phones: writeJson(c.phones), emails: writeJson(c.emails), search_text: contactSearchText(c), created_at: at, updated_at: at,
      })),
    )
    .execute();
  const keys = contacts.flatMap((c) => [
    ...c.phones.map((value) => ({ kind: 'phone', value, contact_id: c.id })),
    ...c.emails.map((value) => ({ kind: 'email', value, contact_id: c.id })),
  ]);
  if (keys.length) await db.insertInto('contact_keys').values(keys).execute();
}
