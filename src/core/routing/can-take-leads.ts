import type { ManagerId } from '../ids.js';
import { findCandidates } from './candidates.js';
import type { ManagerProfile } from './manager-profile.js';
import type { Exclusion } from './trace.js';

export interface TakeCheck {
  /** Leads the manager would take at once (a bulk reassignment counts them all). */
  count?: number;
  /** Skip paused, absence and working hours: a manager who picks a lead by hand decides their own hours. */
  capacityOnly?: boolean;
}

/**
 * Why a manager cannot take `count` more leads at `at`, judged exactly as routing judges a
 * candidate (availability on their own clock, then the open and the daily cap), or null.
 * A cap exclusion reports the manager's real load, not the load the check added.
 */
export function refusalToTake(manager: ManagerProfile, at: number, check: TakeCheck = {}): Exclusion | null {
  const extra = Math.max(0, (check.count ?? 1) - 1);
  const probe: ManagerProfile = {
    ...manager,
    load: { open: manager.load.open + extra, today: manager.load.today + extra },
    ...(check.capacityOnly ? { paused: false, absences: [], workingHours: null } : {}),
  };
  const target = { kind: 'group' as const, managers: [manager.id as ManagerId], strategy: 'round_robin' as const };
  const reason = findCandidates(target, [probe], { lead: { custom: {} }, at }).excluded[0]?.reason ?? null;
  if (reason?.kind === 'open_cap') return { ...reason, open: manager.load.open };
  if (reason?.kind === 'daily_cap') return { ...reason, today: manager.load.today };
  return reason;
}
