import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FairShareCandidate, chooseByFairShare, forfeitUnusedTurn } from '../../src/core/routing/fair-share.js';
import type { FairShareState } from '../../src/core/routing/routing-session.js';

const fresh = (): FairShareState => ({ credit: 0, assigned: 0, lastAssignedAt: null });

function candidatesOf(weights: readonly number[]): FairShareCandidate[] {
  return weights.map((weight, i) => ({ id: `m${i}`, weight, state: fresh() }));
}

/** Routes `leads` leads among a stable set and returns the worst |count − share·n| over every prefix. */
function worstDeviation(weights: readonly number[], leads: number): number {
  const candidates = candidatesOf(weights);
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map(() => 0);
  let worst = 0;
  for (let n = 1; n <= leads; n++) {
    const { index } = chooseByFairShare(candidates, n);
    counts[index] = (counts[index] ?? 0) + 1;
    for (let i = 0; i < weights.length; i++) {
      worst = Math.max(worst, Math.abs((counts[i] ?? 0) - ((weights[i] ?? 0) / total) * n));
    }
  }
  return worst;
}

const weightsArb = fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 9 });

describe('fair share (chairman assignment)', () => {
  it('keeps every manager within 1 of their weighted share after every lead', () => {
    fc.assert(
      fc.property(weightsArb, fc.integer({ min: 1, max: 400 }), (weights, leads) => {
        expect(worstDeviation(weights, leads)).toBeLessThan(1);
      }),
      { numRuns: 150 },
    );
  });

  it('round robin with equal weights stays within the same bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 400 }), (k, leads) => {
        expect(worstDeviation(Array.from({ length: k }, () => 1), leads)).toBeLessThan(1);
      }),
      { numRuns: 60 },
    );
  });

  it('stays within the tighter Tijdeman bound 1 − 1/(2k − 2)', () => {
    fc.assert(
      fc.property(weightsArb, (weights) => {
        const k = weights.length;
        expect(worstDeviation(weights, 300)).toBeLessThanOrEqual(1 - 1 / (2 * k - 2) + 1e-9);
      }),
      { numRuns: 80 },
    );
  });

  it('equal weights rotate in a fixed order, never-assigned managers first', () => {
    const candidates = candidatesOf([1, 1, 1]);
    const winners = Array.from({ length: 6 }, (_, n) => candidates[chooseByFairShare(candidates, n).index]?.id);
    expect(winners).toEqual(['m0', 'm1', 'm2', 'm0', 'm1', 'm2']);
  });

  it('a manager with twice the weight gets twice the leads', () => {
    const candidates = candidatesOf([2, 1]);
    for (let n = 0; n < 300; n++) chooseByFairShare(candidates, n);
    expect(candidates.map((c) => c.state.assigned)).toEqual([200, 100]);
  });

  it('a manager left out of a decision is not touched by it', () => {
    const [a, b, c] = candidatesOf([1, 1, 1]) as [FairShareCandidate, FairShareCandidate, FairShareCandidate];
    chooseByFairShare([a, b, c], 1);
    const before = { ...c.state };
    for (let n = 2; n < 50; n++) chooseByFairShare([a, b], n);
    expect(c.state).toEqual(before);
  });

  it('going away forfeits only an unused turn, never leads received ahead of share', () => {
    const ahead: FairShareState = { credit: -0.6, assigned: 3, lastAssignedAt: 5 };
    const owed: FairShareState = { credit: 0.7, assigned: 2, lastAssignedAt: 4 };
    expect(forfeitUnusedTurn(ahead)).toBe(false);
    expect(ahead.credit).toBe(-0.6);
    expect(forfeitUnusedTurn(owed)).toBe(true);
    expect(owed).toEqual({ credit: 0, assigned: 2, lastAssignedAt: 4 });
  });

  it('a manager back from vacation does not get a flood: at most share × n + 1 over the next n leads', () => {
    const phase = fc.record({ present: fc.integer({ min: 0, max: 120 }), away: fc.integer({ min: 1, max: 150 }) });
    fc.assert(
      fc.property(
        weightsArb,
        fc.nat({ max: 8 }),
        fc.array(phase, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 200 }),
        (weights, pick, phases, after) => {
          const candidates = candidatesOf(weights);
          const returning = pick % weights.length;
          const leaver = candidates[returning] as FairShareCandidate;
          const others = candidates.filter((_, i) => i !== returning);
          const share = (weights[returning] ?? 0) / weights.reduce((x, y) => x + y, 0);
          let n = 0;
          // Every stretch after a return is a window to check, the last one `after` leads long.
          const windows = phases.map((p, i) => ({ ...p, next: phases[i + 1]?.present ?? after }));
          for (let i = 0; i < (phases[0]?.present ?? 0); i++) chooseByFairShare(candidates, n++);
          for (const { away, next } of windows) {
            for (let i = 0; i < away; i++) {
              forfeitUnusedTurn(leaver.state);
              chooseByFairShare(others, n++);
            }
            let received = 0;
            for (let i = 1; i <= next; i++) {
              if (chooseByFairShare(candidates, n++).index === returning) received++;
              expect(received).toBeLessThanOrEqual(share * i + 1 + 1e-9);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reports the winner\'s share and the credit it had before the lead', () => {
    const candidates = candidatesOf([3, 1]);
    const choice = chooseByFairShare(candidates, 1);
    expect(choice).toEqual({ index: 0, share: 0.75, creditBefore: 0, totalWeight: 4 });
    expect(candidates[0]?.state).toEqual({ credit: -0.25, assigned: 1, lastAssignedAt: 1 });
    expect(candidates[1]?.state.credit).toBeCloseTo(0.25);
  });
});
