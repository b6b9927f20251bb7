import { CUSTOM_FIELD_PREFIX, LEAD_FIELDS, type LeadFieldType } from '../lead-facts.js';
import { OPERATORS_BY_FIELD_TYPE } from './condition-operators.js';
import { parseLetterRange } from './initial-letter.js';
import { MAX_TIER, MIN_TIER, isTierNumber } from './priority.js';
import type { RuleSetDefinition } from './rule-set.js';
import { CONDITION_OPS, ruleSetDefinitionSchema } from './rule-set-schema.js';
import { type PathSegment, type RuleSetIssue, isRecord, makeIssue } from './rule-set-issue.js';
import { describeValue, shapeIssues } from './shape-issues.js';

export type { RuleSetIssue } from './rule-set-issue.js';

export interface KnownIds {
  managerIds: ReadonlySet<string>;
  teamIds: ReadonlySet<string>;
}

export type RuleSetValidation = { ok: true; ruleSet: RuleSetDefinition } | { ok: false; issues: RuleSetIssue[] };

export const RULE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

const FIELD_NAMES = Object.keys(LEAD_FIELDS);

const OPS_BY_TYPE = OPERATORS_BY_FIELD_TYPE;

const TYPE_WORDS: Record<LeadFieldType, string> = { string: 'text', number: 'number', 'string[]': 'list' };

/**
 * Checks a rule set before it is saved or published and reports every problem at once,
 * each with a path and a sentence naming the rule. A rule set that passes routes every
 * lead without throwing.
 *
 * @example
 * const result = validateRuleSet(json, { managerIds: new Set(['m1']), teamIds: new Set() });
 * if (!result.ok) for (const issue of result.issues) console.log(issue.path, issue.message);
 */
export function validateRuleSet(input: unknown, known: KnownIds): RuleSetValidation {
  const parsed = ruleSetDefinitionSchema.safeParse(input);
  const meaning = meaningIssues(input, known);
  // An operator that does not fit its field is the whole story: a value shaped for that
  // operator ("gt" wants a number) would only send the author the wrong way.
  const misplaced = new Set(meaning.filter((i) => i.code === 'operator_not_valid_for_field').map((i) => i.path.replace(/\.op$/, '.value')));
  const issues = parsed.success ? [] : shapeIssues(parsed.error.issues, input).filter((i) => !misplaced.has(i.path.replace(/\[\d+\]$/, '')));
  issues.push(...meaning);
  if (issues.length > 0 || !parsed.success) return { ok: false, issues: inRuleOrder(issues) };
  // The schema yields plain strings; the checks above are what make them manager and team ids.
  return { ok: true, ruleSet: parsed.data as RuleSetDefinition };
}

/** Checks that need meaning, not shape; reads the raw input defensively so shape errors elsewhere do not hide them. */
function meaningIssues(root: unknown, known: KnownIds): RuleSetIssue[] {
  const issues: RuleSetIssue[] = [];
  if (!isRecord(root)) return issues;
  const add = (path: PathSegment[], code: string, body: string): void => {
    issues.push(makeIssue(root, path, code, body));
  };
  if (Array.isArray(root.rules)) {
    const seen = new Map<string, number>();
    root.rules.forEach((rule: unknown, index) => {
      if (!isRecord(rule)) return;
      const base: PathSegment[] = ['rules', index];
      if (typeof rule.id === 'string') {
        if (!RULE_ID_PATTERN.test(rule.id)) {
          add([...base, 'id'], 'invalid_rule_id', `id "${rule.id}" must start with a letter or digit and contain only letters, digits, "-" and "_" (at most 64 characters)`);
        }
        const key = rule.id.toLowerCase();
        const first = seen.get(key);
        if (first === undefined) seen.set(key, index);
        else add([...base, 'id'], 'duplicate_rule_id', `id "${rule.id}" is already used by rule #${first + 1}; rule ids must be unique`);
      }
      if (rule.when !== undefined) checkCondition(rule.when, [...base, 'when'], add);
      if (isRecord(rule.target)) checkTarget(rule.target, [...base, 'target'], known, add);
    });
  }
  const fallback = root.fallback;
  if (isRecord(fallback) && fallback.kind === 'manager' && typeof fallback.managerId === 'string' && !known.managerIds.has(fallback.managerId)) {
    add(['fallback', 'managerId'], 'unknown_manager', `manager "${fallback.managerId}" does not exist; the fallback must name an existing manager`);
  }
  return issues;
}

