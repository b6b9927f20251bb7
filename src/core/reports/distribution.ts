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
  const tallied = decisions.map((d) => {
    const tally = emptyDistributionTally();
    tallyDecision(tally, d);
    return { managerId: d.managerId, candidates: d.kind === 'fair_share' ? Object.keys(d.shares ?? {}).sort() : [], tally };
  });
  return shareTableOfGroups(groupDecisions(tallied), listed);
}

/** Decisions (or sums of them) summed per winner and set of candidates. */
export function groupDecisions(items: Iterable<DecisionGroup>): DecisionGroup[] {
  const groups = new Map<string, DecisionGroup>();
  for (const item of items) {
    const key = JSON.stringify([item.managerId, item.candidates]);
    let g = groups.get(key);
    if (!g) {
      g = { managerId: item.managerId, candidates: item.candidates, tally: emptyDistributionTally() };
      groups.set(key, g);
    }
    mergeDistributionTally(g.tally, item.tally);
  }
  return [...groups.values()];
}

/** Target shares are summed in billionths, as integers, so subtracting a decision again leaves nothing behind. */
export const SHARE_UNIT = 1e9;

/**
 * What a set of decisions adds up to, in a form that sums (rollups keep one per day, winner,
 * rule, source and set of candidates): counts per kind, the reasons of pooled leads and of
 * fallbacks, and each candidate's Σ target share.
 */
export interface DistributionTally {
  decisions: number;
  fairShare: number;
  person: number;
  ownership: number;
  fallback: number;
  pool: number;
  pooledReasons: Map<string, number>;
  fallbackAssigned: Map<string, number>;
  fallbackPooled: Map<string, number>;
  /** Candidate → Σ share × SHARE_UNIT. */
  shares: Map<string, number>;
  /**
   * The candidates of fair-share decisions that share this tally (sorted), when it sums one set
   * of them: rollup rows are keyed by a digest of the set, which stays short however many.
   */
  candidates: string[];
}

export function emptyDistributionTally(): DistributionTally {
  return { decisions: 0, fairShare: 0, person: 0, ownership: 0, fallback: 0, pool: 0, pooledReasons: new Map(), fallbackAssigned: new Map(), fallbackPooled: new Map(), shares: new Map(), candidates: [] };
}

function bump(map: Map<string, number>, key: string, n: number): void {
  const next = (map.get(key) ?? 0) + n;
  if (next === 0) map.delete(key);
  else map.set(key, next);
}

const KIND_FIELD: Record<DecisionKind, 'fairShare' | 'person' | 'ownership' | 'fallback' | 'pool'> = { fair_share: 'fairShare', person: 'person', ownership: 'ownership', fallback: 'fallback', pool: 'pool' };

/** A fallback: the rules found nobody (assigned by the fallback, or pooled for a reason other than the rule's own target). */
export function fellBack(d: DecisionFact): boolean {
  return d.kind === 'fallback' || (d.kind === 'pool' && d.reason !== 'rule_target_pool' && d.reason !== 'owner_unavailable');
}

export function tallyDecision(t: DistributionTally, d: DecisionFact, sign = 1): void {
  t.decisions += sign;
  t[KIND_FIELD[d.kind]] += sign;
  const reason = d.reason ?? 'unknown';
  if (d.kind === 'pool') bump(t.pooledReasons, reason, sign);
  if (fellBack(d)) bump(d.kind === 'pool' ? t.fallbackPooled : t.fallbackAssigned, reason, sign);
  if (d.kind === 'fair_share') for (const [id, share] of Object.entries(d.shares ?? {})) bump(t.shares, id, sign * Math.round(share * SHARE_UNIT));
}

