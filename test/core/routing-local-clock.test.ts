import { describe, expect, it } from 'vitest';
import { readLocalClock, readWithLuxon } from '../../src/core/routing/local-clock.js';
import { seededRandom } from '../../src/core/seeded-random.js';

/** Zones with DST (whole-hour, half-hour, southern), odd offsets, none, and an unknown one. */
const ZONES = ['Europe/Moscow', 'Asia/Vladivostok', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'UTC', 'Mars/Olympus'];

describe('reading a local clock', () => {
  it('matches luxon minute by minute across DST transitions, and at random instants', () => {
    // 2026's spring and autumn changes in Europe, the USA and Australia, read every minute for 3 hours around each.
    const around = ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z', '2026-04-05T14:00:00Z'];
    for (const zone of ZONES) {
      for (const iso of around) {
        const centre = Date.parse(iso);
        for (let t = centre - 90 * 60_000; t <= centre + 90 * 60_000; t += 60_000) expect(readLocalClock(zone, t + 17_000), `${zone} ${new Date(t).toISOString()}`).toEqual(readWithLuxon(zone, t + 17_000));
      }
    }
    const random = seededRandom(5);
    for (let i = 0; i < 5000; i++) {
      const zone = ZONES[i % ZONES.length] as string;
      const at = Date.parse('2000-01-01T00:00:00Z') + Math.floor(random() * 40 * 365 * 86_400_000);
      expect(readLocalClock(zone, at), `${zone} ${new Date(at).toISOString()}`).toEqual(readWithLuxon(zone, at));
    }
  });
});
