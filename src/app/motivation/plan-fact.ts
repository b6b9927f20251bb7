import { isPlanMetric, METRICS, PLAN_METRICS, type PlanMetric } from '../../core/motivation/metrics.js';
import { elapsedWorkingDays, planPeriodBounds, workingDaysOf, type PlanPeriodBounds, type WorkCalendar } from '../../core/motivation/plan-period.js';
import { progress, rank, type Progress } from '../../core/motivation/progress.js';
import type { WeeklyHours } from '../../core/routing/manager-profile.js';
import { readJson } from '../../store/json.js';
import { absencesBetween, activityFacts, dealFacts, firstContactsIn, listPlans, type MotivationManagerRow, type PlanRow } from '../../store/plan-queries.js';
import { listHolidays } from '../../store/sla-queries.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { invalid, motivationBase, resolvePlanPeriod, resolveTeam, teamManagers, zoneOf, type MotivationBase } from './motivation-scope.js';

type Facts = Record<PlanMetric, number>;
const zeroFacts = (): Facts => Object.fromEntries(PLAN_METRICS.map((m) => [m, 0])) as Facts;

/**
 * The figures of the period for each manager (docs/reports.md, "Motivation"): activities and
 * leads worked by the activity's manager, first real contacts by the owner at the contact,
 * conversions by the deal's owner at registration, won value by the deal's owner at closing.
 */
export async function loadFacts(ctx: AppContext, bounds: PlanPeriodBounds, managerIds: string[]): Promise<Map<string, Facts>> {
  const db = ctx.store.db;
  const range = { from: new Date(bounds.fromMs).toISOString(), to: new Date(bounds.toMs).toISOString(), managerIds };
  const [activities, contacts, deals] = await Promise.all([activityFacts(db, range), firstContactsIn(db, range), dealFacts(db, range)]);
  const out = new Map(managerIds.map((id) => [id, zeroFacts()]));
  const add = (managerId: string | null, metric: PlanMetric, n: number) => {
    const f = managerId === null ? undefined : out.get(managerId);
    if (f) f[metric] += n;
  };
  for (const a of activities.byKind) {
    const metric = PLAN_METRICS.find((m) => METRICS[m].activityKind === a.kind);
    if (metric) add(a.managerId, metric, a.count);
  }
  for (const w of activities.leadsWorked) add(w.managerId, 'leadsWorked', w.count);
  const historyOf = (rows: ReadonlyArray<{ leadId: string; managerId: string | null; at: string }>) => {
    const byLead = new Map<string, Array<{ managerId: string | null; at: number }>>();
    for (const c of rows) {
      const list = byLead.get(c.leadId) ?? [];
      list.push({ managerId: c.managerId, at: Date.parse(c.at) });
      byLead.set(c.leadId, list);
    }
    return (leadId: string, at: number): string | null | undefined => {
      let owner: string | null | undefined;
      for (const c of byLead.get(leadId) ?? []) if (c.at <= at) owner = c.managerId;
      return owner;
    };
  };
  const contactOwner = historyOf(contacts.changes);
  for (const lead of contacts.leads) add(contactOwner(lead.id, Date.parse(lead.firstContactAt)) ?? null, 'firstContacts', 1);
  const converter = historyOf(deals.changes);
  // A lead with no recorded owner change (imported with its owner) falls back on the deal's owner.
  for (const d of deals.registered) add(converter(d.leadId, Date.parse(d.createdAt)) ?? d.ownerId, 'conversions', 1);
  for (const d of deals.won) add(d.managerId, 'wonValue', d.value);
  return out;
}

export interface MetricProgress extends Progress {
  metric: PlanMetric;
  unit: 'count' | 'money';
  per: 'period' | 'workingDay';
  /** The per-day norm of an activity metric as planned; null for the others or without a plan. */
  norm: number | null;
  /** fact ÷ elapsed working days (null before the first one began). */
  factPerDay: number | null;
}

interface Context {
  base: MotivationBase;
  teamId: string | null;
  period: string;
  bounds: PlanPeriodBounds;
  members: MotivationManagerRow[];
  plans: PlanRow[];
}

