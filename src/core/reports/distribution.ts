/**
 * Distribution against target shares, from stored routing decisions. Pure: decisions in,
 * figures out. A fair-share decision (a group rule's strategy picked the winner) gives every
 * candidate available at that moment its target share of that one lead — the share recorded in
 * the trace (weight ÷ the weights of those available; performance shares for performance
 * groups; an equal share for least-loaded groups). A manager's expected leads are the sum of
 * those shares; the deviation is actual − expected, in leads and in percentage points of the
 * decisions considered.
 */
export type DecisionKind = 'fair_share' | 'person' | 'ownership' | 'fallback' | 'pool';

export interface DecisionFact {
  at: number;
  kind: DecisionKind;
  /** The winner; null for a pooled lead. */
  managerId: string | null;
  ruleId: string | null;
  ruleName: string | null;
  /** Target shares of the candidates available at the decision (fair-share decisions only). */
  shares: Record<string, number> | null;
  /** Why a lead fell back or went to the pool: no_rule_matched, no_candidate, rule_requested, rule_target_pool, owner_unavailable. */
  reason: string | null;
}

interface TraceLike {
  ownership?: { outcome?: string };
  steps?: Array<{ ruleId?: string; ruleName?: string; outcome?: string; candidates?: string[] }>;
  winner?: { managerId?: string; ruleId?: string; explanation?: { strategy?: string; shares?: Record<string, number>; loads?: Record<string, number> } };
  fallback?: { reason?: string; target?: string };
}

/** Intake's hold of a lead for a qualifier (a pool row without a routing trace): not a decision. */
export function isQualificationHold(row: { via: string; trace: unknown }): boolean {
  if (row.via !== 'qualification') return false;
  const steps = (row.trace as TraceLike | null)?.steps;
  return !Array.isArray(steps);
}

/** Reads a stored decision (its assignment row and trace) as a fact for the report. */
export function decisionFactOf(row: { outcome: string; managerId: string | null; ruleId: string | null; createdAt: string }, rawTrace: unknown): DecisionFact {
  const trace = (rawTrace ?? {}) as TraceLike;
  const at = Date.parse(row.createdAt);
  const ruleStep = trace.steps?.find((s) => s.ruleId !== undefined && s.ruleId === (row.ruleId ?? trace.winner?.ruleId));
  const ruleId = row.ruleId ?? trace.winner?.ruleId ?? null;
  const base = { at, ruleId, ruleName: ruleStep?.ruleName ?? null };
  if (row.outcome !== 'assigned' || row.managerId === null) {
    let reason: string;
    if (trace.fallback?.reason) reason = trace.fallback.reason;
    else if (trace.ownership?.outcome === 'owner_unavailable_pool') reason = 'owner_unavailable';
    else reason = 'rule_target_pool';
    return { ...base, kind: 'pool', managerId: null, shares: null, reason };
  }
  if (trace.ownership?.outcome === 'assigned') return { ...base, kind: 'ownership', managerId: row.managerId, shares: null, reason: null };
  if (trace.fallback) return { ...base, kind: 'fallback', managerId: row.managerId, shares: null, reason: trace.fallback.reason ?? 'no_candidate' };
  const explanation = trace.winner?.explanation;
  if (explanation?.shares) return { ...base, kind: 'fair_share', managerId: row.managerId, shares: explanation.shares, reason: null };
  if (explanation?.loads) {
    const ids = Object.keys(explanation.loads);
    return { ...base, kind: 'fair_share', managerId: row.managerId, shares: Object.fromEntries(ids.map((id) => [id, 1 / ids.length])), reason: null };
  }
  return { ...base, kind: 'person', managerId: row.managerId, shares: null, reason: null };
}

export interface ShareRow {
  managerId: string;
  /** Every lead routing gave this manager (any kind of decision). */
  assigned: number;
  /** Leads won in fair-share decisions. */
  fairShareLeads: number;
  /** Σ of the target shares over the fair-share decisions considered. */
  expectedLeads: number;
  actualShare: number | null;
  targetShare: number | null;
  deviationLeads: number;
  deviationPp: number | null;
}

export interface ShareTable {
  fairShareDecisions: number;
  rows: ShareRow[];
}

/**
 * Shares over a set of decisions for the managers `listed` (null: everyone who had a share or a
 * lead). A fair-share decision is considered when a listed manager was a candidate or won it.
 */
export function shareTable(decisions: readonly DecisionFact[], listed: ReadonlySet<string> | null): ShareTable {
  const rows = new Map<string, ShareRow>();
  const row = (id: string): ShareRow => {
    let r = rows.get(id);
    if (!r) {
      r = { managerId: id, assigned: 0, fairShareLeads: 0, expectedLeads: 0, actualShare: null, targetShare: null, deviationLeads: 0, deviationPp: null };
      rows.set(id, r);
    }
    return r;
  };
  const isListed = (id: string | null): id is string => id !== null && (listed === null || listed.has(id));
  let considered = 0;
  for (const d of decisions) {
    if (d.kind !== 'fair_share') {
      if (isListed(d.managerId)) row(d.managerId).assigned += 1;
      continue;
    }
    const shares = d.shares ?? {};
    const relevant = isListed(d.managerId) || Object.keys(shares).some((id) => isListed(id));
    if (!relevant) continue;
    considered += 1;
    for (const [id, share] of Object.entries(shares)) if (isListed(id)) row(id).expectedLeads += share;
    if (isListed(d.managerId)) {
      const r = row(d.managerId);
      r.assigned += 1;
      r.fairShareLeads += 1;
    }
  }
  for (const r of rows.values()) {
    r.deviationLeads = r.fairShareLeads - r.expectedLeads;
    if (considered > 0) {
      r.actualShare = r.fairShareLeads / considered;
      r.targetShare = r.expectedLeads / considered;
      r.deviationPp = (r.actualShare - r.targetShare) * 100;
    }
  }
  return { fairShareDecisions: considered, rows: [...rows.values()].sort((a, b) => b.assigned - a.assigned || a.managerId.localeCompare(b.managerId)) };
}
