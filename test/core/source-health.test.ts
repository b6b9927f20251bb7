import { describe, expect, it } from 'vitest';
import { DEFAULT_SOURCE_HEALTH_SETTINGS, DEFAULT_THRESHOLDS, thresholdsOf } from '../../src/core/source-health/thresholds.js';
import {
  binomialTail,
  expectedDuring,
  HOUR_MS,
  HourGrid,
  judgeJunk,
  judgeSilence,
  silenceProbability,
  slotOf,
  usualVolume,
  type HourCount,
} from '../../src/core/source-health/usual-volume.js';

const ZONE = 'Europe/Moscow'; // UTC+3 all year
const at = (iso: string): number => Date.parse(iso);

/** `perHour` leads in every hour 09:00–18:00 Moscow time on weekdays, for `weeks` weeks ending at `to`. */
function weekdayCounts(to: number, weeks: number, perHour: number, junkPerHour = 0): HourCount[] {
  const counts: HourCount[] = [];
  for (let h = to - weeks * 7 * 24 * HOUR_MS; h < to; h += HOUR_MS) {
    const slot = slotOf(h, ZONE);
    const weekday = Math.floor(slot / 24);
    const hour = slot % 24;
    if (weekday < 5 && hour >= 9 && hour < 18) counts.push({ hourStart: h, leads: perHour, junk: junkPerHour });
  }
  return counts;
}

