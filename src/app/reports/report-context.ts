import { resolvePeriod, type ReportPeriod } from '../../core/reports/period.js';
import type { WeeklyHours } from '../../core/routing/manager-profile.js';
import { OwnerCalendars } from '../../core/sla/owner-calendars.js';
import type { BusinessCalendar } from '../../core/sla/business-clock.js';
import { readJson } from '../../store/json.js';
import { reportManagers, reportTeams, type CohortFilter, type ReportManagerRow } from '../../store/report-queries.js';
import { listRuleSets } from '../../store/rule-set-queries.js';
import { listHolidays } from '../../store/sla-queries.js';
import { hasScope } from '../api-keys.js';
import { isAdmin, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError, type FieldIssue } from '../errors.js';
import { reportSettings, type ReportSettings } from './report-settings.js';

/** What every report is asked: the period, its grouping and zone, and the filters. */
export interface ReportQuery {
  from?: string | undefined;
  to?: string | undefined;
  grouping?: string | undefined;
  tz?: string | undefined;
  team?: string | undefined;
  manager?: string | undefined;
  source?: string | undefined;
  rule?: string | undefined;
}

/**
 * Who sees what: an admin (or an integration with leads:manage) everything; a head the team's
 * managers; a manager the own figures, with the team's managers listed beside them — by name
 * or anonymised per the reports setting.
 */
export type ReportScope = { kind: 'all' } | { kind: 'team'; teamId: string } | { kind: 'self'; managerId: string; teamId: string | null; named: boolean };

export interface ReportContext {
  now: number;
  period: ReportPeriod;
  scope: ReportScope;
  filters: { team: string | null; manager: string | null; source: string | null; rule: string | null };
  managers: Map<string, ReportManagerRow>;
  teams: Map<string, { id: string; name: string; timeZone: string }>;
  /** Managers whose leads make the figures; null: all leads, unowned ones too. */
  counted: ReadonlySet<string> | null;
  /** Managers listed in per-manager tables (a manager also sees the team's); null: all. */
  listed: ReadonlySet<string> | null;
  cohort: CohortFilter;
  settings: ReportSettings;
  /** The business calendar of a manager's SLA clock: zone, working hours, company and team holidays. */
  calendarOf(managerId: string): BusinessCalendar | null;
}

function refuse(message: string): never {
  throw new LeadRouterError('LR_ERR_FORBIDDEN', message);
}

function invalid(issues: FieldIssue[]): never {
  const first = issues[0] as FieldIssue;
  throw new LeadRouterError('LR_ERR_VALIDATION', `${first.path}: ${first.message}`, issues);
}

export async function reportContext(ctx: AppContext, principal: Principal, query: ReportQuery): Promise<ReportContext> {
  const db = ctx.store.db;
  const [settings, managerRows, teamRows] = await Promise.all([reportSettings(ctx), reportManagers(db), reportTeams(db)]);
  const managers = new Map(managerRows.map((m) => [m.id, m]));
  const teams = new Map(teamRows.map((t) => [t.id, t]));
  const teamMembers = (teamId: string | null): string[] => (teamId === null ? [] : managerRows.filter((m) => m.teamId === teamId).map((m) => m.id));

  let scope: ReportScope;
  if (principal.kind === 'user' && !isAdmin(principal)) {
    if (principal.role === 'head') {
      if (!principal.teamId) refuse('A head without a team has no figures to read');
      scope = { kind: 'team', teamId: principal.teamId };
    } else if (principal.role === 'manager') {
      if (!principal.managerId) refuse('Reports show a manager their own figures; this person has no routing profile');
      scope = { kind: 'self', managerId: principal.managerId, teamId: managers.get(principal.managerId)?.teamId ?? principal.teamId, named: settings.teamFiguresNamed };
    } else {
      refuse(`The role ${principal.role} has no reports`);
    }
  } else if (principal.kind === 'api-key' && !hasScope(principal.key, 'leads:manage') && !hasScope(principal.key, 'admin')) {
    refuse('Reports over the API need a key with leads:manage');
  } else {
    scope = { kind: 'all' };
  }

  const issues: FieldIssue[] = [];
  const team = query.team ?? null;
  const manager = query.manager ?? null;
  if (team !== null && !teams.has(team)) issues.push({ path: 'team', code: 'unknown_team', message: `No team with id ${team}` });
  if (manager !== null && !managers.has(manager)) issues.push({ path: 'manager', code: 'unknown_manager', message: `No manager with id ${manager}` });
  // A rule that no version ever had would quietly give empty figures; a rule of an old version still has its leads.
  if (query.rule !== undefined && !(await ruleEverDefined(ctx, query.rule))) issues.push({ path: 'rule', code: 'unknown_rule', message: `No rule set version has a rule with id ${query.rule}` });
  if (issues.length > 0) invalid(issues);
  if (scope.kind === 'team') {
    if (team !== null && team !== scope.teamId) refuse("A head reads the own team's figures");
    if (manager !== null && managers.get(manager)?.teamId !== scope.teamId) refuse("A head reads the own team's managers");
  }
  if (scope.kind === 'self') {
    if (team !== null && team !== scope.teamId) refuse("A manager reads the own team's figures");
    if (manager !== null && manager !== scope.managerId) refuse('A manager reads the own figures');
  }

  // The period reads in the zone asked for, else the team's (the one filtered, or the asker's), else the company's.
  const scopeTeam = team ?? (scope.kind === 'all' ? null : scope.teamId);
  const zone = query.tz ?? (scopeTeam ? teams.get(scopeTeam)?.timeZone : undefined) ?? settings.timeZone;
  const now = ctx.now().getTime();
  const period = resolvePeriod({ from: query.from, to: query.to, grouping: query.grouping }, zone, now);
  if (Array.isArray(period)) invalid(period);

  let counted: Set<string> | null;
  let listed: Set<string> | null;
  if (scope.kind === 'self') {
    counted = new Set([scope.managerId]);
    listed = new Set(scope.teamId ? teamMembers(scope.teamId) : [scope.managerId]);
    listed.add(scope.managerId);
  } else {
    const base = scope.kind === 'team' ? teamMembers(scope.teamId) : null;
    let set = team !== null ? teamMembers(team) : base;
    if (manager !== null) set = (set ?? [manager]).filter((id) => id === manager);
    counted = set === null ? null : new Set(set);
    listed = counted;
  }

  const holidays = await listHolidays(db);
  const calendars = new OwnerCalendars(holidays);
  // One calendar per manager for the request: the business clock caches its work per calendar.
  const built = new Map<string, BusinessCalendar | null>();
  const calendarOf = (managerId: string): BusinessCalendar | null => {
    if (built.has(managerId)) return built.get(managerId) ?? null;
    const m = managers.get(managerId);
    const calendar = m ? calendars.calendarOf({ id: m.id, timeZone: m.timeZone, workingHours: readJson<WeeklyHours | null>(m.workingHours, null), teamId: m.teamId }) : null;
    built.set(managerId, calendar);
    return calendar;
  };

  const source = query.source ? query.source.toLowerCase() : null;
  return {
    now,
    period,
    scope,
    filters: { team, manager, source, rule: query.rule ?? null },
    managers,
    teams,
    counted,
    listed,
    cohort: { from: period.from, to: period.to, source },
    settings,
    calendarOf,
  };
}

