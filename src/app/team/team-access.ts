import { hasScope } from '../api-keys.js';
import type { ManagerRow } from '../../store/manager-queries.js';
import { isAdmin, type Principal } from '../access/principal.js';
import { LeadRouterError, type FieldIssue } from '../errors.js';
import type { ManagerPatch } from './manager-input.js';

/**
 * What a head changes on a manager of the own team: the routing profile (share, caps, skills,
 * hours, pause) and absences. Who the person is (name, e-mail), the role and the team stay with
 * admins: a head neither moves people between teams nor promotes them.
 */
export const HEAD_EDITABLE_FIELDS = ['weight', 'priority', 'maxOpen', 'maxPerDay', 'skills', 'industries', 'regions', 'languages', 'timeZone', 'workingHours', 'paused'] as const;
const HEAD_EDITABLE: ReadonlySet<string> = new Set(HEAD_EDITABLE_FIELDS);

/** Admins, the system and integrations with team:write manage every manager. */
function managesAllTeams(principal: Principal): boolean {
  if (isAdmin(principal)) return true;
  return principal.kind === 'api-key' && hasScope(principal.key, 'team:write');
}

/**
 * The first gate, before the manager is looked up: only those who manage every team and heads
 * may change managers at all, so anyone else learns nothing about which ids exist.
 */
export function assertMayManageManagers(principal: Principal): void {
  if (managesAllTeams(principal)) return;
  if (principal.kind === 'user' && principal.role === 'head') {
    if (principal.teamId === null) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'You run no team; ask an admin to change managers');
    return;
  }
  if (principal.kind === 'api-key') throw new LeadRouterError('LR_ERR_FORBIDDEN', 'The API key lacks the scope team:write');
  throw new LeadRouterError('LR_ERR_FORBIDDEN', principal.kind === 'user' ? `The role ${principal.role} may not change managers` : 'The caller may not change managers');
}

/**
 * A head acts on managers of the own team only; like a reassignment to another team's
 * manager, anything else is a 403 naming the reason (managers are listed to every salesperson,
 * so a 404 would hide nothing).
 */
export function assertRunsTeamOf(principal: Principal, manager: ManagerRow): void {
  assertMayManageManagers(principal);
  if (managesAllTeams(principal)) return;
  if (principal.kind === 'user' && principal.teamId !== null && principal.teamId === manager.team_id) return;
  throw new LeadRouterError('LR_ERR_FORBIDDEN', 'A head manages the managers of the own team only', [{ path: 'id', code: 'other_team', message: `${manager.name} is not in your team` }]);
}

/** A head's patch may only touch the routing profile; a field sent with its current value is no change. */
export function assertPatchAllowed(principal: Principal, manager: ManagerRow, patch: ManagerPatch): void {
  assertRunsTeamOf(principal, manager);
  if (managesAllTeams(principal)) return;
  const current: Record<string, unknown> = { teamId: manager.team_id, name: manager.name, email: manager.email, role: manager.role };
  const issues: FieldIssue[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined || HEAD_EDITABLE.has(field) || current[field] === value) continue;
    issues.push({ path: field, code: 'admin_only', message: field === 'teamId' ? 'a head does not move managers to another team' : `only an admin changes ${field}` });
  }
  if (issues.length > 0) throw new LeadRouterError('LR_ERR_FORBIDDEN', `A head changes the routing profile only, not ${issues.map((i) => i.path).join(', ')}`, issues);
}
