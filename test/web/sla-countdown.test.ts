import { describe, expect, it } from 'vitest';
import type { Lead } from '../../web/src/api/types.js';
import { businessCalendarOf, slaCountdown, splitMinutes } from '../../web/src/features/leads/sla-countdown.js';

// Moscow is UTC+3 all year. Mon–Fri 09:00–18:00 with a lunch hour; the weekend does not count.
const week: Array<[string, string]> = [['09:00', '13:00'], ['14:00', '18:00']];
const calendar = businessCalendarOf({ timeZone: 'Europe/Moscow', workingHours: { mon: week, tue: week, wed: week, thu: week, fri: week }, holidays: ['2026-12-14'] });
const moscow = (local: string) => Date.parse(`${local}+03:00`);

function lead(dueAt: string | null, extra: Partial<Lead['lifecycle']> = {}, kind: 'first_contact' | 'next_step' = 'first_contact'): Pick<Lead, 'sla' | 'lifecycle' | 'status'> {
  return {
    status: 'new',
    sla: dueAt ? { kind, dueAt, warnedAt: null, breaches: 0, reassignments: 0, escalatedAt: null } : null,
    lifecycle: { firstContactAt: null, lastActivityAt: null, junkReason: null, closedAt: null, qualifiedAt: null, qualifiedBy: null, ...extra },
  };
}

// Due Monday 2026-12-07 at 10:00 Moscow time.
const dueMonday = new Date(moscow('2026-12-07T10:00:00')).toISOString();

describe('the SLA countdown in the owner\'s business hours', () => {
  it('counts only working time across a weekend: Friday 17:00 to Monday 10:00 is two hours', () => {
    const c = slaCountdown(lead(dueMonday), calendar, moscow('2026-12-04T17:00:00'));
    expect(c).toMatchObject({ state: 'running', paused: false });
    expect(c.state === 'running' && c.minutesLeft).toBe(120);
  });

  it('stands still over the weekend and says the clock is paused', () => {
    const saturday = slaCountdown(lead(dueMonday), calendar, moscow('2026-12-05T12:00:00'));
    const sunday = slaCountdown(lead(dueMonday), calendar, moscow('2026-12-06T23:59:00'));
    expect(saturday).toMatchObject({ state: 'running', paused: true, minutesLeft: 60 });
    expect(sunday).toMatchObject({ state: 'running', paused: true, minutesLeft: 60 });
  });

  it('skips lunch and holidays', () => {
    expect(slaCountdown(lead(dueMonday), calendar, moscow('2026-12-04T13:30:00'))).toMatchObject({ state: 'running', paused: true, minutesLeft: 240 + 60 });
    const dueAfterHoliday = new Date(moscow('2026-12-15T09:30:00')).toISOString();
    expect(slaCountdown(lead(dueAfterHoliday), calendar, moscow('2026-12-11T17:30:00'))).toMatchObject({ minutesLeft: 30 + 30 });
  });

  it('turns into a breach after the deadline, counting the overrun in business minutes', () => {
    expect(slaCountdown(lead(dueMonday), calendar, moscow('2026-12-07T10:30:00'))).toMatchObject({ state: 'breached', minutesOver: 30 });
    expect(slaCountdown(lead(dueMonday), calendar, moscow('2026-12-07T19:00:00'))).toMatchObject({ state: 'breached', minutesOver: 7 * 60 });
  });

  it('stops for good at the first real contact, and shows nothing for a closed lead', () => {
    expect(slaCountdown(lead(dueMonday, { firstContactAt: '2026-12-04T14:10:00.000Z' }), calendar, moscow('2026-12-07T12:00:00'))).toEqual({ state: 'contacted', at: '2026-12-04T14:10:00.000Z' });
    expect(slaCountdown(lead(dueMonday, { closedAt: '2026-12-04T14:10:00.000Z' }), calendar, moscow('2026-12-04T12:00:00'))).toEqual({ state: 'none' });
    expect(slaCountdown(lead(null), calendar, moscow('2026-12-04T12:00:00'))).toEqual({ state: 'none' });
  });

  it('runs the next-step clock after the first contact', () => {
    const c = slaCountdown(lead(dueMonday, { firstContactAt: '2026-12-04T08:00:00.000Z' }, 'next_step'), calendar, moscow('2026-12-04T17:00:00'));
    expect(c).toMatchObject({ state: 'running', kind: 'next_step', minutesLeft: 120 });
  });

  it('splits minutes into days, hours and minutes for display', () => {
    expect(splitMinutes(2 * 1440 + 3 * 60 + 5.9)).toEqual({ days: 2, hours: 3, minutes: 5 });
    expect(splitMinutes(-5)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });
});
