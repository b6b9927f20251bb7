import type { ManagerId, RuleId, TeamId } from '../../src/core/ids.js';
import type { LeadFacts } from '../../src/core/lead-facts.js';
import type { ManagerProfile } from '../../src/core/routing/manager-profile.js';
import type { FallbackTarget, Rule, RuleSetDefinition, Target } from '../../src/core/routing/rule-set.js';

export const managerId = (id: string): ManagerId => id as ManagerId;
export const ruleId = (id: string): RuleId => id as RuleId;
export const teamId = (id: string): TeamId => id as TeamId;

export function manager(id: string, overrides: Partial<Omit<ManagerProfile, 'id'>> = {}): ManagerProfile {
  return {
    id: managerId(id),
    name: overrides.name ?? `Manager ${id}`,
    teamId: null,
    weight: 1,
    maxOpen: null,
    maxPerDay: null,
    skills: [],
    industries: [],
    regions: [],
    languages: [],
    timeZone: 'Europe/Moscow',
    workingHours: null,
    absences: [],
    paused: false,
    load: { open: 0, today: 0 },
    performance: { leads: 0, won: 0 },
    ...overrides,
  };
}

export function lead(facts: Partial<LeadFacts> = {}): LeadFacts {
  return { custom: {}, ...facts };
}

export function rule(id: string, target: Target, extra: Partial<Omit<Rule, 'id' | 'target'>> = {}): Rule {
  return { id: ruleId(id), name: extra.name ?? id, target, ...extra };
}

export function group(strategy: Extract<Target, { kind: 'group' }>['strategy'], extra: Partial<Extract<Target, { kind: 'group' }>> = {}): Target {
  return { kind: 'group', strategy, ...extra };
}

export function ruleSet(rules: Rule[], extra: Partial<RuleSetDefinition> = {}): RuleSetDefinition {
  return {
    ownership: { enabled: true, whenOwnerUnavailable: 'next_rule' },
    rules,
    fallback: { kind: 'pool' } satisfies FallbackTarget,
    ...extra,
  };
}

/** Monday 2026-03-02 12:00 in Moscow (09:00 UTC): everyone with office hours is at work. */
export const MONDAY_NOON_MSK = Date.parse('2026-03-02T09:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const OFFICE_HOURS = {
  mon: [['09:00', '18:00']],
  tue: [['09:00', '18:00']],
  wed: [['09:00', '18:00']],
  thu: [['09:00', '18:00']],
  fri: [['09:00', '18:00']],
} satisfies ManagerProfile['workingHours'];