export function mergeDistributionTally(into: DistributionTally, from: DistributionTally, sign = 1): void {
  into.decisions += sign * from.decisions;
  into.fairShare += sign * from.fairShare;
  into.person += sign * from.person;
  into.ownership += sign * from.ownership;
  into.fallback += sign * from.fallback;
  into.pool += sign * from.pool;
  for (const [k, n] of from.pooledReasons) bump(into.pooledReasons, k, sign * n);
  for (const [k, n] of from.fallbackAssigned) bump(into.fallbackAssigned, k, sign * n);
  for (const [k, n] of from.fallbackPooled) bump(into.fallbackPooled, k, sign * n);
  for (const [k, n] of from.shares) bump(into.shares, k, sign * n);
  if (into.candidates.length === 0) into.candidates = from.candidates;
}

export function distributionTallyIsEmpty(t: DistributionTally): boolean {
  return t.decisions === 0 && t.fairShare === 0 && t.person === 0 && t.ownership === 0 && t.fallback === 0 && t.pool === 0 && t.pooledReasons.size + t.fallbackAssigned.size + t.fallbackPooled.size + t.shares.size === 0;
}

export function encodeDistributionTally(t: DistributionTally): unknown {
  return [t.decisions, t.fairShare, t.person, t.ownership, t.fallback, t.pool, [...t.pooledReasons], [...t.fallbackAssigned], [...t.fallbackPooled], [...t.shares], t.candidates];
}

export function decodeDistributionTally(v: unknown): DistributionTally {
  const a = v as [number, number, number, number, number, number, Array<[string, number]>, Array<[string, number]>, Array<[string, number]>, Array<[string, number]>, string[] | undefined];
  return { decisions: a[0], fairShare: a[1], person: a[2], ownership: a[3], fallback: a[4], pool: a[5], pooledReasons: new Map(a[6]), fallbackAssigned: new Map(a[7]), fallbackPooled: new Map(a[8]), shares: new Map(a[9]), candidates: a[10] ?? [] };
}

/** Decisions that share a winner and a set of candidates (empty for all but fair-share decisions). */
export interface DecisionGroup {
  managerId: string | null;
  /** The candidates with a share, sorted. */
  candidates: readonly string[];
  tally: DistributionTally;
}

/**
 * shareTable over groups of decisions: the same figures, summed per group. A fair-share group is
 * considered when a listed manager won its decisions or was among its candidates.
 */
export function shareTableOfGroups(groups: readonly DecisionGroup[], listed: ReadonlySet<string> | null): ShareTable {
  const rows = new Map<string, ShareRow & { expectedUnits: number }>();
  const row = (id: string) => {
    let r = rows.get(id);
    if (!r) {
      r = { managerId: id, assigned: 0, fairShareLeads: 0, expectedLeads: 0, expectedUnits: 0, actualShare: null, targetShare: null, deviationLeads: 0, deviationPp: null };
      rows.set(id, r);
    }
    return r;
  };
  const isListed = (id: string | null): id is string => id !== null && (listed === null || listed.has(id));
  let considered = 0;
  for (const g of groups) {
    const t = g.tally;
    const other = t.decisions - t.fairShare;
    if (other !== 0 && isListed(g.managerId)) row(g.managerId).assigned += other;
    if (t.fairShare === 0) continue;
    const relevant = isListed(g.managerId) || g.candidates.some((id) => isListed(id));
    if (!relevant) continue;
    considered += t.fairShare;
    for (const [id, units] of t.shares) if (isListed(id)) row(id).expectedUnits += units;
    if (isListed(g.managerId)) {
      const r = row(g.managerId);
      r.assigned += t.fairShare;
      r.fairShareLeads += t.fairShare;
    }
  }
  const out: ShareRow[] = [];
  for (const { expectedUnits, ...r } of rows.values()) {
    r.expectedLeads = expectedUnits / SHARE_UNIT;
    r.deviationLeads = r.fairShareLeads - r.expectedLeads;
    if (considered > 0) {
      r.actualShare = r.fairShareLeads / considered;
      r.targetShare = r.expectedLeads / considered;
      r.deviationPp = (r.actualShare - r.targetShare) * 100;
    }
    out.push(r);
  }
  return { fairShareDecisions: considered, rows: out.sort((a, b) => b.assigned - a.assigned || (a.managerId < b.managerId ? -1 : a.managerId > b.managerId ? 1 : 0)) };
}
