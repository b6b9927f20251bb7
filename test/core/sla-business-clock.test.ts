import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Weekday, WeeklyHours } from '../../src/core/routing/manager-profile.js';
import { addBusinessMinutes, businessMinutesBetween, isBusinessTime, type BusinessCalendar } from '../../src/core/sla/business-clock.js';
import { OwnerCalendars } from '../../src/core/sla/owner-calendars.js';

const OFFICE: WeeklyHours = { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] };

function calendar(timeZone: string, hours: WeeklyHours | null, holidays: string[] = []): BusinessCalendar {
  return { timeZone, hours, holidays: new Set(holidays) };
}

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('addBusinessMinutes', () => {
  it('a lead assigned at 17:50 on Friday with 30 minutes is due at 09:20 on Monday', () => {
    const moscow = calendar('Europe/Moscow', OFFICE);
    // 2026-03-06 is a Friday; 17:50 in Moscow is 14:50 UTC.
    expect(iso(addBusinessMinutes(at('2026-03-06T14:50:00Z'), 30, moscow))).toBe('2026-03-09T06:20:00.000Z');
  });

  it('a lead arriving at night starts counting at the opening', () => {
    const moscow = calendar('Europe/Moscow', OFFICE);
    expect(iso(addBusinessMinutes(at('2026-03-10T02:00:00Z'), 15, moscow))).toBe('2026-03-10T06:15:00.000Z');
  });

  it('the last minute used up at closing time falls due at closing, not the next morning', () => {
    const moscow = calendar('Europe/Moscow', OFFICE);
    expect(iso(addBusinessMinutes(at('2026-03-10T14:30:00Z'), 30, moscow))).toBe('2026-03-10T15:00:00.000Z');
  });

  it('skips holidays, company-wide as local dates', () => {
    const moscow = calendar('Europe/Moscow', OFFICE, ['2026-03-09', '2026-03-10']);
    expect(iso(addBusinessMinutes(at('2026-03-06T14:50:00Z'), 30, moscow))).toBe('2026-03-11T06:20:00.000Z');
  });

  it('a holiday stops even an always-working clock', () => {
    const utc = calendar('UTC', null, ['2026-01-01']);
    expect(iso(addBusinessMinutes(at('2025-12-31T23:30:00Z'), 60, utc))).toBe('2026-01-02T00:30:00.000Z');
  });

  it('always working without holidays is plain time', () => {
    expect(addBusinessMinutes(at('2026-03-06T14:50:00Z'), 90, calendar('Asia/Tokyo', null))).toBe(at('2026-03-06T16:20:00Z'));
  });

  it('counts real time across the Berlin spring change: a night shift loses an hour', () => {
    // 2026-03-29: clocks jump from 02:00 to 03:00 in Europe/Berlin.
    const nights = calendar('Europe/Berlin', { sun: [['00:00', '06:00']] });
    // 00:00 CET = 23:00 UTC the day before; the shift is 5 real hours long that night.
    expect(iso(addBusinessMinutes(at('2026-03-28T23:00:00Z'), 300, nights))).toBe('2026-03-29T04:00:00.000Z');
    expect(businessMinutesBetween(at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'), nights)).toBe(300);
  });

  it('office hours keep their local times after the Berlin change', () => {
    const berlin = calendar('Europe/Berlin', OFFICE);
    // Friday 2026-03-27 17:50 CET (16:50 UTC) + 30 min → Monday 2026-03-30 09:20 CEST (07:20 UTC).
    expect(iso(addBusinessMinutes(at('2026-03-27T16:50:00Z'), 30, berlin))).toBe('2026-03-30T07:20:00.000Z');
  });

  it('an autumn change day has 25 hours of an always-working Sunday', () => {
    const sundays = calendar('Europe/Berlin', { sun: [['00:00', '24:00']] });
    expect(businessMinutesBetween(at('2026-10-24T00:00:00Z'), at('2026-10-27T00:00:00Z'), sundays)).toBe(25 * 60);
  });

  it('overlapping intervals count once', () => {
    const overlapping = calendar('UTC', { mon: [['09:00', '12:00'], ['11:00', '13:00']] });
    expect(businessMinutesBetween(at('2026-03-09T00:00:00Z'), at('2026-03-10T00:00:00Z'), overlapping)).toBe(240);
  });

  it('a week without working time counts as always working, so a deadline exists', () => {
    expect(addBusinessMinutes(at('2026-03-06T14:50:00Z'), 10, calendar('UTC', {}))).toBe(at('2026-03-06T15:00:00Z'));
  });

  it('an unknown zone counts as UTC', () => {
    expect(iso(addBusinessMinutes(at('2026-03-06T17:50:00Z'), 30, calendar('Mars/Olympus', OFFICE)))).toBe('2026-03-09T09:20:00.000Z');
  });
});

const ZONES = ['UTC', 'Europe/Berlin', 'Europe/Moscow', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'];
const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const clockTime = fc.integer({ min: 0, max: 96 }).map((q) => {
  const minutes = q * 15;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
});
const interval = fc.tuple(clockTime, clockTime).map(([a, b]): [string, string] => (a <= b ? [a, b] : [b, a]));
const weeklyHours: fc.Arbitrary<WeeklyHours | null> = fc.option(
  fc.dictionary(fc.constantFrom(...DAYS), fc.array(interval, { maxLength: 3 })) as fc.Arbitrary<WeeklyHours>,
  { freq: 5 },
);
const holidayList = fc.array(
  fc.integer({ min: 0, max: 60 }).map((d) => new Date(Date.UTC(2026, 2, 1 + d)).toISOString().slice(0, 10)),
  { maxLength: 10 },
);
const calendars = fc.record({ timeZone: fc.constantFrom(...ZONES), hours: weeklyHours, holidays: holidayList }).map((c) => calendar(c.timeZone, c.hours, c.holidays));
// Around the March and the autumn changes in both hemispheres.
const starts = fc.integer({ min: at('2026-03-01T00:00:00Z'), max: at('2026-04-30T00:00:00Z') });
const minutes = fc.integer({ min: 0, max: 5_000 });

function hasWorkingTime(c: BusinessCalendar): boolean {
  return c.hours === null || Object.values(c.hours).some((list) => (list ?? []).some(([a, b]) => a < b));
}

describe('addBusinessMinutes properties', () => {
  it('the deadline ends working time: the instant before it is working (unless no working time is defined)', () => {
    fc.assert(
      fc.property(calendars, starts, fc.integer({ min: 1, max: 5_000 }), (c, start, m) => {
        const due = addBusinessMinutes(start, m, c);
        if (hasWorkingTime(c)) expect(isBusinessTime(due - 1, c)).toBe(true);
      }),
    );
  });

  it('adding a + b minutes is adding a, then b', () => {
    fc.assert(
      fc.property(calendars, starts, minutes, minutes, (c, start, a, b) => {
        expect(addBusinessMinutes(addBusinessMinutes(start, a, c), b, c)).toBe(addBusinessMinutes(start, a + b, c));
      }),
    );
  });

  it('is monotone in the start and in the minutes, and never earlier than plain time', () => {
    fc.assert(
      fc.property(calendars, starts, starts, minutes, minutes, (c, s1, s2, m1, m2) => {
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [few, many] = m1 <= m2 ? [m1, m2] : [m2, m1];
        expect(addBusinessMinutes(early, few, c)).toBeLessThanOrEqual(addBusinessMinutes(late, few, c));
        expect(addBusinessMinutes(early, few, c)).toBeLessThanOrEqual(addBusinessMinutes(early, many, c));
        expect(addBusinessMinutes(early, few, c)).toBeGreaterThanOrEqual(early + few * 60_000);
      }),
    );
  });

  it('businessMinutesBetween measures what addBusinessMinutes added', () => {
    fc.assert(
      fc.property(calendars.filter(hasWorkingTime), starts, minutes, (c, start, m) => {
        expect(businessMinutesBetween(start, addBusinessMinutes(start, m, c), c)).toBeCloseTo(m, 6);
      }),
    );
  });
});

describe('OwnerCalendars', () => {
  it("adds a team's days off to the company-wide ones, for that team only", () => {
    const calendars = new OwnerCalendars([{ day: '2026-03-09', teamId: null }, { day: '2026-03-10', teamId: 'north' }]);
    const north = calendars.calendarOf({ id: 'a', timeZone: 'Europe/Moscow', workingHours: OFFICE, teamId: 'north' });
    const south = calendars.calendarOf({ id: 'b', timeZone: 'Europe/Moscow', workingHours: OFFICE, teamId: 'south' });
    expect([...north.holidays].sort()).toEqual(['2026-03-09', '2026-03-10']);
    expect([...south.holidays]).toEqual(['2026-03-09']);
    expect(iso(addBusinessMinutes(at('2026-03-06T14:50:00Z'), 30, north))).toBe('2026-03-11T06:20:00.000Z');
    expect(iso(addBusinessMinutes(at('2026-03-06T14:50:00Z'), 30, south))).toBe('2026-03-10T06:20:00.000Z');
  });
});
