import { emptyDistributionTally, groupDecisions, shareTableOfGroups, type DistributionTally, type ShareRow } from '../../core/reports/distribution.js';
import { bucketIndex, type Bucket } from '../../core/reports/period.js';
import { sumCells, sumCellsBy, type Cell } from '../../core/reports/report-cells.js';
import { round } from '../../core/reports/stats.js';
import { ownerAt, type OwnerChange } from '../../core/reports/lead-history.js';
import { leadsChangedSince, openLeadsByOwner } from '../../store/report-queries.js';
import { listRuleSets } from '../../store/rule-set-queries.js';
import { candidatesOf, DISTRIBUTION_TALLY } from './distribution-cells.js';
import { breakdown } from './lead-cohort.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { labelManagers, reportContext, reportHeader, type ReportContext, type ReportQuery } from './report-context.js';
import { chooseCellSource, perManagerRows, readCellsFrom, rollupTotalsBefore, type ReportCellsOptions } from './rollups/report-cells-source.js';

/**
 * Report 1: leads per manager against the target share, overall and per rule; fallbacks and
 * pooled leads with their reasons; decisions per bucket. Counts routing decisions made in the
 * period (intake, and qualification passing a lead on), not later hand-overs.
 */
export async function distributionReport(ctx: AppContext, principal: Principal, query: ReportQuery, options: ReportCellsOptions = {}) {
  const rc = await reportContext(ctx, principal, query);
  return await buildDistribution(ctx, rc, options);
}

function shareRowView(r: ShareRow) {
  return {
    managerId: r.managerId as string | null,
    assigned: r.assigned,
    fairShareLeads: r.fairShareLeads,
    expectedLeads: round(r.expectedLeads) as number,
    actualShare: round(r.actualShare),
    targetShare: round(r.targetShare),
    deviationLeads: round(r.deviationLeads) as number,
    deviationPp: round(r.deviationPp, 2),
  };
}

type DecisionCell = Cell<DistributionTally> & { candidates: string[] };

export async function buildDistribution(ctx: AppContext, rc: ReportContext, options: ReportCellsOptions = {}) {
  const source = await chooseCellSource(ctx, rc, 'distribution', options);
  const [all, ruleNames] = await Promise.all([readCellsFrom(ctx, rc, 'distribution', source, perManagerRows(rc, {})), currentRuleNames(ctx)]);
  const cells: DecisionCell[] = all.map((c) => ({ ...c, candidates: candidatesOf(c) }));
  // A decision concerns a set of managers when one of them won it or was a candidate with a share.
  const concerns = (c: DecisionCell, set: ReadonlySet<string> | null): boolean => {
    if (set === null) return true;
    if (c.managerId !== null && set.has(c.managerId)) return true;
    return c.candidates.some((id) => set.has(id));
  };
  // Per-manager tables: the listed managers (a manager sees the team's); totals, series and reasons: the counted ones.
  const listedCells = cells.filter((c) => concerns(c, rc.listed));
  const counted = cells.filter((c) => concerns(c, rc.counted));
  const sum = sumCells(DISTRIBUTION_TALLY, counted);
  const totals = { decisions: sum.decisions, assigned: sum.decisions - sum.pool, pooled: sum.pool, fairShareDecisions: sum.fairShare, ownership: sum.ownership, person: sum.person, fallbackAssigned: sum.fallback };
  const reasons = new Set([...sum.fallbackAssigned.keys(), ...sum.fallbackPooled.keys()]);
  const fallbacks = [...reasons].map((reason) => {
    const assigned = sum.fallbackAssigned.get(reason) ?? 0;
    const pooled = sum.fallbackPooled.get(reason) ?? 0;
    return { reason, assigned, pooled, total: assigned + pooled };
  });
  const buckets = sumCellsBy(DISTRIBUTION_TALLY, counted, (c) => bucketIndex(rc.period.buckets, c.at));
  const series = rc.period.buckets.map((b, i) => {
    const t = buckets.get(i) ?? emptyDistributionTally();
    const fellBack = [...t.fallbackAssigned.values(), ...t.fallbackPooled.values()].reduce((n, v) => n + v, 0);
    return { bucket: b.key, start: b.start, end: b.end, decisions: t.decisions, assigned: t.decisions - t.pool, pooled: t.pool, fallbacks: fellBack };
  });

  const overall = shareTableOfGroups(groupDecisions(listedCells), rc.listed);
  const byRule = [...breakdown(listedCells.filter((c) => c.ruleId !== null), (c) => c.ruleId as string)].map(([ruleId, list]) => {
    const table = shareTableOfGroups(groupDecisions(list), rc.listed);
    return {
      ruleId,
      ruleName: ruleNames.get(ruleId) ?? null,
      decisions: list.reduce((n, c) => n + c.tally.decisions, 0),
      fairShareDecisions: table.fairShareDecisions,
      managers: labelManagers(rc, table.rows.map(shareRowView)),
    };
  });
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  byRule.sort((a, b) => b.decisions - a.decisions || byText(a.ruleId, b.ruleId));

  return {
    ...reportHeader(rc),
    totals,
    byManager: labelManagers(rc, overall.rows.map(shareRowView)),
    byRule,
    fallbacks: fallbacks.sort((a, b) => b.total - a.total || byText(a.reason, b.reason)),
    pooledReasons: [...sum.pooledReasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || byText(a.reason, b.reason)),
    series,
    load: source === 'rollup' ? await loadFromRollups(ctx, rc) : await loadOverTime(ctx, rc),
  };
}

