import { sql, type Kysely } from 'kysely';
import { companySearchText, contactSearchText } from '../../core/matching/client-search.js';
import { columnTypesOf } from './column-types.js';

/**
 * The client base (issue 14 §2): companies and contacts become records people create, search,
 * own and merge, not only what a converted lead leaves behind.
 * - companies: phones (a reception number finds the company), a note, and `search_text` (name,
 *   ИНН, domain, normalised, one per line) so a list can be searched without scanning JSON;
 * - contacts: a position, a note and `search_text` (name and e-mails);
 * - company_keys: a company's phones as matching keys, like contact_keys for contacts;
 * - client_owner_history: every owner a company or contact had, who changed it and why.
 * Existing rows get their search text here, and their current owner as the first history entry.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  const emptyList = t.json === 'jsonb' ? sql`'[]'::jsonb` : sql`'[]'`;
  await db.schema.alterTable('companies').addColumn('phones', t.json, (c) => c.notNull().defaultTo(emptyList)).execute();
  await db.schema.alterTable('companies').addColumn('note', 'text').execute();
  await db.schema.alterTable('companies').addColumn('search_text', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('position', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('note', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('search_text', 'text').execute();
  await db.schema.createIndex('companies_parent').on('companies').column('parent_id').execute();
  await db.schema.createIndex('companies_owner_name').on('companies').columns(['owner_id', 'name', 'id']).execute();
  await db.schema.createIndex('companies_name_id').on('companies').columns(['name', 'id']).execute();
  await db.schema.createIndex('contacts_company').on('contacts').column('company_id').execute();
  await db.schema.createIndex('contacts_name_id').on('contacts').columns(['name', 'id']).execute();
  await db.schema.createIndex('contact_keys_contact').on('contact_keys').column('contact_id').execute();
  await db.schema.createIndex('leads_company').on('leads').column('company_id').execute();
  await db.schema.createIndex('leads_contact').on('leads').column('contact_id').execute();
  await db.schema.createIndex('deals_company').on('deals').column('company_id').execute();
  await db.schema.createIndex('deals_contact').on('deals').column('contact_id').execute();

  await db.schema
    .createTable('company_keys')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('company_keys_pk', ['kind', 'value', 'company_id'])
    .execute();
  await db.schema.createIndex('company_keys_company').on('company_keys').column('company_id').execute();

  await db.schema
    .createTable('client_owner_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** company or contact. */
    .addColumn('client_kind', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('previous_owner_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_owner_history_client').on('client_owner_history').columns(['client_kind', 'client_id', 'at']).execute();

  // Search text as the code writes it, for the rows there are.
  const companies = await db.selectFrom('companies').select(['id', 'name', 'tax_id', 'domain']).execute();
  for (const c of companies) {
    await db.updateTable('companies').set({ search_text: companySearchText({ name: c.name, taxId: c.tax_id, domain: c.domain }) }).where('id', '=', c.id).execute();
  }
  const contacts = await db.selectFrom('contacts').select(['id', 'name', 'emails']).execute();
  for (const c of contacts) {
    const emails = typeof c.emails === 'string' ? (JSON.parse(c.emails) as string[]) : (c.emails as string[]);
    await db.updateTable('contacts').set({ search_text: contactSearchText({ name: c.name, emails }) }).where('id', '=', c.id).execute();
  }
  for (const kind of ['company', 'contact'] as const) {
    const table = kind === 'company' ? 'companies' : 'contacts';
    await sql`insert into client_owner_history (id, client_kind, client_id, owner_id, previous_owner_id, actor, reason, at)
      select ${`${kind}-owner-`} || id, ${kind}, id, owner_id, null, 'system:migration', null, updated_at from ${sql.table(table)} where owner_id is not null`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('client_owner_history').execute();
  await db.schema.dropTable('company_keys').execute();
  for (const index of ['companies_parent', 'companies_owner_name', 'companies_name_id', 'contacts_company', 'contacts_name_id', 'contact_keys_contact', 'leads_company', 'leads_contact', 'deals_company', 'deals_contact']) {
    await db.schema.dropIndex(index).execute();
  }
  for (const column of ['phones', 'note', 'search_text']) await db.schema.alterTable('companies').dropColumn(column).execute();
  for (const column of ['position', 'note', 'search_text']) await db.schema.alterTable('contacts').dropColumn(column).execute();
}
