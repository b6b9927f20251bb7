import type { TFunction } from 'i18next';

export interface RuleSetIssue {
  path: string;
  code: string;
  message: string;
}

/** Issues the server gave for exactly this place (`rules[2].when.all[0].value`). */
export function issuesAt(issues: readonly RuleSetIssue[], path: string): RuleSetIssue[] {
  return issues.filter((issue) => issue.path === path);
}

/** Issues for this place or anything inside it, to mark a rule or a collapsed group. */
export function issuesWithin(issues: readonly RuleSetIssue[], path: string): RuleSetIssue[] {
  return issues.filter((issue) => issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`));
}

/** A path inside a list or object, written the way the server writes it. */
export const childPath = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (parent ? `${parent}.${key}` : key) : `${parent}[${JSON.stringify(key)}]`;

const KNOWN_CODES = new Set([
  'invalid_rule_id', 'duplicate_rule_id', 'unknown_manager', 'unknown_team', 'unknown_field', 'operator_not_valid_for_field', 'empty_list', 'value_type_mismatch',
  'between_min_greater_than_max', 'empty_group', 'weight_not_positive', 'floor_out_of_range', 'prior_strength_negative',
  'required', 'invalid_type', 'unknown_key', 'invalid_value', 'too_small', 'too_big',
  'mixed_alphabet_range', 'reversed_letter_range', 'invalid_letter_range', 'empty_prefix',
]);

/**
 * An issue in the reader's language. The place it is shown at already says which rule and
 * which setting, so the sentence only says what is wrong; codes this screen does not know
 * keep the server's own (English) sentence rather than a vague one.
 */
export function issueText(t: TFunction, issue: RuleSetIssue): string {
  // "gt" on a text: the server's sentence names initial_in, starts_with and in; so does ours.
  if (issue.code === 'operator_not_valid_for_field' && issue.message.includes('"initial_in"')) return t('rules.issue.text_has_no_order');
  return KNOWN_CODES.has(issue.code) ? t(`rules.issue.${issue.code}` as 'rules.issue.required') : issue.message;
}
