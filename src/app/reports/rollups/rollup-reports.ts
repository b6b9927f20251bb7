import type { FunnelTally } from '../../../core/reports/funnel.js';
import type { JunkTally } from '../../../core/reports/junk.js';
import type { Cell, TallyKind } from '../../../core/reports/report-cells.js';
import { FUNNEL_TALLY, funnelCells } from '../funnel-cells.js';
import { JUNK_TALLY, junkCells } from '../junk-cells.js';
import type { LeadBundle } from '../lead-cohort.js';

/** A report whose figures can be read from rollups: how a lead contributes and how contributions add up. */
export interface RollupReport<T> {
  kind: TallyKind<T>;
  cellsOf(bundle: LeadBundle): Array<Cell<T>>;
}

const funnel: RollupReport<FunnelTally> = { kind: FUNNEL_TALLY, cellsOf: funnelCells };
const junk: RollupReport<JunkTally> = { kind: JUNK_TALLY, cellsOf: junkCells };

export const ROLLUP_REPORTS = { funnel, junk };

export type RollupReportName = keyof typeof ROLLUP_REPORTS;

export const ROLLUP_REPORT_NAMES = Object.keys(ROLLUP_REPORTS) as RollupReportName[];

/** The registry entry, with its tally type erased: the refresh handles every report alike. */
export function rollupReport(name: RollupReportName): RollupReport<unknown> {
  return ROLLUP_REPORTS[name] as unknown as RollupReport<unknown>;
}
