import { DateTime, IANAZone } from 'luxon';

/**
 * The period every report covers and the buckets its charts are drawn in. Pure: the zone and
 * "now" are passed in. Dates (YYYY-MM-DD) are local calendar days in the zone, `to` inclusive;
 * instants (with an offset) are taken as they are, `to` exclusive. Buckets are local calendar
 * days, ISO weeks (Monday first) or months, so a day across a DST change is 23 or 25 hours long
 * and no instant falls in two buckets or none.
 */
export const GROUPINGS = ['day', 'week', 'month'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface PeriodInput {
  from?: string | undefined;
  to?: string | undefined;
  grouping?: string | undefined;
}

export interface Bucket {
  /** day: 2026-03-29, week: 2026-W13, month: 2026-03. */
  key: string;
  /** Inclusive start and exclusive end, ISO UTC, clipped to the period. */
  start: string;
  end: string;
  startMs: number;
  endMs: number;
}

export interface ReportPeriod {
  from: string;
  to: string;
  fromMs: number;
  toMs: number;
  timeZone: string;
  grouping: Grouping;
  buckets: Bucket[];
}

export interface PeriodIssue {
  path: 'from' | 'to' | 'grouping' | 'tz';
  code: string;
  message: string;
}

/** How many buckets a chart may have: a day-by-day chart of three years is a mistake, not a chart. */
export const MAX_BUCKETS = 800;
/** The period when none is given: the last 30 local days, today included. */
export const DEFAULT_DAYS = 30;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Parses one bound; a date is the start of that local day (or of the next one, for an inclusive `to`). */
function bound(value: string, zone: string, which: 'from' | 'to'): number | PeriodIssue {
  if (DATE.test(value)) {
    const day = DateTime.fromISO(value, { zone });
    if (!day.isValid) return { path: which, code: 'invalid_date', message: `"${value}" is not a calendar date` };
    const ms = (which === 'to' ? day.plus({ days: 1 }) : day).startOf('day').toMillis();
    const year = new Date(ms).getUTCFullYear();
    // Both databases store the years 0001–9999 (in UTC); the end of 9999-12-31 is already past them.
    if (year < 1 || year > 9999) return { path: which, code: 'invalid_date', message: 'a date between the years 0001 and 9999' };
    return ms;
  }
  if (INSTANT.test(value)) {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return { path: which, code: 'invalid_date', message: `"${value}" is not a valid instant` };
    const year = new Date(ms).getUTCFullYear();
    if (year < 1 || year > 9999) return { path: which, code: 'invalid_date', message: 'a date between the years 0001 and 9999' };
    return ms;
  }
  return { path: which, code: 'invalid_date', message: `"${value}" is neither a date (YYYY-MM-DD) nor an instant with an offset (2026-03-01T00:00:00+03:00)` };
}

/**
 * The period and its buckets, or every issue with the input. `to` left out is now (or `from`
 * itself when that is later: an empty period rather than an error); `from` left out is the
 * start of the local day DEFAULT_DAYS − 1 days before `to`.
 */
export function resolvePeriod(input: PeriodInput, timeZone: string, now: number): ReportPeriod | PeriodIssue[] {
  const issues: PeriodIssue[] = [];
  if (!isTimeZone(timeZone)) issues.push({ path: 'tz', code: 'invalid_time_zone', message: `"${timeZone}" is not an IANA time zone such as Europe/Moscow` });
  const grouping = (input.grouping ?? 'day') as Grouping;
  if (!GROUPINGS.includes(grouping)) issues.push({ path: 'grouping', code: 'invalid_grouping', message: `"${input.grouping}" is not a grouping; use day, week or month` });
  if (issues.length > 0) return issues;
  const from = input.from !== undefined ? bound(input.from, timeZone, 'from') : null;
  const to = input.to !== undefined ? bound(input.to, timeZone, 'to') : null;
  for (const b of [from, to]) if (b !== null && typeof b !== 'number') issues.push(b);
  if (issues.length > 0) return issues;
  let toMs = (to as number | null) ?? now;
  const fromMs = (from as number | null) ?? DateTime.fromMillis(toMs - 1, { zone: timeZone }).startOf('day').minus({ days: DEFAULT_DAYS - 1 }).toMillis();
  if (to === null && fromMs > toMs) toMs = fromMs;
  // A `to` date includes its day, so a `to` day ending at or before `from` is before it too.
  const toDayBefore = to !== null && input.to !== undefined && DATE.test(input.to) && toMs <= fromMs;
  if (fromMs > toMs || toDayBefore) return [{ path: 'from', code: 'from_after_to', message: `from (${input.from ?? new Date(fromMs).toISOString()}) is after to (${input.to ?? new Date(toMs).toISOString()})` }];
  const buckets = bucketsOf(fromMs, toMs, timeZone, grouping);
  if (buckets === null) return [{ path: 'grouping', code: 'too_many_buckets', message: `The period has more than ${MAX_BUCKETS} ${grouping}s; choose a shorter period or a coarser grouping` }];
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), fromMs, toMs, timeZone, grouping, buckets };
}

function keyOf(start: DateTime, grouping: Grouping): string {
  switch (grouping) {
    case 'day':
      return start.toFormat('yyyy-MM-dd');
    case 'week':
      return `${start.toFormat('kkkk')}-W${start.toFormat('WW')}`;
    case 'month':
      return start.toFormat('yyyy-MM');
  }
}

/** Calendar buckets covering [fromMs, toMs), the first and last clipped; null when there would be too many. */
export function bucketsOf(fromMs: number, toMs: number, timeZone: string, grouping: Grouping): Bucket[] | null {
  const buckets: Bucket[] = [];
  if (fromMs >= toMs) return buckets;
  const unit = grouping;
  let start = DateTime.fromMillis(fromMs, { zone: timeZone }).startOf(unit);
  while (start.toMillis() < toMs) {
    const next = start.plus({ [`${unit}s`]: 1 }).startOf(unit);
    const startMs = Math.max(start.toMillis(), fromMs);
    const endMs = Math.min(next.toMillis(), toMs);
    buckets.push({ key: keyOf(start, grouping), start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), startMs, endMs });
    if (buckets.length > MAX_BUCKETS) return null;
    start = next;
  }
  return buckets;
}

/** The index of the bucket holding the instant, or -1 outside the period. */
export function bucketIndex(buckets: readonly Bucket[], ms: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = buckets[mid] as Bucket;
    if (ms < b.startMs) hi = mid - 1;
    else if (ms >= b.endMs) lo = mid + 1;
    else return mid;
  }
  return -1;
}

const offsets = new Map<string, Map<number, number>>();

/**
 * The local hour of day (0–23) of an instant in the zone. Zones change their offset only at the
 * start of a UTC hour (or half hour), so the offset is looked up once per UTC half hour and kept.
 */
export function localHour(ms: number, timeZone: string): number {
  let cache = offsets.get(timeZone);
  if (!cache) {
    cache = new Map();
    offsets.set(timeZone, cache);
  }
  const slot = Math.floor(ms / 1_800_000);
  let offset = cache.get(slot);
  if (offset === undefined) {
    if (cache.size > 100_000) cache.clear();
    offset = IANAZone.create(timeZone).offset(slot * 1_800_000);
    cache.set(slot, offset);
  }
  const local = ms + offset * 60_000;
  return Math.floor(local / 3_600_000) - Math.floor(local / 86_400_000) * 24;
}