async function context(ctx: AppContext, principal: Principal, query: { period?: string | undefined; team?: string | undefined; manager?: string | undefined }): Promise<Context> {
  const base = await motivationBase(ctx, principal);
  const teamId = resolveTeam(base, query.team, base.scope.kind === 'all');
  if (query.manager !== undefined) {
    const m = base.managers.get(query.manager);
    if (!m) invalid([{ path: 'manager', code: 'unknown_manager', message: `No manager with id ${query.manager}` }]);
    if (base.scope.kind === 'self' && query.manager !== base.scope.managerId) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'A manager reads the own plan and figures');
    if (base.scope.kind === 'team' && m.teamId !== base.scope.teamId) throw new LeadRouterError('LR_ERR_FORBIDDEN', "A head reads the own team's managers");
    if (base.scope.kind === 'all' && m.teamId !== teamId) invalid([{ path: 'manager', code: 'unknown_manager', message: `${query.manager} is not a manager of team ${teamId}` }]);
  }
  const zone = zoneOf(base, teamId);
  const period = resolvePlanPeriod(query.period, zone, base.now);
  const bounds = planPeriodBounds(period, zone);
  const memberIds = teamId === null ? [] : [...base.managers.values()].filter((m) => m.teamId === teamId).map((m) => m.id);
  const selfId = base.scope.kind === 'self' ? base.scope.managerId : null;
  if (selfId && !memberIds.includes(selfId)) memberIds.push(selfId);
  const plans = await listPlans(ctx.store.db, { periods: [period], teamIds: teamId ? [teamId] : [], managerIds: memberIds });
  const withTargets = new Set(plans.filter((r) => r.managerId !== null && r.teamId === teamId).map((r) => r.managerId as string));
  const members = teamId === null ? [] : teamManagers(base, teamId, withTargets);
  if (selfId && !members.some((m) => m.id === selfId)) {
    const self = base.managers.get(selfId);
    if (self) members.push(self);
  }
  return { base, teamId, period, bounds, members, plans };
}

function header(c: Context) {
  return {
    period: c.period,
    from: new Date(c.bounds.fromMs).toISOString(),
    to: new Date(c.bounds.toMs).toISOString(),
    timeZone: c.bounds.timeZone,
    teamId: c.teamId,
    teamName: c.teamId ? (c.base.teams.get(c.teamId)?.name ?? c.teamId) : null,
    scope: { kind: c.base.scope.kind, teamId: c.base.scope.kind === 'all' ? c.teamId : c.base.scope.teamId, managerId: c.base.scope.kind === 'self' ? c.base.scope.managerId : null },
  };
}

function metricProgress(metric: PlanMetric, planned: number | null, fact: number, workingDays: number, elapsedDays: number): MetricProgress {
  const def = METRICS[metric];
  const perDay = def.per === 'workingDay';
  const target = planned === null ? null : perDay ? Math.round(planned * workingDays * 100) / 100 : planned;
  return {
    metric,
    unit: def.unit,
    per: def.per,
    norm: perDay ? planned : null,
    factPerDay: elapsedDays > 0 ? Math.round((fact / elapsedDays) * 100) / 100 : null,
    ...progress({ target, fact, workingDays, elapsedDays }),
  };
}

