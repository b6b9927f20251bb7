import { DateTime, IANAZone } from 'luxon';
import type { Weekday } from './manager-profile.js';

/** What a wall clock in one time zone shows at an instant. */
export interface LocalClock {
  /** yyyy-mm-dd */
  date: string;
  /** Days since 1970-01-01 of the local date; cheap to compare. */
  day: number;
  weekday: Weekday;
  minuteOfDay: number;
  /** HH:MM */
  time: string;
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/**
 * The last reading per zone, shared by all sessions: a batch of short sessions would
 * otherwise ask luxon again for every zone in every session. A pure memo, bounded by the
 * number of zones in use.
 */
const lastReading = new Map<string, { minute: number; clock: LocalClock }>();

/** Reads the local clock of an IANA zone; an unknown zone reads as UTC rather than failing a routing decision. */
export function readLocalClock(timeZone: string, at: number): LocalClock {
  const minute = Math.floor(at / MS_PER_MINUTE);
  const last = lastReading.get(timeZone);
  if (last !== undefined && last.minute === minute) return last.clock;
  const offset = steadyOffsetMs(timeZone, at);
  const clock = offset === null ? readWithLuxon(timeZone, at) : readWithOffset(at + offset);
  lastReading.set(timeZone, { minute, clock });
  return clock;
}

/**
 * The zone's UTC offset over a span of time around `at` where it does not change: the UTC day,
 * or when that day holds a transition, the UTC hour (null when the offset changes within the
 * hour, or the zone is unknown). A replay of past leads reads a new minute for every lead, and
 * asking luxon each time (microseconds a call) cost more than the routing. No zone changes its
 * offset twice within a day, so equal offsets at both ends mean one offset throughout, and the
 * local clock is the UTC clock moved by it, as luxon computes it too. One span per zone in use.
 */
const steadySpans = new Map<string, { from: number; to: number; offsetMs: number | null }>();

function steadyOffsetMs(timeZone: string, at: number): number | null {
  const cached = steadySpans.get(timeZone);
  if (cached !== undefined && at >= cached.from && at < cached.to) return cached.offsetMs;
  const hourFrom = Math.floor(at / MS_PER_HOUR) * MS_PER_HOUR;
  const span = steadySpan(timeZone, at, MS_PER_DAY) ?? steadySpan(timeZone, at, MS_PER_HOUR) ?? { from: hourFrom, to: hourFrom + MS_PER_HOUR, offsetMs: null };
  steadySpans.set(timeZone, span);
  return span.offsetMs;
}

function steadySpan(timeZone: string, at: number, length: number): { from: number; to: number; offsetMs: number } | null {
  const from = Math.floor(at / length) * length;
  const first = offsetMinutes(timeZone, from);
  return first !== null && first === offsetMinutes(timeZone, from + length - 1) ? { from, to: from + length, offsetMs: first * MS_PER_MINUTE } : null;
}

function offsetMinutes(timeZone: string, at: number): number | null {
  const local = DateTime.fromMillis(at, { zone: timeZone });
  return local.isValid && Number.isInteger(local.offset) ? local.offset : null;
}

/** The clock fields of a local instant given as milliseconds on the UTC scale. */
function readWithOffset(localMs: number): LocalClock {
  const d = new Date(localMs);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  return {
    date: `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`,
    day: Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY),
    weekday: WEEKDAYS[(d.getUTCDay() + 6) % 7] ?? 'mon',
    minuteOfDay: hour * 60 + minute,
    time: `${pad2(hour)}:${pad2(minute)}`,
  };
}

/** Exported for the test that checks the memo against luxon. */
export function readWithLuxon(timeZone: string, at: number): LocalClock {
  let local = DateTime.fromMillis(at, { zone: timeZone });
  if (!local.isValid) local = DateTime.fromMillis(at, { zone: 'utc' });
  const { year, month, day, hour, minute } = local;
  return {
    date: `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`,
    day: Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY),
    weekday: WEEKDAYS[local.weekday - 1] ?? 'mon',
    minuteOfDay: hour * 60 + minute,
    time: `${pad2(hour)}:${pad2(minute)}`,
  };
}

/**
 * Asks luxon once per zone per minute: luxon costs microseconds per call and a session checks
 * hundreds of managers per lead, but they share a handful of zones. Zone offsets are whole
 * minutes, so a local clock is constant within a UTC minute.
 */
export class LocalClockCache {
  private readonly byZone = new Map<string, { minute: number; clock: LocalClock }>();

  read(timeZone: string, at: number): LocalClock {
    const minute = Math.floor(at / MS_PER_MINUTE);
    const cached = this.byZone.get(timeZone);
    if (cached !== undefined && cached.minute === minute) return cached.clock;
    const clock = readLocalClock(timeZone, at);
    this.byZone.set(timeZone, { minute, clock });
    return clock;
  }
}

/** The instant as the wall clock of the zone shows it, ISO-8601 with the zone's offset: 2026-11-25T12:00:00+03:00. */
export function localIsoTime(timeZone: string, at: number): string {
  let local = DateTime.fromMillis(at, { zone: timeZone });
  // An unknown zone reads as UTC, as readLocalClock does.
  if (!local.isValid) local = DateTime.fromMillis(at, { zone: 'utc' });
  return local.toISO({ suppressMilliseconds: true }) ?? new Date(at).toISOString();
}

/**
 * The instant at which the zone's wall clock shows `minuteOfDay` (0–1440; 1440 is the next
 * midnight) on the local `date` (yyyy-mm-dd). A time skipped by a DST change lands after the gap.
 */
export function localInstant(timeZone: string, date: string, minuteOfDay: number): number {
  const zone = IANAZone.isValidZone(timeZone) ? timeZone : 'utc';
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  if (minuteOfDay >= 1440) return DateTime.fromObject({ year, month, day }, { zone }).plus({ days: 1 }).toMillis();
  return DateTime.fromObject({ year, month, day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 }, { zone }).toMillis();
}

export function minuteBucketOf(at: number): number {
  return Math.floor(at / MS_PER_MINUTE);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
