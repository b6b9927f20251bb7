import { z } from 'zod';
import type { Condition, RuleSetDefinition } from './rule-set.js';

/**
 * The shape of a rule set: types and keys only (unknown keys are rejected). Meaning —
 * known fields, operators that fit the field, existing managers and teams, sensible
 * numbers — is checked by `validateRuleSet`, which is what callers should use.
 */

const idSchema = z.string().min(1);

export const CONDITION_OPS = ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'contains', 'exists'] as const;

const field = z.string().min(1);

export const comparisonSchema = z.discriminatedUnion('op', [
  z.strictObject({ field, op: z.enum(['eq', 'neq']), value: z.union([z.string(), z.number(), z.boolean()]) }),
  z.strictObject({ field, op: z.enum(['in', 'not_in']), value: z.array(z.union([z.string(), z.number()])) }),
  z.strictObject({ field, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number() }),
  z.strictObject({ field, op: z.literal('between'), value: z.tuple([z.number(), z.number()]) }),
  z.strictObject({ field, op: z.literal('contains'), value: z.string() }),
  z.strictObject({ field, op: z.literal('exists'), value: z.boolean().optional() }),
]);

/** Order matters: `conditionBranchOf` in validate-rule-set picks a branch's issues by this index. */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(conditionSchema) }),
    z.strictObject({ any: z.array(conditionSchema) }),
    z.strictObject({ not: conditionSchema }),
    comparisonSchema,
  ]),
);

export const PROFILE_MATCHES = ['skill', 'region', 'language', 'industry'] as const;
export const GROUP_STRATEGIES = ['round_robin', 'weighted', 'least_loaded', 'performance'] as const;

export const targetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('pool') }),
  z.strictObject({ kind: z.literal('person'), managerId: idSchema }),
  z.strictObject({
    kind: z.literal('group'),
    managers: z.array(idSchema).optional(),
    teams: z.array(idSchema).optional(),
    match: z.array(z.enum(PROFILE_MATCHES)).optional(),
    requiredSkills: z.array(z.string().min(1)).optional(),
    strategy: z.enum(GROUP_STRATEGIES),
    weights: z.record(z.string(), z.number()).optional(),
    performance: z.strictObject({ floor: z.number().optional(), priorStrength: z.number().optional() }).optional(),
  }),
]);

export const ruleSchema = z.strictObject({
  id: z.string(),
  name: z.string().min(1),
  enabled: z.boolean().optional(),
  when: conditionSchema.optional(),
  target: targetSchema,
  onNoCandidate: z.enum(['next_rule', 'fallback']).optional(),
});

export const fallbackSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('pool') }),
  z.strictObject({ kind: z.literal('manager'), managerId: idSchema }),
]);

export const ruleSetDefinitionSchema = z.strictObject({
  ownership: z.strictObject({
    enabled: z.boolean(),
    whenOwnerUnavailable: z.enum(['wait', 'next_rule', 'pool']),
  }),
  rules: z.array(ruleSchema),
  fallback: fallbackSchema,
});

/** What the schema accepts: RuleSetDefinition with plain strings where it has branded ids. */
export type RuleSetDefinitionInput = z.infer<typeof ruleSetDefinitionSchema>;

// Keeps the schema from drifting from the contract type: every definition must parse.
type Extends<A, B> = A extends B ? true : false;
const definitionFitsSchema: Extends<RuleSetDefinition, RuleSetDefinitionInput> = true;
void definitionFitsSchema;
