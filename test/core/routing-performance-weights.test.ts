import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { performanceShares, shrunkConversionRate } from '../../src/core/routing/performance-weights.js';

describe('performance weighting', () => {
  it('a newcomer with no leads gets the team prior, not zero', () => {
    expect(shrunkConversionRate({ leads: 0, won: 0 }, 0.1, 20)).toBeCloseTo(0.1);
    const [newcomer, veteran] = performanceShares([{ leads: 0, won: 0 }, { leads: 200, won: 20 }]);
    expect(newcomer).toBeCloseTo(0.5);
    expect(veteran).toBeCloseTo(0.5);
  });

  it('a few lucky deals barely move the rate; many leads do', () => {
    const lucky = shrunkConversionRate({ leads: 2, won: 2 }, 0.1, 20);
    const proven = shrunkConversionRate({ leads: 400, won: 200 }, 0.1, 20);
    expect(lucky).toBeLessThan(0.2);
    expect(proven).toBeGreaterThan(0.45);
  });

  it('better converters get larger shares, and shares sum to 1', () => {
    const shares = performanceShares([{ leads: 100, won: 40 }, { leads: 100, won: 10 }, { leads: 100, won: 20 }]);
    expect(shares[0]).toBeGreaterThan(shares[2] ?? 0);
    expect(shares[2]).toBeGreaterThan(shares[1] ?? 0);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('a terrible converter keeps at least floor / k of the leads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ leads: fc.integer({ min: 0, max: 1000 }), won: fc.integer({ min: 0, max: 1000 }) }), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (people, floor, priorStrength) => {
          const terrible = [{ leads: 1000, won: 0 }, ...people];
          const shares = performanceShares(terrible, { floor, priorStrength, priorConversionRate: 0.1 });
          expect(shares[0]).toBeGreaterThanOrEqual(floor / terrible.length - 1e-12);
          expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('floor 1 means equal shares whatever the conversion', () => {
    expect(performanceShares([{ leads: 100, won: 90 }, { leads: 100, won: 0 }], { floor: 1 })).toEqual([0.5, 0.5]);
  });
});
