import { CUSTOM_FIELD_PREFIX, LEAD_FIELDS, type LeadFieldType } from '@core/lead-facts';
import { OPERATORS_BY_FIELD_TYPE } from '@core/routing/condition-operators';
import { initialLetterOf, letterOfKey, parseLetterRange } from '@core/routing/initial-letter';
import type { RuleSetDefinitionInput } from '@core/routing/rule-set-schema';

/**
 * The rule set as the editor holds it: exactly the JSON the server stores, so the builder and
 * the JSON view edit the same object and a round trip between them changes nothing. While a
 * draft is being written it may be invalid; components read it defensively.
 */
export type RuleSetDefinition = RuleSetDefinitionInput;
export type Rule = RuleSetDefinition['rules'][number];
export type Condition = NonNullable<Rule['when']>;
export type Comparison = Extract<Condition, { field: string }>;
export type Operator = Comparison['op'];
export type Target = Rule['target'];
export type GroupTarget = Extract<Target, { kind: 'group' }>;
export type Strategy = GroupTarget['strategy'];
export type ProfileMatch = NonNullable<GroupTarget['match']>[number];
export type Priority = NonNullable<GroupTarget['priorities']>[string];
export type FairnessPeriod = NonNullable<GroupTarget['fairnessPeriod']>;
export type Fallback = RuleSetDefinition['fallback'];
export type OwnerUnavailablePolicy = RuleSetDefinition['ownership']['whenOwnerUnavailable'];

export type LeadFieldName = keyof typeof LEAD_FIELDS;
export const LEAD_FIELD_NAMES = Object.keys(LEAD_FIELDS) as LeadFieldName[];
export const ALL_OPERATORS: readonly Operator[] = ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'contains', 'starts_with', 'initial_in', 'exists'];
export const STRATEGIES: readonly Strategy[] = ['round_robin', 'weighted', 'least_loaded', 'performance'];
export const PROFILE_MATCHES: readonly ProfileMatch[] = ['skill', 'region', 'language', 'industry'];
export const PRIORITY_NAMES = ['high', 'normal', 'low'] as const;
export const FAIRNESS_PERIODS: readonly FairnessPeriod[] = ['none', 'day', 'week', 'month'];
export const OWNER_UNAVAILABLE_POLICIES: readonly OwnerUnavailablePolicy[] = ['wait', 'next_rule', 'pool'];
export { CUSTOM_FIELD_PREFIX };

export type FieldKind = LeadFieldType | 'custom';

/** The type of a condition's field, or undefined for a name that is not a lead field. */
export function fieldKindOf(field: string): FieldKind | undefined {
  if (field.startsWith(CUSTOM_FIELD_PREFIX)) return field.length > CUSTOM_FIELD_PREFIX.length ? 'custom' : undefined;
  return Object.hasOwn(LEAD_FIELDS, field) ? LEAD_FIELDS[field as LeadFieldName] : undefined;
}

/** The operators the validator accepts for a field; a custom field may use any. */
export function operatorsFor(field: string): readonly Operator[] {
  const kind = fieldKindOf(field);
  if (kind === undefined || kind === 'custom') return ALL_OPERATORS;
  return OPERATORS_BY_FIELD_TYPE[kind] as readonly Operator[];
}

export const isAll = (c: Condition): c is { all: Condition[] } => 'all' in c;
export const isAny = (c: Condition): c is { any: Condition[] } => 'any' in c;
export const isNot = (c: Condition): c is { not: Condition } => 'not' in c;
export const isComparison = (c: Condition): c is Comparison => 'field' in c;

/**
 * The value a comparison keeps when its operator or field changes: what was typed survives
 * where it still fits (a single value becomes a one-item list and back), the rest is cleared.
 */
export function valueForOperator(op: Operator, kind: FieldKind | undefined, previous: unknown): Comparison['value'] | undefined {
  const items = Array.isArray(previous) ? previous : previous === undefined || previous === '' || typeof previous === 'boolean' ? [] : [previous];
  const first = items[0] as unknown;
  const asNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
  switch (op) {
    case 'in':
    case 'not_in':
      return items.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return asNumber(first);
    case 'between': {
      const min = asNumber(first);
      const max = asNumber(items[1]);
      return min !== undefined && max !== undefined ? [min, max] : undefined;
    }
    case 'exists':
      return typeof previous === 'boolean' ? previous : true;
    case 'contains':
    case 'starts_with':
      return typeof first === 'string' ? first : '';
    case 'initial_in':
      return letterRangesFrom(items);
    case 'eq':
    case 'neq':
      if (kind === 'number') return asNumber(first);
      return typeof first === 'string' || typeof first === 'number' ? first : '';
  }
}

