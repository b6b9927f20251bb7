import type { Kysely } from 'kysely';
import type { LeadRecord } from '../../store/lead-queries.js';
import type { Database } from '../../store/schema.js';
import { LeadRouterError } from '../errors.js';
import { isAdmin, type Principal } from './principal.js';

/**
 * Which leads a principal may see and work:
 * - admins, integrations with leads scopes and the system: every lead;
 * - a head: leads owned by the team's managers, and the pool;
 * - a manager: own leads, and the pool;
 * - a qualifier: leads waiting for qualification.
 */
export type LeadScope =
  | { kind: 'all' }
  | { kind: 'owners'; managerIds: ReadonlySet<string>; pool: boolean }
  | { kind: 'qualification' };

export const QUALIFICATION_STATUS = 'qualification';
export const POOL_STATUS = 'pool';

export async function leadScopeOf(db: Kysely<Database>, principal: Principal): Promise<LeadScope> {
  if (principal.kind !== 'user' || isAdmin(principal)) return { kind: 'all' };
  switch (principal.role) {
    case 'head': {
      const ids = new Set<string>(principal.managerId ? [principal.managerId] : []);
      if (principal.teamId) {
        const rows = await db.selectFrom('managers').select('id').where('team_id', '=', principal.teamId).execute();
        for (const r of rows) ids.add(r.id);
      }
      return { kind: 'owners', managerIds: ids, pool: true };
    }
    case 'manager':
      return { kind: 'owners', managerIds: new Set(principal.managerId ? [principal.managerId] : []), pool: true };
    case 'qualifier':
      return { kind: 'qualification' };
    case 'admin':
      return { kind: 'all' };
  }
}

export function scopeAllows(scope: LeadScope, lead: Pick<LeadRecord, 'ownerId' | 'status'>): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'qualification':
      return lead.status === QUALIFICATION_STATUS;
    case 'owners':
      if (lead.ownerId === null) return scope.pool && lead.status === POOL_STATUS;
      return scope.managerIds.has(lead.ownerId);
  }
}

/**
 * Refuses a lead the principal may not see with the same 404 as a missing one, so nobody
 * learns that an id exists by guessing it.
 */
export async function assertLeadVisible(db: Kysely<Database>, principal: Principal, lead: LeadRecord | undefined, id: string): Promise<LeadRecord> {
  if (!lead || !scopeAllows(await leadScopeOf(db, principal), lead)) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No lead with id ${id}`);
  return lead;
}
