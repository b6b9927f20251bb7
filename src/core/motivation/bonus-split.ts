import { CONTROL_POINTS, type ControlPointKey } from '../lifecycle/deals.js';

/**
 * How a won deal's value is credited to the people who made it (issue 13, "Originator and
 * closer"; docs/motivation.md, "Bonus"). Pure: amounts are integers in minor units (kopecks),
 * shares in basis points (1 % = 100 bp), so every part is exact and the parts always add up
 * to the deal's value.
 */
export type BonusRole = 'originator' | 'closer' | `controlPoint:${ControlPointKey}`;

export const BONUS_ROLES: readonly BonusRole[] = ['originator', ...CONTROL_POINTS.map((k) => `controlPoint:${k}` as const), 'closer'];

export interface BonusTerms {
  /** The originator's share when someone else closes the deal, in basis points. */
  originatorShareBp: number;
  /** Each control point's weight, in basis points. */
  controlPointWeightsBp: Record<ControlPointKey, number>;
}

export interface SplitInput {
  /** The deal's value in minor units: a non-negative safe integer. */
  amount: number;
  closerId: string | null;
  originatorId: string | null;
  /** Who reached each control point (null or missing: nobody known, or not reached). */
  controlPointsBy: Partial<Record<ControlPointKey, string | null>>;
  terms: BonusTerms;
}

export interface SplitPart {
  role: BonusRole;
  /** null only for the closer's part of a deal nobody owns. */
  managerId: string | null;
  shareBp: number;
  amount: number;
}

export const FULL_BP = 10_000;

/** The shares that apply before any money is split: who qualifies for what. The closer's is the rest. */
export function splitShares(input: Omit<SplitInput, 'amount'>): Array<Omit<SplitPart, 'amount'>> {
  const { terms } = input;
  const parts: Array<Omit<SplitPart, 'amount'>> = [];
  if (input.originatorId !== null && input.originatorId !== input.closerId && terms.originatorShareBp > 0) {
    parts.push({ role: 'originator', managerId: input.originatorId, shareBp: terms.originatorShareBp });
  }
  for (const key of CONTROL_POINTS) {
    const by = input.controlPointsBy[key] ?? null;
    const weight = terms.controlPointWeightsBp[key];
    if (by !== null && weight > 0) parts.push({ role: `controlPoint:${key}`, managerId: by, shareBp: weight });
  }
  const given = parts.reduce((sum, p) => sum + p.shareBp, 0);
  if (given > FULL_BP) throw new RangeError(`The shares add up to ${given / 100}% — more than the whole deal`);
  parts.push({ role: 'closer', managerId: input.closerId, shareBp: FULL_BP - given });
  return parts;
}

/**
 * Splits the value by largest remainder: each part gets the whole kopecks of its exact share,
 * and the kopecks left over (fewer than the parts) go one each to the parts with the largest
 * fractions, ties in the order originator, presentation, proposal, contract, closer. So the parts
 * sum to the value exactly, none is negative, and the closer alone gets all of it.
 */
export function splitBonus(input: SplitInput): SplitPart[] {
  if (!Number.isSafeInteger(input.amount) || input.amount < 0) throw new RangeError(`A deal value in minor units must be a non-negative safe integer, not ${input.amount}`);
  const shares = splitShares(input);
  const value = BigInt(input.amount);
  const full = BigInt(FULL_BP);
  const exact = shares.map((s) => value * BigInt(s.shareBp));
  const floors = exact.map((e) => e / full);
  let left = value - floors.reduce((a, b) => a + b, 0n);
  const order = shares.map((_, i) => i).sort((a, b) => {
    const ra = (exact[a] as bigint) % full;
    const rb = (exact[b] as bigint) % full;
    return ra === rb ? a - b : rb > ra ? 1 : -1;
  });
  const extra = shares.map(() => 0n);
  for (const i of order) {
    if (left <= 0n) break;
    extra[i] = 1n;
    left -= 1n;
  }
  return shares.map((s, i) => ({ ...s, amount: Number((floors[i] as bigint) + (extra[i] as bigint)) }));
}

/** A credited amount turned into bonus money at a rate in basis points, rounded half up to whole minor units. */
export function bonusAt(credited: number, rateBp: number): number {
  const n = BigInt(credited) * BigInt(rateBp);
  const full = BigInt(FULL_BP);
  const q = n / full;
  return Number(n % full * 2n >= full ? q + 1n : q);
}

/** Major units (as deals store them, e.g. 1500.5) to minor units (150050). */
export function toMinorUnits(amount: number): number {
  return Math.round(amount * 100);
}
