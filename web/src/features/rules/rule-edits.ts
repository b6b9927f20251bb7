import {
  comparisonOf, fieldKindOf, isAll, newComparison, operatorsFor, valueForOperator, withoutKey,
  type Comparison, type Condition, type FairnessPeriod, type Fallback, type GroupTarget, type Operator, type Priority, type Rule, type Strategy, type Target,
} from './rule-model';

/**
 * Every change the builder makes to a rule set, as pure functions over the stored JSON. A
 * setting cleared in a form leaves the JSON (no `null`, no empty list), so undoing an edit gives
 * back exactly the text the JSON view showed before.
 */

const valueOf = (c: Comparison): unknown => (c as { value?: unknown }).value;

const RULE_KEYS = ['id', 'name', 'enabled', 'when', 'target', 'onNoCandidate'];
const GROUP_KEYS = ['kind', 'managers', 'teams', 'match', 'requiredSkills', 'strategy', 'weights', 'performance', 'priorities', 'fairnessPeriod'];

/**
 * The keys of an edited object in the order the documentation writes them, so a setting
 * removed and added again comes back where it was; keys the builder does not know keep their
 * place after these.
 */
function inOrder<T extends object>(object: T, order: readonly string[]): T {
  const entries = Object.entries(object);
  const rank = (key: string) => {
    const i = order.indexOf(key);
    return i < 0 ? order.length : i;
  };
  return Object.fromEntries(entries.map((e, i) => [e, i] as const).sort(([a, i], [b, j]) => rank(a[0]) - rank(b[0]) || i - j).map(([e]) => e)) as T;
}
const ruleInOrder = (rule: Rule): Rule => inOrder(rule, RULE_KEYS);
const groupInOrder = (target: GroupTarget): GroupTarget => inOrder(target, GROUP_KEYS);

/** A new field keeps the operator when the field allows it, and the value where it still fits. */
export function changeField(comparison: Comparison, field: string): Comparison {
  const allowed = operatorsFor(field);
  const op: Operator = allowed.includes(comparison.op) ? comparison.op : (allowed[0] ?? 'eq');
  return comparisonOf(field, op, valueForOperator(op, fieldKindOf(field), valueOf(comparison)));
}

export function changeOperator(comparison: Comparison, op: Operator): Comparison {
  return comparisonOf(comparison.field, op, valueForOperator(op, fieldKindOf(comparison.field), valueOf(comparison)));
}

export function changeValue(comparison: Comparison, value: unknown): Comparison {
  return comparisonOf(comparison.field, comparison.op, value);
}

/** "All of" ↔ "any of", keeping the parts. */
export function switchGroupMode(group: { all: Condition[] } | { any: Condition[] }, mode: 'all' | 'any'): Condition {
  const parts = isAll(group) ? group.all : group.any;
  return mode === 'all' ? { all: parts } : { any: parts };
}

export function setGroupParts(group: { all: Condition[] } | { any: Condition[] }, parts: Condition[]): Condition {
  return isAll(group) ? { all: parts } : { any: parts };
}

export const addComparison = (group: { all: Condition[] } | { any: Condition[] }): Condition => setGroupParts(group, [...(isAll(group) ? group.all : group.any), newComparison()]);
export const addNestedGroup = (group: { all: Condition[] } | { any: Condition[] }): Condition => setGroupParts(group, [...(isAll(group) ? group.all : group.any), { all: [newComparison()] }]);
export const negate = (condition: Condition): Condition => ({ not: condition });

/** A rule's condition; none means the rule takes every lead. */
export function setWhen(rule: Rule, when: Condition | undefined): Rule {
  return ruleInOrder(when === undefined ? (withoutKey(rule, 'when') as Rule) : { ...rule, when });
}

/** Enabled is the default, so switching a rule back on removes the key. */
export function setEnabled(rule: Rule, enabled: boolean): Rule {
  return ruleInOrder(enabled ? (withoutKey(rule, 'enabled') as Rule) : { ...rule, enabled: false });
}

