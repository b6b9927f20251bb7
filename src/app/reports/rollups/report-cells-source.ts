import { DateTime } from 'luxon';
import type { Cell } from '../../../core/reports/report-cells.js';
import type { Kysely } from 'kysely';
import { configVersions, dirtyCount, rollupRowsIn, rollupSumsBefore, rollupZones, unsettledLeads } from '../../../store/report-rollup-queries.js';
import type { Database } from '../../../store/schema.js';
import type { AppContext } from '../../app-context.js';
import { loadLeadBundle } from '../lead-cohort.js';
import { counts, type ReportContext } from '../report-context.js';
import { loadReportEnvironment, type ReportEnvironment } from '../report-environment.js';
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
  // Forced (tests comparing the two): everything the background refresher would do, done now.
  if (path === 'rollup' && alignedToDays(rc)) await refreshRollups(ctx);
  if (alignedToDays(rc) && (await zoneBuilt(ctx, rc.period.timeZone))) {
    const { resets } = await configVersions(ctx.store.db);
    const waiting = await dirtyCount(ctx.store.db, DRAIN_LIMIT);
    // What is left is refreshed first (bounded); rebuilding after a calendar change is the background refresher's.
    const outcome = waiting === 0 ? { left: 0 } : waiting <= DRAIN_LIMIT ? await refreshRollups(ctx, { maxLeads: DRAIN_LIMIT, housekeeping: false }) : { left: waiting };
    if (outcome.left === 0) {
      resetsWhenChosen.set(rc, resets);
      return 'rollup';
    }
  }
  if (path === 'rollup') throw new Error(`The rollups cannot answer this ${name} report (zone ${rc.period.timeZone}, ${rc.period.from} – ${rc.period.to})`);
  return 'raw';
}

/** Which rollup rows to read: a projection's (see RollupReport.projections), only some managers', one extra key. */
export interface RollupRead {
  projection?: string;
  managerIds?: readonly string[];
  extra?: string;
}

export async function readCellsFrom<N extends RollupReportName>(ctx: AppContext, rc: ReportContext, name: N, source: 'rollup' | 'raw', read: RollupRead = {}): Promise<Array<Cell<TallyOf<N>>>> {
  const report = ROLLUP_REPORTS[name] as unknown as RollupReport<TallyOf<N>>;
  if (source === 'rollup') return await cellsFromRollups(ctx, rc, name, report, read);
  if (report.rawCells) return await report.rawCells(ctx, rc);
  return report.cellsOf(await loadLeadBundle(ctx, rc.cohort, rc.filters.rule), await loadReportEnvironment(ctx, rc.now));
}

/**
 * The managers a report counts, seen as a whole team: the team's id, null for everyone, or
 * undefined when they are fewer (one manager). A table kept per team can then answer for them.
 */
export function wholeTeamOf(rc: ReportContext): string | null | undefined {
  if (rc.filters.manager !== null || rc.scope.kind === 'self') return undefined;
  if (rc.filters.team !== null) return rc.filters.team;
  return rc.scope.kind === 'team' ? rc.scope.teamId : null;
}

/** Whether the report is asked for without a source filter: then rows summed over sources answer it (see rollup-reports.ts). */
export function overAllSources(rc: ReportContext): boolean {
  return rc.cohort.source == null;
}

/** The rows per manager a report's main tables read: summed over sources unless one is asked for. */
export function perManagerRows(rc: ReportContext, withSource: RollupRead = { projection: 'main' }): RollupRead {
  return overAllSources(rc) ? { projection: 'manager' } : withSource;
}

/** Cells of a table, and whether they are already only the counted managers' (else `counts` still applies). */
export interface TableCells<T> {
  cells: Array<Cell<T>>;
  prescoped: boolean;
}

/**
 * The cells of a table that needs a key the per-manager rows leave out (the source, the campaign,
 * the hour): from rollups, the projection kept per team when the report counts a whole team or
 * everyone (`prescoped`: already the counted managers'), else the counted managers' own rows
 * (`forManagers`: a projection that keeps the key, the full rows by default).
 */
