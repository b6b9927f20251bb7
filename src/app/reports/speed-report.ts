import { bucketIndex, localHour } from '../../core/reports/period.js';
import { regroupSums, sumCellsBy, type Cell } from '../../core/reports/report-cells.js';
import { emptySpeedTally, speedFiguresOf, type SpeedTally } from '../../core/reports/speed.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { counts, labelManagers, listedManager, reportContext, reportHeader, teamOf, type ReportQuery } from './report-context.js';
import { chooseCellSource, countedCells, teamInExtra, overAllSources, perManagerRows, readCellsFrom, readWideTable, type ReportCellsOptions } from './rollups/report-cells-source.js';
import { SPEED_TALLY } from './speed-cells.js';

/**
 * Report 2: speed to lead — arrival to the first real contact (docs/reports.md), median, p90
 * and the share within 5 / 15 / 60 minutes, on the wall clock and in the owner's business
 * hours; by manager, team, source, hour of arrival and bucket.
 */
export async function speedReport(ctx: AppContext, principal: Principal, query: ReportQuery, options: ReportCellsOptions = {}) {
  const rc = await reportContext(ctx, principal, query);
  const source = await chooseCellSource(ctx, rc, 'speed', options);
  const listedOnly = (list: Array<Cell<SpeedTally>>) => list.filter((c) => c.managerId !== null && listedManager(rc, c.managerId));
  let cells: Array<Cell<SpeedTally>>;
  let counted: Array<Cell<SpeedTally>>;
  let sourceCells: Array<Cell<SpeedTally>>;
  let hourCells: Array<Cell<SpeedTally>>;
  // A rollup row of the hour table carries [local hour, team] (or, read per manager, the hour); a lead read raw, its moment.
  let hourOf = (c: Cell<SpeedTally>) => localHour(c.at, rc.period.timeZone);
  if (source === 'raw') {
    cells = listedOnly(await readCellsFrom(ctx, rc, 'speed', 'raw'));
    counted = cells.filter((c) => counts(rc, c.managerId));
    sourceCells = counted;
    hourCells = counted;
  } else {
    const allSources = overAllSources(rc);
    const teamOfHourKey = (extra: string | null) => (JSON.parse(extra as string) as [number, string | null])[1];
    const [main, bySource, byHour] = await Promise.all([
      readCellsFrom(ctx, rc, 'speed', 'rollup', perManagerRows(rc)),
      allSources ? readWideTable(ctx, rc, 'speed', 'team-source', teamInExtra, { projection: 'main' }) : null,
      readWideTable(ctx, rc, 'speed', allSources ? 'team-hour-all-sources' : 'team-hour', teamOfHourKey),
    ]);
    cells = listedOnly(main);
    counted = cells.filter((c) => counts(rc, c.managerId));
    sourceCells = bySource ? countedCells(rc, bySource) : counted;
    hourCells = countedCells(rc, byHour);
    hourOf = byHour.prescoped ? (c) => (JSON.parse(c.extra as string) as [number, string | null])[0] : (c) => Number(c.extra);
  }
  const byLeads = <T extends { leads: number }>(a: T, b: T) => b.leads - a.leads;
  // Summed per manager once: the teams and the totals add up those sums, not every cell again.
  const perManager = sumCellsBy(SPEED_TALLY, cells, (c) => c.managerId);
  const byManager = [...perManager].map(([managerId, t]) => ({ managerId, ...speedFiguresOf(t) })).sort(byLeads);
  // `counted` are the listed cells of counted managers, so their sums are the counted managers' entries.
  const perTeam = regroupSums(SPEED_TALLY, [...perManager].filter(([managerId]) => counts(rc, managerId)), (managerId) => teamOf(rc, managerId));
  const byTeam = [...perTeam].map(([teamId, t]) => ({ teamId, teamName: teamId ? (rc.teams.get(teamId)?.name ?? teamId) : null, ...speedFiguresOf(t) }));
  const bySource = [...sumCellsBy(SPEED_TALLY, sourceCells, (c) => c.source)].map(([source, t]) => ({ source, ...speedFiguresOf(t) })).sort(byLeads);
  const hours = sumCellsBy(SPEED_TALLY, hourCells, hourOf);
  const buckets = sumCellsBy(SPEED_TALLY, counted, (c) => bucketIndex(rc.period.buckets, c.at));
  const totals = regroupSums(SPEED_TALLY, buckets, () => null).get(null) ?? emptySpeedTally();
  return {
    ...reportHeader(rc),
    totals: speedFiguresOf(totals),
    byManager: labelManagers(rc, byManager),
    byTeam,
    bySource,
    byHourOfDay: Array.from({ length: 24 }, (_, hour) => ({ hour, ...speedFiguresOf(hours.get(hour) ?? emptySpeedTally()) })),
    series: rc.period.buckets.map((b, i) => ({ bucket: b.key, start: b.start, end: b.end, ...speedFiguresOf(buckets.get(i) ?? emptySpeedTally()) })),
  };
}
