import type { Kysely } from 'kysely';
import { findLead, type LeadRecord } from '../../store/lead-queries.js';
import type { Database } from '../../store/schema.js';
import { assertLeadVisible } from '../access/lead-access.js';
import type { Principal } from '../access/principal.js';
import { LeadRouterError } from '../errors.js';

/**
 * The lead, if the principal may work on it: visible to them (404 otherwise, as if missing),
 * and for a manager, their own. A manager sees the pool but must claim a lead before working it.
 */
export async function loadWorkableLead(db: Kysely<Database>, principal: Principal, id: string): Promise<LeadRecord> {
  const lead = await assertLeadVisible(db, principal, await findLead(db, id), id);
  if (principal.kind === 'user' && principal.role === 'manager' && lead.ownerId !== principal.managerId) {
    throw new LeadRouterError('LR_ERR_CONFLICT', 'The lead is in the pool: claim it before working on it');
  }
  return lead;
}

/** The routing profile of the person acting, when they have one. */
export function managerIdOf(principal: Principal): string | null {
  return principal.kind === 'user' ? principal.managerId : null;
}
