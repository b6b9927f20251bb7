import { bucketIndex } from '../../core/reports/period.js';
import { sumCells, sumCellsBy } from '../../core/reports/report-cells.js';
import { emptySlaTally, slaFiguresOf } from '../../core/reports/sla.js';
import { listSlaPolicies } from '../../store/sla-queries.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { counts, labelManagers, listedManager, reportContext, reportHeader, teamOf, type ReportQuery } from './report-context.js';
import { readReportCells, type ReportCellsOptions } from './rollups/report-cells-source.js';
import { SLA_TALLY } from './sla-cells.js';

/**
 * Report 3: SLA compliance of the first contact (met ÷ leads whose deadline passed, per
 * docs/reports.md), breaches of both clocks, SLA reassignments and escalations; by manager,
 * team, source, policy and bucket of arrival.
 */
export async function slaReport(ctx: AppContext, principal: Principal, query: ReportQuery, options: ReportCellsOptions = {}) {
  const rc = await reportContext(ctx, principal, query);
  const [cells, policies] = await Promise.all([readReportCells(ctx, rc, 'sla', options), listSlaPolicies(ctx.store.db)]);
  const listed = cells.filter((c) => c.managerId !== null && listedManager(rc, c.managerId));
  const counted = cells.filter((c) => counts(rc, c.managerId));
  const names = new Map(policies.map((p) => [p.id, p.name]));
  const byLeads = <T extends { leads: number }>(a: T, b: T) => b.leads - a.leads;
  const buckets = sumCellsBy(SLA_TALLY, counted, (c) => bucketIndex(rc.period.buckets, c.at));
  return {
    ...reportHeader(rc),
    totals: slaFiguresOf(sumCells(SLA_TALLY, counted)),
    byManager: labelManagers(rc, [...sumCellsBy(SLA_TALLY, listed, (c) => c.managerId)].map(([managerId, t]) => ({ managerId, ...slaFiguresOf(t) })).sort(byLeads)),
    byTeam: [...sumCellsBy(SLA_TALLY, counted, (c) => teamOf(rc, c.managerId))].map(([teamId, t]) => ({ teamId, teamName: teamId ? (rc.teams.get(teamId)?.name ?? teamId) : null, ...slaFiguresOf(t) })),
    bySource: [...sumCellsBy(SLA_TALLY, counted, (c) => c.source)].map(([source, t]) => ({ source, ...slaFiguresOf(t) })).sort(byLeads),
    byPolicy: [...sumCellsBy(SLA_TALLY, counted, (c) => c.extra)].map(([policyId, t]) => ({ policyId, policyName: policyId ? (names.get(policyId) ?? policyId) : null, ...slaFiguresOf(t) })),
    series: rc.period.buckets.map((b, i) => ({ bucket: b.key, start: b.start, end: b.end, ...slaFiguresOf(buckets.get(i) ?? emptySlaTally()) })),
  };
}
