import { countExclusions, exclusionPhrase } from './explain-exclusion.js';
import { tierName } from './priority.js';
import type { GroupStrategy } from './rule-set.js';
import type { DecisionTrace, ExcludedManager, Exclusion, PeriodNote } from './trace.js';

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

const STRATEGY_WORDS: Record<GroupStrategy, string> = {
  round_robin: 'round robin',
  weighted: 'weighted round robin',
  performance: 'performance-weighted round robin',
  least_loaded: 'least load',
};

const VIA_WORDS: Record<string, string> = {
  contact: 'by contact',
  company: 'by company',
  parent_company: 'by parent company',
  open_lead: 'by an open lead',
};

/**
 * One plain sentence for the head of sales, e.g. `Rule "Moscow enterprise" matched; 3 of 5
 * managers could take it (2 off hours); Anna Petrova was next by weighted round robin (share 40%).`
 */
export function summarizeDecision(
  ownership: OwnershipFacts | undefined,
  missed: readonly MissedRule[],
  result: SummaryResult,
): string {
  // Parts start in lower case and the first one is asked for a capital: upper-casing the
  // first letter of a built sentence would flatten the whole string once per decision.
  let sentence = ownership === undefined ? '' : ownershipPart(ownership);
  for (const rule of missed) sentence = joinPart(sentence, missedPart(rule, sentence === ''));
  sentence = joinPart(sentence, resultPart(result, missed.length > 0, sentence === ''));
  return `${sentence}.`;
}

function joinPart(sentence: string, part: string): string {
  if (part === '') return sentence;
  return sentence === '' ? part : `${sentence}; ${part}`;
}

function ruleWord(first: boolean): string {
  return first ? 'Rule' : 'rule';
}

function ownershipPart({ ownerName, via, outcome, reason }: OwnershipFacts): string {
  const linked = `Returning client (linked ${VIA_WORDS[via] ?? via})`;
  const why = reason === undefined ? '' : exclusionPhrase(reason);
  if (ownerName === null) return `${linked}, but its recorded owner is no longer a manager, so the rules decided`;
  switch (outcome) {
    case 'assigned':
      return `${linked}: assigned to its owner ${ownerName}`;
    case 'owner_unavailable_wait':
      return `${linked}: kept with its owner ${ownerName}, who is ${why}, as the rules wait for the owner`;
    case 'owner_unavailable_pool':
      return `${linked}: its owner ${ownerName} is ${why}, so it went to the pool`;
    case 'owner_unavailable_next_rule':
      return `${linked}, but its owner ${ownerName} is ${why}, so the rules decided`;
  }
}

function missedPart({ ruleName, memberCount, excluded }: MissedRule, first: boolean): string {
  const reasons = countExclusions(excluded);
  const who = memberCount === 1 ? 'its only manager' : `none of its ${memberCount} managers`;
  return `${ruleWord(first)} "${ruleName}" matched but ${who} could take it${reasons === '' ? '' : ` (${reasons})`}`;
}

function resultPart(result: SummaryResult, afterMiss: boolean, first: boolean): string {
  switch (result.kind) {
    case 'owner':
      return '';
    case 'registered':
      return `${first ? 'Registered' : 'registered'} by the manager ${result.managerName}, who keeps it as owner`;
    case 'group': {
      const reasons = countExclusions(result.excluded);
      const who =
        result.candidateCount === result.memberCount
          ? result.memberCount === 1
            ? 'its one manager could take it'
            : `all ${result.memberCount} managers could take it`
          : `${result.candidateCount} of ${result.memberCount} managers could take it${reasons === '' ? '' : ` (${reasons})`}`;
      const tier = result.tier === undefined ? '' : tierPart(result.tier);
      return `${ruleWord(first)} "${result.ruleName}" matched; ${tier}${who}; ${winnerPart(result)}`;
    }
    case 'person':
      return `${ruleWord(first)} "${result.ruleName}" matched; sent to ${result.managerName} to distribute by hand`;
    case 'rule_pool':
      return `${ruleWord(first)} "${result.ruleName}" matched; it sends leads to the pool`;
    case 'fallback': {
      const destination =
        result.managerName !== null
          ? `the default manager ${result.managerName}`
          : result.managerMissing
            ? 'the pool (the default manager no longer exists)'
            : 'the pool';
      const opening =
        result.reason === 'no_rule_matched'
          ? 'no rule matched, so it went to'
          : result.reason === 'rule_requested'
            ? 'so the rule sent it to the fallback,'
            : afterMiss
              ? 'no later rule could place it, so it went to'
              : 'no rule could place it, so it went to';
      return `${first ? capitalize(opening) : opening} ${destination}`;
    }
  }
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function winnerPart(result: Extract<SummaryResult, { kind: 'group' }>): string {
  if (result.candidateCount === 1) return `${result.winnerName} was the only one available`;
  if (result.strategy === 'least_loaded') {
    const load = result.maxOpen === null ? `${result.open} open leads` : `${result.open} of ${result.maxOpen} open leads`;
    return `${result.winnerName} had the lightest load (${load})`;
  }
  const notes = [`share ${percent(result.share)}`];
  if (result.period !== undefined) notes.push(periodPart(result.period));
  if (result.tiedWith > 0) {
    const level = result.tiedWith === 1 ? 'level with 1 other' : `level with ${result.tiedWith} others`;
    notes.push(`${level}, so the least recently assigned`);
  }
  return `${result.winnerName} was next by ${STRATEGY_WORDS[result.strategy]} (${notes.join('; ')})`;
}

function tierLabel(tier: number, name: string | undefined): string {
  return name === undefined ? `tier ${tier}` : `tier ${tier} (${name})`;
}

/** E.g. `tier 1 (high) could not take it (2 off hours, 1 at daily cap); in tier 2 (normal), `. */
function tierPart(tier: TierFacts): string {
  let part = '';
  for (const level of tier.above) {
    const reasons = countExclusions(level.excluded);
    part += `${tierLabel(level.tier, tierName(level.tier) ?? undefined)} could not take it${reasons === '' ? '' : ` (${reasons})`}; `;
  }
  return `${part}in ${tierLabel(tier.tier, tier.name)}, `;
}

const PERIOD_WORDS: Record<PeriodNote['period'], string> = { day: 'day', week: 'week', month: 'month' };

function periodPart(period: PeriodNote): string {
  const count = period.assignedBefore === 0 ? 'first lead' : `lead ${period.assignedBefore + 1}`;
  return `${count} of the ${PERIOD_WORDS[period.period]} ${period.key}, ${period.timeZone}`;
}

function percent(share: number): string {
  const value = share * 100;
  return `${value >= 1 || value === 0 ? Math.round(value) : value.toFixed(1)}%`;
}
