import type { DistributionTally } from '../../../core/reports/distribution.js';
import type { FunnelTally } from '../../../core/reports/funnel.js';
import type { JunkTally } from '../../../core/reports/junk.js';
import { localHour } from '../../../core/reports/period.js';
import type { Cell, TallyKind } from '../../../core/reports/report-cells.js';
import type { SlaTally } from '../../../core/reports/sla.js';
import type { SpeedTally } from '../../../core/reports/speed.js';
import type { OutcomeTally, PoolTally } from '../../../core/reports/transfers.js';
import { assignmentsOfLeads, poolMovesMadeIn, routingDecisions, transfersMadeIn } from '../../../store/report-queries.js';
import type { AppContext } from '../../app-context.js';
import { DISTRIBUTION_TALLY, distributionCells, LOAD_TALLY, loadCells, type LoadTally } from '../distribution-cells.js';
import { FUNNEL_TALLY, funnelCells } from '../funnel-cells.js';
import { JUNK_TALLY, junkCells } from '../junk-cells.js';
import type { CohortLead, LeadBundle } from '../lead-cohort.js';
import type { ReportContext } from '../report-context.js';
import type { ReportEnvironment } from '../report-environment.js';
import { SLA_TALLY, slaCells, slaSettlesAt } from '../sla-cells.js';
import { SPEED_TALLY, speedCells, speedSettlesAt } from '../speed-cells.js';
import { claimCells, COUNT_TALLY, OUTCOME_TALLY, POOL_TALLY, poolStayCells, transferCells, type CountTally } from '../transfers-cells.js';

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
  /**
   * Narrower sums of the same cells, kept beside the full ones (as report `<name>:<projection>`)
   * so a table that needs few keys reads few rows: without the campaign (or the hour) for every
   * table but the one by campaign (or by hour), and per team instead of per manager for that one.
   */
  projections?: Projection[];
}

export interface Projection {
  name: string;
  /** The cell under the projection's key; the tally stays as it is. */
  project(cell: ProjectedCell, env: ReportEnvironment, zone: string): ProjectedCell;
}

/** A stored cell's keys and moment: [managerId, source, campaign, ruleId, extra, at]. */
export type ProjectedCell = [string | null, string | null, string | null, string | null, string | null, number];

/*
 * Projections. A report asked for without a source filter (the usual dashboard) reads rows summed
 * over sources and campaigns — a busy department has ten sources and dozens of campaigns, and
 * every one multiplies the rows a report would otherwise read and sum. With a source filter it
 * reads the rows that keep the source and leaves the others to the WHERE clause. The rule is
 * always kept (it is a filter too); a table that needs a key the per-manager rows leave out (the
 * source, the campaign, the hour) reads rows per team instead, the team in the extra key.
 */
/** Per manager, over every source and campaign: every table but the ones by source, campaign or hour. */
const perManager: Projection = { name: 'manager', project: ([m, , , r, e, at]) => [m, null, null, r, e, at] };
/** Per team and source: «by source» asked for without a source filter. */
const teamSource: Projection = { name: 'team-source', project: ([m, s, , r, , at], env) => [null, s, null, r, env.teamOf(m), at] };
/** Without the campaign: every table but «by campaign», asked for with a source filter. */
const withoutCampaign: Projection = { name: 'main', project: ([m, s, , r, e, at]) => [m, s, null, r, e, at] };
/** Per team and campaign: «by campaign» for the company or a whole team, with a source filter. */
const teamCampaign: Projection = { name: 'team-campaign', project: ([m, s, c, r, , at], env) => [null, s, c, r, env.teamOf(m), at] };
/** Per team and campaign over every source: «by campaign» without a source filter. */
const teamCampaignAllSources: Projection = { name: 'team-campaign-all-sources', project: ([m, , c, r, , at], env) => [null, null, c, r, env.teamOf(m), at] };

