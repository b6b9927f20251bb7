import { checkTarget, isPlanMetric, METRICS, PLAN_METRICS, type PlanMetric } from '../../core/motivation/metrics.js';
import { isPlanPeriod, planPeriodEnded, previousPlanPeriod } from '../../core/motivation/plan-period.js';
import { isUniqueViolation } from '../../store/constraint-errors.js';
import { listPlans, writePlanTargets, type PlanRow, type PlanWrite } from '../../store/plan-queries.js';
import { actorName, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError, type FieldIssue } from '../errors.js';
import { canWritePlans, invalid, motivationBase, resolvePlanPeriod, resolveTeam, teamManagers, zoneOf, type MotivationBase } from './motivation-scope.js';

export type Targets = Record<PlanMetric, number | null>;

export function emptyTargets(): Targets {
  return Object.fromEntries(PLAN_METRICS.map((m) => [m, null])) as Targets;
}

export interface TeamPlanView {
  teamId: string;
  teamName: string;
  timeZone: string;
  /** The month has ended in the team's zone: its plan is what the figures were measured against, and stays. */
  closed: boolean;
  /** The asker may change it (an administrator or the team's head, and the month not closed). */
  editable: boolean;
  team: { targets: Targets };
  managers: Array<{ managerId: string; name: string; targets: Targets }>;
}

export interface PlansView {
  period: string;
  metrics: Array<{ key: PlanMetric; unit: 'count' | 'money'; per: 'period' | 'workingDay' }>;
  teams: TeamPlanView[];
}

const metricList = () => PLAN_METRICS.map((key) => ({ key, unit: METRICS[key].unit, per: METRICS[key].per }));

function targetsOf(rows: readonly PlanRow[]): Targets {
  const t = emptyTargets();
  for (const r of rows) if (isPlanMetric(r.metric)) t[r.metric] = r.target;
  return t;
}

export async function teamPlanView(ctx: AppContext, principal: Principal, base: MotivationBase, teamId: string, period: string): Promise<TeamPlanView> {
  const team = base.teams.get(teamId);
  if (!team) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No team with id ${teamId}`);
  const rows = await listPlans(ctx.store.db, { periods: [period], teamIds: [teamId], managerIds: [...base.managers.values()].filter((m) => m.teamId === teamId).map((m) => m.id) });
  const withTargets = new Set(rows.filter((r) => r.teamId === teamId && r.managerId !== null).map((r) => r.managerId as string));
  let managers = teamManagers(base, teamId, withTargets);
  if (base.scope.kind === 'self') {
    const self = base.scope.managerId;
    managers = managers.filter((m) => m.id === self);
  }
  const closed = planPeriodEnded(period, team.timeZone, base.now);
  return {
    teamId,
    teamName: team.name,
    timeZone: team.timeZone,
    closed,
    editable: !closed && canWritePlans(principal, base, teamId),
    team: { targets: targetsOf(rows.filter((r) => r.managerId === null && r.teamId === teamId)) },
    managers: managers.map((m) => ({ managerId: m.id, name: m.name, targets: targetsOf(rows.filter((r) => r.managerId === m.id)) })),
  };
}

/** GET /api/v1/plans: the month's targets of the team asked for (an administrator: every team when none is named). */
export async function readPlans(ctx: AppContext, principal: Principal, query: { period?: string | undefined; team?: string | undefined }): Promise<PlansView> {
  const base = await motivationBase(ctx, principal);
  const teamId = resolveTeam(base, query.team, false);
  const period = resolvePlanPeriod(query.period, zoneOf(base, teamId), base.now);
  // Every team only for an administrator naming none; a manager without a team has no team plan.
  const teamIds = teamId !== null ? [teamId] : base.scope.kind === 'all' ? [...base.teams.keys()] : [];
  const teams: TeamPlanView[] = [];
  for (const id of teamIds) teams.push(await teamPlanView(ctx, principal, base, id, period));
  return { period, metrics: metricList(), teams };
}

export interface PlanTargetInput {
  /** null: the team's own target. */
  manager: string | null;
  metric: string;
  /** null removes the target. */
  target: number | null;
}

function checkPeriod(period: string): void {
  if (!isPlanPeriod(period)) invalid([{ path: 'period', code: 'invalid_period', message: `"${period}" is not a month (YYYY-MM, 2000-01 to 9998-12)` }]);
}

async function writable(ctx: AppContext, principal: Principal, period: string, team: string | undefined): Promise<{ base: MotivationBase; teamId: string }> {
  checkPeriod(period);
  const base = await motivationBase(ctx, principal);
  if (base.scope.kind === 'self') throw new LeadRouterError('LR_ERR_FORBIDDEN', 'A manager reads the own plan; the head of the team sets it');
  const teamId = resolveTeam(base, team, true) as string;
  if (!canWritePlans(principal, base, teamId)) throw new LeadRouterError('LR_ERR_FORBIDDEN', "Only an administrator or the team's head sets its plan");
  const zone = zoneOf(base, teamId);
  if (planPeriodEnded(period, zone, base.now)) {
    throw new LeadRouterError('LR_ERR_CONFLICT', `${period} has ended in ${zone}: a past month's plan is what its figures were measured against and does not change`, [
      { path: 'period', code: 'period_closed', message: 'the month has ended' },
    ]);
  }
  return { base, teamId };
}