describe('hours of the week', () => {
  it('counts Monday 0:00 in the company zone as slot 0', () => {
    expect(slotOf(at('2026-12-06T21:00:00Z'), ZONE)).toBe(0); // Monday 7 Dec 00:00 in Moscow
    expect(slotOf(at('2026-12-07T07:30:00Z'), ZONE)).toBe(10); // Monday 10:30
    expect(slotOf(at('2026-12-13T20:59:00Z'), ZONE)).toBe(167); // Sunday 23:59
  });

  it('follows daylight saving: the hour of the week moves with the local clock', () => {
    // Berlin: 29 March 2026 clocks jump from 02:00 to 03:00 (a Sunday).
    expect(slotOf(at('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe(6 * 24 + 1);
    expect(slotOf(at('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toBe(6 * 24 + 3);
    const grid = new HourGrid(at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'), 'Europe/Berlin');
    expect(grid.slotAt(at('2026-03-29T01:59:00Z'))).toBe(6 * 24 + 3);
    // Outside the grid it still answers, by converting.
    expect(grid.slotAt(at('2026-04-01T10:00:00Z'))).toBe(slotOf(at('2026-04-01T10:00:00Z'), 'Europe/Berlin'));
  });
});

describe('usualVolume', () => {
  const to = at('2026-12-06T21:00:00Z'); // Monday 00:00 Moscow: four whole weeks before it
  const from = to - 4 * 7 * 24 * HOUR_MS;
  const grid = new HourGrid(from, to + 7 * 24 * HOUR_MS, ZONE);

  it('is leads per occurrence of the hour of the week', () => {
    const usual = usualVolume(weekdayCounts(to, 4, 2), { from, to }, grid);
    expect(usual.perHour[10]).toBe(2); // Monday 10:00
    expect(usual.perHour[8]).toBe(0); // Monday 08:00
    expect(usual.perHour[5 * 24 + 12]).toBe(0); // Saturday noon
    expect(usual.leads).toBe(4 * 5 * 9 * 2);
    expect(usual.historyHours).toBe(4 * 168);
  });

  it('averages a young source over its own history only', () => {
    const usual = usualVolume(weekdayCounts(to, 1, 3), { from, to }, grid);
    expect(usual.perHour[10]).toBe(3);
    expect(usual.historyHours).toBe(168);
  });

  it('knows nothing of a source without leads', () => {
    const usual = usualVolume([], { from, to }, grid);
    expect(usual.perHour.every((v) => v === 0)).toBe(true);
    expect(usual.historyHours).toBe(0);
  });
});

describe('silence', () => {
  const to = at('2026-12-06T21:00:00Z');
  const from = to - 4 * 7 * 24 * HOUR_MS;
  const grid = new HourGrid(from, to + 7 * 24 * HOUR_MS, ZONE);
  const usual = usualVolume(weekdayCounts(to, 4, 2), { from, to }, grid);
  const t = { minExpectedPerHour: 1, silenceHours: 3, maxProbability: 0.05 };

  it('is e^(−λN) for N hours at λ an hour', () => {
    expect(silenceProbability(6)).toBeCloseTo(Math.exp(-6), 12);
    expect(silenceProbability(0)).toBe(1);
    const monday = at('2026-12-07T06:00:00Z'); // 09:00 Moscow
    expect(expectedDuring(usual, grid, monday, monday + 3 * HOUR_MS, 1)).toEqual({ expected: 6, usualHours: 3 });
    // Half an hour counts half.
    expect(expectedDuring(usual, grid, monday + HOUR_MS / 2, monday + HOUR_MS, 1).expected).toBeCloseTo(1, 12);
  });

  it('three silent hours where two leads an hour are usual are unusual', () => {
    const lastLead = at('2026-12-07T07:00:00Z'); // Monday 10:00 Moscow
    const early = judgeSilence(usual, grid, lastLead, lastLead + 2.5 * HOUR_MS, t);
    expect(early.silent).toBe(false);
    const verdict = judgeSilence(usual, grid, lastLead, lastLead + 3 * HOUR_MS, t);
    expect(verdict).toMatchObject({ usualNow: true, expectedPerHourNow: 2, silentHours: 3, silentUsualHours: 3, expected: 6, silent: true });
    expect(verdict.probability).toBeCloseTo(Math.exp(-6), 12);
  });

  it('the night does not count: silence since the evening is not unusual at 10:00', () => {
    const evening = at('2026-12-07T14:59:00Z'); // Monday 17:59 Moscow
    const night = judgeSilence(usual, grid, evening, at('2026-12-07T23:00:00Z'), t); // 02:00 Tuesday
    expect(night).toMatchObject({ usualNow: false, silent: false });
    const morning = judgeSilence(usual, grid, evening, at('2026-12-08T07:00:00Z'), t); // Tuesday 10:00
    expect(morning.usualNow).toBe(true);
    expect(morning.silentUsualHours).toBeCloseTo(1 + 1 / 60, 6);
    expect(morning.silent).toBe(false);
    expect(judgeSilence(usual, grid, evening, at('2026-12-08T09:00:00Z'), t).silent).toBe(true); // Tuesday 12:00
  });

  it('a source that sends less than the minimum an hour never counts as silent', () => {
    const trickle = usualVolume(weekdayCounts(to, 4, 0.5), { from, to }, grid);
    const lastLead = at('2026-12-07T06:00:00Z');
    expect(judgeSilence(trickle, grid, lastLead, lastLead + 8 * HOUR_MS, t)).toMatchObject({ usualNow: false, silent: false });
    expect(judgeSilence(trickle, grid, lastLead, lastLead + 8 * HOUR_MS, { ...t, minExpectedPerHour: 0.5 }).silent).toBe(true);
  });

  it('a silence that is not unlikely enough does not count', () => {
    const lastLead = at('2026-12-07T07:00:00Z');
    expect(judgeSilence(usual, grid, lastLead, lastLead + 3 * HOUR_MS, { ...t, maxProbability: 0.001 }).silent).toBe(false);
    expect(judgeSilence(usual, grid, lastLead, lastLead + 4 * HOUR_MS, { ...t, maxProbability: 0.001 }).silent).toBe(true);
  });
});

describe('junk', () => {
  const t = { junkRateJump: 0.25, minJunkSample: 10, maxProbability: 0.05 };

  it('the binomial tail matches a direct sum', () => {
    const direct = (k: number, n: number, p: number): number => {
      let s = 0;
      for (let i = k; i <= n; i++) {
        let c = 1;
        for (let j = 0; j < i; j++) c = (c * (n - j)) / (j + 1);
        s += c * p ** i * (1 - p) ** (n - i);
      }
      return s;
    };
    for (const [k, n, p] of [[3, 10, 0.1], [0, 5, 0.3], [7, 20, 0.2], [20, 20, 0.5], [15, 40, 0.1]] as const) {
      expect(binomialTail(k, n, p)).toBeCloseTo(direct(k, n, p), 10);
    }
    expect(binomialTail(1, 10, 0)).toBe(0);
    expect(binomialTail(11, 10, 0.5)).toBe(0);
    expect(binomialTail(600, 5000, 0.1)).toBeLessThan(1e-3);
    expect(binomialTail(480, 5000, 0.1)).toBeGreaterThan(0.5);
  });

  it('a jump well above the usual share on enough leads is a spike', () => {
    const spike = judgeJunk({ leads: 500, junk: 50 }, { leads: 20, junk: 12 }, t);
    expect(spike).toMatchObject({ judged: true, spiking: true, normal: false, recentRate: 0.6, usualRate: 0.1 });
    expect(spike.jump).toBeCloseTo(0.5, 12);
  });

  it('too few leads are not judged; a small rise is normal', () => {
    expect(judgeJunk({ leads: 500, junk: 50 }, { leads: 5, junk: 5 }, t)).toMatchObject({ judged: false, spiking: false, normal: false });
    expect(judgeJunk({ leads: 5, junk: 0 }, { leads: 50, junk: 40 }, t)).toMatchObject({ judged: false, spiking: false });
    expect(judgeJunk({ leads: 500, junk: 50 }, { leads: 40, junk: 6 }, t)).toMatchObject({ judged: true, spiking: false, normal: true });
    // Between half the jump and the jump: neither a new spike nor recovered.
    expect(judgeJunk({ leads: 500, junk: 50 }, { leads: 40, junk: 12 }, t)).toMatchObject({ spiking: false, normal: false });
  });
});

describe('thresholds', () => {
  it('a source overrides only what it sets', () => {
    const settings = { ...DEFAULT_SOURCE_HEALTH_SETTINGS, sources: { web: { silenceHours: 2 }, partner: { alerts: false } } };
    expect(thresholdsOf(settings, 'web')).toEqual({ ...DEFAULT_THRESHOLDS, silenceHours: 2 });
    expect(thresholdsOf(settings, 'partner').alerts).toBe(false);
    expect(thresholdsOf(settings, 'other')).toEqual(DEFAULT_THRESHOLDS);
  });
});
