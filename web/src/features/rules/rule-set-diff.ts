import type { Rule, RuleSetDefinition } from './rule-model';

export type RulePart = 'name' | 'enabled' | 'when' | 'target' | 'onNoCandidate';

export type RuleSetChange =
  | { kind: 'ownership'; before: RuleSetDefinition['ownership']; after: RuleSetDefinition['ownership'] }
  | { kind: 'fallback'; before: RuleSetDefinition['fallback']; after: RuleSetDefinition['fallback'] }
  | { kind: 'added'; rule: Rule; position: number }
  | { kind: 'removed'; rule: Rule; position: number }
  | { kind: 'moved'; rule: Rule; from: number; to: number }
  | { kind: 'changed'; rule: Rule; before: Rule; parts: RulePart[] };

const PARTS: readonly RulePart[] = ['name', 'enabled', 'when', 'target', 'onNoCandidate'];

/** Equality of JSON values, blind to key order (the server may store keys in any order). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `enabled` left out means enabled: a rule switched off and on again is no change. */
const partOf = (rule: Rule, part: RulePart): unknown => (part === 'enabled' ? rule.enabled !== false : part === 'onNoCandidate' ? (rule.onNoCandidate ?? 'next_rule') : rule[part]);

/**
 * What changed from one version to another, rule by rule (rules are matched by id, case
 * blind as the validator treats ids): added, removed, changed parts, and rules whose place
 * in the order changed relative to the rules both versions share.
 */
export function diffRuleSets(before: RuleSetDefinition, after: RuleSetDefinition): RuleSetChange[] {
  const changes: RuleSetChange[] = [];
  if (!sameJson(before.ownership, after.ownership)) changes.push({ kind: 'ownership', before: before.ownership, after: after.ownership });
  const key = (rule: Rule) => rule.id.toLowerCase();
  const beforeById = new Map(before.rules.map((rule, i) => [key(rule), { rule, i }]));
  const afterIds = new Set(after.rules.map(key));
  before.rules.forEach((rule, i) => {
    if (!afterIds.has(key(rule))) changes.push({ kind: 'removed', rule, position: i });
  });
  // Among the rules both versions share, the longest run kept in order stayed put; the rest moved.
  // So one rule dragged to the top reads as one move, not as every rule shifting down.
  const stayed = longestCommonSubsequence(before.rules.filter((r) => afterIds.has(key(r))).map(key), after.rules.filter((r) => beforeById.has(key(r))).map(key));
  after.rules.forEach((rule, i) => {
    const old = beforeById.get(key(rule));
    if (!old) {
      changes.push({ kind: 'added', rule, position: i });
      return;
    }
    if (!stayed.has(key(rule))) changes.push({ kind: 'moved', rule, from: old.i, to: i });
    const parts = PARTS.filter((part) => !sameJson(partOf(old.rule, part), partOf(rule, part)));
    if (parts.length > 0) changes.push({ kind: 'changed', rule, before: old.rule, parts });
  });
  if (!sameJson(before.fallback, after.fallback)) changes.push({ kind: 'fallback', before: before.fallback, after: after.fallback });
  return changes;
}

function longestCommonSubsequence(a: readonly string[], b: readonly string[]): Set<string> {
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const kept = new Set<string>();
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      kept.add(a[i]!);
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return kept;
}