/** PUT /api/v1/plans/{period}: sets (or, with null, removes) targets of the team's managers and of the team; audited. */
export async function savePlans(ctx: AppContext, principal: Principal, period: string, input: { team?: string | undefined; targets: PlanTargetInput[] }): Promise<TeamPlanView> {
  const { base, teamId } = await writable(ctx, principal, period, input.team);
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  const writes: PlanWrite[] = [];
  input.targets.forEach((t, i) => {
    const path = `targets.${i}`;
    if (!isPlanMetric(t.metric)) {
      issues.push({ path: `${path}.metric`, code: 'unknown_metric', message: `one of ${PLAN_METRICS.join(', ')}` });
      return;
    }
    if (t.manager !== null) {
      const m = base.managers.get(t.manager);
      if (!m || m.teamId !== teamId) {
        issues.push({ path: `${path}.manager`, code: 'unknown_manager', message: `${t.manager} is not a manager of team ${teamId}` });
        return;
      }
    }
    if (t.target !== null) {
      const problem = checkTarget(t.metric, t.target);
      if (problem) issues.push({ path: `${path}.target`, code: problem.code, message: problem.message });
    }
    const key = `${t.manager ?? ''}:${t.metric}`;
    if (seen.has(key)) issues.push({ path, code: 'duplicate_target', message: `${t.metric} of ${t.manager ?? 'the team'} is given twice` });
    seen.add(key);
    writes.push({ id: ctx.newId(), period, teamId, managerId: t.manager, metric: t.metric, target: t.target });
  });
  if (issues.length > 0) invalid(issues);
  return await applyWrites(ctx, principal, base, teamId, period, writes, 'plan.changed');
}

/** Two saves setting the same new target at once: the second is told to reload rather than failing with a 500. */
async function guardRace<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isUniqueViolation(error)) throw new LeadRouterError('LR_ERR_CONFLICT', 'Someone saved this plan at the same moment; reload it and try again');
    throw error;
  }
}

async function applyWrites(ctx: AppContext, principal: Principal, base: MotivationBase, teamId: string, period: string, writes: PlanWrite[], action: string, extra: Record<string, unknown> = {}): Promise<TeamPlanView> {
  await guardRace(ctx.store.db.transaction().execute(async (trx) => {
    const key = (managerId: string | null, metric: string) => `${managerId ?? 'team'}.${metric}`;
    const before = new Map((await listPlans(trx, { periods: [period], teamIds: [teamId], managerIds: writes.flatMap((w) => (w.managerId ? [w.managerId] : [])) })).filter((r) => r.managerId !== null || r.teamId === teamId).map((r) => [key(r.managerId, r.metric), r.target]));
    const changed = writes.filter((w) => (before.get(key(w.managerId, w.metric)) ?? null) !== w.target);
    if (changed.length === 0) return;
    await writePlanTargets(trx, changed, actorName(principal), ctx.now().toISOString());
    await recordAudit(ctx, trx, principal, [
      {
        action,
        entity: 'plan',
        entityId: `${teamId}/${period}`,
        before: Object.fromEntries(changed.map((w) => [key(w.managerId, w.metric), before.get(key(w.managerId, w.metric)) ?? null])),
        after: { ...extra, ...Object.fromEntries(changed.map((w) => [key(w.managerId, w.metric), w.target])) },
      },
    ]);
  }));
  return await teamPlanView(ctx, principal, base, teamId, period);
}

/**
 * POST /api/v1/plans/{period}/copy: the targets of another month (the previous one by default)
 * for the team and its current managers; only empty cells unless `overwrite`. Audited.
 */
export async function copyPlans(ctx: AppContext, principal: Principal, period: string, input: { team?: string | undefined; from?: string | undefined; overwrite?: boolean | undefined }): Promise<TeamPlanView & { copied: number }> {
  const { base, teamId } = await writable(ctx, principal, period, input.team);
  const from = input.from ?? previousPlanPeriod(period);
  if (!isPlanPeriod(from)) invalid([{ path: 'from', code: 'invalid_period', message: `"${from}" is not a month (YYYY-MM)` }]);
  if (from === period) invalid([{ path: 'from', code: 'same_period', message: 'copy from another month' }]);
  const members = [...base.managers.values()].filter((m) => m.teamId === teamId && m.active).map((m) => m.id);
  const rows = await listPlans(ctx.store.db, { periods: [from, period], teamIds: [teamId], managerIds: members });
  const memberSet = new Set(members);
  const current = new Set(rows.filter((r) => r.period === period).map((r) => `${r.managerId ?? ''}:${r.metric}`));
  const writes: PlanWrite[] = rows
    .filter((r) => r.period === from && (r.managerId === null ? r.teamId === teamId : memberSet.has(r.managerId)))
    .filter((r) => input.overwrite === true || !current.has(`${r.managerId ?? ''}:${r.metric}`))
    .map((r) => ({ id: ctx.newId(), period, teamId, managerId: r.managerId, metric: r.metric, target: r.target }));
  const view = await applyWrites(ctx, principal, base, teamId, period, writes, 'plan.copied', { from });
  return { ...view, copied: writes.length };
}