const funnel: RollupReport<FunnelTally> = { kind: FUNNEL_TALLY, cellsOf: funnelCells, projections: [perManager, teamSource, withoutCampaign, teamCampaign, teamCampaignAllSources] };
const junk: RollupReport<JunkTally> = { kind: JUNK_TALLY, cellsOf: junkCells, projections: [perManager, teamSource, withoutCampaign, teamCampaign, teamCampaignAllSources] };
/** Decisions made in the period (not the leads that arrived in it), of the rule asked for. */
const distribution: RollupReport<DistributionTally> = {
  kind: DISTRIBUTION_TALLY,
  cellsOf: (bundle) => distributionCells(bundle.decisions),
  rawCells: async (ctx, rc) => distributionCells(await routingDecisions(ctx.store.db, rc.cohort)).filter((c) => rc.filters.rule === null || c.ruleId === rc.filters.rule),
  projections: [perManager],
};
/** Changes of open leads; read from rollups only (the raw report counts back from now, see distribution-report.ts). */
const load: RollupReport<LoadTally> = { kind: LOAD_TALLY, cellsOf: loadCells, projections: [perManager] };
const speed: RollupReport<SpeedTally> = {
  kind: SPEED_TALLY,
  cellsOf: speedCells,
  settlesAt: (lead, _bundle, env) => speedSettlesAt(lead, env),
  zoneExtra: (at, zone) => String(localHour(at, zone)),
  projections: [
    perManager,
    teamSource,
    // Speed has no table by campaign: with a source filter, the rows without the hour of arrival or the campaign.
    { name: 'main', project: ([m, s, , r, e, at]) => [m, s, null, r, e, at] },
    // Per team and hour: «by hour» for the company or a whole team (with and without a source filter).
    { name: 'team-hour', project: ([m, s, , r, , at], env, zone) => [null, s, null, r, JSON.stringify([localHour(at, zone), env.teamOf(m)]), at] },
    { name: 'team-hour-all-sources', project: ([m, , , r, , at], env, zone) => [null, null, null, r, JSON.stringify([localHour(at, zone), env.teamOf(m)]), at] },
  ],
};
const sla: RollupReport<SlaTally> = { kind: SLA_TALLY, cellsOf: slaCells, settlesAt: slaSettlesAt, projections: [perManager, teamSource] };
// Transfers and the pool: requests, stays and claims made in the period (the rule filter does not apply).
const transfers: RollupReport<OutcomeTally> = {
  kind: OUTCOME_TALLY,
  cellsOf: (bundle) => transferCells(bundle.transfers),
  rawCells: async (ctx, rc) => transferCells(await transfersMadeIn(ctx.store.db, rc.cohort)),
};
const poolStays: RollupReport<PoolTally> = {
  kind: POOL_TALLY,
  cellsOf: (bundle) => poolStayCells(bundle.poolMoves, bundle.assignments),
  rawCells: async (ctx, rc) => {
    const moves = await poolMovesMadeIn(ctx.store.db, rc.cohort);
    const entered = [...new Set(moves.filter((m) => m.outcome === 'pool').map((m) => m.leadId))];
    return poolStayCells(moves, await assignmentsOfLeads(ctx.store.db, entered, rc.period.from));
  },
};
const claims: RollupReport<CountTally> = {
  kind: COUNT_TALLY,
  cellsOf: (bundle) => claimCells(bundle.poolMoves),
  rawCells: async (ctx, rc) => claimCells(await poolMovesMadeIn(ctx.store.db, rc.cohort)),
};

export const ROLLUP_REPORTS = { funnel, junk, distribution, load, speed, sla, transfers, 'pool-stays': poolStays, claims };

export type RollupReportName = keyof typeof ROLLUP_REPORTS;

export const ROLLUP_REPORT_NAMES = Object.keys(ROLLUP_REPORTS) as RollupReportName[];

/** The registry entry, with its tally type erased: the refresh handles every report alike. */
export function rollupReport(name: RollupReportName): RollupReport<unknown> {
  return ROLLUP_REPORTS[name] as unknown as RollupReport<unknown>;
}
