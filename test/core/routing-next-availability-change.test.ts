import { describe, expect, it } from 'vitest';
import { nextAvailabilityChange } from '../../src/core/routing/availability.js';
import { localInstant, localIsoTime } from '../../src/core/routing/local-clock.js';
import { OFFICE_HOURS, manager } from './routing-fixtures.js';

const iso = (change: ReturnType<typeof nextAvailabilityChange>): string | null => (change ? new Date(change.at).toISOString() : null);

describe('when availability changes next', () => {
  const moscow = manager('msk', { timeZone: 'Europe/Moscow', workingHours: OFFICE_HOURS });

  it('an office day ends at closing time, and Friday evening opens again on Monday morning', () => {
    const working = nextAvailabilityChange(moscow, Date.parse('2026-03-02T09:00:00Z')); // Mon 12:00 MSK
    expect(iso(working)).toBe('2026-03-02T15:00:00.000Z');
    expect(working?.becomes?.kind).toBe('off_hours');
    const friday = nextAvailabilityChange(moscow, Date.parse('2026-03-06T16:00:00Z')); // Fri 19:00 MSK
    expect(iso(friday)).toBe('2026-03-09T06:00:00.000Z');
    expect(friday?.becomes).toBeNull();
  });

  it('intervals that touch, also across midnight, are one stretch of duty', () => {
    const split = manager('split', { timeZone: 'Europe/Moscow', workingHours: { mon: [['09:00', '13:00'], ['13:00', '18:00']] } });
    expect(iso(nextAvailabilityChange(split, Date.parse('2026-03-02T07:00:00Z')))).toBe('2026-03-02T15:00:00.000Z');
    const night = manager('night', { timeZone: 'Europe/Moscow', workingHours: { sun: [['20:00', '24:00']], mon: [['00:00', '04:00']] } });
    expect(iso(nextAvailabilityChange(night, Date.parse('2026-03-08T18:00:00Z')))).toBe('2026-03-09T01:00:00.000Z'); // Sun 21:00 → Mon 04:00
  });

  it('an absence ends at the local midnight after its last day, into whatever the hours say then', () => {
    const away = manager('away', { timeZone: 'Asia/Vladivostok', workingHours: OFFICE_HOURS, absences: [{ from: '2026-03-02', to: '2026-03-04' }, { from: '2026-03-05', to: '2026-03-06' }] });
    const back = nextAvailabilityChange(away, Date.parse('2026-03-02T01:00:00Z'));
    // Back-to-back absences are one; Saturday 00:00 in Vladivostok is off hours until Monday.
    expect(iso(back)).toBe('2026-03-06T14:00:00.000Z');
    expect(back?.becomes?.kind).toBe('off_hours');
    const upcoming = nextAvailabilityChange(manager('soon', { timeZone: 'Europe/Moscow', workingHours: null, absences: [{ from: '2026-03-04', to: '2026-03-05' }] }), Date.parse('2026-03-02T09:00:00Z'));
    expect(iso(upcoming)).toBe('2026-03-03T21:00:00.000Z');
    expect(upcoming?.becomes).toEqual({ kind: 'absent', until: '2026-03-05' });
  });

  it('nothing is scheduled for a paused manager, one always on duty or one never on duty', () => {
    const at = Date.parse('2026-03-02T09:00:00Z');
    expect(nextAvailabilityChange({ ...moscow, paused: true }, at)).toBeNull();
    expect(nextAvailabilityChange(manager('always', { workingHours: null }), at)).toBeNull();
    expect(nextAvailabilityChange(manager('never', { workingHours: {} }), at)).toBeNull();
  });

  it('follows the wall clock across a DST change', () => {
    const berlin = manager('ber', { timeZone: 'Europe/Berlin', workingHours: { mon: [['09:00', '17:00']] } });
    // Sunday 2026-03-29 is the change to summer time: Monday opens at 09:00 CEST = 07:00Z.
    expect(iso(nextAvailabilityChange(berlin, Date.parse('2026-03-28T12:00:00Z')))).toBe('2026-03-30T07:00:00.000Z');
  });
});

describe('local wall clock', () => {
  it('shows an instant with the zone offset, and finds the instant of a local time', () => {
    expect(localIsoTime('Europe/Moscow', Date.parse('2026-11-25T09:00:00Z'))).toBe('2026-11-25T12:00:00+03:00');
    expect(localIsoTime('Mars/Olympus', Date.parse('2026-11-25T09:00:00Z'))).toBe('2026-11-25T09:00:00Z');
    expect(new Date(localInstant('Asia/Vladivostok', '2026-03-07', 0)).toISOString()).toBe('2026-03-06T14:00:00.000Z');
    expect(new Date(localInstant('Europe/Moscow', '2026-03-07', 1440)).toISOString()).toBe('2026-03-07T21:00:00.000Z');
  });
});
