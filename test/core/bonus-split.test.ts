import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readControlPoints, withControlPoints, emptyControlPoints } from '../../src/core/lifecycle/deals.js';
import { bonusAt, splitBonus, toMinorUnits, type SplitInput } from '../../src/core/motivation/bonus-split.js';

const people = fc.constantFrom('anna', 'ivan', 'olga', 'petr');
const maybePerson = fc.option(people, { nil: null });

/** Shares (originator + weights) that add up to at most 100 %, as the settings allow. */
const terms = fc
  .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }))
  .map(([a, b, c, d]) => {
    const total = a + b + c + d;
    const scale = total > 10_000 ? 10_000 / total : 1;
    const [o, p, q, r] = [a, b, c, d].map((x) => Math.floor(x * scale)) as [number, number, number, number];
    return { originatorShareBp: o, controlPointWeightsBp: { presentation: p, proposal: q, contract: r } };
  });

const input: fc.Arbitrary<SplitInput> = fc.record({
  amount: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
  closerId: maybePerson,
  originatorId: maybePerson,
  controlPointsBy: fc.record({ presentation: maybePerson, proposal: maybePerson, contract: maybePerson }),
  terms,
});

describe('the bonus split', () => {
  it('always sums to the deal value, exactly, with no negative part', () => {
    fc.assert(
      fc.property(input, (i) => {
        const parts = splitBonus(i);
        expect(parts.reduce((s, p) => s + BigInt(p.amount), 0n)).toBe(BigInt(i.amount));
        for (const p of parts) expect(p.amount).toBeGreaterThanOrEqual(0);
        expect(parts.reduce((s, p) => s + p.shareBp, 0)).toBe(10_000);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the closer the whole value when nobody else qualifies', () => {
    fc.assert(
      fc.property(input, fc.boolean(), (i, originatorCloses) => {
        const alone = { ...i, originatorId: originatorCloses ? i.closerId : null, controlPointsBy: {} };
        const parts = splitBonus(alone);
        expect(parts).toEqual([{ role: 'closer', managerId: i.closerId, shareBp: 10_000, amount: i.amount }]);
      }),
    );
  });

  it('each part is within one kopeck of its exact share', () => {
    fc.assert(
      fc.property(input, (i) => {
        for (const p of splitBonus(i)) {
          const exact = (BigInt(i.amount) * BigInt(p.shareBp)) / 10_000n;
          expect(BigInt(p.amount) - exact === 0n || BigInt(p.amount) - exact === 1n).toBe(true);
        }
      }),
    );
  });

  it('credits the originator only when someone else closes, and each weighted point to whoever reached it', () => {
    const terms = { originatorShareBp: 2000, controlPointWeightsBp: { presentation: 500, proposal: 0, contract: 1000 } };
    expect(splitBonus({ amount: 100_000, closerId: 'ivan', originatorId: 'anna', controlPointsBy: { presentation: 'anna', proposal: 'ivan', contract: null }, terms })).toEqual([
      { role: 'originator', managerId: 'anna', shareBp: 2000, amount: 20_000 },
      { role: 'controlPoint:presentation', managerId: 'anna', shareBp: 500, amount: 5_000 },
      { role: 'closer', managerId: 'ivan', shareBp: 7500, amount: 75_000 },
    ]);
    expect(splitBonus({ amount: 100_000, closerId: 'anna', originatorId: 'anna', controlPointsBy: {}, terms })).toEqual([{ role: 'closer', managerId: 'anna', shareBp: 10_000, amount: 100_000 }]);
  });

  it('hands the leftover kopecks to the largest fractions, ties in role order', () => {
    const terms = { originatorShareBp: 3333, controlPointWeightsBp: { presentation: 3333, proposal: 0, contract: 0 } };
    // 100 kopecks: 33.33 + 33.33 + 33.34 → 33, 33, 34 (the closer's fraction is the largest).
    expect(splitBonus({ amount: 100, closerId: 'c', originatorId: 'o', controlPointsBy: { presentation: 'p' }, terms }).map((p) => p.amount)).toEqual([33, 33, 34]);
    const halves = { originatorShareBp: 5000, controlPointWeightsBp: { presentation: 0, proposal: 0, contract: 0 } };
    // 1 kopeck, two equal halves: the originator comes first in the order.
    expect(splitBonus({ amount: 1, closerId: 'c', originatorId: 'o', controlPointsBy: {}, terms: halves }).map((p) => p.amount)).toEqual([1, 0]);
  });

  it('refuses shares over 100 % and values that are not whole minor units', () => {
    const over = { originatorShareBp: 6000, controlPointWeightsBp: { presentation: 5000, proposal: 0, contract: 0 } };
    expect(() => splitBonus({ amount: 1, closerId: 'c', originatorId: 'o', controlPointsBy: { presentation: 'p' }, terms: over })).toThrow(RangeError);
    expect(() => splitBonus({ amount: 1.5, closerId: 'c', originatorId: null, controlPointsBy: {}, terms: over })).toThrow(RangeError);
  });

  it('turns credited value into bonus money half up, and major units into kopecks', () => {
    expect(bonusAt(20_000, 1000)).toBe(2_000);
    expect(bonusAt(5, 1000)).toBe(1); // 0.5 → 1
    expect(bonusAt(4, 1000)).toBe(0);
    expect(toMinorUnits(1500.1)).toBe(150_010);
  });
});

describe('control points remember who reached them', () => {
  it('credits a point set now, keeps an untouched one, forgets a cleared one; old records read with nobody', () => {
    const one = withControlPoints(emptyControlPoints(), { presentation: '2026-03-01T10:00:00.000Z' }, 'anna');
    const two = withControlPoints(one, { proposal: '2026-03-02T10:00:00.000Z' }, 'ivan');
    expect(two).toEqual([
      { key: 'presentation', at: '2026-03-01T10:00:00.000Z', by: 'anna' },
      { key: 'proposal', at: '2026-03-02T10:00:00.000Z', by: 'ivan' },
      { key: 'contract', at: null, by: null },
    ]);
    expect(withControlPoints(two, { presentation: null }, 'ivan')[0]).toEqual({ key: 'presentation', at: null, by: null });
    expect(readControlPoints([{ key: 'proposal', at: '2026-03-02T10:00:00.000Z' }])).toEqual([
      { key: 'presentation', at: null, by: null },
      { key: 'proposal', at: '2026-03-02T10:00:00.000Z', by: null },
      { key: 'contract', at: null, by: null },
    ]);
  });
});

describe('bonus months and adjustments', () => {
  it('reads a month in the team’s zone and finds the first open month after a closed one', async () => {
    const { firstOpenAfter, isMonth, monthBounds, monthOf } = await import('../../src/core/motivation/bonus-lines.js');
    expect(monthBounds('2026-03', 'Europe/Moscow')).toMatchObject({ from: '2026-02-28T21:00:00.000Z', to: '2026-03-31T21:00:00.000Z' });
    // Berlin changes to summer time in March: the month starts at +01:00 and ends at +02:00.
    expect(monthBounds('2026-03', 'Europe/Berlin')).toMatchObject({ from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' });
    expect(monthOf('2026-03-31T21:30:00.000Z', 'Europe/Moscow')).toBe('2026-04');
    expect(monthOf('2026-03-31T21:30:00.000Z', 'Europe/Berlin')).toBe('2026-03');
    expect(firstOpenAfter('2026-11', new Set(['2026-11', '2026-12', '2027-01']))).toBe('2027-02');
    expect(firstOpenAfter('2026-11', new Set())).toBe('2026-12');
    expect([isMonth('2026-12'), isMonth('2026-13'), isMonth('2026-1'), isMonth('x')]).toEqual([true, false, false, false]);
  });

  it('an adjustment is what a deal earns now minus everything frozen for it, per manager, role and currency', async () => {
    const { adjustmentLines, dealLines } = await import('../../src/core/motivation/bonus-lines.js');
    const deal = { id: 'd', leadId: 'l', title: 'Deal', amount: 1000, currency: 'RUB', originatorId: 'anna', ownerId: 'ivan', controlPoints: emptyControlPoints(), closedAt: '2026-11-10T10:00:00.000Z' };
    const terms = { originatorShareBp: 2000, controlPointWeightsBp: { presentation: 0, proposal: 0, contract: 0 }, rateBp: 1000 };
    const team = { id: 't', name: 'Москва', zone: 'Europe/Moscow' };
    const frozen = dealLines(deal, terms, team);
    const context = { period: '2026-12', adjustsPeriod: '2026-11', teamId: 't', teamName: 'Москва', deal, rateBp: 1000 };
    expect(adjustmentLines(frozen, frozen, context)).toEqual([]);
    const now = dealLines({ ...deal, amount: 1500, currency: 'USD' }, terms, team);
    const adj = adjustmentLines(now, frozen, context);
    // The ruble lines are taken back, the dollar lines given: the sums per currency match what the deal earns now.
    const sum = (cur: string) => [...frozen, ...adj].filter((l) => l.currency === cur).reduce((s, l) => s + (l.amountMinor ?? 0), 0);
    expect([sum('RUB'), sum('USD')]).toEqual([0, 150_000]);
    expect(adj.every((l) => l.adjustment && l.adjustsPeriod === '2026-11' && l.period === '2026-12')).toBe(true);
  });
});
