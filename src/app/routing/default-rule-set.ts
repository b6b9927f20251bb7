import type { RuleSetDefinition } from '../../core/routing/rule-set.js';

/** Until a rule set is published every lead goes to the pool, so nothing is lost on a fresh install. */
export const EMPTY_RULE_SET: RuleSetDefinition = {
  ownership: { enabled: true, whenOwnerUnavailable: 'next_rule' },
  rules: [],
  fallback: { kind: 'pool' },
};
