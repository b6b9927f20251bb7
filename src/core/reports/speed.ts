import { countDuration, decodeHistogram, emptyHistogram, encodeHistogram, histogramQuantiles, mergeHistogram, type DurationHistogram } from './duration-histogram.js';
import { ratio, round } from './stats.js';

/**
 * Speed to lead of one lead: minutes from arrival to the first real contact, on the wall clock
 * and in the owner's business hours; for a lead not contacted yet, the minutes that have passed
 * so far (it counts against "within N minutes" only once N minutes have passed; callers may cap
 * them at the longest window).
 */
export interface SpeedSample {
  wallMinutes: number | null;
  businessMinutes: number | null;
  waitingWallMinutes: number;
  waitingBusinessMinutes: number;
}

export const SPEED_WINDOWS = [5, 15, 60] as const;

export interface SpeedFigures {
  leads: number;
  contacted: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  within5Share: number | null;
  within15Share: number | null;
  within60Share: number | null;
  businessMedianMinutes: number | null;
  businessP90Minutes: number | null;
  businessWithin5Share: number | null;
  businessWithin15Share: number | null;
  businessWithin60Share: number | null;
}

/**
 * What a set of samples adds up to, in a form that sums: counts, the durations in bins, and per
 * window (5 / 15 / 60 minutes) the contacted leads within it and every lead that counts for it (a
 * contacted lead, or one that has waited at least that long).
 */
export interface SpeedTally {
  leads: number;
  contacted: number;
  wall: DurationHistogram;
  business: DurationHistogram;
  hitWall: number[];
  countedWall: number[];
  hitBusiness: number[];
  countedBusiness: number[];
}

export function emptySpeedTally(): SpeedTally {
  const zeros = () => SPEED_WINDOWS.map(() => 0);
  return { leads: 0, contacted: 0, wall: emptyHistogram(), business: emptyHistogram(), hitWall: zeros(), countedWall: zeros(), hitBusiness: zeros(), countedBusiness: zeros() };
}

export function tallySpeedSample(t: SpeedTally, s: SpeedSample, sign = 1): void {
  t.leads += sign;
  if (s.wallMinutes !== null) t.contacted += sign;
  if (s.wallMinutes !== null) countDuration(t.wall, s.wallMinutes, sign);
  if (s.businessMinutes !== null) countDuration(t.business, s.businessMinutes, sign);
  SPEED_WINDOWS.forEach((n, i) => {
    if (s.wallMinutes !== null) {
      t.countedWall[i] = (t.countedWall[i] as number) + sign;
      if (s.wallMinutes <= n) t.hitWall[i] = (t.hitWall[i] as number) + sign;
    } else if (s.waitingWallMinutes >= n) t.countedWall[i] = (t.countedWall[i] as number) + sign;
    if (s.businessMinutes !== null) {
      t.countedBusiness[i] = (t.countedBusiness[i] as number) + sign;
      if (s.businessMinutes <= n) t.hitBusiness[i] = (t.hitBusiness[i] as number) + sign;
    } else if (s.waitingBusinessMinutes >= n) t.countedBusiness[i] = (t.countedBusiness[i] as number) + sign;
  });
}

export function mergeSpeedTally(into: SpeedTally, from: SpeedTally, sign = 1): void {
  into.leads += sign * from.leads;
  into.contacted += sign * from.contacted;
  mergeHistogram(into.wall, from.wall, sign);
  mergeHistogram(into.business, from.business, sign);
  for (const key of ['hitWall', 'countedWall', 'hitBusiness', 'countedBusiness'] as const) from[key].forEach((n, i) => (into[key][i] = (into[key][i] as number) + sign * n));
}

export function speedTallyIsEmpty(t: SpeedTally): boolean {
  return t.leads === 0 && t.contacted === 0 && t.wall.size === 0 && t.business.size === 0 && [...t.hitWall, ...t.countedWall, ...t.hitBusiness, ...t.countedBusiness].every((n) => n === 0);
}

export function encodeSpeedTally(t: SpeedTally): unknown {
  return [t.leads, t.contacted, encodeHistogram(t.wall), encodeHistogram(t.business), t.hitWall, t.countedWall, t.hitBusiness, t.countedBusiness];
}

export function decodeSpeedTally(v: unknown): SpeedTally {
  const a = v as [number, number, number[], number[], number[], number[], number[], number[]];
  return { leads: a[0], contacted: a[1], wall: decodeHistogram(a[2]), business: decodeHistogram(a[3]), hitWall: [...a[4]], countedWall: [...a[5]], hitBusiness: [...a[6]], countedBusiness: [...a[7]] };
}

export function speedFigures(samples: readonly SpeedSample[]): SpeedFigures {
  const t = emptySpeedTally();
  for (const s of samples) tallySpeedSample(t, s);
  return speedFiguresOf(t);
}

export function speedFiguresOf(t: SpeedTally): SpeedFigures {
  const share = (hit: number[], counted: number[], i: number) => round(ratio(hit[i] as number, counted[i] as number));
  const [wallMedian, wallP90] = histogramQuantiles(t.wall, [0.5, 0.9]);
  const [businessMedian, businessP90] = histogramQuantiles(t.business, [0.5, 0.9]);
  return {
    leads: t.leads,
    contacted: t.contacted,
    medianMinutes: round(wallMedian ?? null, 2),
    p90Minutes: round(wallP90 ?? null, 2),
    within5Share: share(t.hitWall, t.countedWall, 0),
    within15Share: share(t.hitWall, t.countedWall, 1),
    within60Share: share(t.hitWall, t.countedWall, 2),
    businessMedianMinutes: round(businessMedian ?? null, 2),
    businessP90Minutes: round(businessP90 ?? null, 2),
    businessWithin5Share: share(t.hitBusiness, t.countedBusiness, 0),
    businessWithin15Share: share(t.hitBusiness, t.countedBusiness, 1),
    businessWithin60Share: share(t.hitBusiness, t.countedBusiness, 2),
  };
}
