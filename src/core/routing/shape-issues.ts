import type { z } from 'zod';
import {
  type PathSegment,
  type RuleSetIssue,
  isRecord,
  localPath,
  makeIssue,
  valueAt,
} from './rule-set-issue.js';

type ZodIssue = z.core.$ZodIssue;

/** Branch order of `conditionSchema`'s union. */
const CONDITION_BRANCH = { all: 0, any: 1, not: 2, comparison: 3 } as const;

const TYPE_NAMES: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  object: 'an object',
  record: 'an object',
};

/**
 * Turns zod's issues into RuleSetIssues with full paths and sentences. Zod reports a failed
 * condition as a union of four failures; the input's keys tell which one the author meant.
 */
export function shapeIssues(issues: readonly ZodIssue[], root: unknown): RuleSetIssue[] {
  const out: RuleSetIssue[] = [];
  for (const issue of issues) convert(issue, [], root, out);
  return out;
}

function convert(issue: ZodIssue, base: readonly PathSegment[], root: unknown, out: RuleSetIssue[]): void {
  const path = [...base, ...issue.path.filter(isSegment)];
  const where = describeWhere(path);
  const actual = valueAt(root, path);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = expectedFor(issue.expected, path, root);
      out.push(
        actual === undefined
          ? makeIssue(root, path, 'required', `${where} is required`)
          : makeIssue(root, path, 'invalid_type', `${where} must be ${expected}, not ${describeValue(actual)}`),
      );
      return;
    }
    case 'unrecognized_keys':
      for (const key of issue.keys) {
        out.push(makeIssue(root, [...path, key], 'unknown_key', `"${key}" is not a setting of ${describeOwner(path)}`));
      }
      return;
    case 'invalid_value':
      out.push(
        makeIssue(root, path, 'invalid_value', `${where} must be one of ${quoteList(issue.values)}, not ${describeValue(actual)}`),
      );
      return;
    case 'invalid_union':
      convertUnion(issue, path, root, out);
      return;
    case 'too_small':
      out.push(
        makeIssue(
          root,
          path,
          'too_small',
          issue.origin === 'string' ? `${where} must not be empty` : `${where} must have at least ${String(issue.minimum)} items`,
        ),
      );
      return;
    case 'too_big':
      out.push(makeIssue(root, path, 'too_big', `${where} must have at most ${String(issue.maximum)} items`));
      return;
    default:
      out.push(makeIssue(root, path, issue.code, `${where}: ${issue.message}`));
  }
}

function convertUnion(
  issue: Extract<ZodIssue, { code: 'invalid_union' }>,
  path: PathSegment[],
  root: unknown,
  out: RuleSetIssue[],
): void {
  const where = describeWhere(path);
  const actual = valueAt(root, path);
  if ('discriminator' in issue && issue.discriminator !== undefined && issue.errors.length === 0) {
    const options = 'options' in issue && Array.isArray(issue.options) ? issue.options : [];
    out.push(makeIssue(root, path, 'invalid_value', `${where} must be one of ${quoteList(options)}, not ${describeValue(actual)}`));
    return;
  }
  const branches = issue.errors;
  if (branches.length === 4 && isRecord(actual)) {
    const chosen = branches[conditionBranchOf(actual)] ?? [];
    for (const inner of chosen) convert(inner, path, root, out);
    return;
  }
  const expected = branches.flatMap((branch) =>
    branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0 ? [branch[0].expected] : [],
  );
  if (expected.length === branches.length && expected.every((type) => type === 'object')) {
    out.push(
      makeIssue(
        root,
        path,
        'invalid_condition',
        `${where} must be a condition: { "field", "op", "value" }, { "all": [...] }, { "any": [...] } or { "not": ... }, not ${describeValue(actual)}`,
      ),
    );
    return;
  }
  if (expected.length === branches.length) {
    const names = [...new Set(expected.map((type) => TYPE_NAMES[type] ?? type))];
    out.push(makeIssue(root, path, 'invalid_type', `${where} must be ${joinOr(names)}, not ${describeValue(actual)}`));
    return;
  }
  out.push(makeIssue(root, path, 'invalid_union', `${where} is not valid`));
}

/** Which kind of condition the author was writing, judged by its keys. */
function conditionBranchOf(condition: Record<string, unknown>): number {
  if ('all' in condition) return CONDITION_BRANCH.all;
  if ('any' in condition) return CONDITION_BRANCH.any;
  if ('not' in condition) return CONDITION_BRANCH.not;
  return CONDITION_BRANCH.comparison;
}

function expectedFor(expected: string, path: readonly PathSegment[], root: unknown): string {
  const name = TYPE_NAMES[expected] ?? expected;
  if (path.at(-1) !== 'value') return name;
  const op = valueAt(root, [...path.slice(0, -1), 'op']);
  if (op === 'between') return 'a list of two numbers [min, max]';
  return typeof op === 'string' ? `${name} for operator "${op}"` : name;
}

function describeWhere(path: readonly PathSegment[]): string {
  const local = localPath(path);
  return local === '' ? 'the rule set' : `"${local}"`;
}

function describeOwner(path: readonly PathSegment[]): string {
  const local = localPath(path);
  if (local === '') return path[0] === 'rules' ? 'a rule' : 'the rule set';
  return `"${local}"`;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

function isSegment(segment: PropertyKey): segment is PathSegment {
  return typeof segment === 'string' || typeof segment === 'number';
}