export async function readWideTable<N extends RollupReportName>(
  ctx: AppContext,
  rc: ReportContext,
  name: N,
  projection: string,
  teamOfExtra: (extra: string | null) => string | null,
  forManagers: RollupRead = {},
): Promise<TableCells<TallyOf<N>>> {
  const team = wholeTeamOf(rc);
  if (team === undefined) return { cells: await readCellsFrom(ctx, rc, name, 'rollup', { ...forManagers, managerIds: [...(rc.counted ?? [])] }), prescoped: false };
  // A team's rows are narrowed in SQL when the extra key is the team itself.
  if (team !== null && teamOfExtra === teamInExtra) return { cells: await readCellsFrom(ctx, rc, name, 'rollup', { projection, extra: team }), prescoped: true };
  const cells = await readCellsFrom(ctx, rc, name, 'rollup', { projection });
  return { cells: team === null ? cells : cells.filter((c) => teamOfExtra(c.extra) === team), prescoped: true };
}

/** The team of a row kept per team whose extra key is the team's id. */
export const teamInExtra = (extra: string | null): string | null => extra;

/** The counted cells of a table. */
export function countedCells<T>(rc: ReportContext, table: TableCells<T>): Array<Cell<T>> {
  return table.prescoped ? table.cells : table.cells.filter((c) => counts(rc, c.managerId));
}

