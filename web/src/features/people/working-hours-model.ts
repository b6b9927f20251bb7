/**
 * The weekly working-hours editor's model and its conversion to and from the API's
 * `workingHours`: `null` means around the clock; otherwise per weekday a list of
 * `["HH:MM", "HH:MM"]` intervals in the manager's own time zone, a day left out being a day off.
 *
 * Pure functions, no React: the editor calls them, and test/web/working-hours-model.test.ts
 * proves that reading the API's hours and writing them back gives the same JSON for every shape.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WORKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** The API's shape (src/core/routing/manager-profile.ts WeeklyHours), null for around the clock. */
export type ApiWeeklyHours = Partial<Record<Weekday, Array<[string, string]>>>;

export interface Interval {
  from: string;
  to: string;
}

export interface WeekModel {
  /** No hours at all: the manager takes leads at any time (the API's null). */
  aroundTheClock: boolean;
  /** Kept while around the clock is on, so switching it off brings the week back. */
  days: Record<Weekday, Interval[]>;
}

const MINUTES_PER_DAY = 24 * 60;

function emptyDays(): Record<Weekday, Interval[]> {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

/** What a new manager starts with: Monday to Friday, 09:00–18:00. */
export function defaultWeek(): WeekModel {
  const days = emptyDays();
  for (const day of WORKDAYS) days[day] = [{ from: '09:00', to: '18:00' }];
  return { aroundTheClock: false, days };
}

/** The API's hours as the editor's model. An empty week offered when around the clock is switched off is Monday–Friday 09:00–18:00. */
export function fromApi(hours: ApiWeeklyHours | null | undefined): WeekModel {
  if (hours === null || hours === undefined) return { aroundTheClock: true, days: defaultWeek().days };
  const days = emptyDays();
  for (const day of WEEKDAYS) days[day] = (hours[day] ?? []).map(([from, to]) => ({ from, to }));
  return { aroundTheClock: false, days };
}

/** The editor's model as the API's hours: null around the clock; days without intervals left out (a day off). */
export function toApi(model: WeekModel): ApiWeeklyHours | null {
  if (model.aroundTheClock) return null;
  const hours: ApiWeeklyHours = {};
  for (const day of WEEKDAYS) {
    const intervals = model.days[day];
    if (intervals.length > 0) hours[day] = intervals.map((i): [string, string] => [i.from, i.to]);
  }
  return hours;
}

/** "HH:MM" → minutes since midnight, "24:00" allowed as an end; NaN when malformed (as the server reads it). */
export function minutesOf(time: string): number {
  const match = /^(\d\d):(\d\d)$/.exec(time);
  if (!match) return Number.NaN;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return Number.NaN;
  return hours * 60 + minutes;
}

/**
 * What a head types, as "HH:MM" when it reads as a time of day: "9" → "09:00", "930" → "09:30",
 * "9.30" or "9-30" → "09:30", "24" → "24:00"; anything else is returned as typed, so the editor
 * can point at it.
 */
export function normalizeTime(text: string): string {
  const trimmed = text.trim();
  const match = /^(\d{1,2})(?:[:.\-\s]?(\d{2}))?$/.exec(trimmed);
  if (!match) return trimmed;
  const candidate = `${(match[1] as string).padStart(2, '0')}:${match[2] ?? '00'}`;
  return Number.isNaN(minutesOf(candidate)) ? trimmed : candidate;
}

export function timeOf(minutes: number): string {
  const m = Math.max(0, Math.min(MINUTES_PER_DAY, Math.round(minutes)));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function withDay(model: WeekModel, day: Weekday, intervals: Interval[]): WeekModel {
  return { ...model, days: { ...model.days, [day]: intervals } };
}

/** The interval a day would get next: 09:00–18:00 on an empty day, else an hour starting an hour after the last one ends; null when the day is full. */
export function nextInterval(intervals: readonly Interval[]): Interval | null {
  const last = intervals[intervals.length - 1];
  if (!last) return { from: '09:00', to: '18:00' };
  const end = minutesOf(last.to);
  if (Number.isNaN(end)) return null;
  const start = Math.min(end + 60, MINUTES_PER_DAY - 60);
  if (start <= end) return null;
  return { from: timeOf(start), to: timeOf(Math.min(start + 60, MINUTES_PER_DAY)) };
}

export function addInterval(model: WeekModel, day: Weekday): WeekModel {
  const next = nextInterval(model.days[day]);
  return next ? withDay(model, day, [...model.days[day], next]) : model;
}

export function removeInterval(model: WeekModel, day: Weekday, index: number): WeekModel {
  return withDay(model, day, model.days[day].filter((_, i) => i !== index));
}

export function changeInterval(model: WeekModel, day: Weekday, index: number, patch: Partial<Interval>): WeekModel {
  return withDay(model, day, model.days[day].map((interval, i) => (i === index ? { ...interval, ...patch } : interval)));
}

/** A day off: no intervals. */
export function clearDay(model: WeekModel, day: Weekday): WeekModel {
  return withDay(model, day, []);
}

/** Tuesday to Friday (or the given days) get a copy of the source day's intervals. */
export function copyDay(model: WeekModel, source: Weekday, targets: readonly Weekday[] = WORKDAYS): WeekModel {
  const days = { ...model.days };
  for (const day of targets) if (day !== source) days[day] = model.days[source].map((i) => ({ ...i }));
  return { ...model, days };
}

/**
 * A lunch break from..to on a day: the interval that holds it is split in two around it. A day
 * with no interval holding the break whole is left as it was (false in `changed`).
 */
export function addBreak(model: WeekModel, day: Weekday, from: string, to: string): { model: WeekModel; changed: boolean } {
  const start = minutesOf(from);
  const end = minutesOf(to);
  if (!(start < end)) return { model, changed: false };
  const intervals = model.days[day];
  const index = intervals.findIndex((i) => minutesOf(i.from) < start && end < minutesOf(i.to));
  const holder = intervals[index];
  if (!holder) return { model, changed: false };
  const split = [{ from: holder.from, to: from }, { from: to, to: holder.to }];
  return { model: withDay(model, day, [...intervals.slice(0, index), ...split, ...intervals.slice(index + 1)]), changed: true };
}

/** The break on every day whose hours hold it. */
export function addBreakToAllDays(model: WeekModel, from: string, to: string): { model: WeekModel; changedDays: Weekday[] } {
  let current = model;
  const changedDays: Weekday[] = [];
  for (const day of WEEKDAYS) {
    const result = addBreak(current, day, from, to);
    current = result.model;
    if (result.changed) changedDays.push(day);
  }
  return { model: current, changedDays };
}

export function setAroundTheClock(model: WeekModel, on: boolean): WeekModel {
  return { ...model, aroundTheClock: on };
}

export type IntervalProblem = 'malformed' | 'ends_before_start' | 'overlaps';

/** What the server would refuse, found while the head types: per day, the index of each bad interval and why. */
export function problemsOf(model: WeekModel): Partial<Record<Weekday, Array<{ index: number; problem: IntervalProblem }>>> {
  const problems: Partial<Record<Weekday, Array<{ index: number; problem: IntervalProblem }>>> = {};
  if (model.aroundTheClock) return problems;
  for (const day of WEEKDAYS) {
    const list: Array<{ index: number; problem: IntervalProblem }> = [];
    const parsed = model.days[day].map((i) => [minutesOf(i.from), minutesOf(i.to)] as const);
    parsed.forEach(([from, to], index) => {
      if (Number.isNaN(from) || Number.isNaN(to)) list.push({ index, problem: 'malformed' });
      else if (from >= to) list.push({ index, problem: 'ends_before_start' });
      else if (parsed.some(([f, t], other) => other < index && !Number.isNaN(f) && !Number.isNaN(t) && f < to && from < t)) list.push({ index, problem: 'overlaps' });
    });
    if (list.length > 0) problems[day] = list;
  }
  return problems;
}

export function hasProblems(model: WeekModel): boolean {
  return Object.keys(problemsOf(model)).length > 0;
}

/** Minutes of work in a week (for a summary such as "40 h a week"); null around the clock. */
export function weeklyMinutes(model: WeekModel): number | null {
  if (model.aroundTheClock) return null;
  let total = 0;
  for (const day of WEEKDAYS) for (const i of model.days[day]) total += Math.max(0, minutesOf(i.to) - minutesOf(i.from)) || 0;
  return total;
}

/** A day's hours in one line: "09:00–13:00, 14:00–18:00"; empty for a day off. */
export function describeDay(intervals: readonly Interval[]): string {
  return intervals.map((i) => `${i.from}–${i.to}`).join(', ');
}

/** Consecutive weekdays with the same hours, for a one-line summary: Mon–Fri 09:00–18:00, Sat 10:00–16:00; days off left out. */
export function groupDays(model: WeekModel): Array<{ first: Weekday; last: Weekday; hours: string }> {
  const groups: Array<{ first: Weekday; last: Weekday; hours: string }> = [];
  for (const day of WEEKDAYS) {
    const hours = describeDay(model.days[day]);
    const previous = groups[groups.length - 1];
    const adjacent = previous && WEEKDAYS.indexOf(previous.last) === WEEKDAYS.indexOf(day) - 1;
    if (hours === '') continue;
    if (previous && adjacent && previous.hours === hours) previous.last = day;
    else groups.push({ first: day, last: day, hours });
  }
  return groups;
}
