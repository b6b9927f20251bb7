import { decisionFactOf, isQualificationHold, shareTable, type DecisionFact, type ShareRow } from '../../core/reports/distribution.js';
import { bucketIndex } from '../../core/reports/period.js';
import { round } from '../../core/reports/stats.js';
import { ownerAt, type OwnerChange } from '../../core/reports/lead-history.js';
import { leadsChangedSince, openLeadsByOwner, routingDecisions } from '../../store/report-queries.js';
import { breakdown } from './lead-cohort.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { labelManagers, reportContext, reportHeader, type ReportContext, type ReportQuery } from './report-context.js';

/**
 * Report 1: leads per manager against the target share, overall and per rule; fallbacks and
 * pooled leads with their reasons; decisions per bucket. Counts routing decisions made in the
 * period (intake, and qualification passing a lead on), not later hand-overs.
 */
export async function distributionReport(ctx: AppContext, principal: Principal, query: ReportQuery) {
  const rc = await reportContext(ctx, principal, query);
  return await buildDistribution(ctx, rc);
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

export async function buildDistribution(ctx: AppContext, rc: ReportContext) {
  const rows = await routingDecisions(ctx.store.db, rc.cohort);
  const listed = rc.listed;
  // A decision concerns a set of managers when one of them won it or was a candidate with a share.
  const concerns = (d: DecisionFact, set: ReadonlySet<string> | null): boolean => {
    if (set === null) return true;
    if (d.managerId !== null && set.has(d.managerId)) return true;
    return d.kind === 'fair_share' && Object.keys(d.shares ?? {}).some((id) => set.has(id));
  };
  // Per-manager tables: the listed managers (a manager sees the team's); totals, series and reasons: the counted ones.
  const decisions: DecisionFact[] = [];
  const counted: DecisionFact[] = [];
  for (const row of rows) {
    // Intake parking a lead for a qualifier is no routing decision; the qualifier's pass is.
    if (isQualificationHold(row)) continue;
    const d = decisionFactOf(row, row.trace);
    if (rc.filters.rule !== null && d.ruleId !== rc.filters.rule) continue;
    if (concerns(d, listed)) decisions.push(d);
    if (concerns(d, rc.counted)) counted.push(d);
  }

  const totals = { decisions: counted.length, assigned: 0, pooled: 0, fairShareDecisions: 0, ownership: 0, person: 0, fallbackAssigned: 0 };
  const fallbacks = new Map<string, { reason: string; assigned: number; pooled: number }>();
  const pooled = new Map<string, number>();
  const series = rc.period.buckets.map((b) => ({ bucket: b.key, start: b.start, end: b.end, decisions: 0, assigned: 0, pooled: 0, fallbacks: 0 }));
  for (const d of counted) {
    const point = series[bucketIndex(rc.period.buckets, d.at)];
    if (point) point.decisions += 1;
    if (d.kind === 'pool') {
      totals.pooled += 1;
      if (point) point.pooled += 1;
      pooled.set(d.reason ?? 'unknown', (pooled.get(d.reason ?? 'unknown') ?? 0) + 1);
    } else {
      totals.assigned += 1;
      if (point) point.assigned += 1;
    }
    if (d.kind === 'fair_share') totals.fairShareDecisions += 1;
    if (d.kind === 'ownership') totals.ownership += 1;
    if (d.kind === 'person') totals.person += 1;
    if (d.kind === 'fallback') totals.fallbackAssigned += 1;
    const fellBack = d.kind === 'fallback' || (d.kind === 'pool' && d.reason !== 'rule_target_pool' && d.reason !== 'owner_unavailable');
    if (fellBack) {
      if (point) point.fallbacks += 1;
      const reason = d.reason ?? 'unknown';
      const f = fallbacks.get(reason) ?? { reason, assigned: 0, pooled: 0 };
      if (d.kind === 'pool') f.pooled += 1;
      else f.assigned += 1;
      fallbacks.set(reason, f);
    }
  }

  const overall = shareTable(decisions, listed);
  const rules = new Map<string, { ruleName: string | null; decisions: DecisionFact[] }>();
  for (const d of decisions) {
    if (d.ruleId === null) continue;
    const r = rules.get(d.ruleId) ?? { ruleName: d.ruleName, decisions: [] };
    r.ruleName ??= d.ruleName;
    r.decisions.push(d);
    rules.set(d.ruleId, r);
  }
  const byRule = [...rules].map(([ruleId, r]) => {
    const table = shareTable(r.decisions, listed);
    return {
      ruleId,
      ruleName: r.ruleName,
      decisions: r.decisions.length,
      fairShareDecisions: table.fairShareDecisions,
      managers: labelManagers(rc, table.rows.map(shareRowView)),
    };
  });
  byRule.sort((a, b) => b.decisions - a.decisions || a.ruleId.localeCompare(b.ruleId));

  return {
    ...reportHeader(rc),
    totals,
    byManager: labelManagers(rc, overall.rows.map(shareRowView)),
    byRule,
    fallbacks: [...fallbacks.values()].map((f) => ({ ...f, total: f.assigned + f.pooled })).sort((a, b) => b.total - a.total || a.reason.localeCompare(b.reason)),
    pooledReasons: [...pooled].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    series,
    load: await loadOverTime(ctx, rc),
  };
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
    // A bucket that has not begun yet has no load.
    if (b.startMs > rc.now) return { bucket: b.key, start: b.start, end: b.end, at: b.end, managers: [] };
    const at = Math.min(b.endMs, rc.now) - 1;
    const open = new Map<string, number>();
    for (const [id, n] of current) if (inScope(id)) open.set(id, n);
    for (const h of history) {
      if (h.ownerNow !== null && inScope(h.ownerNow)) open.set(h.ownerNow, (open.get(h.ownerNow) ?? 0) - 1);
      if (h.createdMs > at || (h.closedMs !== null && h.closedMs <= at)) continue;
      const owner = ownerAt(h.changes, at);
      if (owner !== null && inScope(owner)) open.set(owner, (open.get(owner) ?? 0) + 1);
    }
    const ids = rc.listed === null ? [...open].filter(([, n]) => n > 0).map(([id]) => id) : [...rc.listed];
    const rows = ids
      .map((managerId) => {
        const maxOpen = rc.managers.get(managerId)?.maxOpen ?? null;
        const openLeads = open.get(managerId) ?? 0;
        return { managerId: managerId as string | null, openLeads, maxOpen, loadRatio: maxOpen ? round(openLeads / maxOpen) : null };
      })
      .sort((x, y) => y.openLeads - x.openLeads || String(x.managerId).localeCompare(String(y.managerId)));
    return { bucket: b.key, start: b.start, end: b.end, at: new Date(at + 1).toISOString(), managers: labelManagers(rc, rows) };
  });
}
