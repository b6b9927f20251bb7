import { type ConditionCompiler, type TableCondition, createConditionCompiler } from './conditions.js';
import type { Rule, RuleSetDefinition } from './rule-set.js';
import type { RuleStep } from './trace.js';

/** An enabled rule with its condition compiled. */
export interface CompiledRule {
  readonly rule: Rule;
  /** Position among the enabled rules; sessions keep per-rule state by it. */
  readonly position: number;
  readonly matches: TableCondition;
  /** The step of a rule that did not match is the same every time; shared, never mutated. */
  readonly unmatchedStep: RuleStep;
}

export interface CompiledRuleSet {
  readonly rules: readonly CompiledRule[];
  /** Fills the value table every compiled condition reads. */
  readonly conditions: ConditionCompiler;
}

const matchAll: TableCondition = () => true;

/**
 * Compiled rule sets by definition object. A batch of sessions over one rule set (a
 * simulation, a worker routing a queue) compiles it once; like a regex cache, it relies on
 * the definition not being mutated after it was first routed with.
 */
const cache = new WeakMap<RuleSetDefinition, CompiledRuleSet>();

export function compileRuleSet(ruleSet: RuleSetDefinition): CompiledRuleSet {
  let compiled = cache.get(ruleSet);
  if (compiled === undefined) {
    const conditions = createConditionCompiler();
    const rules = ruleSet.rules
      .filter((rule) => rule.enabled !== false)
      .map((rule, position): CompiledRule => ({
        rule,
        position,
        matches: rule.when === undefined ? matchAll : conditions.compile(rule.when),
        unmatchedStep: Object.freeze({ ruleId: rule.id, ruleName: rule.name, matched: false }),
      }));
    compiled = { rules, conditions };
    cache.set(ruleSet, compiled);
  }
  return compiled;
}