/**
 * Letter ranges from what a condition held: ranges stay, a name becomes its initial letter
 * ("ООО «Ромашка»" → "Р"), the rest is dropped.
 */
function letterRangesFrom(items: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') continue;
    const letter = parseLetterRange(item).ok ? item.trim() : letterOfKey(initialLetterOf(item));
    if (letter !== '' && !out.includes(letter)) out.push(letter);
  }
  return out;
}

/** A comparison with `value` set, or left out where the editor has nothing yet (the validator then asks for it). */
export function comparisonOf(field: string, op: Operator, value: unknown): Comparison {
  return (value === undefined ? { field, op } : { field, op, value }) as Comparison;
}

export function newComparison(field: string = 'source'): Comparison {
  return comparisonOf(field, 'eq', '');
}

/** An id no other rule has, from the rule's name where it makes one (`rule-3` otherwise). */
export function uniqueRuleId(taken: Iterable<string>, wanted = 'rule'): string {
  const used = new Set([...taken].map((id) => id.toLowerCase()));
  const base = slug(wanted) || 'rule';
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
}

export function newRule(rules: readonly Rule[], name: string): Rule {
  return { id: uniqueRuleId(rules.map((r) => r.id), 'rule'), name, target: { kind: 'group', strategy: 'round_robin' } };
}

/** A copy placed right after the original, with an id of its own. */
export function duplicateRule(rules: readonly Rule[], index: number, copySuffix: string): Rule[] {
  const original = rules[index];
  if (!original) return [...rules];
  const copy: Rule = { ...structuredClone(original), id: uniqueRuleId(rules.map((r) => r.id), original.id), name: `${original.name} ${copySuffix}` };
  return [...rules.slice(0, index + 1), copy, ...rules.slice(index + 1)];
}

export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}

export function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/** A copy without the key, so an unset setting leaves the JSON instead of becoming null. */
export function withoutKey<T extends object, K extends keyof T>(object: T, key: K): Omit<T, K> {
  const { [key]: _dropped, ...rest } = object;
  return rest;
}

export const EMPTY_DEFINITION: RuleSetDefinition = {
  ownership: { enabled: true, whenOwnerUnavailable: 'next_rule' },
  rules: [],
  fallback: { kind: 'pool' },
};

export function formatDefinitionJson(definition: unknown): string {
  return JSON.stringify(definition, null, 2);
}

export type JsonParse = { ok: true; definition: unknown } | { ok: false; line: number | null; message: string };

/** Reads the JSON view; a syntax error names its line so the editor can point at it. */
export function parseDefinitionJson(text: string): JsonParse {
  try {
    return { ok: true, definition: JSON.parse(text) as unknown };
  } catch (error) {
    const message = (error as Error).message;
    // Engines differ: some say "at position 42", newer ones "(line 3 column 5)", some neither.
    const lineColumn = /line (\d+) column \d+/.exec(message)?.[1];
    const position = /position (\d+)/.exec(message)?.[1];
    const line = lineColumn !== undefined ? Number(lineColumn) : position !== undefined ? text.slice(0, Number(position)).split('\n').length : null;
    return { ok: false, line, message };
  }
}

/**
 * Whether the builder can draw a definition: the skeleton it walks (rules as a list of objects
 * with a target) is there. Anything else, valid or not, is still editable in the JSON view.
 */
export function canShowInBuilder(definition: unknown): definition is RuleSetDefinition {
  if (!isObject(definition) || !Array.isArray(definition.rules) || !isObject(definition.ownership) || !isObject(definition.fallback)) return false;
  return definition.rules.every((rule) => isObject(rule) && isObject(rule.target) && (rule.when === undefined || isConditionTree(rule.when)));
}

function isConditionTree(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (Array.isArray(value.all)) return value.all.every(isConditionTree);
  if (Array.isArray(value.any)) return value.any.every(isConditionTree);
  if ('not' in value) return isConditionTree(value.not);
  return typeof value.field === 'string' && typeof value.op === 'string';
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** JSON with object keys sorted, so the same definition gives the same text whatever order a database keeps keys in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
