import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The lead's normalised phones and e-mails, as intake stored them for matching. */
export async function findLeadContactKeys(db: Kysely<Database>, leadId: string): Promise<{ phones: string[]; emails: string[] }> {
  const rows = await db.selectFrom('lead_keys').select(['kind', 'value']).where('lead_id', '=', leadId).where('kind', 'in', ['phone', 'email']).execute();
  return { phones: rows.filter((r) => r.kind === 'phone').map((r) => r.value), emails: rows.filter((r) => r.kind === 'email').map((r) => r.value) };
}

/** Fills what an existing client record lacks (company, owner) without overwriting what it has. */
export async function completeContact(db: Kysely<Database>, id: string, fill: { companyId: string | null; ownerId: string | null }, at: string): Promise<void> {
  if (fill.companyId) await db.updateTable('contacts').set({ company_id: fill.companyId, updated_at: at }).where('id', '=', id).where('company_id', 'is', null).execute();
  if (fill.ownerId) await db.updateTable('contacts').set({ owner_id: fill.ownerId, updated_at: at }).where('id', '=', id).where('owner_id', 'is', null).execute();
}

export async function completeCompany(db: Kysely<Database>, id: string, fill: { ownerId: string | null }, at: string): Promise<void> {
  if (fill.ownerId) await db.updateTable('companies').set({ owner_id: fill.ownerId, updated_at: at }).where('id', '=', id).where('owner_id', 'is', null).execute();
}

