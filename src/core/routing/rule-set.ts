import type { ManagerId, RuleId, TeamId } from '../ids.js';

/** A condition on lead fields; `field` is a key of LEAD_FIELDS or `custom.<key>`. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: string; op: 'eq' | 'neq'; value: string | number | boolean }
  | { field: string; op: 'in' | 'not_in'; value: Array<string | number> }
  | { field: string; op: 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  | { field: string; op: 'between'; value: [number, number] }
  | { field: string; op: 'contains'; value: string }
  /** Text that begins with the value (trimmed, case-insensitive). */
  | { field: string; op: 'starts_with'; value: string }
  /** A name whose initial letter (legal forms, quotes and digits passed over; Ё as Е) is in one of the ranges: `["А-К", "A-M"]`. */
  | { field: string; op: 'initial_in'; value: string[] }
  | { field: string; op: 'exists'; value?: boolean };

export type ComparisonOp = Extract<Condition, { op: string }>['op'];

/** Lead attributes a manager profile can be matched against. */
export type ProfileMatch = 'skill' | 'region' | 'language' | 'industry';

export type GroupStrategy = 'round_robin' | 'weighted' | 'least_loaded' | 'performance';

/** A manager's place in a group: `high`, `normal`, `low` (tiers 1, 2, 3) or a tier number 1–99; a smaller tier is tried first. */
export type Priority = 'high' | 'normal' | 'low' | number;

/** How long a group rule's fair-share count runs before it starts from zero for everyone, in the rule's team time zone. */
export type FairnessPeriod = 'none' | 'day' | 'week' | 'month';

export interface PerformanceSettings {
  /** Share no candidate falls below, as a fraction of an equal share (0.5 = half of 1/k). */
  floor: number;
  /** Weight of the team's conversion rate as a prior, in leads (Beta prior strength). */
  priorStrength: number;
}

export type Target =
  | { kind: 'pool' }
  /** One person distributes these leads by hand (a dispatcher); availability is not checked. */
  | { kind: 'person'; managerId: ManagerId }
  | {
      kind: 'group';
      managers?: ManagerId[];
      teams?: TeamId[];
      /** Keep only candidates whose profile covers this lead attribute. */
      match?: ProfileMatch[];
      requiredSkills?: string[];
      strategy: GroupStrategy;
      /** Per-rule weights; a manager's own weight applies where absent. */
      weights?: Record<string, number>;
      performance?: Partial<PerformanceSettings>;
      /** Per-rule priorities (manager id → priority), instead of the manager's own. */
      priorities?: Record<string, Priority>;
      /** Default `none`: the count runs on forever. */
      fairnessPeriod?: FairnessPeriod;
    };

export interface Rule {
  id: RuleId;
  name: string;
  enabled?: boolean;
  when?: Condition;
  target: Target;
  /** When every candidate is filtered out: try the following rules (default) or go to the fallback. */
  onNoCandidate?: 'next_rule' | 'fallback';
}

export type OwnerUnavailablePolicy = 'wait' | 'next_rule' | 'pool';

export type FallbackTarget = { kind: 'pool' } | { kind: 'manager'; managerId: ManagerId };

/**
 * Whose owner a lead of a subsidiary (a company with a parent, the holding) goes to:
 * `fallback` (default) the holding's owner only when neither the contact nor the subsidiary has
 * one; `holding` the holding's owner first, whenever it has one; `never` the holding's owner is
 * not used. An open lead's owner wins in every case.
 */
export type HoldingOwnerPolicy = 'fallback' | 'holding' | 'never';

export interface RuleSetDefinition {
  ownership: { enabled: boolean; whenOwnerUnavailable: OwnerUnavailablePolicy; holdingOwner?: HoldingOwnerPolicy };
  rules: Rule[];
  fallback: FallbackTarget;
}
