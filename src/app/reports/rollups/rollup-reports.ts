import type { DistributionTally } from '../../../core/reports/distribution.js';
import type { FunnelTally } from '../../../core/reports/funnel.js';
import type { JunkTally } from '../../../core/reports/junk.js';
import { localHour } from '../../../core/reports/period.js';
import type { Cell, TallyKind } from '../../../core/reports/report-cells.js';
import type { SlaTally } from '../../../core/reports/sla.js';
import type { SpeedTally } from '../../../core/reports/speed.js';
import { routingDecisions } from '../../../store/report-queries.js';
import type { AppContext } from '../../app-context.js';
import { DISTRIBUTION_TALLY, distributionCells, LOAD_TALLY, loadCells, type LoadTally } from '../distribution-cells.js';
import { FUNNEL_TALLY, funnelCells } from '../funnel-cells.js';
import { JUNK_TALLY, junkCells } from '../junk-cells.js';
import type { CohortLead, LeadBundle } from '../lead-cohort.js';
import type { ReportContext } from '../report-context.js';
import type { ReportEnvironment } from '../report-environment.js';
import { SLA_TALLY, slaCells, slaSettlesAt } from '../sla-cells.js';
import { SPEED_TALLY, speedCells, speedSettlesAt } from '../speed-cells.js';

/** A report whose figures can be read from rollups: how a lead contributes and how contributions add up. */
export interface RollupReport<T> {
  kind: TallyKind<T>;
  cellsOf(bundle: LeadBundle, env: ReportEnvironment): Array<Cell<T>>;
  /** The cells of a period read from raw rows; by default the cells of the leads that arrived in it. */
  rawCells?(ctx: AppContext, rc: ReportContext): Promise<Array<Cell<T>>>;
  /**
   * For figures that change with the clock while a lead waits: when this lead's stop changing
   * (null: they already have). Until then the lead stays out of the rollups and is computed when
   * the report is read.
   */
  settlesAt?(lead: CohortLead, bundle: LeadBundle, env: ReportEnvironment): number | null;
  /** A key that depends on the zone the rollups are kept in (speed to lead: the local hour of arrival). */
  zoneExtra?(at: number, zone: string): string;
}

const funnel: RollupReport<FunnelTally> = { kind: FUNNEL_TALLY, cellsOf: funnelCells };
const junk: RollupReport<JunkTally> = { kind: JUNK_TALLY, cellsOf: junkCells };
/** Decisions made in the period (not the leads that arrived in it), of the rule asked for. */
const distribution: RollupReport<DistributionTally> = {
  kind: DISTRIBUTION_TALLY,
  cellsOf: (bundle) => distributionCells(bundle.decisions),
  rawCells: async (ctx, rc) => distributionCells(await routingDecisions(ctx.store.db, rc.cohort)).filter((c) => rc.filters.rule === null || c.ruleId === rc.filters.rule),
};
/** Changes of open leads; read from rollups only (the raw report counts back from now, see distribution-report.ts). */
const load: RollupReport<LoadTally> = { kind: LOAD_TALLY, cellsOf: loadCells };
const speed: RollupReport<SpeedTally> = {
  kind: SPEED_TALLY,
  cellsOf: speedCells,
  settlesAt: (lead, _bundle, env) => speedSettlesAt(lead, env),
  zoneExtra: (at, zone) => String(localHour(at, zone)),
};
const sla: RollupReport<SlaTally> = { kind: SLA_TALLY, cellsOf: slaCells, settlesAt: slaSettlesAt };

export const ROLLUP_REPORTS = { funnel, junk, distribution, load, speed, sla };

export type RollupReportName = keyof typeof ROLLUP_REPORTS;

export const ROLLUP_REPORT_NAMES = Object.keys(ROLLUP_REPORTS) as RollupReportName[];

/** The registry entry, with its tally type erased: the refresh handles every report alike. */
export function rollupReport(name: RollupReportName): RollupReport<unknown> {
  return ROLLUP_REPORTS[name] as unknown as RollupReport<unknown>;
}