type Add = (path: PathSegment[], code: string, body: string) => void;

function checkCondition(condition: unknown, path: PathSegment[], add: Add): void {
  if (!isRecord(condition)) return;
  for (const key of ['all', 'any'] as const) {
    const parts = condition[key];
    if (Array.isArray(parts)) parts.forEach((part: unknown, i) => checkCondition(part, [...path, key, i], add));
  }
  if ('not' in condition) checkCondition(condition.not, [...path, 'not'], add);
  if (typeof condition.field === 'string') checkComparison(condition, path, add);
}

function checkComparison(condition: Record<string, unknown>, path: PathSegment[], add: Add): void {
  const field = condition.field as string;
  const { op, value } = condition;
  const type = fieldType(field);
  if (type === undefined) {
    add([...path, 'field'], 'unknown_field', unknownFieldMessage(field));
    return;
  }
  if (typeof op !== 'string') return;
  if (type !== 'custom') {
    const allowed = OPS_BY_TYPE[type];
    if (!allowed.includes(op)) {
      // An unknown operator is a shape issue, already reported.
      if ((CONDITION_OPS as readonly string[]).includes(op)) {
        add([...path, 'op'], 'operator_not_valid_for_field', `operator "${op}" does not apply to ${TYPE_WORDS[type]} field "${field}"; ${operatorHint(type, op, allowed)}`);
      }
      return;
    }
  }
  if (op === 'starts_with' && typeof value === 'string') {
    if (value.trim() === '') add([...path, 'value'], 'empty_prefix', `the "starts_with" text for field "${field}" is empty, and every text starts with it; write the beginning to look for`);
    return;
  }
  if (op === 'initial_in' && Array.isArray(value)) {
    if (value.length === 0) {
      add([...path, 'value'], 'empty_list', `the "initial_in" list for field "${field}" is empty; add a letter range such as "А-К"`);
      return;
    }
    value.forEach((item: unknown, i) => {
      if (typeof item !== 'string') return;
      const range = parseLetterRange(item);
      if (!range.ok) add([...path, 'value', i], range.code, `field "${field}": ${range.reason}`);
    });
    return;
  }
  if ((op === 'in' || op === 'not_in') && Array.isArray(value)) {
    if (value.length === 0) {
      add([...path, 'value'], 'empty_list', `the "${op}" list for field "${field}" is empty; add at least one value`);
      return;
    }
    if (type === 'custom') return;
    const wanted = type === 'number' ? 'number' : 'string';
    value.forEach((item: unknown, i) => {
      if ((typeof item === 'string' || typeof item === 'number') && typeof item !== wanted) {
        add([...path, 'value', i], 'value_type_mismatch', `field "${field}" holds ${article(type)}, so its "${op}" list must hold ${wanted === 'number' ? 'numbers' : 'texts'}, not ${describeValue(item)}`);
      }
    });
    return;
  }
  if ((op === 'eq' || op === 'neq') && type !== 'custom' && isScalar(value)) {
    const wanted = type === 'number' ? 'number' : 'string';
    if (typeof value !== wanted) {
      add([...path, 'value'], 'value_type_mismatch', `field "${field}" holds ${article(type)}, so compare it with ${wanted === 'number' ? 'a number' : 'a text'}, not ${describeValue(value)}`);
    }
    return;
  }
  if (op === 'between' && Array.isArray(value)) {
    const [min, max] = value as unknown[];
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      add([...path, 'value'], 'between_min_greater_than_max', `"between" on field "${field}" has min ${min} greater than max ${max}; write [${max}, ${min}]`);
    }
  }
}

