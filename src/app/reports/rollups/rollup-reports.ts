import type { FunnelTally } from '../../../core/reports/funnel.js';
import type { JunkTally } from '../../../core/reports/junk.js';
import type { DistributionTally } from '../../../core/reports/distribution.js';
import type { Cell, TallyKind } from '../../../core/reports/report-cells.js';
import { routingDecisions } from '../../../store/report-queries.js';
import type { AppContext } from '../../app-context.js';
import { DISTRIBUTION_TALLY, distributionCells, LOAD_TALLY, loadCells, type LoadTally } from '../distribution-cells.js';
import { FUNNEL_TALLY, funnelCells } from '../funnel-cells.js';
import { JUNK_TALLY, junkCells } from '../junk-cells.js';
import type { LeadBundle } from '../lead-cohort.js';
import type { ReportContext } from '../report-context.js';

/** A report whose figures can be read from rollups: how a lead contributes and how contributions add up. */
export interface RollupReport<T> {
  kind: TallyKind<T>;
  cellsOf(bundle: LeadBundle): Array<Cell<T>>;
  /** The cells of a period read from raw rows; by default the cells of the leads that arrived in it. */
  rawCells?(ctx: AppContext, rc: ReportContext): Promise<Array<Cell<T>>>;
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

export const ROLLUP_REPORTS = { funnel, junk, distribution, load };

export type RollupReportName = keyof typeof ROLLUP_REPORTS;

export const ROLLUP_REPORT_NAMES = Object.keys(ROLLUP_REPORTS) as RollupReportName[];

/** The registry entry, with its tally type erased: the refresh handles every report alike. */
export function rollupReport(name: RollupReportName): RollupReport<unknown> {
  return ROLLUP_REPORTS[name] as unknown as RollupReport<unknown>;
}
