import { z } from 'zod';
import type { Condition, RuleSetDefinition } from './rule-set.js';

/**
 * The shape of a rule set: types and keys only (unknown keys are rejected). Meaning —
 * known fields, operators that fit the field, existing managers and teams, sensible
 * numbers — is checked by `validateRuleSet`, which is what callers should use.
 */

const idSchema = z.string().min(1);

export const CONDITION_OPS = ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'contains', 'starts_with', 'initial_in', 'exists'] as const;

const field = z.string().min(1);

export const comparisonSchema = z
  .discriminatedUnion('op', [
    z.strictObject({ field, op: z.enum(['eq', 'neq']), value: z.union([z.string(), z.number(), z.boolean()]) }),
    z.strictObject({ field, op: z.enum(['in', 'not_in']), value: z.array(z.union([z.string(), z.number()])) }),
    z.strictObject({ field, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number() }),
    z.strictObject({ field, op: z.literal('between'), value: z.tuple([z.number(), z.number()]) }),
    z.strictObject({ field, op: z.literal('contains'), value: z.string() }),
    z.strictObject({ field, op: z.literal('starts_with'), value: z.string() }),
    z.strictObject({ field, op: z.literal('initial_in'), value: z.array(z.string()).describe('Letter ranges: "А-К", "Л-Я", "A-M", or one letter "Ж"') }),
    z.strictObject({ field, op: z.literal('exists'), value: z.boolean().optional() }),
  ])
  .meta({ id: 'RuleComparison', description: 'One test of a lead field (a lead field name, or custom.<name>) with an operator; docs/rules.md lists the fields and which operators fit each' });

/** Order matters: `conditionBranchOf` in validate-rule-set picks a branch's issues by this index. */
export const conditionSchema: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([
      z.strictObject({ all: z.array(conditionSchema) }),
      z.strictObject({ any: z.array(conditionSchema) }),
      z.strictObject({ not: conditionSchema }),
      comparisonSchema,
    ]),
  )
  .meta({ id: 'RuleCondition', description: 'A comparison, or a group: all (every one holds), any (at least one holds), not (it does not hold); groups nest' });

export const PROFILE_MATCHES = ['skill', 'region', 'language', 'industry'] as const;
export const PRIORITY_WORDS = ['high', 'normal', 'low'] as const;
export const FAIRNESS_PERIOD_VALUES = ['none', 'day', 'week', 'month'] as const;

export const prioritySchema = z
  .union([z.enum(PRIORITY_WORDS), z.number()])
  .meta({ id: 'RulePriority', description: 'A priority tier: high, normal or low (tiers 1, 2, 3), or a tier number 1–99; a smaller tier is tried first' });
export const GROUP_STRATEGIES = ['round_robin', 'weighted', 'least_loaded', 'performance'] as const;

export const targetSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('pool') }),
    z.strictObject({ kind: z.literal('person'), managerId: idSchema.describe('The one manager who gets the lead') }),
    z.strictObject({
      kind: z.literal('group'),
      managers: z.array(idSchema).optional().describe('Managers by id; with teams, the union of both'),
      teams: z.array(idSchema).optional().describe("Teams by id: every active manager of each"),
      match: z.array(z.enum(PROFILE_MATCHES)).optional().describe("Keep only managers whose profile matches the lead's product interest (skill), region, language or industry"),
      requiredSkills: z.array(z.string().min(1)).optional().describe('Keep only managers who have every one of these skills'),
      strategy: z.enum(GROUP_STRATEGIES).describe('How one manager is chosen among the candidates left'),
      weights: z.record(z.string(), z.number()).optional().describe("Per-manager weight for this rule (manager id → weight > 0), instead of the manager's own weight"),
      performance: z
        .strictObject({
          floor: z.number().optional().describe('0–1 (default 0.5): each of k candidates keeps at least floor/k of the leads, however it converts'),
          priorStrength: z.number().optional().describe("≥ 0 (default 20): how many leads the team's conversion rate counts as, so a newcomer's few leads do not swing the share"),
        })
        .optional()
        .describe('Settings of the performance strategy'),
      priorities: z
        .record(z.string(), prioritySchema)
        .optional()
        .describe("Per-manager priority for this rule (manager id → high, normal, low or 1–99), instead of the manager's own; only the best tier with someone who can take the lead takes part"),
      fairnessPeriod: z
        .enum(FAIRNESS_PERIOD_VALUES)
        .optional()
        .describe("none (default): the fair-share count runs on; day, week or month: it starts from zero for everyone at each local day, ISO week or month of the rule's team time zone"),
    }),
  ])
  .meta({ id: 'RuleTarget', description: 'Where a matching lead goes: the pool, one person, or a group of managers with a strategy' });

export const ruleSchema = z
  .strictObject({
    id: z.string().describe('Unique within the rule set; decisions and reports name the rule by it'),
    name: z.string().min(1).describe('Shown to people in decisions and reports'),
    enabled: z.boolean().optional().describe('false: the rule is skipped (default true)'),
    when: conditionSchema.optional().describe('The condition a lead must meet; absent: every lead'),
    target: targetSchema,
    onNoCandidate: z.enum(['next_rule', 'fallback']).optional().describe('When the target has nobody who can take the lead now: try the next rule (default) or go straight to the fallback'),
  })
  .meta({ id: 'Rule', description: 'One routing rule; rules are tried in order and the first whose condition holds and whose target has a candidate decides' });

export const fallbackSchema = z
  .discriminatedUnion('kind', [z.strictObject({ kind: z.literal('pool') }), z.strictObject({ kind: z.literal('manager'), managerId: idSchema })])
  .meta({ id: 'RuleFallback', description: 'Where a lead goes when no rule placed it: the shared pool, or one manager' });

export const ruleSetDefinitionSchema = z
  .strictObject({
    ownership: z
      .strictObject({
        enabled: z.boolean().describe("true: a lead of a known client goes to the client's owner before any rule"),
        whenOwnerUnavailable: z.enum(['wait', 'next_rule', 'pool']).describe('The owner is off hours, away or at a cap: keep the lead for them (wait), route it by the rules (next_rule), or put it in the pool'),
        holdingOwner: z
          .enum(['fallback', 'holding', 'never'])
          .optional()
          .describe("A subsidiary's lead (its company has a parent): the holding's owner only when the contact and the subsidiary have none (fallback, default), the holding's owner first (holding), or never"),
      })
      .meta({ id: 'OwnershipPolicy', description: "Leads of existing clients (matched by phone, e-mail, tax id or domain) and the client's owner" }),
    rules: z.array(ruleSchema).describe('Tried in order'),
    fallback: fallbackSchema,
  })
  .meta({ id: 'RuleSetDefinition', description: 'A rule set: the ownership policy, ordered rules and the fallback. Field by field with examples: docs/rules.md' });

/** What the schema accepts: RuleSetDefinition with plain strings where it has branded ids. */
export type RuleSetDefinitionInput = z.infer<typeof ruleSetDefinitionSchema>;

// Keeps the schema from drifting from the contract type: every definition must parse.
type Extends<A, B> = A extends B ? true : false;
const definitionFitsSchema: Extends<RuleSetDefinition, RuleSetDefinitionInput> = true;
void definitionFitsSchema;
