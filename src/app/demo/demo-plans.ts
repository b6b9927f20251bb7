import { METRICS, PLAN_METRICS, type PlanMetric } from '../../core/motivation/metrics.js';
import { planPeriodAt, planPeriodBounds, previousPlanPeriod, workingDaysOf } from '../../core/motivation/plan-period.js';
import type { WeeklyHours } from '../../core/routing/manager-profile.js';
import { seededRandom } from '../../core/seeded-random.js';
import { readJson } from '../../store/json.js';
import { motivationManagers, writePlanTargets, type PlanWrite } from '../../store/plan-queries.js';
import { reportTeams } from '../../store/report-queries.js';
import { listHolidays } from '../../store/sla-queries.js';
import type { AppContext } from '../app-context.js';
import { loadFacts } from '../motivation/plan-fact.js';

const DAY_MS = 86_400_000;
/** How many working days the demo's two weeks of history hold, roughly: the rate a plan is set from. */
const HISTORY_WORKING_DAYS = 10;

/** Counts to a round figure a head would write: 7, 15, 40, 120; money to ten thousand roubles. */
function roundTarget(metric: PlanMetric, value: number): number {
  if (METRICS[metric].unit === 'money') return Math.max(10_000, Math.round(value / 10_000) * 10_000);
  if (METRICS[metric].per === 'workingDay') return Math.max(1, Math.round(value));
  if (value < 20) return Math.max(1, Math.round(value));
  return Math.round(value / 5) * 5;
}

/**
 * Plans for the demo's teams, this month and the last (each in the team's zone). This month's are
 * set from what each manager did in the two weeks of history: their pace per working day × the
 * month's working days × a stretch between 0.8 and 1.3 per metric, so some are ahead of plan and
 * some behind. Last month's (the history holds only its last days) are its facts × a stretch, so
 * some plans were met and some missed. Activity norms are set for calls always, for e-mails and
 * meetings where the manager has them. The teams carry their own targets for new deals and won
 * value, a little above the sum of their managers'.
 */
export async function seedDemoPlans(ctx: AppContext): Promise<void> {
  const db = ctx.store.db;
  const now = ctx.now().getTime();
  const random = seededRandom(20261207);
  const [managers, teams, holidays] = await Promise.all([motivationManagers(db), reportTeams(db), listHolidays(db)]);
  const ids = managers.filter((m) => m.teamId !== null).map((m) => m.id);
  const recent = await loadFacts(ctx, { period: 'history', firstDay: '', lastDay: '', fromMs: now - 14 * DAY_MS, toMs: now, timeZone: 'UTC' }, ids);
  const writes: PlanWrite[] = [];
  for (const team of teams) {
    const members = managers.filter((m) => m.teamId === team.id);
    if (members.length === 0) continue;
    const thisMonth = planPeriodAt(now, team.timeZone);
    const lastMonth = previousPlanPeriod(thisMonth);
    const last = await loadFacts(ctx, planPeriodBounds(lastMonth, team.timeZone), members.map((m) => m.id));
    for (const period of [lastMonth, thisMonth]) {
      const sums: Partial<Record<PlanMetric, number>> = {};
      for (const m of members) {
        const days = workingDaysOf(period, {
          timeZone: m.timeZone,
          hours: readJson<WeeklyHours | null>(m.workingHours, null),
          holidays: new Set(holidays.filter((h) => h.teamId === null || h.teamId === team.id).map((h) => h.day)),
          absences: [],
        }).length;
        for (const metric of PLAN_METRICS) {
          const stretch = 0.8 + random() * 0.5;
          const perDay = (recent.get(m.id)?.[metric] ?? 0) / HISTORY_WORKING_DAYS;
          if (perDay <= 0) continue;
          if ((metric === 'emails' || metric === 'meetings') && perDay < 0.5) continue;
          let planned: number;
          if (period === thisMonth) planned = METRICS[metric].per === 'workingDay' ? perDay * stretch : perDay * days * stretch;
          else {
            const fact = last.get(m.id)?.[metric] ?? 0;
            planned = METRICS[metric].per === 'workingDay' ? (fact / Math.max(1, days)) * stretch : fact * stretch;
          }
          const target = roundTarget(metric, planned);
          writes.push({ id: ctx.newId(), period, teamId: team.id, managerId: m.id, metric, target });
          sums[metric] = (sums[metric] ?? 0) + target;
        }
      }
      for (const metric of ['conversions', 'wonValue'] as const) {
        const sum = sums[metric];
        if (sum !== undefined) writes.push({ id: ctx.newId(), period, teamId: team.id, managerId: null, metric, target: roundTarget(metric, sum * 1.05) });
      }
    }
  }
  await writePlanTargets(db, writes, 'system:demo', ctx.now().toISOString());
}
