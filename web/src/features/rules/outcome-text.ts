import type { TFunction } from 'i18next';
import { strategyLabel } from './describe-rules';
import type { RuleSetComparison } from './rules-api';

type Outcome = RuleSetComparison['changed']['items'][number]['before'];

/** One decision of a trial run in a line: who, by which rule and how — in the reader's language. */
export function outcomeText(t: TFunction, outcome: Outcome, ruleName: (id: string) => string): string {
  const reason = outcome.fallbackReason ? t(`rules.outcome.reason.${outcome.fallbackReason}` as 'rules.outcome.reason.no_rule_matched', { defaultValue: outcome.fallbackReason }) : null;
  const withReason = (text: string) => (reason ? `${text} (${reason})` : text);
  if (outcome.outcome === 'pool') {
    return outcome.via === 'rule' && outcome.ruleId ? t('rules.outcome.poolRule', { rule: ruleName(outcome.ruleId) }) : withReason(t('rules.outcome.pool'));
  }
  const manager = outcome.managerName ?? outcome.managerId ?? '';
  if (outcome.via === 'ownership') return t('rules.outcome.ownership', { manager });
  if (outcome.via === 'fallback') return withReason(t('rules.outcome.fallback', { manager }));
  return t('rules.outcome.rule', { manager, rule: outcome.ruleId ? ruleName(outcome.ruleId) : '', strategy: strategyLabel(t, outcome.strategy) });
}
