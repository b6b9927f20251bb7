import type { LeadFieldType } from '../lead-facts.js';

/**
 * Which comparison operators make sense for each type of lead field. The validator refuses
 * the rest; the rule editor offers only these. A custom field (`custom.<name>`) may use any.
 */
export const OPERATORS_BY_FIELD_TYPE: Readonly<Record<LeadFieldType, readonly string[]>> = {
  string: ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'initial_in', 'exists'],
  number: ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  'string[]': ['in', 'not_in', 'contains', 'exists'],
};
