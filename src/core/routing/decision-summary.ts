import { decisionText } from '../i18n/decision-text.js';
import type { GroupStrategy } from './rule-set.js';
import type { DecisionTrace, ExcludedManager, Exclusion, ExclusionCounts, PeriodNote, ResultFacts, SummaryFacts } from './trace.js';

/** A tiered group's decision: the tier that took part and the tiers above it, all filtered out. */
export interface TierFacts {
  tier: number;
  name?: 'high' | 'normal' | 'low';
  above: ReadonlyArray<{ tier: number; excluded: readonly ExcludedManager[] }>;
}

/** A matched rule whose managers were all filtered out. */
export interface MissedRule {
  ruleName: string;
  memberCount: number;
  excluded: readonly ExcludedManager[];
}

export type OwnershipFacts = {
  ownerName: string | null;
  via: string;
  outcome: NonNullable<DecisionTrace['ownership']>['outcome'];
  reason?: Exclusion | undefined;
};

export type SummaryResult =
  | { kind: 'owner' }
  | { kind: 'registered'; managerName: string }
  | {
      kind: 'group';
      ruleName: string;
      memberCount: number;
      candidateCount: number;
      excluded: readonly ExcludedManager[];
      /** In a tiered group: memberCount, candidateCount and excluded are the deciding tier's. */
      tier?: TierFacts | undefined;
      period?: PeriodNote | undefined;
      /** How many stood level with the winner (the least recently assigned won); 0 without a tie. */
      tiedWith: number;
      winnerName: string;
      strategy: GroupStrategy;
      share: number;
      open: number;
      maxOpen: number | null;
    }
  | { kind: 'person'; ruleName: string; managerName: string }
  | { kind: 'rule_pool'; ruleName: string }
  | {
      kind: 'fallback';
      reason: NonNullable<DecisionTrace['fallback']>['reason'];
      /** null when the fallback is the pool. */
      managerName: string | null;
      managerMissing: boolean;
    };

/**
 * One plain sentence for the head of sales, e.g. `Rule "Moscow enterprise" matched; 3 of 5
 * managers could take it (2 off hours); Anna Petrova was next by weighted round robin (share 40%).`
 * Told by the English catalogue from the same facts every other language is told from.
 */
export function summarizeDecision(ownership: OwnershipFacts | undefined, missed: readonly MissedRule[], result: SummaryResult): string {
  return decisionText(summaryFacts(ownership, missed, result), 'en');
}

/** The summary's facts with each list of left-out managers reduced to counts by reason: what the trace keeps for other languages. */
export function summaryFacts(ownership: OwnershipFacts | undefined, missed: readonly MissedRule[], result: SummaryResult): SummaryFacts {
  const facts: SummaryFacts = { result: resultFacts(result) };
  if (ownership !== undefined) {
    facts.ownership = { ownerName: ownership.ownerName, via: ownership.via, outcome: ownership.outcome };
    if (ownership.reason !== undefined) facts.ownership.reason = ownership.reason;
  }
  if (missed.length > 0) facts.missed = missed.map((m) => ({ ruleName: m.ruleName, memberCount: m.memberCount, excluded: exclusionCounts(m.excluded) }));
  return facts;
}

function resultFacts(result: SummaryResult): ResultFacts {
  if (result.kind !== 'group') return result;
  const { excluded, tier, period, ...rest } = result;
  const facts: ResultFacts = { ...rest, excluded: exclusionCounts(excluded) };
  if (period !== undefined) facts.period = period;
  if (tier !== undefined) {
    facts.tier = { tier: tier.tier, above: tier.above.map((a) => ({ tier: a.tier, excluded: exclusionCounts(a.excluded) })) };
    if (tier.name !== undefined) facts.tier.name = tier.name;
  }
  return facts;
}

export function exclusionCounts(excluded: readonly ExcludedManager[]): ExclusionCounts {
  const counts: ExclusionCounts = {};
  for (const { reason } of excluded) counts[reason.kind] = (counts[reason.kind] ?? 0) + 1;
  return counts;
}
