import type { ManagerId } from '../ids.js';
import type { LeadFacts } from '../lead-facts.js';
import { normalizeText } from './conditions.js';
import { LocalClockCache, minuteBucketOf } from './local-clock.js';
import type { ManagerProfile } from './manager-profile.js';
import { type ManagerIndex, indexManagers } from './manager-index.js';
import { type ManagerRuntime, covers, refreshManager } from './manager-runtime.js';
import type { ProfileMatch, Target } from './rule-set.js';
import type { ExcludedManager, Exclusion } from './trace.js';

export type GroupTarget = Extract<Target, { kind: 'group' }>;

/** What a group target needs per lead, worked out once per session. */
export interface GroupPlan {
  /** Explicit managers, then members of the listed teams, each once. */
  readonly members: readonly ManagerRuntime[];
  /** Listed ids that are not managers (a rule set validated earlier than a manager was removed). */
  readonly unknown: readonly ExcludedManager[];
  /** Original spelling for the trace, lower-cased for the check. */
  readonly requiredSkills: ReadonlyArray<{ skill: string; key: string }>;
  readonly match: readonly ProfileMatch[];
}

/** The lead attributes profile matching looks at, normalised once per lead. */
export interface LeadProfile {
  readonly interests: ReadonlyArray<{ value: string; key: string }>;
  readonly region: { value: string; key: string } | null;
  readonly language: { value: string; key: string } | null;
  readonly industry: { value: string; key: string } | null;
}

/** A group with neither `managers` nor `teams` means every manager. */
export function planGroup(target: GroupTarget, index: ManagerIndex): GroupPlan {
  const requiredSkills = (target.requiredSkills ?? []).map((skill) => ({ skill, key: normalizeText(skill) }));
  const match = target.match ?? [];
  if (target.managers === undefined && target.teams === undefined) {
    return { members: index.all(), unknown: [], requiredSkills, match };
  }
  const members: ManagerRuntime[] = [];
  const unknown: ExcludedManager[] = [];
  // Duplicates are possible only when a list names someone twice or the group mixes people and teams.
  const seen = (target.managers?.length ?? 0) + (target.teams?.length ?? 0) > 1 ? new Set<string>() : null;
  const add = (manager: ManagerRuntime): void => {
    if (seen !== null) {
      if (seen.has(manager.id)) return;
      seen.add(manager.id);
    }
    members.push(manager);
  };
  for (const id of target.managers ?? []) {
    const manager = index.get(id);
    if (manager !== undefined) add(manager);
    else if (seen === null || !seen.has(id)) {
      seen?.add(id);
      unknown.push({ managerId: id, reason: { kind: 'unknown_manager' } });
    }
  }
  for (const team of target.teams ?? []) for (const manager of index.team(team)) add(manager);
  return { members, unknown, requiredSkills, match };
}

export function leadProfileOf(lead: LeadFacts): LeadProfile {
  const keyed = (value: string | undefined): { value: string; key: string } | null => {
    if (typeof value !== 'string') return null;
    const key = normalizeText(value);
    return key === '' ? null : { value, key };
  };
  const interests: Array<{ value: string; key: string }> = [];
  for (const value of Array.isArray(lead.productInterest) ? lead.productInterest : []) {
    const item = typeof value === 'string' ? keyed(value) : null;
    if (item !== null) interests.push(item);
  }
  return { interests, region: keyed(lead.region), language: keyed(lead.language), industry: keyed(lead.industry) };
}

const DROPPED: Exclusion = { kind: 'dropped_before' };

/**
 * The first reason a manager cannot take this lead, in a fixed order: dropped before,
 * paused, absent, off hours, open cap, daily cap, missing skill, profile mismatch. Pass
 * `plan` null for the checks that apply to an owner (no skill or profile checks).
 * The manager must be refreshed for the request's time first.
 */
export function exclusionOf(
  manager: ManagerRuntime,
  plan: GroupPlan | null,
  lead: LeadProfile | null,
  dropped: ReadonlySet<ManagerId> | undefined,
): ExcludedManager | null {
  if (dropped !== undefined && dropped.has(manager.id)) return { managerId: manager.id, reason: DROPPED };
  if (manager.unavailable !== null) return manager.unavailable;
  const { open, today } = manager.load;
  const { maxOpen, maxPerDay } = manager.profile;
  if (maxOpen !== null && open >= maxOpen) return { managerId: manager.id, reason: { kind: 'open_cap', open, max: maxOpen } };
  if (maxPerDay !== null && today >= maxPerDay) {
    return { managerId: manager.id, reason: { kind: 'daily_cap', today, max: maxPerDay } };
  }
  if (plan === null) return null;
  for (const { skill, key } of plan.requiredSkills) {
    if (!covers(manager, 'skill', key)) return { managerId: manager.id, reason: { kind: 'missing_skill', skill } };
  }
  if (lead === null) return null;
  for (const attribute of plan.match) {
    const gap = profileGap(manager, attribute, lead);
    if (gap !== null) return { managerId: manager.id, reason: { kind: 'profile_mismatch', attribute, value: gap } };
  }
  return null;
}

/** The lead value the manager's profile does not cover, or null; a lead without the attribute passes. */
function profileGap(manager: ManagerRuntime, attribute: ProfileMatch, lead: LeadProfile): string | null {
  switch (attribute) {
    case 'skill':
      for (const interest of lead.interests) if (!covers(manager, 'skill', interest.key)) return interest.value;
      return null;
    case 'region':
      return lead.region === null || covers(manager, 'region', lead.region.key) ? null : lead.region.value;
    case 'language':
      return lead.language === null || covers(manager, 'language', lead.language.key) ? null : lead.language.value;
    case 'industry':
      return lead.industry === null || covers(manager, 'industry', lead.industry.key) ? null : lead.industry.value;
  }
}

/**
 * The candidates of a group target for one lead, with the reason each other member was
 * left out. For one-off use (SLA reassignment, previews); a session keeps plans and
 * runtimes across leads instead.
 */
export function findCandidates(
  target: GroupTarget,
  managers: readonly ManagerProfile[],
  request: { lead: LeadFacts; at: number; excludeManagers?: ReadonlySet<ManagerId> },
): { candidates: ManagerProfile[]; excluded: ExcludedManager[] } {
  const plan = planGroup(target, indexManagers(managers));
  const lead = plan.match.length > 0 ? leadProfileOf(request.lead) : null;
  const clocks = new LocalClockCache();
  // The loads given are today's, so they count for the local date at `at`.
  const context = { at: request.at, minute: minuteBucketOf(request.at), clocks, startAt: request.at, startClocks: clocks };
  const candidates: ManagerProfile[] = [];
  const excluded: ExcludedManager[] = [...plan.unknown];
  for (const manager of plan.members) {
    refreshManager(manager, context);
    const exclusion = exclusionOf(manager, plan, lead, request.excludeManagers);
    if (exclusion === null) candidates.push(manager.profile);
    else excluded.push(exclusion);
  }
  return { candidates, excluded };
}