function checkTarget(target: Record<string, unknown>, path: PathSegment[], known: KnownIds, add: Add): void {
  if (target.kind === 'person') {
    if (typeof target.managerId === 'string' && !known.managerIds.has(target.managerId)) {
      add([...path, 'managerId'], 'unknown_manager', `manager "${target.managerId}" does not exist`);
    }
    return;
  }
  if (target.kind !== 'group') return;
  const { managers, teams, weights, performance, priorities } = target;
  if (Array.isArray(managers)) {
    managers.forEach((id: unknown, i) => {
      if (typeof id === 'string' && !known.managerIds.has(id)) {
        add([...path, 'managers', i], 'unknown_manager', `manager "${id}" in the group does not exist`);
      }
    });
  }
  if (Array.isArray(teams)) {
    teams.forEach((id: unknown, i) => {
      if (typeof id === 'string' && !known.teamIds.has(id)) add([...path, 'teams', i], 'unknown_team', `team "${id}" does not exist`);
    });
  }
  const listed = (Array.isArray(managers) ? managers.length : 0) + (Array.isArray(teams) ? teams.length : 0);
  if ((Array.isArray(managers) || Array.isArray(teams)) && listed === 0) {
    add(path, 'empty_group', 'the group lists no managers and no teams, so nobody could get its leads; name some, or leave both keys out to mean every manager');
  }
  if (isRecord(weights)) {
    for (const [id, weight] of Object.entries(weights)) {
      if (!known.managerIds.has(id)) add([...path, 'weights', id], 'unknown_manager', `weight given for manager "${id}", who does not exist`);
      if (typeof weight === 'number' && !(weight > 0)) {
        add([...path, 'weights', id], 'weight_not_positive', `weight of manager "${id}" is ${weight}; weights must be greater than 0 (pause the manager to stop their leads)`);
      }
    }
  }
  if (target.strategy === 'least_loaded' && typeof target.fairnessPeriod === 'string' && target.fairnessPeriod !== 'none') {
    add([...path, 'fairnessPeriod'], 'period_without_count', `least_loaded compares open leads at the moment and keeps no count to restart each ${target.fairnessPeriod}; use round_robin, weighted or performance, or leave fairnessPeriod out`);
  }
  if (isRecord(priorities)) {
    for (const [id, priority] of Object.entries(priorities)) {
      if (!known.managerIds.has(id)) add([...path, 'priorities', id], 'unknown_manager', `priority given for manager "${id}", who does not exist`);
      if (typeof priority === 'number' && !isTierNumber(priority)) {
        add([...path, 'priorities', id], 'priority_out_of_range', `priority of manager "${id}" is ${priority}; a priority is high, normal, low or a whole number from ${MIN_TIER} to ${MAX_TIER} (1 is tried first)`);
      }
    }
  }
  if (isRecord(performance)) {
    const { floor, priorStrength } = performance;
    if (typeof floor === 'number' && !(floor >= 0 && floor <= 1)) {
      add([...path, 'performance', 'floor'], 'floor_out_of_range', `performance floor is ${floor}; it must be between 0 and 1 (0.5 guarantees everyone half an equal share)`);
    }
    if (typeof priorStrength === 'number' && priorStrength < 0) {
      add([...path, 'performance', 'priorStrength'], 'prior_strength_negative', `performance priorStrength is ${priorStrength}; it must be 0 or more`);
    }
  }
}

/** Which operators to use instead; ordering a text is the usual mistake, so it gets named ones. */
function operatorHint(type: LeadFieldType, op: string, allowed: readonly string[]): string {
  if (type === 'string' && ['gt', 'gte', 'lt', 'lte', 'between'].includes(op)) {
    return 'texts are not compared by order: for a range of first letters use "initial_in" (["А-К"], ["A-M"]), for a beginning "starts_with", for listed values "in"';
  }
  return `use one of ${allowed.join(', ')}`;
}

function fieldType(field: string): LeadFieldType | 'custom' | undefined {
  if (field.startsWith(CUSTOM_FIELD_PREFIX)) return field.length > CUSTOM_FIELD_PREFIX.length ? 'custom' : undefined;
  return Object.hasOwn(LEAD_FIELDS, field) ? LEAD_FIELDS[field as keyof typeof LEAD_FIELDS] : undefined;
}

function unknownFieldMessage(field: string): string {
  const guess = closestField(field);
  const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
  return `field "${field}" is not a lead field${hint}; use one of ${FIELD_NAMES.join(', ')} or ${CUSTOM_FIELD_PREFIX}<name>`;
}

function closestField(field: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of FIELD_NAMES) {
    const distance = editDistance(field.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function article(type: LeadFieldType): string {
  return type === 'string[]' ? 'a list of texts' : type === 'number' ? 'a number' : 'text';
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Issues sorted by rule so a long list reads top to bottom; the sort is stable within a rule. */
function inRuleOrder(issues: RuleSetIssue[]): RuleSetIssue[] {
  const rank = (issue: RuleSetIssue): number => {
    const match = /^rules\[(\d+)\]/.exec(issue.path);
    if (match?.[1] !== undefined) return Number(match[1]);
    return issue.path.startsWith('fallback') ? Number.MAX_SAFE_INTEGER : -1;
  };
  return issues.map((issue, order) => ({ issue, order, rank: rank(issue) }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map(({ issue }) => issue);
}
