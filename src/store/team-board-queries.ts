import type { Kysely } from 'kysely';
import { slaBreachedAt } from './lead-queries.js';
import type { ManagerRow } from './manager-queries.js';
import type { Database } from './schema.js';

export async function findTeam(db: Kysely<Database>, id: string): Promise<{ id: string; name: string } | undefined> {
  return await db.selectFrom('teams').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

/** Every manager of the team, switched-off ones included (a board shows them as inactive). */
export async function listTeamManagerRows(db: Kysely<Database>, teamId: string): Promise<ManagerRow[]> {
  return await db.selectFrom('managers').selectAll().where('team_id', '=', teamId).orderBy('id').execute();
}

/** Per owner, the open leads whose SLA is breached at `now` (SlaState `breached`); owners without any are left out. */
export async function countSlaBreachedByOwner(db: Kysely<Database>, ownerIds: string[], now: string): Promise<Map<string, number>> {
  if (ownerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('leads')
    .select((eb) => ['owner_id', eb.fn.countAll<number>().as('n')])
    .where('owner_id', 'in', ownerIds)
    .where((eb) => slaBreachedAt(eb, now))
    .groupBy('owner_id')
    .execute();
  return new Map(rows.map((r) => [r.owner_id as string, Number(r.n)]));
}
