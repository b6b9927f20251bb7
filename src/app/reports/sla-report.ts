import { bucketIndex } from '../../core/reports/period.js';
import { sumCells, sumCellsBy, type Cell } from '../../core/reports/report-cells.js';
import { emptySlaTally, slaFiguresOf, type SlaTally } from '../../core/reports/sla.js';
import { listSlaPolicies } from '../../store/sla-queries.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { counts, labelManagers, listedManager, reportContext, reportHeader, teamOf, type ReportContext, type ReportQuery } from './report-context.js';
import { chooseCellSource, countedCells, teamInExtra, overAllSources, perManagerRows, readCellsFrom, readWideTable, type ReportCellsOptions } from './rollups/report-cells-source.js';
import { SLA_TALLY } from './sla-cells.js';

/**
 * Report 3: SLA compliance of the first contact (met ÷ leads whose deadline passed, per
 * docs/reports.md), breaches of both clocks, SLA reassignments and escalations; by manager,
 * team, source, policy and bucket of arrival.
 */
export async function slaReport(ctx: AppContext, principal: Principal, query: ReportQuery, options: ReportCellsOptions = {}) {
  const rc = await reportContext(ctx, principal, query);
  const [{ cells, sourceCells }, policies] = await Promise.all([slaCellsOf(ctx, rc, options), listSlaPolicies(ctx.store.db)]);
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
    bySource: [...sumCellsBy(SLA_TALLY, sourceCells ?? counted, (c) => c.source)].map(([source, t]) => ({ source, ...slaFiguresOf(t) })).sort(byLeads),
    byPolicy: [...sumCellsBy(SLA_TALLY, counted, (c) => c.extra)].map(([policyId, t]) => ({ policyId, policyName: policyId ? (names.get(policyId) ?? policyId) : null, ...slaFiguresOf(t) })),
    series: rc.period.buckets.map((b, i) => ({ bucket: b.key, start: b.start, end: b.end, ...slaFiguresOf(buckets.get(i) ?? emptySlaTally()) })),
  };
}

/** The cells per manager (summed over sources unless one is asked for) and, when those leave the source out, the counted cells by source. */
async function slaCellsOf(ctx: AppContext, rc: ReportContext, options: ReportCellsOptions): Promise<{ cells: Array<Cell<SlaTally>>; sourceCells: Array<Cell<SlaTally>> | null }> {
  const source = await chooseCellSource(ctx, rc, 'sla', options);
  if (source === 'raw' || !overAllSources(rc)) return { cells: await readCellsFrom(ctx, rc, 'sla', source), sourceCells: null };
  const [cells, bySource] = await Promise.all([readCellsFrom(ctx, rc, 'sla', 'rollup', perManagerRows(rc)), readWideTable(ctx, rc, 'sla', 'team-source', teamInExtra, {})]);
  return { cells, sourceCells: countedCells(rc, bySource) };
}
