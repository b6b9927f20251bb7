import { describe, expect, it } from 'vitest';
import { checkTarget } from '../../src/core/motivation/metrics.js';
import { elapsedWorkingDays, isPlanPeriod, planPeriodAt, planPeriodBounds, planPeriodEnded, previousPlanPeriod, workingDaysOf, type WorkCalendar } from '../../src/core/motivation/plan-period.js';
import { progress, rank } from '../../src/core/motivation/progress.js';
import type { WeeklyHours } from '../../src/core/routing/manager-profile.js';

const OFFICE: WeeklyHours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])) as WeeklyHours;
const berlin = (over: Partial<WorkCalendar> = {}): WorkCalendar => ({ timeZone: 'Europe/Berlin', hours: OFFICE, holidays: new Set(), absences: [], ...over });

describe('plan periods', () => {
  it('accepts calendar months only', () => {
    expect(['2026-12', '2000-01', '9998-12'].every(isPlanPeriod)).toBe(true);
    expect(['2026-13', '2026-00', '2026-1', '26-12', '2026-12-01', '1999-12', 'no-such-id-0001'].some(isPlanPeriod)).toBe(false);
  });

  it('reads a month in the zone, across the daylight-saving changes', () => {
    // Berlin: CET (UTC+1) until 29 March 2026 02:00, then CEST (UTC+2) until 25 October.
    const march = planPeriodBounds('2026-03', 'Europe/Berlin');
    expect(new Date(march.fromMs).toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(new Date(march.toMs).toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect([march.firstDay, march.lastDay]).toEqual(['2026-03-01', '2026-03-31']);
    const october = planPeriodBounds('2026-10', 'Europe/Berlin');
    expect(new Date(october.fromMs).toISOString()).toBe('2026-09-30T22:00:00.000Z');
    expect(new Date(october.toMs).toISOString()).toBe('2026-10-31T23:00:00.000Z');
    // Each zone reads its own midnight: 23:30 in Berlin on the 31st is still March there, already April in Moscow.
    expect(planPeriodAt(Date.parse('2026-03-31T21:59:59Z'), 'Europe/Berlin')).toBe('2026-03');
    expect(planPeriodAt(Date.parse('2026-03-31T22:00:00Z'), 'Europe/Berlin')).toBe('2026-04');
    expect(planPeriodAt(Date.parse('2026-03-31T21:30:00Z'), 'Europe/Moscow')).toBe('2026-04');
    expect(previousPlanPeriod('2026-01')).toBe('2025-12');
    expect(planPeriodEnded('2026-03', 'Europe/Berlin', Date.parse('2026-03-31T21:59:59Z'))).toBe(false);
    expect(planPeriodEnded('2026-03', 'Europe/Berlin', Date.parse('2026-03-31T22:00:00Z'))).toBe(true);
  });

  it('counts working days by hours, holidays and absences', () => {
    // March 2026 starts on a Sunday: 22 weekdays.
    expect(workingDaysOf('2026-03', berlin())).toHaveLength(22);
    expect(workingDaysOf('2026-03', berlin({ hours: null }))).toHaveLength(22);
    expect(workingDaysOf('2026-03', berlin({ holidays: new Set(['2026-03-09', '2026-03-08']) }))).toHaveLength(21);
    const absent = workingDaysOf('2026-03', berlin({ absences: [{ from: '2026-03-14', to: '2026-03-18' }] }));
    expect(absent).toHaveLength(19);
    expect(absent.map((d) => d.date)).not.toContain('2026-03-16');
    // A six-day week.
    expect(workingDaysOf('2026-03', berlin({ hours: { ...OFFICE, sat: [['10:00', '14:00']] } }))).toHaveLength(26);
    // New Year holidays in Russia: 1–8 January 2026 off leaves 16 weekdays.
    const jan = Array.from({ length: 8 }, (_, i) => `2026-01-0${i + 1}`);
    expect(workingDaysOf('2026-01', { timeZone: 'Europe/Moscow', hours: null, holidays: new Set(jan), absences: [] })).toHaveLength(16);
  });

  it('counts today by the share of its working time gone', () => {
    const cal = berlin();
    const days = workingDaysOf('2026-03', cal);
    // Monday 30 March, 12:00 CEST: 20 whole days before, 3 of today's 9 hours.
    expect(elapsedWorkingDays(days, cal, Date.parse('2026-03-30T10:00:00Z'))).toBeCloseTo(20 + 1 / 3, 6);
    expect(elapsedWorkingDays(days, cal, Date.parse('2026-02-27T10:00:00Z'))).toBe(0);
    expect(elapsedWorkingDays(days, cal, Date.parse('2026-04-02T10:00:00Z'))).toBe(22);
    // The short Sunday of the change has 23 hours: at 12:00 CEST 11 of them are gone.
    const sundays: WorkCalendar = berlin({ hours: { sun: [['00:00', '24:00']] } });
    const sundayDays = workingDaysOf('2026-03', sundays);
    expect(sundayDays.map((d) => d.date)).toEqual(['2026-03-01', '2026-03-08', '2026-03-15', '2026-03-22', '2026-03-29']);
    expect(elapsedWorkingDays(sundayDays, sundays, Date.parse('2026-03-29T10:00:00Z'))).toBeCloseTo(4 + 11 / 23, 6);
  });
});

describe('progress', () => {
  it('pace and a straight-line forecast', () => {
    expect(progress({ target: 100, fact: 30, workingDays: 20, elapsedDays: 5 })).toEqual({
      target: 100, fact: 30, done: 0.3, remaining: 70, remainingDays: 15, pacePerDay: 4.67, forecast: 120, state: 'ahead',
    });
    expect(progress({ target: 100, fact: 20, workingDays: 20, elapsedDays: 10 })).toMatchObject({ pacePerDay: 8, forecast: 40, state: 'behind' });
    expect(progress({ target: 10, fact: 12, workingDays: 20, elapsedDays: 10 })).toMatchObject({ done: 1.2, remaining: 0, pacePerDay: 0, state: 'done' });
  });

  it('before the first working day and after the last', () => {
    expect(progress({ target: 50, fact: 0, workingDays: 21, elapsedDays: 0 })).toMatchObject({ forecast: null, pacePerDay: 2.38, remainingDays: 21, state: 'ahead' });
    expect(progress({ target: 50, fact: 40, workingDays: 21, elapsedDays: 21 })).toMatchObject({ forecast: 40, pacePerDay: null, remainingDays: 0, state: 'behind' });
    expect(progress({ target: null, fact: 7, workingDays: 21, elapsedDays: 7 })).toMatchObject({ done: null, remaining: null, pacePerDay: null, forecast: 21, state: 'none' });
    expect(progress({ target: 0, fact: 0, workingDays: 21, elapsedDays: 7 })).toMatchObject({ done: null, state: 'done' });
    // Nobody works a month without working days (on leave the whole month).
    expect(progress({ target: 5, fact: 0, workingDays: 0, elapsedDays: 0 })).toMatchObject({ forecast: 0, pacePerDay: null, state: 'behind' });
  });

  it('ranks with shared places', () => {
    const ranked = rank([{ n: 'a', v: 3 }, { n: 'b', v: 5 }, { n: 'c', v: 3 }, { n: 'd', v: 1 }], (x) => x.v, (a, b) => a.n.localeCompare(b.n));
    expect(ranked.map((r) => `${r.item.n}${r.rank}`)).toEqual(['b1', 'a2', 'c2', 'd4']);
  });
});

describe('targets', () => {
  it('are non-negative, whole for counts, two decimals for money and norms', () => {
    expect(checkTarget('conversions', 12)).toBeNull();
    expect(checkTarget('conversions', 1.5)?.code).toBe('not_whole');
    expect(checkTarget('calls', 2.5)).toBeNull();
    expect(checkTarget('wonValue', 1000.25)).toBeNull();
    expect(checkTarget('wonValue', 0.001)?.code).toBe('too_precise');
    expect(checkTarget('leadsWorked', -1)?.code).toBe('negative');
    expect(checkTarget('wonValue', 1e13)?.code).toBe('too_large');
    expect(checkTarget('wonValue', Number.NaN)?.code).toBe('not_a_number');
  });
});