/** Σ of a counting rollup (one integer per row, like the open-lead changes) per manager over the days before the period. */
export async function rollupTotalsBefore(ctx: AppContext, rc: ReportContext, name: RollupReportName, projection?: string): Promise<Map<string, number>> {
  const zone = rc.period.timeZone;
  return await readRollups(ctx, rc, async (db) => await rollupSumsBefore(db, { zone, report: projection ? `${name}:${projection}` : name, beforeDay: new ZoneDays(zone).dayOf(rc.period.fromMs), source: rc.cohort.source ?? null }));
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

async function cellsFromRollups<T>(ctx: AppContext, rc: ReportContext, name: RollupReportName, report: RollupReport<T>, read: RollupRead): Promise<Array<Cell<T>>> {
  const zone = rc.period.timeZone;
  const days = new ZoneDays(zone);
  const rowReport = read.projection ? `${name}:${read.projection}` : name;
  const slice = { zone, report: rowReport, fromDay: days.dayOf(rc.period.fromMs), toDay: days.dayOf(rc.period.toMs), source: rc.cohort.source ?? null, ruleId: rc.filters.rule, managerIds: read.managerIds, extra: read.extra };
  // The rows and the leads left out of them are read in one snapshot, so a refresh committing in
  // between (another process's) cannot count a lead twice or not at all.
  const { rows, unsettled } = await readRollups(ctx, rc, async (db) => ({
    rows: await rollupRowsIn(db, slice),
    unsettled: report.settlesAt ? await unsettledLeads(db, name, { from: rc.cohort.from, to: rc.cohort.to, source: rc.cohort.source ?? null }) : [],
  }));
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
  const cells: Array<Cell<T>> = rows.map((r) => ({
    managerId: orNull(r.managerId),
    source: orNull(r.source),
    campaign: orNull(r.campaign),
    ruleId: orNull(r.ruleId),
    extra: orNull(r.extra),
    at: startOf(r.day),
    tally: report.kind.decode(JSON.parse(r.tally)),
  }));
  if (unsettled.length > 0) {
    const live = await unsettledCellsOnce(ctx, rc, name, report, unsettled);
    cells.push(...projectLive(live, report, read, await loadReportEnvironment(ctx, rc.now), zone));
  }
  return cells;
}

/** Unsettled leads' cells already computed for a report request, by report and leads (its tables read several projections). */
const liveCells = new WeakMap<ReportContext, Map<string, Promise<Array<Cell<unknown>>>>>();

async function unsettledCellsOnce<T>(ctx: AppContext, rc: ReportContext, name: RollupReportName, report: RollupReport<T>, ids: readonly string[]): Promise<Array<Cell<T>>> {
  let known = liveCells.get(rc);
  if (!known) liveCells.set(rc, (known = new Map()));
  const key = `${name}\n${ids.join(',')}`;
  let cells = known.get(key);
  if (!cells) known.set(key, (cells = unsettledCells(ctx, rc, report, ids)));
  // Shared tallies are safe: a report only ever merges a cell's tally into sums of its own.
  return (await cells) as Array<Cell<T>>;
}

/** The cells of the period's leads whose figures still change with the clock, computed now as the raw report would. */
async function unsettledCells<T>(ctx: AppContext, rc: ReportContext, report: RollupReport<T>, ids: readonly string[]): Promise<Array<Cell<T>>> {
  const out: Array<Cell<T>> = [];
  const env = await loadReportEnvironment(ctx, rc.now);
  for (let i = 0; i < ids.length; i += 500) {
    const bundle = await loadLeadBundle(ctx, { ids: ids.slice(i, i + 500) });
    const inPeriod = bundle.leads.filter(
      (l) => l.createdMs >= rc.period.fromMs && l.createdMs < rc.period.toMs && (rc.cohort.source == null || l.source === rc.cohort.source) && (rc.filters.rule === null || l.ruleId === rc.filters.rule),
    );
    out.push(...report.cellsOf({ ...bundle, leads: inPeriod }, env));
  }
  return out;
}

/** Live cells under the same projection and filters as the rows they join. */
function projectLive<T>(cells: Array<Cell<T>>, report: RollupReport<T>, read: RollupRead, env: ReportEnvironment, zone: string): Array<Cell<T>> {
  const projection = read.projection ? report.projections?.find((p) => p.name === read.projection) : undefined;
  const out: Array<Cell<T>> = [];
  for (const c of cells) {
    let cell = c;
    if (projection) {
      const [managerId, source, campaign, ruleId, extra] = projection.project([c.managerId, c.source, c.campaign, c.ruleId, c.extra, c.at], env, zone);
      cell = { ...c, managerId, source, campaign, ruleId, extra };
    } else if (report.zoneExtra) cell = { ...c, extra: report.zoneExtra(c.at, zone) };
    if (read.managerIds !== undefined && (cell.managerId === null || !read.managerIds.includes(cell.managerId))) continue;
    if (read.extra !== undefined && (cell.extra ?? '') !== read.extra) continue;
    out.push(cell);
  }
  return out;
}

/** The rollups were reset between a report choosing them and reading them: its figures come from the raw rows instead. */
export class RollupsWentStale extends Error {
  constructor() {
    super('The report rollups were reset while a report read them');
  }
}

/** Builds a report; if its rollups were reset while it read them, builds it again from the raw rows. */
export async function withRawFallback<T>(build: (options: ReportCellsOptions) => Promise<T>): Promise<T> {
  try {
    return await build({});
  } catch (error) {
    if (error instanceof RollupsWentStale) return await build({ path: 'raw' });
    throw error;
  }
}

/** How many times the rollups had started over when a report chose them (see chooseCellSource). */
const resetsWhenChosen = new WeakMap<ReportContext, number>();

/**
 * Reads rollups in one snapshot, after checking in that snapshot that they still answer the
 * report: not reset since the report chose them (a rebuild or a calendar change empties them and
 * fills them again lead by lead), computed with the current calendars, the zone built.
 */
async function readRollups<R>(ctx: AppContext, rc: ReportContext, read: (db: Kysely<Database>) => Promise<R>): Promise<R> {
  return await readSnapshot(ctx, async (db) => {
    const [versions, zones] = await Promise.all([configVersions(db), rollupZones(db)]);
    const chosen = resetsWhenChosen.get(rc);
    const answers = versions.current === versions.built && (chosen === undefined || chosen === versions.resets) && zones.some((z) => z.zone === rc.period.timeZone && z.builtAt !== null);
    if (!answers) throw new RollupsWentStale();
    return await read(db);
  });
}

/** Reads in one snapshot: a repeatable-read transaction on PostgreSQL; SQLite's transactions already are. */
async function readSnapshot<R>(ctx: AppContext, read: (db: Kysely<Database>) => Promise<R>): Promise<R> {
  const start = ctx.store.db.transaction();
  return await (ctx.store.kind === 'postgres' ? start.setIsolationLevel('repeatable read') : start).execute(read);
}
