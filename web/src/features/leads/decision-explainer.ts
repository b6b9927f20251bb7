import type { TFunction } from 'i18next';
import type { DecisionTrace, Exclusion, WinnerExplanation } from '@core/routing/trace.js';
import type { Decision } from '@/api/types';

/** A decision as sentences a manager reads: "why me", the rule, who else was considered. */
export interface ExplainedDecision {
  headline: string;
  ownership: string | null;
  steps: ExplainedStep[];
  winner: string | null;
  fallback: string | null;
}

export interface ExplainedStep {
  ruleName: string;
  matched: boolean;
  outcome: string;
  candidates: Array<{ managerId: string; name: string; won: boolean; share: number | null }>;
  excluded: Array<{ managerId: string; name: string; reason: string }>;
}

type Names = (managerId: string) => string;
/** Formats a local date (YYYY-MM-DD) for the reader; the trace keeps dates as ISO text. */
type Dates = (isoDate: string) => string;
const asIs: Dates = (d) => d;

/** Why one manager was left out, in the reader's language. */
export function explainExclusion(t: TFunction, exclusion: Exclusion, dates: Dates = asIs): string {
  switch (exclusion.kind) {
    case 'paused':
      return t('decision.exclusion.paused');
    case 'absent':
      return t('decision.exclusion.absent', { until: dates(exclusion.until) });
    case 'off_hours':
      return t('decision.exclusion.offHours', { localTime: exclusion.localTime, timeZone: exclusion.timeZone });
    case 'open_cap':
      return t('decision.exclusion.openCap', { count: exclusion.open, max: exclusion.max });
    case 'daily_cap':
      return t('decision.exclusion.dailyCap', { count: exclusion.today, max: exclusion.max });
    case 'missing_skill':
      return t('decision.exclusion.missingSkill', { skill: exclusion.skill });
    case 'profile_mismatch':
      return t('decision.exclusion.profileMismatch', { attribute: t(`decision.attribute.${attributeKey(exclusion.attribute)}`), value: exclusion.value });
    case 'dropped_before':
      return t('decision.exclusion.droppedBefore');
    case 'unknown_manager':
      return t('decision.exclusion.unknownManager');
  }
}

function attributeKey(attribute: string): 'region' | 'language' | 'industry' | 'skill' | 'other' {
  return attribute === 'region' || attribute === 'language' || attribute === 'industry' || attribute === 'skill' ? attribute : 'other';
}

/** Why the winner won, from the strategy state the trace kept. */
export function explainWinner(t: TFunction, explanation: WinnerExplanation | undefined, strategy: string | null): string {
  if (!explanation) {
    if (strategy === 'person') return t('decision.winner.person');
    if (strategy === 'owner') return t('decision.winner.owner');
    if (strategy === 'fallback') return t('decision.winner.fallback');
    return t('decision.winner.only');
  }
  switch (explanation.strategy) {
    case 'round_robin':
      return t('decision.winner.roundRobin', { share: percent(explanation.share) });
    case 'weighted':
      return t('decision.winner.weighted', { share: percent(explanation.share), credit: explanation.creditBefore.toFixed(2) });
    case 'performance':
      return t('decision.winner.performance', { share: percent(explanation.share), credit: explanation.creditBefore.toFixed(2) });
    case 'least_loaded':
      return t('decision.winner.leastLoaded', { load: percent(explanation.loadRatio) });
  }
}

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

export function strategyLabel(t: TFunction, strategy: string | null): string {
  switch (strategy) {
    case 'round_robin':
      return t('decision.strategy.roundRobin');
    case 'weighted':
      return t('decision.strategy.weighted');
    case 'least_loaded':
      return t('decision.strategy.leastLoaded');
    case 'performance':
      return t('decision.strategy.performance');
    case 'person':
      return t('decision.strategy.person');
    case 'registered':
      return t('originator.decision.strategy');
    case 'owner':
      return t('decision.strategy.owner');
    case 'fallback':
      return t('decision.strategy.fallback');
    default:
      return t('decision.strategy.none');
  }
}

