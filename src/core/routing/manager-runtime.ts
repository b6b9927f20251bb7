import type { ManagerId } from '../ids.js';
import { normalizeText } from './conditions.js';
import { availabilityOn } from './availability.js';
import type { LocalClockCache } from './local-clock.js';
import type { ManagerProfile } from './manager-profile.js';
import type { ProfileMatch } from './rule-set.js';
import type { ExcludedManager } from './trace.js';
import { type CompiledWeeklyHours, compileWeeklyHours } from './working-hours.js';

/** Stands for a profile list containing "*": covers everything. */
const EVERYTHING: ReadonlySet<string> = new Set(['*']);

/**
 * A manager as a routing session tracks one: the profile, lookups prepared on first use, the
 * live load, and availability cached for the current minute. Kept small: a session builds
 * one for every manager it looks at.
 */
export interface ManagerRuntime {
  readonly id: ManagerId;
  readonly profile: ManagerProfile;
  /** Live copy of the profile's load; the same object for the whole session. */
  readonly load: { open: number; today: number };
  readonly hours: CompiledWeeklyHours | null;
  /** Lower-cased profile lists, built when a rule first matches on them. */
  skills: ReadonlySet<string> | null;
  regions: ReadonlySet<string> | null;
  languages: ReadonlySet<string> | null;
  industries: ReadonlySet<string> | null;
  /** Local day that `load.today` counts; NaN until the session's first request. */
  todayDay: number;
  /** Minute bucket `unavailable` was computed for. */
  minute: number;
  /** Why the manager cannot take leads this minute (paused, absent, off hours), or null. */
  unavailable: ExcludedManager | null;
}

export function createManagerRuntime(profile: ManagerProfile): ManagerRuntime {
  return {
    id: profile.id,
    profile,
    load: { open: profile.load.open, today: profile.load.today },
    hours: compileWeeklyHours(profile.workingHours),
    skills: null,
    regions: null,
    languages: null,
    industries: null,
    todayDay: Number.NaN,
    minute: Number.NaN,
    unavailable: null,
  };
}

/** Whether the manager's profile covers a normalised value of a lead attribute; "*" covers everything. */
export function covers(manager: ManagerRuntime, attribute: ProfileMatch, key: string): boolean {
  let lookup: ReadonlySet<string>;
  switch (attribute) {
    case 'skill':
      lookup = manager.skills ??= lookupOf(manager.profile.skills);
      break;
    case 'region':
      lookup = manager.regions ??= lookupOf(manager.profile.regions);
      break;
    case 'language':
      lookup = manager.languages ??= lookupOf(manager.profile.languages);
      break;
    case 'industry':
      lookup = manager.industries ??= lookupOf(manager.profile.industries);
      break;
  }
  return lookup === EVERYTHING || lookup.has(key);
}

function lookupOf(values: readonly string[]): ReadonlySet<string> {
  const lookup = new Set<string>();
  // Profiles come from storage; a malformed entry covers nothing rather than failing a decision.
  if (Array.isArray(values)) for (const value of values) if (typeof value === 'string') lookup.add(normalizeText(value));
  return lookup.has('*') ? EVERYTHING : lookup;
}

/** Per-request inputs of `refreshManager`, kept in one reusable object by the session. */
export interface RefreshContext {
  at: number;
  minute: number;
  clocks: LocalClockCache;
  /** The session's first request: the starting `load.today` counts for its local date. */
  startAt: number;
  /** Read at `startAt` only, so it never evicts the current minute from `clocks`. */
  startClocks: LocalClockCache;
}

/**
 * Brings a manager up to `at`: availability for this minute, and `load.today` reset when
 * their local date has moved on. Cheap when already done this minute.
 */
export function refreshManager(manager: ManagerRuntime, context: RefreshContext): void {
  if (manager.minute === context.minute) return;
  manager.minute = context.minute;
  const { profile } = manager;
  const clock = context.clocks.read(profile.timeZone, context.at);
  const reason = availabilityOn(profile, manager.hours, clock);
  // One object per manager per minute, shared by every trace of that minute.
  manager.unavailable = reason === null ? null : { managerId: manager.id, reason };
  if (Number.isNaN(manager.todayDay)) manager.todayDay = context.startClocks.read(profile.timeZone, context.startAt).day;
  if (manager.todayDay !== clock.day) {
    manager.load.today = 0;
    manager.todayDay = clock.day;
  }
}
