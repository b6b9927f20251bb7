import { isPlanPeriod, planPeriodAt } from '../../core/motivation/plan-period.js';
import { hasScope } from '../api-keys.js';
import { isAdmin, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError, type FieldIssue } from '../errors.js';
import { reportSettings, type ReportSettings } from '../reports/report-settings.js';
import { reportTeams } from '../../store/report-queries.js';
import { motivationManagers, type MotivationManagerRow } from '../../store/plan-queries.js';

/**
 * Who sees which plans and figures, like the reports (docs/reports.md, "Scope"): an administrator
 * (or a key with leads:manage) every team, a head the own team, a manager the own team with the
 * colleagues named or anonymised by the reports setting. Only admins and heads write plans.
 */
export type MotivationScope = { kind: 'all' } | { kind: 'team'; teamId: string } | { kind: 'self'; managerId: string; teamId: string | null; named: boolean };

export interface MotivationBase {
  now: number;
  scope: MotivationScope;
  settings: ReportSettings;
  managers: Map<string, MotivationManagerRow>;
  teams: Map<string, { id: string; name: string; timeZone: string }>;
}

function refuse(message: string): never {
  throw new LeadRouterError('LR_ERR_FORBIDDEN', message);
}

export function invalid(issues: FieldIssue[]): never {
  const first = issues[0] as FieldIssue;
  throw new LeadRouterError('LR_ERR_VALIDATION', `${first.path}: ${first.message}`, issues);
}

export async function motivationBase(ctx: AppContext, principal: Principal): Promise<MotivationBase> {
  const db = ctx.store.db;
  const [settings, managerRows, teamRows] = await Promise.all([reportSettings(ctx), motivationManagers(db), reportTeams(db)]);
  const managers = new Map(managerRows.map((m) => [m.id, m]));
  const teams = new Map(teamRows.map((t) => [t.id, t]));
  let scope: MotivationScope;
  if (principal.kind === 'user' && !isAdmin(principal)) {
    if (principal.role === 'head') {
      if (!principal.teamId) refuse('A head without a team has no plans to read');
      scope = { kind: 'team', teamId: principal.teamId };
    } else if (principal.role === 'manager') {
      if (!principal.managerId) refuse('Plans are set for managers; this person has no routing profile');
      scope = { kind: 'self', managerId: principal.managerId, teamId: managers.get(principal.managerId)?.teamId ?? principal.teamId, named: settings.teamFiguresNamed };
    } else {
      refuse(`The role ${principal.role} has no plans`);
    }
  } else if (principal.kind === 'api-key' && !hasScope(principal.key, 'leads:manage') && !hasScope(principal.key, 'admin')) {
    refuse('Plans over the API need a key with leads:manage');
  } else {
    scope = { kind: 'all' };
  }
  return { now: ctx.now().getTime(), scope, settings, managers, teams };
}

/**
 * The team asked about: the one named (checked against the scope), else the asker's. An
 * administrator names one; `required` false lets an administrator mean every team (null).
 */
export function resolveTeam(base: MotivationBase, team: string | undefined, required: boolean): string | null {
  if (team !== undefined && !base.teams.has(team)) invalid([{ path: 'team', code: 'unknown_team', message: `No team with id ${team}` }]);
  const scope = base.scope;
  if (scope.kind === 'team') {
    if (team !== undefined && team !== scope.teamId) refuse("A head works with the own team's plans");
    return scope.teamId;
  }
  if (scope.kind === 'self') {
    if (team !== undefined && team !== scope.teamId) refuse("A manager reads the own team's plan");
    return scope.teamId;
  }
  if (team === undefined && required) invalid([{ path: 'team', code: 'team_required', message: 'Name the team (an administrator sees every team)' }]);
  return team ?? null;
}

export function zoneOf(base: MotivationBase, teamId: string | null): string {
  return (teamId ? base.teams.get(teamId)?.timeZone : undefined) ?? base.settings.timeZone;
}

/** The period asked for ('YYYY-MM'), or the month running now in the zone. */
export function resolvePlanPeriod(period: string | undefined, zone: string, now: number): string {
  if (period === undefined) return planPeriodAt(now, zone);
  if (!isPlanPeriod(period)) invalid([{ path: 'period', code: 'invalid_period', message: `"${period}" is not a month (YYYY-MM, 2000-01 to 9998-12)` }]);
  return period;
}

/** Whether the asker may change this team's plans (an administrator, or the team's head). */
export function canWritePlans(principal: Principal, base: MotivationBase, teamId: string): boolean {
  if (base.scope.kind === 'all') return principal.kind !== 'api-key' || hasScope(principal.key, 'leads:manage') || hasScope(principal.key, 'admin');
  return base.scope.kind === 'team' && base.scope.teamId === teamId;
}

/** The managers of a team a plan lists: the active ones now, and any other that has a target for the period. */
export function teamManagers(base: MotivationBase, teamId: string, withTargets: ReadonlySet<string>): MotivationManagerRow[] {
  return [...base.managers.values()].filter((m) => (m.teamId === teamId && m.active) || withTargets.has(m.id));
}