/** A rule's name as the newest rule-set version that has it calls it. */
async function currentRuleNames(ctx: AppContext): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const versions = [...(await listRuleSets(ctx.store.db))].sort((a, b) => b.version - a.version);
  for (const version of versions) {
    const rules = (version.definition as { rules?: unknown }).rules;
    if (!Array.isArray(rules)) continue;
    for (const r of rules as Array<{ id?: unknown; name?: unknown }>) {
      if (typeof r.id === 'string' && typeof r.name === 'string' && !names.has(r.id)) names.set(r.id, r.name);
    }
  }
  return names;
}

/** The moment a bucket's load is read: its end (or now, for the bucket still running), events at that moment included. */
function loadMoment(rc: ReportContext, endMs: number): number {
  return Math.min(endMs - 1, rc.now);
}

/** Open leads from the rollups: where each manager stood when the period began, plus each day's changes. */
async function loadFromRollups(ctx: AppContext, rc: ReportContext) {
  // The load is every lead's, whichever rule placed it (as loadOverTime counts it).
  const anyRule = { ...rc, filters: { ...rc.filters, rule: null } };
  const rows = perManagerRows(rc, {});
  const [before, changes] = await Promise.all([rollupTotalsBefore(ctx, anyRule, 'load', rows.projection), readCellsFrom(ctx, anyRule, 'load', 'rollup', rows)]);
  return rc.period.buckets.map((b) => {
    const open = new Map<string, number>();
    if (b.startMs <= rc.now) {
      const at = loadMoment(rc, b.endMs);
      for (const [id, n] of before) if (id !== '') open.set(id, n);
      for (const c of changes) if (c.managerId !== null && c.at <= at) open.set(c.managerId, (open.get(c.managerId) ?? 0) + c.tally.delta);
    }
    return loadBucket(rc, b, open);
  });
}

function loadBucket(rc: ReportContext, b: Bucket, open: Map<string, number>) {
  // A bucket that has not begun yet has no load.
  if (b.startMs > rc.now) return { bucket: b.key, start: b.start, end: b.end, at: b.end, managers: [] };
  const inScope = (id: string) => rc.listed === null || rc.listed.has(id);
  const ids = rc.listed === null ? [...open].filter(([id, n]) => n > 0 && inScope(id)).map(([id]) => id) : [...rc.listed];
  const rows = ids
    .map((managerId) => {
      const maxOpen = rc.managers.get(managerId)?.maxOpen ?? null;
      const openLeads = open.get(managerId) ?? 0;
      return { managerId: managerId as string | null, openLeads, maxOpen, loadRatio: maxOpen ? round(openLeads / maxOpen) : null };
    })
    .sort((x, y) => y.openLeads - x.openLeads || String(x.managerId).localeCompare(String(y.managerId)));
  return { bucket: b.key, start: b.start, end: b.end, at: new Date(Math.min(b.endMs, rc.now)).toISOString(), managers: labelManagers(rc, rows) };
}

/**
 * Open leads per manager at the end of each bucket (the state just before it ends, or now for a
 * bucket still running) against the manager's current cap of open leads. Counted back from now:
 * the leads open per owner now, corrected by the leads that arrived, closed or changed hands since
 * the period began (each replayed from its owner history); no other lead changed meanwhile.
 */
async function loadOverTime(ctx: AppContext, rc: ReportContext) {
  const [current, { leads, assignments }] = await Promise.all([openLeadsByOwner(ctx.store.db, rc.cohort.source ?? null), leadsChangedSince(ctx.store.db, rc.cohort)]);
  const changesOf = breakdown(assignments, (a) => a.leadId);
  const history = leads.map((l) => ({
    createdMs: Date.parse(l.createdAt),
    closedMs: l.closedAt ? Date.parse(l.closedAt) : null,
    ownerNow: l.closedAt === null ? l.ownerId : null,
    changes: (changesOf.get(l.id) ?? []).map((a): OwnerChange => ({ managerId: a.managerId, at: Date.parse(a.createdAt), via: a.via, outcome: a.outcome, ruleId: a.ruleId })),
  }));
  const inScope = (id: string) => rc.listed === null || rc.listed.has(id);
  return rc.period.buckets.map((b) => {
    const open = new Map<string, number>();
    if (b.startMs <= rc.now) {
      const at = loadMoment(rc, b.endMs);
      for (const [id, n] of current) if (inScope(id)) open.set(id, n);
      for (const h of history) {
        if (h.ownerNow !== null && inScope(h.ownerNow)) open.set(h.ownerNow, (open.get(h.ownerNow) ?? 0) - 1);
        if (h.createdMs > at || (h.closedMs !== null && h.closedMs <= at)) continue;
        const owner = ownerAt(h.changes, at);
        if (owner !== null && inScope(owner)) open.set(owner, (open.get(owner) ?? 0) + 1);
      }
    }
    return loadBucket(rc, b, open);
  });
}
