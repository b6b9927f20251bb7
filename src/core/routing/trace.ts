import type { ManagerId, RuleId } from '../ids.js';
import type { GroupStrategy } from './rule-set.js';

/** Why a manager was not a candidate. */
export type Exclusion =
  | { kind: 'paused' }
  | { kind: 'absent'; until: string }
  | { kind: 'off_hours'; timeZone: string; localTime: string }
  | { kind: 'open_cap'; open: number; max: number }
  | { kind: 'daily_cap'; today: number; max: number }
  | { kind: 'missing_skill'; skill: string }
  | { kind: 'profile_mismatch'; attribute: string; value: string }
  | { kind: 'dropped_before' }
  | { kind: 'unknown_manager' };

export interface ExcludedManager {
  managerId: ManagerId;
  reason: Exclusion;
}

/**
 * A group whose members sit in more than one priority tier: the tier that took part in the
 * strategy, and why each tier above it could not take the lead.
 */
export interface TierStep {
  /** The tier whose candidates the strategy chose among (1 is tried first). */
  tier: number;
  /** high / normal / low for tiers 1–3, else absent. */
  name?: 'high' | 'normal' | 'low';
  /** Each higher tier with members, every one of them filtered out (their reasons). */
  above: Array<{ tier: number; excluded: ExcludedManager[] }>;
  /** Candidates of lower tiers who passed the filters but waited, as a higher tier had room. */
  waiting: ManagerId[];
}

export interface RuleStep {
  ruleId: RuleId;
  ruleName: string;
  matched: boolean;
  /** Present when the rule matched and had a group target. */
  candidates?: ManagerId[];
  excluded?: ExcludedManager[];
  /** Present when the group's members span more than one priority tier and someone could take the lead. */
  tier?: TierStep;
  outcome?: 'assigned' | 'pool' | 'no_candidate';
}

/** Strategy state that chose the winner, enough to explain "why this one". */
/** The rule's fair-share count runs per day, week or month: this decision's period. */
export interface PeriodNote {
  period: 'day' | 'week' | 'month';
  /** day: 2026-12-07, week: 2026-W50, month: 2026-12. */
  key: string;
  timeZone: string;
  /** Leads the winner had received by this rule in the period before this one. */
  assignedBefore: number;
}

/** Candidates stood level for the lead: the least recently assigned of them won. */
export interface TieBreak {
  rule: 'least_recently_assigned';
  /** The others who stood level with the winner. */
  tiedWith: ManagerId[];
}

export type WinnerExplanation =
  | {
      strategy: 'round_robin' | 'weighted' | 'performance';
      share: number;
      creditBefore: number;
      shares: Record<string, number>;
      period?: PeriodNote;
      tieBreak?: TieBreak;
    }
  | { strategy: 'least_loaded'; loadRatio: number; loads: Record<string, number> };

export interface DecisionTrace {
  ruleSetVersion: number;
  at: string;
  ownership?: {
    ownerId: ManagerId;
    via: string;
    outcome: 'assigned' | 'owner_unavailable_wait' | 'owner_unavailable_next_rule' | 'owner_unavailable_pool';
    reason?: Exclusion;
  };
  /** The lead was registered by a manager: kept with them, or sent through the rules by the team's setting. */
  registration?: { managerId: ManagerId; outcome: 'kept' | 'routed' };
  steps: RuleStep[];
  winner?: { managerId: ManagerId; ruleId?: RuleId; explanation?: WinnerExplanation };
  fallback?: { reason: 'no_rule_matched' | 'no_candidate' | 'rule_requested'; target: 'pool' | 'manager' };
  /** One sentence for a person: why this lead went where it went (English; kept for API compatibility). */
  summary: string;
  /** What the summary is told from, so each reader gets it in their own language (absent on older decisions). */
  facts?: SummaryFacts;
}

/** How many managers were left out, by reason. */
export type ExclusionCounts = Partial<Record<Exclusion['kind'], number>>;

/** The facts of a decision's one-sentence summary, without words: src/core/i18n tells them in the reader's language. */
export interface SummaryFacts {
  /** A returning client: who owns it and what became of that. */
  ownership?: { ownerName: string | null; via: string; outcome: NonNullable<DecisionTrace['ownership']>['outcome']; reason?: Exclusion };
  /** Rules that matched but whose managers were all filtered out, in order. */
  missed?: Array<{ ruleName: string; memberCount: number; excluded: ExclusionCounts }>;
  result: ResultFacts;
}

export type ResultFacts =
  | { kind: 'owner' }
  | { kind: 'registered'; managerName: string }
  | {
      kind: 'group';
      ruleName: string;
      memberCount: number;
      candidateCount: number;
      excluded: ExclusionCounts;
      /** A tiered group: the deciding tier, and each tier above it with why none of it could take the lead. */
      tier?: { tier: number; name?: 'high' | 'normal' | 'low'; above: Array<{ tier: number; excluded: ExclusionCounts }> };
      period?: PeriodNote;
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
  | { kind: 'fallback'; reason: NonNullable<DecisionTrace['fallback']>['reason']; managerName: string | null; managerMissing: boolean };

export type DecisionVia = 'registered' | 'ownership' | 'rule' | 'fallback';

export type Decision =
  | { outcome: 'assigned'; managerId: ManagerId; via: DecisionVia; ruleId: RuleId | null; strategy: GroupStrategy | 'person' | 'owner' | 'registered' | 'fallback'; trace: DecisionTrace }
  | { outcome: 'pool'; via: DecisionVia; ruleId: RuleId | null; trace: DecisionTrace };
