import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Records who registered a lead; false when the lead changed since it was read (its updated_at moved). */
export async function updateLeadOriginator(db: Kysely<Database>, leadId: string, seenUpdatedAt: string, originatorId: string | null, at: string): Promise<boolean> {
  const result = await db.updateTable('leads').set({ originator_id: originatorId, updated_at: at }).where('id', '=', leadId).where('updated_at', '=', seenUpdatedAt).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sets a deal's originator or owner; false when the deal changed since it was read. */
export async function updateDealPeople(db: Kysely<Database>, dealId: string, seenUpdatedAt: string, people: { originatorId?: string | null; ownerId?: string }, at: string): Promise<boolean> {
  const result = await db
    .updateTable('deals')
    .set({ ...(people.originatorId !== undefined ? { originator_id: people.originatorId } : {}), ...(people.ownerId !== undefined ? { owner_id: people.ownerId } : {}), updated_at: at })
    .where('id', '=', dealId)
    .where('updated_at', '=', seenUpdatedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The manager's team and whether the manager is active; undefined for no such manager. */
export async function findManagerStanding(db: Kysely<Database>, id: string): Promise<{ teamId: string | null; active: boolean; name: string } | undefined> {
  const row = await db.selectFrom('managers').select(['team_id', 'active', 'name']).where('id', '=', id).executeTakeFirst();
  return row ? { teamId: row.team_id, active: row.active === 1, name: row.name } : undefined;
}
