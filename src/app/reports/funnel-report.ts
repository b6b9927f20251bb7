import { emptyFunnelTally, funnelFiguresOf, type FunnelTally } from '../../core/reports/funnel.js';
import { bucketIndex } from '../../core/reports/period.js';
import { sumCells, sumCellsBy, type Cell } from '../../core/reports/report-cells.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { FUNNEL_TALLY } from './funnel-cells.js';
import { counts, labelManagers, listedManager, reportContext, reportHeader, type ReportContext, type ReportQuery } from './report-context.js';
import { chooseCellSource, countedCells, teamInExtra, overAllSources, perManagerRows, readCellsFrom, readWideTable, type ReportCellsOptions } from './rollups/report-cells-source.js';

/**
 * Report 4: lead → qualified → deal → won for the leads that arrived in the period, with rates,
 * deal value and the median time between stages; by source, campaign, manager, rule and bucket.
 */
export async function funnelReport(ctx: AppContext, principal: Principal, query: ReportQuery, options: ReportCellsOptions = {}) {
  const rc = await reportContext(ctx, principal, query);
  if ((await chooseCellSource(ctx, rc, 'funnel', options)) === 'raw') {
    const cells = await readCellsFrom(ctx, rc, 'funnel', 'raw');
    const counted = cells.filter((c) => counts(rc, c.managerId));
    return funnelTables(rc, cells, { bySource: counted, byCampaign: counted });
  }
  const allSources = overAllSources(rc);
  const [main, bySource, byCampaign] = await Promise.all([
    readCellsFrom(ctx, rc, 'funnel', 'rollup', perManagerRows(rc)),
    allSources ? readWideTable(ctx, rc, 'funnel', 'team-source', teamInExtra, { projection: 'main' }) : null,
    readWideTable(ctx, rc, 'funnel', allSources ? 'team-campaign-all-sources' : 'team-campaign', teamInExtra),
  ]);
  return funnelTables(rc, main, { bySource: bySource ? countedCells(rc, bySource) : null, byCampaign: countedCells(rc, byCampaign) });
}

/**
 * The tables from the cells per manager; the tables by source and by campaign take the counted
 * cells that keep their key (the per-manager ones may sum over it; null: they keep it).
 */
function funnelTables(rc: ReportContext, cells: Array<Cell<FunnelTally>>, keyed: { bySource: Array<Cell<FunnelTally>> | null; byCampaign: Array<Cell<FunnelTally>> }) {
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
    bySource: rows(keyed.bySource ?? counted, (c) => c.source).map(({ key, ...f }) => ({ source: key, ...f })).sort(byLeads),
    byCampaign: rows(keyed.byCampaign, (c) => c.campaign).map(({ key, ...f }) => ({ campaign: key, ...f })).sort(byLeads),
    byManager: labelManagers(rc, byManager),
    byRule: rows(counted, (c) => c.ruleId).map(({ key, ...f }) => ({ ruleId: key, ...f })).sort(byLeads),
    series: rc.period.buckets.map((b, i) => ({ bucket: b.key, start: b.start, end: b.end, ...funnelFiguresOf(buckets.get(i) ?? emptyFunnelTally()) })),
  };
}
