import { bucketIndex, localHour } from '../../core/reports/period.js';
import { sumCells, sumCellsBy, type Cell } from '../../core/reports/report-cells.js';
import { emptySpeedTally, speedFiguresOf, type SpeedTally } from '../../core/reports/speed.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { counts, labelManagers, listedManager, reportContext, reportHeader, teamOf, type ReportQuery } from './report-context.js';
import { readReportCells, type ReportCellsOptions } from './rollups/report-cells-source.js';
import { SPEED_TALLY } from './speed-cells.js';

/**
 * Report 2: speed to lead — arrival to the first real contact (docs/reports.md), median, p90
 * and the share within 5 / 15 / 60 minutes, on the wall clock and in the owner's business
 * hours; by manager, team, source, hour of arrival and bucket.
 */
export async function speedReport(ctx: AppContext, principal: Principal, query: ReportQuery, options: ReportCellsOptions = {}) {
  const rc = await reportContext(ctx, principal, query);
  const cells = (await readReportCells(ctx, rc, 'speed', options)).filter((c) => c.managerId !== null && listedManager(rc, c.managerId));
  const counted = cells.filter((c) => counts(rc, c.managerId));
  const byLeads = <T extends { leads: number }>(a: T, b: T) => b.leads - a.leads;
  const byManager = [...sumCellsBy(SPEED_TALLY, cells, (c) => c.managerId)].map(([managerId, t]) => ({ managerId, ...speedFiguresOf(t) })).sort(byLeads);
  const byTeam = [...sumCellsBy(SPEED_TALLY, counted, (c) => teamOf(rc, c.managerId))].map(([teamId, t]) => ({ teamId, teamName: teamId ? (rc.teams.get(teamId)?.name ?? teamId) : null, ...speedFiguresOf(t) }));
  const bySource = [...sumCellsBy(SPEED_TALLY, counted, (c) => c.source)].map(([source, t]) => ({ source, ...speedFiguresOf(t) })).sort(byLeads);
  // A rollup row carries the local hour of arrival in its zone; a lead read raw, its moment.
  const hourOf = (c: Cell<SpeedTally>) => (c.extra !== null ? Number(c.extra) : localHour(c.at, rc.period.timeZone));
  const hours = sumCellsBy(SPEED_TALLY, counted, hourOf);
  const buckets = sumCellsBy(SPEED_TALLY, counted, (c) => bucketIndex(rc.period.buckets, c.at));
  return {
    ...reportHeader(rc),
    totals: speedFiguresOf(sumCells(SPEED_TALLY, counted)),
    byManager: labelManagers(rc, byManager),
    byTeam,
    bySource,
    byHourOfDay: Array.from({ length: 24 }, (_, hour) => ({ hour, ...speedFiguresOf(hours.get(hour) ?? emptySpeedTally()) })),
    series: rc.period.buckets.map((b, i) => ({ bucket: b.key, start: b.start, end: b.end, ...speedFiguresOf(buckets.get(i) ?? emptySpeedTally()) })),
  };
}
