import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { isAdmin, type Principal } from '../access/principal.js';
import { LeadRouterError, type FieldIssue } from '../errors.js';
import { registeredLeadsModes } from '../team/registered-leads.js';
import type { LeadInput } from './lead-input.js';
import type { Registration } from './prepare-lead.js';

/**
 * Who registered each lead of a request, checked before the lead joins the intake queue:
 * - a signed-in person with a routing profile who names nobody registers it themselves;
 * - `originatorId` names the manager: themselves for a manager (or qualifier), a manager of the
 *   own team for a head, any active manager for an admin or an API key with leads:write;
 * - `originatorId: null`, an integration naming nobody, or a person without a profile: nobody.
 * The originator's team decides whether the lead stays with them (keep) or is routed.
 * Returns null when no lead of the request is registered, so intake's usual path is untouched.
 */
export async function registrationsOf(db: Kysely<Database>, principal: Principal, leads: readonly LeadInput[], path: (index: number) => string = () => 'originatorId'): Promise<Array<Registration | null> | null> {
  const wanted = leads.map((lead) => (lead.originatorId === undefined ? selfOf(principal) : lead.originatorId));
  const ids = [...new Set(wanted.filter((id): id is string => id !== null))];
  if (ids.length === 0) return null;

  const rows = await db.selectFrom('managers').select(['id', 'team_id', 'active']).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const issues: FieldIssue[] = [];
  wanted.forEach((id, i) => {
    if (id === null) return;
    const row = byId.get(id);
    if (!row) issues.push({ path: path(i), code: 'unknown_manager', message: `no manager with id ${id}` });
    else if (row.active !== 1) issues.push({ path: path(i), code: 'inactive_manager', message: `the manager ${id} is deactivated and cannot register leads` });
  });
  if (issues.length > 0) throw new LeadRouterError('LR_ERR_UNPROCESSABLE', issues.length === 1 ? `The originator: ${issues[0]?.message}` : 'Some originators are not active managers', issues);

  leads.forEach((lead, i) => {
    const id = wanted[i];
    if (lead.originatorId === undefined || lead.originatorId === null || id === null || id === undefined) return;
    assertMayName(principal, id, byId.get(id)?.team_id ?? null);
  });

  const modes = await registeredLeadsModes(db, rows.map((r) => r.team_id));
  return wanted.map((id) => {
    if (id === null) return null;
    const teamId = byId.get(id)?.team_id ?? null;
    return { originatorId: id, keep: (modes.get(teamId) ?? 'keep') === 'keep' };
  });
}

/** A person who receives leads registers the leads they type in. */
function selfOf(principal: Principal): string | null {
  return principal.kind === 'user' ? principal.managerId : null;
}

function assertMayName(principal: Principal, managerId: string, teamId: string | null): void {
  if (principal.kind !== 'user' || isAdmin(principal)) return;
  if (principal.managerId === managerId) return;
  if (principal.role === 'head' && principal.teamId !== null && principal.teamId === teamId) return;
  throw new LeadRouterError(
    'LR_ERR_FORBIDDEN',
    principal.role === 'head' ? 'A head registers leads for the managers of the own team only' : 'A manager registers leads for themselves only; ask the head to name someone else',
  );
}