function explainOwnership(t: TFunction, ownership: NonNullable<DecisionTrace['ownership']>, names: Names, dates: Dates): string {
  const owner = names(ownership.ownerId);
  const reason = ownership.reason ? explainExclusion(t, ownership.reason, dates) : '';
  switch (ownership.outcome) {
    case 'assigned':
      return t('decision.ownership.assigned', { owner });
    case 'owner_unavailable_wait':
      return t('decision.ownership.wait', { owner, reason });
    case 'owner_unavailable_next_rule':
      return t('decision.ownership.nextRule', { owner, reason });
    case 'owner_unavailable_pool':
      return t('decision.ownership.pool', { owner, reason });
  }
}

function explainFallback(t: TFunction, fallback: NonNullable<DecisionTrace['fallback']>): string {
  const where = fallback.target === 'pool' ? t('decision.fallback.toPool') : t('decision.fallback.toManager');
  switch (fallback.reason) {
    case 'no_rule_matched':
      return t('decision.fallback.noRuleMatched', { where });
    case 'no_candidate':
      return t('decision.fallback.noCandidate', { where });
    case 'rule_requested':
      return t('decision.fallback.ruleRequested', { where });
  }
}

function stepOutcome(t: TFunction, matched: boolean, outcome: string | undefined): string {
  if (!matched) return t('decision.step.notMatched');
  if (outcome === 'assigned') return t('decision.step.assigned');
  if (outcome === 'pool') return t('decision.step.pool');
  if (outcome === 'no_candidate') return t('decision.step.noCandidate');
  return t('decision.step.matched');
}

/** The whole decision for the lead card; `names` turns manager ids into names. */
export function explainDecision(t: TFunction, decision: Decision, names: Names, dates: Dates = asIs): ExplainedDecision {
  const trace = decision.trace as unknown as DecisionTrace;
  const winnerId = trace.winner?.managerId ?? null;
  const shares = trace.winner?.explanation && 'shares' in trace.winner.explanation ? trace.winner.explanation.shares : {};
  const steps: ExplainedStep[] = (trace.steps ?? []).map((step) => ({
    ruleName: step.ruleName || step.ruleId,
    matched: step.matched,
    outcome: stepOutcome(t, step.matched, step.outcome),
    candidates: (step.candidates ?? []).map((id) => ({ managerId: id, name: names(id), won: id === winnerId && step.outcome === 'assigned', share: shares[id] ?? null })),
    excluded: (step.excluded ?? []).map((e) => ({ managerId: e.managerId, name: names(e.managerId), reason: explainExclusion(t, e.reason, dates) })),
  }));
  const decisive = (trace.steps ?? []).find((s) => s.matched && (s.outcome === 'assigned' || s.outcome === 'pool'));
  const ruleName = decisive ? decisive.ruleName || decisive.ruleId : (decision.ruleId ?? '');
  let headline: string;
  // The hold before qualification has no steps; the routing after it is stored with via 'qualification' too.
  if (decision.via === 'qualification' && !winnerId && (trace.steps ?? []).length === 0) headline = t('decision.headline.qualification');
  else if (decision.via === 'qualification') headline = winnerId ? t('decision.headline.qualifiedAssigned', { manager: names(winnerId) }) : t('decision.headline.qualifiedPool');
  else if (decision.outcome === 'pool') headline = decision.via === 'fallback' ? t('decision.headline.poolFallback') : t('decision.headline.poolRule', { rule: ruleName });
  else if (decision.via === 'registered') headline = t('originator.decision.registered', { manager: winnerId ? names(winnerId) : '' });
  else if (decision.via === 'ownership') headline = t('decision.headline.ownership', { owner: winnerId ? names(winnerId) : '' });
  else if (decision.via === 'fallback') headline = t('decision.headline.fallback', { manager: winnerId ? names(winnerId) : '' });
  else headline = t('decision.headline.rule', { manager: winnerId ? names(winnerId) : '', rule: ruleName, strategy: strategyLabel(t, decision.strategy) });
  return {
    headline,
    // A lead a manager registered and the team routed: said where the returning-client line would be.
    ownership: trace.ownership
      ? explainOwnership(t, trace.ownership, names, dates)
      : trace.registration?.outcome === 'routed'
        ? t('originator.decision.registeredRouted', { manager: names(trace.registration.managerId) })
        : null,
    steps,
    // A lead kept by the manager who registered it had no candidates: the headline says it all.
    winner: winnerId && decision.via !== 'registered' ? explainWinner(t, trace.winner?.explanation, decision.strategy) : null,
    fallback: trace.fallback ? explainFallback(t, trace.fallback) : null,
  };
}
