import type { Exclusion } from './trace.js';
import type { ManagerProfile } from './manager-profile.js';
import { type LocalClock, readLocalClock } from './local-clock.js';
import { type CompiledWeeklyHours, compileWeeklyHours, isWithinHours } from './working-hours.js';

type AvailabilityProfile = Pick<ManagerProfile, 'paused' | 'absences' | 'timeZone' | 'workingHours'>;

/**
 * Whether a manager can take a lead at `at`, judged on their own local clock: paused,
 * absent on their local date, or outside their working hours. null means available.
 */
export function checkAvailability(manager: AvailabilityProfile, at: number): Exclusion | null {
  return availabilityOn(manager, compileWeeklyHours(manager.workingHours), readLocalClock(manager.timeZone, at));
}

/** The same check with hours parsed and the clock read beforehand, for callers that cache both. */
export function availabilityOn(
  manager: Pick<ManagerProfile, 'paused' | 'absences' | 'timeZone'>,
  hours: CompiledWeeklyHours | null,
  clock: LocalClock,
): Exclusion | null {
  if (manager.paused) return { kind: 'paused' };
  const until = absentUntil(manager.absences, clock.date);
  if (until !== null) return { kind: 'absent', until };
  if (hours !== null && !isWithinHours(hours, clock.weekday, clock.minuteOfDay)) {
    return { kind: 'off_hours', timeZone: manager.timeZone, localTime: clock.time };
  }
  return null;
}

/** The manager's local date (yyyy-mm-dd) at `at`: absences and daily caps count by it. */
export function managerLocalDate(manager: Pick<ManagerProfile, 'timeZone'>, at: number): string {
  return readLocalClock(manager.timeZone, at).date;
}

/** Last day of the absence covering `date` (ISO dates compare as strings); the latest one if several overlap. */
function absentUntil(absences: ManagerProfile['absences'], date: string): string | null {
  let until: string | null = null;
  for (const absence of absences) {
    if (absence.from <= date && date <= absence.to && (until === null || absence.to > until)) until = absence.to;
  }
  return until;
}
