import type { RuleId } from '../ids.js';
import type { RuleSetDefinition } from '../routing/rule-set.js';

/**
 * The rules a breached lead is routed by again: only the rule that placed it (its group or
 * dispatcher, whatever its conditions say now), or, when no rule did or that rule is gone or
 * disabled, every rule. Never ownership (the owner just let it lapse) and never the named
 * fallback: when nobody new can take the lead it escalates instead, so the fallback is the pool.
 */
export function reassignmentRuleSet(ruleSet: RuleSetDefinition, ruleId: string | null): RuleSetDefinition {
  const ownership = { enabled: false, whenOwnerUnavailable: 'next_rule' as const };
  const fallback = { kind: 'pool' as const };
  const rule = ruleId === null ? undefined : ruleSet.rules.find((r) => r.id === (ruleId as RuleId) && r.enabled !== false);
  if (!rule) return { ownership, rules: ruleSet.rules, fallback };
  return { ownership, rules: [{ id: rule.id, name: rule.name, target: rule.target, onNoCandidate: 'fallback' }], fallback };
}
