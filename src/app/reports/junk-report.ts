import { emptyJunkTally, junkFiguresOf, reasonCounts, standsOut, type JunkTally } from '../../core/reports/junk.js';
import { bucketIndex } from '../../core/reports/period.js';
import { sumCells, sumCellsBy, type Cell } from '../../core/reports/report-cells.js';
import { ratio, round } from '../../core/reports/stats.js';
import { managersOfUsers, reasonLabels } from '../../store/report-queries.js';
import { actorDisplayNames } from '../access/actor-names.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { JUNK_TALLY } from './junk-cells.js';
import { counts, labelManagers, reportContext, reportHeader, type ReportContext, type ReportQuery } from './report-context.js';
import { chooseCellSource, countedCells, teamInExtra, overAllSources, perManagerRows, readCellsFrom, readWideTable, type ReportCellsOptions } from './rollups/report-cells-source.js';

/**
 * Report 5: junk rate by source and campaign with the reasons, flagging the ones that stand
 * out; who marked leads junk (to spot a manager closing work as junk); by bucket of arrival.
 */
export async function junkReport(ctx: AppContext, principal: Principal, query: ReportQuery, options: ReportCellsOptions = {}) {
  const rc = await reportContext(ctx, principal, query);
  const labels = await reasonLabels(ctx.store.db, 'junk');
  if ((await chooseCellSource(ctx, rc, 'junk', options)) === 'raw') {
    const cells = await readCellsFrom(ctx, rc, 'junk', 'raw');
    const counted = cells.filter((c) => counts(rc, c.managerId));
    return await junkTables(ctx, rc, cells, { bySource: counted, byCampaign: counted }, labels);
  }
  const allSources = overAllSources(rc);
  const [main, bySource, byCampaign] = await Promise.all([
    readCellsFrom(ctx, rc, 'junk', 'rollup', perManagerRows(rc)),
    allSources ? readWideTable(ctx, rc, 'junk', 'team-source', teamInExtra, { projection: 'main' }) : null,
    readWideTable(ctx, rc, 'junk', allSources ? 'team-campaign-all-sources' : 'team-campaign', teamInExtra),
  ]);
  return await junkTables(ctx, rc, main, { bySource: bySource ? countedCells(rc, bySource) : null, byCampaign: countedCells(rc, byCampaign) }, labels);
}

/**
 * The tables from the cells per manager; the tables by source and by campaign take the counted
 * cells that keep their key (the per-manager ones may sum over it; null: they keep it).
 */
async function junkTables(ctx: AppContext, rc: ReportContext, cells: Array<Cell<JunkTally>>, keyed: { bySource: Array<Cell<JunkTally>> | null; byCampaign: Array<Cell<JunkTally>> }, labels: ReadonlyMap<string, string>) {
  const counted = cells.filter((c) => counts(rc, c.managerId));
  const totals = sumCells(JUNK_TALLY, counted);
  const overall = junkFiguresOf(totals);
  const row = (t: JunkTally) => {
    const figures = junkFiguresOf(t);
    return { ...figures, standsOut: standsOut(figures, overall.junkRate), reasons: reasonCounts(t, labels) };
  };
  const byRate = <T extends { junkRate: number | null; leads: number }>(a: T, b: T) => (b.junkRate ?? -1) - (a.junkRate ?? -1) || b.leads - a.leads;

  const marked = counted.filter((c) => c.tally.junk > 0);
  const markers = [...sumCellsBy(JUNK_TALLY, marked, (c) => c.extra)];
  const userIds = markers.flatMap(([actor]) => (actor?.startsWith('user:') ? [actor.slice(5)] : []));
  const [names, profiles] = await Promise.all([actorDisplayNames(ctx, markers.map(([a]) => a)), managersOfUsers(ctx.store.db, userIds)]);
  const handledBy = sumCellsBy(JUNK_TALLY, counted, (c) => c.managerId);
  const byMarker = markers
    .map(([actor, t]) => {
      const managerId = actor?.startsWith('user:') ? (profiles.get(actor.slice(5)) ?? null) : null;
      const handled = managerId ? (handledBy.get(managerId)?.leads ?? 0) : 0;
      const ownMarked = managerId ? marked.filter((c) => c.extra === actor && c.managerId === managerId).reduce((n, c) => n + c.tally.junk, 0) : 0;
      return {
        managerId,
        actor: rc.scope.kind === 'self' && managerId !== rc.scope.managerId ? null : actor,
        actorName: actor ? (names.get(actor) ?? actor) : null,
        marked: t.junk,
        markedRate: managerId ? round(ratio(ownMarked, handled)) : null,
        reasons: reasonCounts(t, labels),
      };
    })
    .sort((a, b) => b.marked - a.marked || String(a.actor).localeCompare(String(b.actor)));
  const buckets = sumCellsBy(JUNK_TALLY, counted, (c) => bucketIndex(rc.period.buckets, c.at));
  return {
    ...reportHeader(rc),
    totals: overall,
    reasons: reasonCounts(totals, labels),
    bySource: [...sumCellsBy(JUNK_TALLY, keyed.bySource ?? counted, (c) => c.source)].map(([source, t]) => ({ source, ...row(t) })).sort(byRate),
    byCampaign: [...sumCellsBy(JUNK_TALLY, keyed.byCampaign, (c) => c.campaign)].map(([campaign, t]) => ({ campaign, ...row(t) })).sort(byRate),
    byMarker: labelManagers(rc, byMarker).map((m) => (m.anonymous ? { ...m, actorName: m.name } : m)),
    series: rc.period.buckets.map((b, i) => ({ bucket: b.key, start: b.start, end: b.end, ...junkFiguresOf(buckets.get(i) ?? emptyJunkTally()) })),
  };
}
