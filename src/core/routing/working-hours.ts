import type { Weekday, WeeklyHours } from './manager-profile.js';

/**
 * Working hours parsed on demand, one weekday at a time, keeping the last one: a session
 * looks at each manager's current weekday only, and parsing whole weeks for a thousand
 * managers per batch shows up in profiles.
 */
export class CompiledWeeklyHours {
  private weekday: Weekday | null = null;
  private day: readonly number[] = [];

  constructor(private readonly hours: WeeklyHours) {}

  /** Intervals of a weekday as [from, to) minute pairs, flattened: [from0, to0, from1, to1, …]. */
  intervals(weekday: Weekday): readonly number[] {
    if (weekday !== this.weekday) {
      this.day = parseDay(this.hours[weekday]);
      this.weekday = weekday;
    }
    return this.day;
  }
}

/** "HH:MM" → minutes since midnight; "24:00" is allowed as an end of day. NaN when malformed. */
export function parseClockTime(text: string): number {
  // Read by character codes: cheaper than a regex, and this runs for every manager of a batch.
  if (typeof text !== 'string' || text.length !== 5 || text.charCodeAt(2) !== 58 /* : */) return Number.NaN;
  const hours = digit(text, 0) * 10 + digit(text, 1);
  const minutes = digit(text, 3) * 10 + digit(text, 4);
  if (!(minutes <= 59 && hours <= 24) || (hours === 24 && minutes !== 0)) return Number.NaN;
  return hours * 60 + minutes;
}

function digit(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : Number.NaN;
}

/**
 * A malformed interval or one with from ≥ to is dropped: the profile editor rejects them,
 * and routing must not fail over one.
 */
function parseDay(intervals: ReadonlyArray<readonly [string, string]> | undefined): number[] {
  const out: number[] = [];
  if (!Array.isArray(intervals)) return out;
  for (const interval of intervals) {
    if (!Array.isArray(interval)) continue;
    const from = parseClockTime(interval[0]);
    const to = parseClockTime(interval[1]);
    if (from < to) out.push(from, to);
  }
  return out;
}

/** null (always on duty) stays null. */
export function compileWeeklyHours(hours: WeeklyHours | null): CompiledWeeklyHours | null {
  return hours === null ? null : new CompiledWeeklyHours(hours);
}

export function isWithinHours(hours: CompiledWeeklyHours, weekday: Weekday, minuteOfDay: number): boolean {
  const intervals = hours.intervals(weekday);
  for (let i = 0; i + 1 < intervals.length; i += 2) {
    if (minuteOfDay >= (intervals[i] as number) && minuteOfDay < (intervals[i + 1] as number)) return true;
  }
  return false;
}
