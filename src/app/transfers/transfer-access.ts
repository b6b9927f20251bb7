import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { TransferRecord } from '../../store/transfer-queries.js';
import { actorName, isAdmin, type Principal } from '../access/principal.js';

/**
 * Whose transfers a principal sees: admins and integrations all; a head those from or to the
 * team's managers and their own; a manager those from or to them and their own.
 */
export type TransferScope = { kind: 'all' } | { kind: 'involving'; managerIds: string[]; requestedBy: string };

export async function transferScopeOf(db: Kysely<Database>, principal: Principal): Promise<TransferScope> {
  if (principal.kind !== 'user' || isAdmin(principal)) return { kind: 'all' };
  const ids = new Set<string>(principal.managerId ? [principal.managerId] : []);
  if (principal.role === 'head') for (const id of await teamManagerIds(db, principal.teamId)) ids.add(id);
  return { kind: 'involving', managerIds: [...ids], requestedBy: actorName(principal) };
}

export function transferVisible(scope: TransferScope, t: TransferRecord): boolean {
  if (scope.kind === 'all') return true;
  if (t.requestedBy === scope.requestedBy) return true;
  return [t.fromManagerId, t.toManagerId].some((id) => id !== null && scope.managerIds.includes(id));
}

export async function teamManagerIds(db: Kysely<Database>, teamId: string | null): Promise<string[]> {
  if (!teamId) return [];
  const rows = await db.selectFrom('managers').select('id').where('team_id', '=', teamId).execute();
  return rows.map((r) => r.id);
}

export async function teamOfManager(db: Kysely<Database>, managerId: string | null): Promise<string | null> {
  if (!managerId) return null;
  const row = await db.selectFrom('managers').select('team_id').where('id', '=', managerId).executeTakeFirst();
  return row?.team_id ?? null;
}

/**
 * Who decides for a team: an admin, an integration with leads:manage (the route checked the
 * scope), or the head of that very team.
 */
export function runsTeam(principal: Principal, teamId: string | null): boolean {
  if (principal.kind !== 'user' || isAdmin(principal)) return true;
  return principal.role === 'head' && principal.teamId !== null && principal.teamId === teamId;
}
