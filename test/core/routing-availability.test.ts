import { describe, expect, it } from 'vitest';
import { checkAvailability, managerLocalDate } from '../../src/core/routing/availability.js';
import { OFFICE_HOURS, manager } from './routing-fixtures.js';

const moscow = manager('msk', { timeZone: 'Europe/Moscow', workingHours: OFFICE_HOURS });
const vladivostok = manager('vvo', { timeZone: 'Asia/Vladivostok', workingHours: OFFICE_HOURS });

describe('availability', () => {
  it('the same instant is working time in Moscow and evening in Vladivostok', () => {
    const at = Date.parse('2026-03-02T09:00:00Z'); // Mon 12:00 MSK, Mon 19:00 VLAT
    expect(checkAvailability(moscow, at)).toBeNull();
    expect(checkAvailability(vladivostok, at)).toEqual({ kind: 'off_hours', timeZone: 'Asia/Vladivostok', localTime: '19:00' });
  });

  it('Friday afternoon in Moscow is already Saturday, a day off, in Vladivostok', () => {
    const at = Date.parse('2026-03-06T14:30:00Z'); // Fri 17:30 MSK, Sat 00:30 VLAT
    expect(checkAvailability(moscow, at)).toBeNull();
    expect(checkAvailability(vladivostok, at)).toEqual({ kind: 'off_hours', timeZone: 'Asia/Vladivostok', localTime: '00:30' });
    expect(managerLocalDate(moscow, at)).toBe('2026-03-06');
    expect(managerLocalDate(vladivostok, at)).toBe('2026-03-07');
  });

  it('intervals include their start and exclude their end', () => {
    expect(checkAvailability(moscow, Date.parse('2026-03-02T06:00:00Z'))).toBeNull(); // 09:00
    expect(checkAvailability(moscow, Date.parse('2026-03-02T05:59:00Z'))?.kind).toBe('off_hours'); // 08:59
    expect(checkAvailability(moscow, Date.parse('2026-03-02T14:59:00Z'))).toBeNull(); // 17:59
    expect(checkAvailability(moscow, Date.parse('2026-03-02T15:00:00Z'))?.kind).toBe('off_hours'); // 18:00
  });

  it('"24:00" ends an interval at midnight', () => {
    const nightOwl = manager('owl', { timeZone: 'Europe/Moscow', workingHours: { sun: [['20:00', '24:00']] } });
    expect(checkAvailability(nightOwl, Date.parse('2026-03-08T20:59:00Z'))).toBeNull(); // Sun 23:59
    expect(checkAvailability(nightOwl, Date.parse('2026-03-08T21:00:00Z'))).toEqual({
      kind: 'off_hours',
      timeZone: 'Europe/Moscow',
      localTime: '00:00',
    }); // Mon 00:00
  });

  it('a day with several intervals is on duty in each and off in the break', () => {
    const split = manager('split', { workingHours: { mon: [['09:00', '13:00'], ['14:00', '18:00']] } });
    expect(checkAvailability(split, Date.parse('2026-03-02T09:30:00Z'))).toBeNull(); // 12:30
    expect(checkAvailability(split, Date.parse('2026-03-02T10:30:00Z'))?.kind).toBe('off_hours'); // 13:30
    expect(checkAvailability(split, Date.parse('2026-03-02T11:30:00Z'))).toBeNull(); // 14:30
  });

  it('an interval whose start is not before its end never counts as working time', () => {
    const broken = manager('broken', { workingHours: { mon: [['18:00', '09:00']] } });
    expect(checkAvailability(broken, Date.parse('2026-03-02T09:00:00Z'))?.kind).toBe('off_hours');
  });

  it('no working hours means always on duty', () => {
    expect(checkAvailability(manager('any', { timeZone: 'Asia/Vladivostok', workingHours: null }), Date.parse('2026-03-07T18:00:00Z'))).toBeNull();
  });

  it('an absence covers both its first and last local dates, judged in the manager\'s zone', () => {
    const absences = [{ from: '2026-03-02', to: '2026-03-06' }];
    const awayVvo = manager('vvo', { timeZone: 'Asia/Vladivostok', absences });
    const awayMsk = manager('msk', { timeZone: 'Europe/Moscow', absences });
    const firstMinute = Date.parse('2026-03-01T14:00:00Z'); // 2026-03-02 00:00 VLAT, 2026-03-01 17:00 MSK
    expect(checkAvailability(awayVvo, firstMinute)).toEqual({ kind: 'absent', until: '2026-03-06' });
    expect(checkAvailability(awayMsk, firstMinute)).toBeNull();
    const lastMinute = Date.parse('2026-03-06T13:59:00Z'); // 2026-03-06 23:59 VLAT
    expect(checkAvailability(awayVvo, lastMinute)).toEqual({ kind: 'absent', until: '2026-03-06' });
    expect(checkAvailability(awayVvo, lastMinute + 60_000)).toBeNull(); // 2026-03-07 00:00 VLAT
    expect(checkAvailability(awayMsk, Date.parse('2026-03-06T20:59:00Z'))?.kind).toBe('absent'); // 23:59 MSK
  });

  it('paused comes first, then absent, then off hours', () => {
    const at = Date.parse('2026-03-07T09:00:00Z'); // Saturday
    const everything = manager('x', { paused: true, absences: [{ from: '2026-03-01', to: '2026-03-31' }], workingHours: OFFICE_HOURS });
    expect(checkAvailability(everything, at)).toEqual({ kind: 'paused' });
    expect(checkAvailability({ ...everything, paused: false }, at)).toEqual({ kind: 'absent', until: '2026-03-31' });
    expect(checkAvailability({ ...everything, paused: false, absences: [] }, at)?.kind).toBe('off_hours');
  });

  it('an unknown time zone is read as UTC rather than failing', () => {
    const odd = manager('odd', { timeZone: 'Mars/Olympus', workingHours: OFFICE_HOURS });
    expect(checkAvailability(odd, Date.parse('2026-03-02T10:00:00Z'))).toBeNull();
    expect(managerLocalDate(odd, Date.parse('2026-03-02T23:30:00Z'))).toBe('2026-03-02');
  });
});