/** Trying the next rule is the default, so choosing it removes the key. */
export function setOnNoCandidate(rule: Rule, choice: 'next_rule' | 'fallback'): Rule {
  return ruleInOrder(choice === 'fallback' ? { ...rule, onNoCandidate: 'fallback' } : (withoutKey(rule, 'onNoCandidate') as Rule));
}

/** Another kind of target, carrying over who was named where it can (a group's first manager becomes the person). */
export function changeTargetKind(target: Target, kind: Target['kind'], firstManagerId: string): Target {
  if (kind === target.kind) return target;
  if (kind === 'pool') return { kind: 'pool' };
  if (kind === 'person') return { kind: 'person', managerId: target.kind === 'group' && target.managers?.[0] ? target.managers[0] : firstManagerId };
  return groupInOrder({ kind: 'group', strategy: 'round_robin', ...(target.kind === 'person' && target.managerId ? { managers: [target.managerId] } : {}) });
}

/** A strategy drops the settings only another strategy reads (weights, performance). */
export function changeStrategy(target: GroupTarget, strategy: Strategy): GroupTarget {
  let next: GroupTarget = { ...target, strategy };
  if (strategy !== 'weighted') next = withoutKey(next, 'weights') as GroupTarget;
  if (strategy !== 'performance') next = withoutKey(next, 'performance') as GroupTarget;
  // least_loaded keeps no count to restart, so the server refuses a period with it.
  if (strategy === 'least_loaded') next = withoutKey(next, 'fairnessPeriod') as GroupTarget;
  return groupInOrder(next);
}

/** A list setting of a group, left out when empty (no managers and no teams means everyone; no match means no filter). */
export function withList<K extends 'managers' | 'teams' | 'match' | 'requiredSkills'>(target: GroupTarget, key: K, values: NonNullable<GroupTarget[K]>): GroupTarget {
  return groupInOrder(values.length > 0 ? { ...target, [key]: values } : (withoutKey(target, key) as GroupTarget));
}

/** A member's weight in this rule; none means the manager's own weight applies. */
export function withWeight(target: GroupTarget, managerId: string, weight: number | undefined): GroupTarget {
  const weights = { ...(target.weights ?? {}) };
  if (weight === undefined) delete weights[managerId];
  else weights[managerId] = weight;
  return groupInOrder(Object.keys(weights).length > 0 ? { ...target, weights } : (withoutKey(target, 'weights') as GroupTarget));
}

/** A member's priority tier in this rule; none means the manager's own priority applies. */
export function withPriority(target: GroupTarget, managerId: string, priority: Priority | undefined): GroupTarget {
  const priorities = { ...(target.priorities ?? {}) };
  if (priority === undefined) delete priorities[managerId];
  else priorities[managerId] = priority;
  return groupInOrder(Object.keys(priorities).length > 0 ? { ...target, priorities } : (withoutKey(target, 'priorities') as GroupTarget));
}

/** How long the rule's fair-share count runs; `none`, the default, leaves the JSON. */
export function withFairnessPeriod(target: GroupTarget, period: FairnessPeriod): GroupTarget {
  return groupInOrder(period === 'none' ? (withoutKey(target, 'fairnessPeriod') as GroupTarget) : { ...target, fairnessPeriod: period });
}

export function withPerformance(target: GroupTarget, key: 'floor' | 'priorStrength', value: number | undefined): GroupTarget {
  const performance = { ...(target.performance ?? {}) };
  if (value === undefined) delete performance[key];
  else performance[key] = value;
  return groupInOrder(Object.keys(performance).length > 0 ? { ...target, performance } : (withoutKey(target, 'performance') as GroupTarget));
}

export function changeFallback(kind: Fallback['kind'], managerId: string): Fallback {
  return kind === 'manager' ? { kind: 'manager', managerId } : { kind: 'pool' };
}
