import type { Kysely } from 'kysely';
import type { PoolOrder } from '../core/pool/claim-limits.js';
import { leadFromRow, type LeadRecord } from './lead-queries.js';
import type { Database } from './schema.js';

const POOL_STATUS = 'pool';

/** Unowned leads waiting in the pool, in the team's order: oldest first, or highest score first (unscored last, then oldest). */
export async function listPoolLeads(db: Kysely<Database>, order: PoolOrder, page: { limit: number; skip?: string[] }): Promise<LeadRecord[]> {
  let q = db.selectFrom('leads').selectAll().where('status', '=', POOL_STATUS).where('owner_id', 'is', null);
  if (page.skip && page.skip.length > 0) q = q.where('id', 'not in', page.skip);
  if (order === 'score') {
    q = q.orderBy((eb) => eb.case().when('score', 'is', null).then(1).else(0).end(), 'asc').orderBy('score', 'desc');
  }
  const rows = await q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(page.limit).execute();
  return rows.map(leadFromRow);
}

export async function countPoolLeads(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('leads')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', POOL_STATUS)
    .where('owner_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How the lead got its current owner ('claim', 'rule', 'transfer', …), or null if it never had one. */
export async function latestAssignmentVia(db: Kysely<Database>, leadId: string): Promise<string | null> {
  const row = await db.selectFrom('assignments').select('via').where('lead_id', '=', leadId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.via ?? null;
}

/** Leads a manager took from the pool since `since`: the rolling claim limit counts these. */
export async function countClaimsSince(db: Kysely<Database>, managerId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('assignments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('manager_id', '=', managerId)
    .where('via', '=', 'claim')
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findSetting(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function saveSetting(db: Kysely<Database>, key: string, value: string, at: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
}