/** Whether a lead attributed to this manager (null: nobody) belongs in the figures. */
export function counts(rc: ReportContext, managerId: string | null): boolean {
  if (rc.counted === null) return true;
  return managerId !== null && rc.counted.has(managerId);
}

export function listedManager(rc: ReportContext, managerId: string | null): boolean {
  if (rc.listed === null) return true;
  return managerId !== null && rc.listed.has(managerId);
}

export interface ManagerLabel {
  managerId: string | null;
  name: string | null;
  teamId: string | null;
  /** The asker's own row (a manager reading their standing). */
  self: boolean;
  /** A colleague shown without a name (the reports setting keeps team figures anonymised). */
  anonymous: boolean;
}

/**
 * How a manager appears in a per-manager table: by id and name, except that a manager reading
 * the report sees colleagues without either unless the setting names them. Call with the rows
 * already in their final order so the anonymous ones are numbered the way they are shown.
 */
export function labelManagers<T extends { managerId: string | null }>(rc: ReportContext, rows: T[]): Array<Omit<T, 'managerId'> & ManagerLabel> {
  let anonymous = 0;
  return rows.map(({ managerId, ...rest }) => {
    const m = managerId ? rc.managers.get(managerId) : undefined;
    const self = rc.scope.kind === 'self' && managerId === rc.scope.managerId;
    // The label first, so a CSV export starts with who the row is about.
    if (rc.scope.kind === 'self' && !self && !rc.scope.named && managerId !== null) {
      anonymous += 1;
      return { managerId: null, name: `#${anonymous}`, teamId: m?.teamId ?? null, self: false, anonymous: true, ...rest };
    }
    return { managerId, name: m?.name ?? managerId, teamId: m?.teamId ?? null, self, anonymous: false, ...rest };
  });
}

/** The echo of what the report covers, the same in every report. */
export function reportHeader(rc: ReportContext) {
  return {
    period: { from: rc.period.from, to: rc.period.to, timeZone: rc.period.timeZone, grouping: rc.period.grouping },
    scope: { kind: rc.scope.kind, teamId: rc.scope.kind === 'all' ? null : rc.scope.teamId, managerId: rc.scope.kind === 'self' ? rc.scope.managerId : null },
    filters: rc.filters,
  };
}

export function teamOf(rc: ReportContext, managerId: string | null): string | null {
  return managerId ? (rc.managers.get(managerId)?.teamId ?? null) : null;
}

async function ruleEverDefined(ctx: AppContext, ruleId: string): Promise<boolean> {
  for (const version of await listRuleSets(ctx.store.db)) {
    const rules = (version.definition as { rules?: unknown }).rules;
    if (Array.isArray(rules) && rules.some((r) => typeof r === 'object' && r !== null && (r as { id?: unknown }).id === ruleId)) return true;
  }
  return false;
}
