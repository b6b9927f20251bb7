import { DateTime } from 'luxon';
import type { Cell } from '../../../core/reports/report-cells.js';
import { dirtyCount, rollupRowsIn, rollupSumsBefore, rollupZones } from '../../../store/report-rollup-queries.js';
import type { AppContext } from '../../app-context.js';
import { loadLeadBundle } from '../lead-cohort.js';
import type { ReportContext } from '../report-context.js';
import { ZoneDays } from './lead-facts.js';
import { refreshRollups } from './refresh-rollups.js';
import { ROLLUP_REPORTS, type RollupReport, type RollupReportName } from './rollup-reports.js';

/**
 * Where a report's cells come from. `auto` (the default) reads the rollups when they can answer
 * exactly — the period starts and ends at local midnights of a zone whose rollups are built, and
 * at most DRAIN_LIMIT leads wait for a refresh (they are refreshed first) — and the raw rows
 * otherwise. Tests force one path to compare the two.
 */
export interface ReportCellsOptions {
  path?: 'auto' | 'raw' | 'rollup';
}

/** Leads a report refreshes before reading rollups; beyond this the background refresher is behind and raw rows answer. */
export const DRAIN_LIMIT = 5_000;

type TallyOf<N extends RollupReportName> = (typeof ROLLUP_REPORTS)[N] extends RollupReport<infer T> ? T : never;

export async function readReportCells<N extends RollupReportName>(ctx: AppContext, rc: ReportContext, name: N, options: ReportCellsOptions = {}): Promise<Array<Cell<TallyOf<N>>>> {
  return await readCellsFrom(ctx, rc, name, await chooseCellSource(ctx, rc, name, options));
}

/** Whether the rollups answer this report (refreshed first) or the raw rows do. */
export async function chooseCellSource(ctx: AppContext, rc: ReportContext, name: RollupReportName, options: ReportCellsOptions = {}): Promise<'rollup' | 'raw'> {
  const path = options.path ?? 'auto';
  if (path === 'raw') return 'raw';
  if (alignedToDays(rc) && (await dirtyCount(ctx.store.db, DRAIN_LIMIT)) <= DRAIN_LIMIT) {
    await refreshRollups(ctx);
    if (await zoneBuilt(ctx, rc.period.timeZone)) return 'rollup';
  }
  if (path === 'rollup') throw new Error(`The rollups cannot answer this ${name} report (zone ${rc.period.timeZone}, ${rc.period.from} – ${rc.period.to})`);
  return 'raw';
}

export async function readCellsFrom<N extends RollupReportName>(ctx: AppContext, rc: ReportContext, name: N, source: 'rollup' | 'raw'): Promise<Array<Cell<TallyOf<N>>>> {
  const report = ROLLUP_REPORTS[name] as unknown as RollupReport<TallyOf<N>>;
  if (source === 'rollup') return await cellsFromRollups(ctx, rc, name, report);
  if (report.rawCells) return await report.rawCells(ctx, rc);
  return report.cellsOf(await loadLeadBundle(ctx, rc.cohort, rc.filters.rule));
}

/** Σ of a counting rollup (one integer per row, like the open-lead changes) per manager over the days before the period. */
export async function rollupTotalsBefore(ctx: AppContext, rc: ReportContext, name: RollupReportName): Promise<Map<string, number>> {
  const zone = rc.period.timeZone;
  return await rollupSumsBefore(ctx.store.db, { zone, report: name, beforeDay: new ZoneDays(zone).dayOf(rc.period.fromMs), source: rc.cohort.source ?? null });
}

const isLocalMidnight = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).startOf('day').toMillis() === ms;

/** Rollups sum whole local days: a period must start and end at midnight in its zone. */
function alignedToDays(rc: ReportContext): boolean {
  return isLocalMidnight(rc.period.fromMs, rc.period.timeZone) && isLocalMidnight(rc.period.toMs, rc.period.timeZone);
}

async function zoneBuilt(ctx: AppContext, zone: string): Promise<boolean> {
  const kept = (await rollupZones(ctx.store.db)).find((z) => z.zone === zone);
  return kept !== undefined && kept.builtAt !== null;
}

async function cellsFromRollups<T>(ctx: AppContext, rc: ReportContext, name: RollupReportName, report: RollupReport<T>): Promise<Array<Cell<T>>> {
  const zone = rc.period.timeZone;
  const days = new ZoneDays(zone);
  const rows = await rollupRowsIn(ctx.store.db, { zone, report: name, fromDay: days.dayOf(rc.period.fromMs), toDay: days.dayOf(rc.period.toMs), source: rc.cohort.source ?? null, ruleId: rc.filters.rule });
  const dayStarts = new Map<string, number>();
  const startOf = (day: string) => {
    let ms = dayStarts.get(day);
    if (ms === undefined) {
      ms = DateTime.fromISO(day, { zone }).startOf('day').toMillis();
      dayStarts.set(day, ms);
    }
    return ms;
  };
  const orNull = (v: string) => (v === '' ? null : v);
  return rows.map((r) => ({
    managerId: orNull(r.managerId),
    source: orNull(r.source),
    campaign: orNull(r.campaign),
    ruleId: orNull(r.ruleId),
    extra: orNull(r.extra),
    at: startOf(r.day),
    tally: report.kind.decode(JSON.parse(r.tally)),
  }));
}
