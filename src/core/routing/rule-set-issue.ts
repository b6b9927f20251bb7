/** One problem found in a rule set, addressed by a path a UI can highlight. */
export interface RuleSetIssue {
  /** Like `rules[2].when.all[0].value`; empty for the rule set as a whole. */
  path: string;
  code: string;
  /** A sentence for the person editing the rules, naming the rule. */
  message: string;
}

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['rules', 2, 'when']` → `rules[2].when`; odd keys are quoted: `weights["m-1"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Reads the raw input at a path; undefined where the path leads nowhere. */
export function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Names what an issue belongs to, for the start of its message: `Rule "moscow-enterprise"`,
 * or `Rule #3` while the rule has no usable id.
 */
export function subjectOf(root: unknown, segments: readonly PathSegment[]): string {
  const [head, index] = segments;
  if (head === 'rules' && typeof index === 'number') {
    const id = valueAt(root, ['rules', index, 'id']);
    return typeof id === 'string' && id.trim() !== '' ? `Rule "${id}"` : `Rule #${index + 1}`;
  }
  if (head === 'fallback') return 'Fallback';
  if (head === 'ownership') return 'Ownership';
  return 'Rule set';
}

/** The part of a path inside the rule (or section) the subject already names. */
export function localPath(segments: readonly PathSegment[]): string {
  const inner = segments[0] === 'rules' && typeof segments[1] === 'number' ? segments.slice(2) : segments;
  return formatPath(inner);
}

export function makeIssue(root: unknown, segments: readonly PathSegment[], code: string, body: string): RuleSetIssue {
  return { path: formatPath(segments), code, message: `${subjectOf(root, segments)}: ${body}` };
}
