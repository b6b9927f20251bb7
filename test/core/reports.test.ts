import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionFactOf, isQualificationHold, shareTable } from '../../src/core/reports/distribution.js';
import { funnelFigures } from '../../src/core/reports/funnel.js';
import { standsOut } from '../../src/core/reports/junk.js';
import { bucketIndex, bucketsOf, resolvePeriod, type ReportPeriod } from '../../src/core/reports/period.js';
import { firstContactOutcome } from '../../src/core/reports/sla.js';
import { speedFigures } from '../../src/core/reports/speed.js';
import { quantile } from '../../src/core/reports/stats.js';

const NOW = Date.parse('2026-03-02T13:00:00Z');
const period = (input: Parameters<typeof resolvePeriod>[0], zone = 'Europe/Moscow'): ReportPeriod => {
  const p = resolvePeriod(input, zone, NOW);
  if (Array.isArray(p)) throw new Error(JSON.stringify(p));
  return p;
};

describe('report periods', () => {
  it('reads dates as local days (to inclusive) and instants as they are (to exclusive)', () => {
    expect(period({ from: '2026-03-01', to: '2026-03-31' })).toMatchObject({ from: '2026-02-28T21:00:00.000Z', to: '2026-03-31T21:00:00.000Z' });
    expect(period({ from: '2026-03-01T00:00:00+05:00', to: '2026-03-02T00:00:00Z' })).toMatchObject({ from: '2026-02-28T19:00:00.000Z', to: '2026-03-02T00:00:00.000Z' });
    expect(period({})).toMatchObject({ from: '2026-01-31T21:00:00.000Z', to: '2026-03-02T13:00:00.000Z' });
    expect(period({ from: '2026-04-01' })).toMatchObject({ from: '2026-03-31T21:00:00.000Z', to: '2026-03-31T21:00:00.000Z', buckets: [] });
  });

  it('names what is wrong', () => {
    expect(resolvePeriod({ from: '2026-03-02', to: '2026-03-01' }, 'UTC', NOW)).toEqual([expect.objectContaining({ path: 'from', code: 'from_after_to' })]);
    expect(resolvePeriod({ grouping: 'quarter' }, 'UTC', NOW)).toEqual([expect.objectContaining({ path: 'grouping', code: 'invalid_grouping' })]);
    expect(resolvePeriod({}, 'Europe/Atlantis', NOW)).toEqual([expect.objectContaining({ path: 'tz', code: 'invalid_time_zone' })]);
    expect(resolvePeriod({ to: '2026-13-01' }, 'UTC', NOW)).toEqual([expect.objectContaining({ path: 'to', code: 'invalid_date' })]);
  });

  it('makes the spring-forward day 23 hours long and the fall-back day 25, in Berlin', () => {
    const spring = period({ from: '2026-03-29', to: '2026-03-29' }, 'Europe/Berlin').buckets[0];
    expect(spring && (spring.endMs - spring.startMs) / 3_600_000).toBe(23);
    const autumn = period({ from: '2026-10-25', to: '2026-10-25' }, 'Europe/Berlin').buckets[0];
    expect(autumn && (autumn.endMs - autumn.startMs) / 3_600_000).toBe(25);
  });

  it('names ISO weeks across the new year and months by their local start', () => {
    expect(period({ from: '2026-12-28', to: '2027-01-10', grouping: 'week' }, 'UTC').buckets.map((b) => b.key)).toEqual(['2026-W53', '2027-W01']);
    expect(period({ from: '2026-01-15', to: '2026-03-01', grouping: 'month' }, 'Asia/Vladivostok').buckets.map((b) => [b.key, b.start])).toEqual([
      ['2026-01', '2026-01-14T14:00:00.000Z'],
      ['2026-02', '2026-01-31T14:00:00.000Z'],
      ['2026-03', '2026-02-28T14:00:00.000Z'],
    ]);
  });

  it('buckets cover the period exactly once, whatever the zone, span and grouping', () => {
    const zones = ['Europe/Moscow', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom('day' as const, 'week' as const, 'month' as const),
        fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2028-01-01T00:00:00Z') }),
        fc.integer({ min: 1, max: 120 * 86_400_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (zone, grouping, from, span, probe) => {
          const buckets = bucketsOf(from, from + span, zone, grouping);
          if (buckets === null) return;
          expect(buckets[0]?.startMs).toBe(from);
          expect(buckets[buckets.length - 1]?.endMs).toBe(from + span);
          for (let i = 1; i < buckets.length; i++) expect(buckets[i]?.startMs).toBe(buckets[i - 1]?.endMs);
          const at = from + Math.floor((span * probe) / 1_000_001);
          const i = bucketIndex(buckets, at);
          expect(i).toBeGreaterThanOrEqual(0);
          expect(at).toBeGreaterThanOrEqual(buckets[i]?.startMs as number);
          expect(at).toBeLessThan(buckets[i]?.endMs as number);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('report arithmetic', () => {
  it('interpolates quantiles like percentile_cont', () => {
    expect(quantile([6, 4], 0.5)).toBe(5);
    expect(quantile([40, 133, 196], 0.9)).toBeCloseTo(183.4, 10);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('counts a lead against "within N minutes" only once N minutes have passed', () => {
    const f = speedFigures([
      { wallMinutes: 4, businessMinutes: 4, waitingWallMinutes: 0, waitingBusinessMinutes: 0 },
      { wallMinutes: null, businessMinutes: null, waitingWallMinutes: 10, waitingBusinessMinutes: 3 },
    ]);
    expect(f).toMatchObject({ leads: 2, contacted: 1, within5Share: 0.5, within15Share: 1, businessWithin5Share: 1, medianMinutes: 4 });
  });

  it('flags junk that stands out: enough leads, and half junk or twice the usual', () => {
    expect(standsOut({ leads: 10, junk: 6, junkRate: 0.6 }, 0.1)).toBe(true);
    expect(standsOut({ leads: 10, junk: 3, junkRate: 0.3 }, 0.1)).toBe(true);
    expect(standsOut({ leads: 10, junk: 3, junkRate: 0.3 }, 0.2)).toBe(false);
    expect(standsOut({ leads: 2, junk: 2, junkRate: 1 }, 0.1)).toBe(false);
  });

  it('classifies the first-contact clock of a lead', () => {
    const base = { hasFirstContactBreach: false, firstContactAt: null, slaKind: null, slaDueAt: null, underPolicy: true, now: NOW };
    expect(firstContactOutcome({ ...base, hasFirstContactBreach: true, firstContactAt: '2026-03-02T10:00:00Z' })).toBe('breached');
    expect(firstContactOutcome({ ...base, slaKind: 'first_contact', slaDueAt: '2026-03-02T12:00:00Z' })).toBe('breached');
    expect(firstContactOutcome({ ...base, slaKind: 'first_contact', slaDueAt: '2026-03-02T14:00:00Z' })).toBe('pending');
    expect(firstContactOutcome({ ...base, firstContactAt: '2026-03-02T10:00:00Z' })).toBe('met');
    expect(firstContactOutcome({ ...base, firstContactAt: '2026-03-02T10:00:00Z', underPolicy: false })).toBe('none');
    expect(firstContactOutcome(base)).toBe('none');
  });

  it('counts a lead converted without qualification as qualified when converted', () => {
    const f = funnelFigures([{ createdMs: 0, qualifiedMs: null, dealMs: 600_000, wonMs: null, dealValue: 50, wonValue: 0 }]);
    expect(f).toMatchObject({ qualified: 1, deals: 1, won: 0, medianMinutesToQualified: 10, medianMinutesQualifiedToDeal: 0, dealValue: 50, winRate: 0 });
  });
});

describe('distribution against target shares', () => {
  const at = '2026-03-02T10:00:00.000Z';
  const decided = (managerId: string | null, trace: unknown, ruleId: string | null = 'sales') => decisionFactOf({ outcome: managerId ? 'assigned' : 'pool', managerId, ruleId, createdAt: at }, trace);

  it('reads the kind, the shares and the reasons from stored traces', () => {
    expect(decided('a', { steps: [{ ruleId: 'sales', ruleName: 'Sales' }], winner: { managerId: 'a', explanation: { strategy: 'weighted', shares: { a: 0.75, b: 0.25 } } } })).toMatchObject({ kind: 'fair_share', ruleName: 'Sales', shares: { a: 0.75, b: 0.25 } });
    expect(decided('a', { winner: { managerId: 'a', explanation: { strategy: 'least_loaded', loads: { a: 0.1, b: 0.5, c: 0 } } } }).shares).toEqual({ a: 1 / 3, b: 1 / 3, c: 1 / 3 });
    expect(decided('a', { ownership: { outcome: 'assigned' } }, null).kind).toBe('ownership');
    expect(decided('f', { fallback: { reason: 'no_candidate', target: 'manager' } }, null)).toMatchObject({ kind: 'fallback', reason: 'no_candidate' });
    expect(decided(null, { fallback: { reason: 'no_rule_matched', target: 'pool' } }, null)).toMatchObject({ kind: 'pool', reason: 'no_rule_matched' });
    expect(decided(null, { ownership: { outcome: 'owner_unavailable_pool' } }, null).reason).toBe('owner_unavailable');
    expect(decided(null, { steps: [{ ruleId: 'cold', outcome: 'pool' }] }, 'cold').reason).toBe('rule_target_pool');
    expect(decided('p', { steps: [{ ruleId: 'vip' }] }, 'vip').kind).toBe('person');
    expect(isQualificationHold({ via: 'qualification', trace: { summary: 'Waits for a qualifier' } })).toBe(true);
    expect(isQualificationHold({ via: 'qualification', trace: { steps: [] } })).toBe(false);
  });

  it('gives a manager no share of the leads decided while away', () => {
    const both = (winner: string) => decided(winner, { winner: { managerId: winner, explanation: { strategy: 'round_robin', shares: { a: 0.5, b: 0.5 } } } });
    const onlyB = decided('b', { winner: { managerId: 'b', explanation: { strategy: 'round_robin', shares: { b: 1 } } } });
    const table = shareTable([both('a'), both('b'), onlyB, onlyB], null);
    expect(table.fairShareDecisions).toBe(4);
    expect(table.rows).toEqual([
      expect.objectContaining({ managerId: 'b', fairShareLeads: 3, expectedLeads: 3, deviationLeads: 0, actualShare: 0.75, targetShare: 0.75, deviationPp: 0 }),
      expect.objectContaining({ managerId: 'a', fairShareLeads: 1, expectedLeads: 1, deviationLeads: 0 }),
    ]);
    // Seen from a's side only, decisions a was no candidate in are not considered.
    expect(shareTable([both('a'), both('b'), onlyB], new Set(['a']))).toMatchObject({ fairShareDecisions: 2, rows: [expect.objectContaining({ managerId: 'a', expectedLeads: 1, actualShare: 0.5 })] });
  });
});

describe('local hour of day', () => {
  it('agrees with luxon in zones with DST and odd offsets', async () => {
    const { DateTime } = await import('luxon');
    const { localHour } = await import('../../src/core/reports/period.js');
    fc.assert(
      fc.property(fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Europe/Moscow'), fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }), (zone, ms) => {
        expect(localHour(ms, zone)).toBe(DateTime.fromMillis(ms, { zone }).hour);
      }),
      { numRuns: 2000 },
    );
  });
});
