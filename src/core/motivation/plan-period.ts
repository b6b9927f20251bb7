import { DateTime } from 'luxon';
import type { Absence, Weekday, WeeklyHours } from '../routing/manager-profile.js';
import { parseClockTime } from '../routing/working-hours.js';
import { businessMinutesBetween, type BusinessCalendar } from '../sla/business-clock.js';

/**
 * A plan's period: a calendar month 'YYYY-MM', read in a time zone (the team's). Its working
 * days per person, and how much of them has passed at an instant. Pure: zones and "now" are passed in.
 */
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPlanPeriod(text: string): boolean {
  const m = MONTH.exec(text);
  return m !== null && Number(m[1]) >= 2000 && Number(m[1]) <= 9998;
}

export interface PlanPeriodBounds {
  period: string;
  /** Local dates of the first and last day, inclusive. */
  firstDay: string;
  lastDay: string;
  /** Instants of the start of the first day and of the day after the last, in the zone. */
  fromMs: number;
  toMs: number;
  timeZone: string;
}

export function planPeriodBounds(period: string, timeZone: string): PlanPeriodBounds {
  const start = DateTime.fromISO(`${period}-01`, { zone: timeZone }).startOf('day');
  const next = start.plus({ months: 1 }).startOf('day');
  return {
    period,
    firstDay: start.toFormat('yyyy-MM-dd'),
    lastDay: next.minus({ days: 1 }).toFormat('yyyy-MM-dd'),
    fromMs: start.toMillis(),
    toMs: next.toMillis(),
    timeZone,
  };
}

/** The month an instant falls in, in the zone. */
export function planPeriodAt(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toFormat('yyyy-MM');
}

export function previousPlanPeriod(period: string): string {
  return DateTime.fromISO(`${period}-01`, { zone: 'UTC' }).minus({ months: 1 }).toFormat('yyyy-MM');
}

/** Whether the month has ended at `now` in the zone (its plan is then closed). */
export function planPeriodEnded(period: string, timeZone: string, now: number): boolean {
  return now >= planPeriodBounds(period, timeZone).toMs;
}

/** Whose working days: a manager (zone, hours, holidays of the company and team, absences) or a team (no hours, no absences). */
export interface WorkCalendar {
  timeZone: string;
  /** null: Monday to Friday, whole days. */
  hours: WeeklyHours | null;
  /** Local dates off for everyone (company) or for the team. */
  holidays: ReadonlySet<string>;
  absences: readonly Absence[];
}

export interface WorkingDay {
  /** Local date YYYY-MM-DD. */
  date: string;
  /** The local day's start and the next day's start, in the calendar's zone. */
  startMs: number;
  endMs: number;
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function worksOn(hours: WeeklyHours | null, weekday: Weekday): boolean {
  if (hours === null) return weekday !== 'sat' && weekday !== 'sun';
  const intervals = hours[weekday];
  if (!Array.isArray(intervals)) return false;
  return intervals.some((i) => Array.isArray(i) && parseClockTime(i[0]) < parseClockTime(i[1]));
}

/**
 * The working days of the month: each calendar date of it (read in the calendar's zone) whose
 * weekday has working hours (Monday–Friday without hours), that is no holiday and in no absence.
 */
export function workingDaysOf(period: string, calendar: WorkCalendar): WorkingDay[] {
  const days: WorkingDay[] = [];
  let day = DateTime.fromISO(`${period}-01`, { zone: calendar.timeZone }).startOf('day');
  if (!day.isValid) day = DateTime.fromISO(`${period}-01`, { zone: 'UTC' }).startOf('day');
  const month = day.month;
  while (day.month === month) {
    const next = day.plus({ days: 1 }).startOf('day');
    const date = day.toFormat('yyyy-MM-dd');
    const weekday = WEEKDAYS[day.weekday - 1] as Weekday;
    const absent = calendar.absences.some((a) => a.from <= date && date <= a.to);
    if (worksOn(calendar.hours, weekday) && !calendar.holidays.has(date) && !absent) days.push({ date, startMs: day.toMillis(), endMs: next.toMillis() });
    day = next;
  }
  return days;
}

/**
 * How many of the working days have passed at `now`: whole days before today, and of today the
 * share of its working time gone (by the working hours; without hours, of the whole day).
 */
export function elapsedWorkingDays(days: readonly WorkingDay[], calendar: WorkCalendar, now: number): number {
  const clock: BusinessCalendar = { timeZone: calendar.timeZone, hours: calendar.hours, holidays: new Set() };
  let elapsed = 0;
  for (const d of days) {
    if (now >= d.endMs) elapsed += 1;
    else if (now > d.startMs) {
      const total = businessMinutesBetween(d.startMs, d.endMs, clock);
      elapsed += total > 0 ? Math.min(1, businessMinutesBetween(d.startMs, now, clock) / total) : 0;
    }
  }
  return elapsed;
}
