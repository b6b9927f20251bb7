import { emptyFunnelTally, funnelFiguresOf, type FunnelTally } from '../../core/reports/funnel.js';
import { bucketIndex } from '../../core/reports/period.js';
import { sumCells, sumCellsBy, type Cell } from '../../core/reports/report-cells.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { FUNNEL_TALLY } from './funnel-cells.js';
import { counts, labelManagers, listedManager, reportContext, reportHeader, type ReportContext, type ReportQuery } from './report-context.js';
import { chooseCellSource, readCellsFrom, readWideTable, type ReportCellsOptions } from './rollups/report-cells-source.js';

/**
 * Report 4: lead → qualified → deal → won for the leads that arrived in the period, with rates,
 * deal value and the median time between stages; by source, campaign, manager, rule and bucket.
 */
export async function funnelReport(ctx: AppContext, principal: Principal, query: ReportQuery, options: ReportCellsOptions = {}) {
  const rc = await reportContext(ctx, principal, query);
  if ((await chooseCellSource(ctx, rc, 'funnel', options)) === 'raw') {
    const cells = await readCellsFrom(ctx, rc, 'funnel', 'raw');
    return funnelTables(rc, cells, cells.filter((c) => counts(rc, c.managerId)));
  }
  const [main, byCampaign] = await Promise.all([readCellsFrom(ctx, rc, 'funnel', 'rollup', { projection: 'main' }), readWideTable(ctx, rc, 'funnel', 'team-campaign', (extra) => extra)]);
  return funnelTables(rc, main, byCampaign.prescoped ? byCampaign.cells : byCampaign.cells.filter((c) => counts(rc, c.managerId)));
}

/** The tables; `campaignCells` are the counted cells with their campaign (the main ones may leave it out). */
function funnelTables(rc: ReportContext, cells: Array<Cell<FunnelTally>>, campaignCells: Array<Cell<FunnelTally>>) {
  const counted = cells.filter((c) => counts(rc, c.managerId));
  const listed = cells.filter((c) => c.managerId !== null && listedManager(rc, c.managerId));
  const rows = <K extends string | number | null>(list: Array<Cell<FunnelTally>>, keyOf: (c: Cell<FunnelTally>) => K) => [...sumCellsBy(FUNNEL_TALLY, list, keyOf)].map(([key, t]) => ({ key, ...funnelFiguresOf(t) }));
  const byLeads = <T extends { leads: number }>(a: T, b: T) => b.leads - a.leads;
  const byManager = rows(listed, (c) => c.managerId)
    .map(({ key, ...f }) => ({ managerId: key, ...f }))
    .sort(byLeads);
  const buckets = sumCellsBy(FUNNEL_TALLY, counted, (c) => bucketIndex(rc.period.buckets, c.at));
  return {
    ...reportHeader(rc),
    totals: funnelFiguresOf(sumCells(FUNNEL_TALLY, counted)),
    bySource: rows(counted, (c) => c.source).map(({ key, ...f }) => ({ source: key, ...f })).sort(byLeads),
    byCampaign: rows(campaignCells, (c) => c.campaign).map(({ key, ...f }) => ({ campaign: key, ...f })).sort(byLeads),
    byManager: labelManagers(rc, byManager),
    byRule: rows(counted, (c) => c.ruleId).map(({ key, ...f }) => ({ ruleId: key, ...f })).sort(byLeads),
    series: rc.period.buckets.map((b, i) => ({ bucket: b.key, start: b.start, end: b.end, ...funnelFiguresOf(buckets.get(i) ?? emptyFunnelTally()) })),
  };
}
