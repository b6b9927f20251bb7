import type { Exclusion } from './trace.js';
import type { ManagerProfile, Weekday } from './manager-profile.js';
import { type LocalClock, localInstant, readLocalClock } from './local-clock.js';
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

/** What a manager's availability turns into next, and when. */
export interface AvailabilityChange {
  /** The first instant (ms) with the new availability. */
  at: number;
  /** As checkAvailability reports it then: null is available. */
  becomes: Exclusion | null;
}

/** Days looked ahead past today, or past the end of a current absence: a whole week and a day. */
const CHANGE_HORIZON_DAYS = 8;
/** An absence longer than this is not looked past. */
const LONGEST_ABSENCE_DAYS = 366;
const DAY_MS = 86_400_000;
const WEEKDAY_OF_UTC_DAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * When the manager's availability next turns into another kind (available, off hours, absent),
 * judged by checkAvailability itself at each instant where it can change: the start and end of
 * a working interval and local midnight (absences cover whole local dates). null when nothing
 * changes within a week and a day (after a current absence): paused (only a person ends a
 * pause), always on duty, or never on duty.
 */
export function nextAvailabilityChange(manager: AvailabilityProfile, at: number): AvailabilityChange | null {
  if (manager.paused) return null;
  const current = checkAvailability(manager, at);
  const hours = compileWeeklyHours(manager.workingHours);
  const today = readLocalClock(manager.timeZone, at).date;
  let lastDay = addDays(today, CHANGE_HORIZON_DAYS);
  if (current?.kind === 'absent') lastDay = addDays(minDate(latestAbsenceEnd(manager.absences, current.until), addDays(today, LONGEST_ABSENCE_DAYS)), CHANGE_HORIZON_DAYS);
  for (let date = today; date <= lastDay; date = addDays(date, 1)) {
    const minutes = [0];
    if (hours !== null) minutes.push(...hours.intervals(weekdayOf(date)));
    const instants = minutes.map((minute) => localInstant(manager.timeZone, date, minute)).sort((a, b) => a - b);
    for (const instant of instants) {
      if (instant <= at) continue;
      const then = checkAvailability(manager, instant);
      if ((then?.kind ?? null) !== (current?.kind ?? null)) return { at: instant, becomes: then };
    }
  }
  return null;
}

/** The end of the run of absences that covers `until` and any that start by the day after it. */
function latestAbsenceEnd(absences: ManagerProfile['absences'], until: string): string {
  let end = until;
  for (let grew = true; grew; ) {
    grew = false;
    for (const absence of absences) {
      if (absence.from <= addDays(end, 1) && absence.to > end) {
        end = absence.to;
        grew = true;
      }
    }
  }
  return end;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

function weekdayOf(date: string): Weekday {
  return WEEKDAY_OF_UTC_DAY[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? 'mon';
}
