import { DateTime } from 'luxon';
import { parseClockTime } from '../routing/working-hours.js';
import type { Weekday, WeeklyHours } from '../routing/manager-profile.js';

/** Whose working time an SLA clock counts: the lead owner's zone, week and days off. */
export interface BusinessCalendar {
  /** IANA zone; an unknown zone counts as UTC rather than stopping the clock. */
  timeZone: string;
  /** null means always working (every minute of every day except holidays). */
  hours: WeeklyHours | null;
  /** Local dates YYYY-MM-DD with no working time. */
  holidays: ReadonlySet<string>;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WHOLE_DAY: ReadonlyArray<readonly [number, number]> = [[0, 1440]];

/**
 * The instant `minutes` of working time after `start` (milliseconds since the epoch). Working
 * time is real elapsed time inside working intervals, so a DST change day is an hour shorter
 * or longer. When the last minute is used up exactly at the end of an interval the deadline
 * is that end (close of business), not the next morning.
 */
export function addBusinessMinutes(start: number, minutes: number, calendar: BusinessCalendar): number {
  if (minutes <= 0) return start;
  let memo = recent.get(calendar);
  if (!memo) {
    memo = new Map();
    recent.set(calendar, memo);
  }
  const key = `${start}:${minutes}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  const due = computeBusinessDeadline(start, minutes, calendar);
  memo.set(key, due);
  return due;
}

// Leads decided together share their start instant and usually their owner's calendar.
const recent = new WeakMap<BusinessCalendar, Map<string, number>>();
const MEMO_LIMIT = 64;

function computeBusinessDeadline(start: number, minutes: number, calendar: BusinessCalendar): number {
  if (calendar.hours === null && calendar.holidays.size === 0) return start + minutes * MS_PER_MINUTE;
  const week = weekOf(calendar);
  if (week === null) return start + minutes * MS_PER_MINUTE;
  let remaining = minutes * MS_PER_MINUTE;
  const first = localDayNumber(start, calendar.timeZone);
  const last = first + daysNeededAtMost(week, minutes, calendar.holidays.size);
  for (let day = first; day <= last; day++) {
    for (const [from, to] of workingIntervals(calendar, week, day)) {
      if (to <= start) continue;
      const begin = Math.max(from, start);
      const available = to - begin;
      if (remaining <= available) return begin + remaining;
      remaining -= available;
    }
  }
  // Not reached: daysNeededAtMost is an upper bound. Plain time rather than never falling due.
  return start + minutes * MS_PER_MINUTE;
}

/**
 * How many days the search for a deadline can take, at most: whole weeks of the week's working
 * minutes, less an hour for a DST change, plus a week per holiday (a holiday may take the one
 * working day of its week) and a spare week per half-year (a change may swallow a short interval).
 */
function daysNeededAtMost(week: Week, minutes: number, holidayCount: number): number {
  let perWeek = 0;
  for (const intervals of week.values()) for (const [from, to] of intervals) perWeek += to - from;
  const usable = perWeek > 60 ? perWeek - 60 : perWeek;
  const weeks = Math.ceil(minutes / usable);
  return (weeks + Math.ceil(weeks / 26) + holidayCount + 2) * 7;
}

/** Working minutes in [from, to); negative when `to` is before `from`. */
export function businessMinutesBetween(from: number, to: number, calendar: BusinessCalendar): number {
  if (to < from) return -businessMinutesBetween(to, from, calendar);
  if (calendar.hours === null && calendar.holidays.size === 0) return (to - from) / MS_PER_MINUTE;
  const week = weekOf(calendar);
  if (week === null) return (to - from) / MS_PER_MINUTE;
  let total = 0;
  const last = localDayNumber(to, calendar.timeZone);
  for (let day = localDayNumber(from, calendar.timeZone); day <= last; day++) {
    for (const [start, end] of workingIntervals(calendar, week, day)) {
      const overlap = Math.min(end, to) - Math.max(start, from);
      if (overlap > 0) total += overlap;
    }
  }
  return total / MS_PER_MINUTE;
}

/** Whether the instant lies inside working time. */
export function isBusinessTime(at: number, calendar: BusinessCalendar): boolean {
  const week = weekOf(calendar);
  if (week === null) return true;
  return workingIntervals(calendar, week, localDayNumber(at, calendar.timeZone)).some(([from, to]) => at >= from && at < to);
}

type Week = ReadonlyMap<Weekday, ReadonlyArray<readonly [number, number]>>;

/** Parsed weeks per calendar: intake computes many deadlines against the same few calendars. */
const parsedWeeks = new WeakMap<BusinessCalendar, Week | null>();
const intervalsByDay = new WeakMap<BusinessCalendar, Map<number, ReadonlyArray<readonly [number, number]>>>();

/**
 * The week as sorted, merged minute intervals; null when there is no working time at all
 * (an empty week would otherwise never let a deadline fall), which then counts as always working.
 */
function weekOf(calendar: BusinessCalendar): Week | null {
  if (parsedWeeks.has(calendar)) return parsedWeeks.get(calendar) ?? null;
  const week = new Map<Weekday, ReadonlyArray<readonly [number, number]>>();
  let any = false;
  for (const weekday of WEEKDAYS) {
    const intervals = calendar.hours === null ? WHOLE_DAY : parseDay(calendar.hours[weekday]);
    if (intervals.length > 0) any = true;
    week.set(weekday, intervals);
  }
  const result = any ? week : null;
  parsedWeeks.set(calendar, result);
  return result;
}

function parseDay(intervals: ReadonlyArray<readonly [string, string]> | undefined): Array<[number, number]> {
  if (!Array.isArray(intervals)) return [];
  const parsed: Array<[number, number]> = [];
  for (const interval of intervals) {
    if (!Array.isArray(interval)) continue;
    const from = parseClockTime(interval[0]);
    const to = parseClockTime(interval[1]);
    if (from < to) parsed.push([from, to]);
  }
  parsed.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of parsed) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** Working intervals of one local day as instants, in order; empty on a holiday. */
function workingIntervals(calendar: BusinessCalendar, week: Week, day: number): ReadonlyArray<readonly [number, number]> {
  let byDay = intervalsByDay.get(calendar);
  if (!byDay) {
    byDay = new Map();
    intervalsByDay.set(calendar, byDay);
  }
  const cached = byDay.get(day);
  if (cached) return cached;
  const date = new Date(day * MS_PER_DAY);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  const dayOfMonth = date.getUTCDate();
  const isoDate = `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(dayOfMonth)}`;
  const intervals: Array<readonly [number, number]> = [];
  if (!calendar.holidays.has(isoDate)) {
    const zone = validZone(calendar.timeZone);
    const instant = (minuteOfDay: number): number =>
      minuteOfDay >= 1440
        ? DateTime.fromObject({ year, month, day: dayOfMonth }, { zone }).plus({ days: 1 }).toMillis()
        : DateTime.fromObject({ year, month, day: dayOfMonth, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 }, { zone }).toMillis();
    for (const [from, to] of week.get(WEEKDAYS[date.getUTCDay()] as Weekday) ?? []) {
      const start = instant(from);
      const end = instant(to);
      // A local time skipped by a DST change lands after the gap; an interval inside the gap is empty.
      if (start < end) intervals.push([start, end]);
    }
  }
  if (byDay.size > 4096) byDay.clear();
  byDay.set(day, intervals);
  return intervals;
}

/** Days since 1970-01-01 of the local date at an instant. */
function localDayNumber(at: number, timeZone: string): number {
  const local = DateTime.fromMillis(at, { zone: validZone(timeZone) });
  return Math.floor(Date.UTC(local.year, local.month - 1, local.day) / MS_PER_DAY);
}

const zoneValidity = new Map<string, boolean>();

function validZone(timeZone: string): string {
  let valid = zoneValidity.get(timeZone);
  if (valid === undefined) {
    valid = DateTime.now().setZone(timeZone).isValid;
    zoneValidity.set(timeZone, valid);
  }
  return valid ? timeZone : 'utc';
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