/** GET /api/v1/motivation/plan-fact: per manager (a manager: the own row) and for the team, each metric's plan against the fact. */
export async function planFact(ctx: AppContext, principal: Principal, query: { period?: string | undefined; team?: string | undefined; manager?: string | undefined }) {
  const c = await context(ctx, principal, query);
  const { base } = c;
  const [holidays, absences] = await Promise.all([listHolidays(ctx.store.db), absencesBetween(ctx.store.db, c.bounds.firstDay, c.bounds.lastDay)]);
  const holidaysOf = (teamId: string | null) => new Set(holidays.filter((h) => h.teamId === null || h.teamId === teamId).map((h) => h.day));
  const facts = await loadFacts(ctx, c.bounds, c.members.map((m) => m.id));
  const targetOf = (managerId: string | null, metric: PlanMetric): number | null =>
    c.plans.find((p) => p.metric === metric && (managerId === null ? p.managerId === null && p.teamId === c.teamId : p.managerId === managerId))?.target ?? null;

  const rows = c.members.map((m) => {
    const calendar: WorkCalendar = { timeZone: m.timeZone, hours: readJson<WeeklyHours | null>(m.workingHours, null), holidays: holidaysOf(m.teamId), absences: absences.filter((a) => a.managerId === m.id) };
    const days = workingDaysOf(c.period, calendar);
    const elapsed = elapsedWorkingDays(days, calendar, base.now);
    const f = facts.get(m.id) ?? zeroFacts();
    return {
      managerId: m.id,
      name: m.name,
      self: base.scope.kind === 'self' && base.scope.managerId === m.id,
      workingDays: days.length,
      elapsedDays: Math.round(elapsed * 100) / 100,
      metrics: PLAN_METRICS.map((metric) => metricProgress(metric, targetOf(m.id, metric), f[metric], days.length, elapsed)),
    };
  });

  let team = null;
  if (c.teamId !== null) {
    const calendar: WorkCalendar = { timeZone: c.bounds.timeZone, hours: null, holidays: holidaysOf(c.teamId), absences: [] };
    const days = workingDaysOf(c.period, calendar);
    const elapsed = elapsedWorkingDays(days, calendar, base.now);
    const teamMembers = rows.filter((r) => c.members.find((m) => m.id === r.managerId)?.teamId === c.teamId);
    team = {
      workingDays: days.length,
      elapsedDays: Math.round(elapsed * 100) / 100,
      metrics: PLAN_METRICS.map((metric) => {
        const fact = teamMembers.reduce((s, r) => s + (r.metrics.find((x) => x.metric === metric)?.fact ?? 0), 0);
        const own = targetOf(null, metric);
        if (own !== null) return { ...metricProgress(metric, own, fact, days.length, elapsed), targetFrom: 'team' as const };
        const planned = teamMembers.map((r) => r.metrics.find((x) => x.metric === metric)?.target ?? null).filter((t): t is number => t !== null);
        const sum = planned.length > 0 ? Math.round(planned.reduce((s, t) => s + t, 0) * 100) / 100 : null;
        const p = metricProgress(metric, null, fact, days.length, elapsed);
        return { ...p, ...progress({ target: sum, fact, workingDays: days.length, elapsedDays: elapsed }), targetFrom: sum === null ? ('none' as const) : ('managers' as const) };
      }),
    };
  }
  const shown = query.manager !== undefined ? rows.filter((r) => r.managerId === query.manager) : base.scope.kind === 'self' ? rows.filter((r) => r.self) : rows;
  return { ...header(c), managers: shown, team };
}

/** GET /api/v1/motivation/leaderboard: the team's managers ranked by one metric's fact (ties share a rank), with the share of plan done. */
export async function leaderboard(ctx: AppContext, principal: Principal, query: { period?: string | undefined; team?: string | undefined; metric?: string | undefined }) {
  const metricName = query.metric ?? 'wonValue';
  if (!isPlanMetric(metricName)) invalid([{ path: 'metric', code: 'unknown_metric', message: `one of ${PLAN_METRICS.join(', ')}` }]);
  const metric: PlanMetric = metricName;
  const c = await context(ctx, principal, { period: query.period, team: query.team });
  const { base } = c;
  const facts = await loadFacts(ctx, c.bounds, c.members.map((m) => m.id));
  const [holidays, absences] = METRICS[metric].per === 'workingDay' ? await Promise.all([listHolidays(ctx.store.db), absencesBetween(ctx.store.db, c.bounds.firstDay, c.bounds.lastDay)]) : [[], []];
  const rows = c.members.map((m) => {
    const fact = Math.round((facts.get(m.id)?.[metric] ?? 0) * 100) / 100;
    let target = c.plans.find((p) => p.metric === metric && p.managerId === m.id)?.target ?? null;
    if (target !== null && METRICS[metric].per === 'workingDay') {
      const calendar: WorkCalendar = {
        timeZone: m.timeZone,
        hours: readJson<WeeklyHours | null>(m.workingHours, null),
        holidays: new Set(holidays.filter((h) => h.teamId === null || h.teamId === m.teamId).map((h) => h.day)),
        absences: absences.filter((a) => a.managerId === m.id),
      };
      target = Math.round(target * workingDaysOf(c.period, calendar).length * 100) / 100;
    }
    return { managerId: m.id, name: m.name, fact, target, done: target === null || target === 0 ? null : Math.round((fact / target) * 10000) / 10000 };
  });
  const ranked = rank(rows, (r) => r.fact, (a, b) => a.name.localeCompare(b.name) || a.managerId.localeCompare(b.managerId));
  let anonymous = 0;
  const scope = base.scope;
  return {
    ...header(c),
    metric,
    unit: METRICS[metric].unit,
    rows: ranked.map(({ item, rank: place }) => {
      const self = scope.kind === 'self' && scope.managerId === item.managerId;
      if (scope.kind === 'self' && !self && !scope.named) {
        anonymous += 1;
        return { rank: place, managerId: null, name: `#${anonymous}`, self: false, anonymous: true, fact: item.fact, target: item.target, done: item.done };
      }
      return { rank: place, managerId: item.managerId, name: item.name, self, anonymous: false, fact: item.fact, target: item.target, done: item.done };
    }),
  };
}
