import { quantile, ratio, round } from './stats.js';

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

function within(samples: readonly SpeedSample[], minutes: number, clock: 'wall' | 'business'): number | null {
  let hit = 0;
  let counted = 0;
  for (const s of samples) {
    const took = clock === 'wall' ? s.wallMinutes : s.businessMinutes;
    if (took !== null) {
      counted += 1;
      if (took <= minutes) hit += 1;
    } else if ((clock === 'wall' ? s.waitingWallMinutes : s.waitingBusinessMinutes) >= minutes) {
      counted += 1;
    }
  }
  return round(ratio(hit, counted));
}

export function speedFigures(samples: readonly SpeedSample[]): SpeedFigures {
  const wall = samples.flatMap((s) => (s.wallMinutes === null ? [] : [s.wallMinutes]));
  const business = samples.flatMap((s) => (s.businessMinutes === null ? [] : [s.businessMinutes]));
  const [w5, w15, w60] = SPEED_WINDOWS.map((n) => within(samples, n, 'wall')) as [number | null, number | null, number | null];
  const [b5, b15, b60] = SPEED_WINDOWS.map((n) => within(samples, n, 'business')) as [number | null, number | null, number | null];
  return {
    leads: samples.length,
    contacted: wall.length,
    medianMinutes: round(quantile(wall, 0.5), 2),
    p90Minutes: round(quantile(wall, 0.9), 2),
    within5Share: w5,
    within15Share: w15,
    within60Share: w60,
    businessMedianMinutes: round(quantile(business, 0.5), 2),
    businessP90Minutes: round(quantile(business, 0.9), 2),
    businessWithin5Share: b5,
    businessWithin15Share: b15,
    businessWithin60Share: b60,
  };
}
