/**
 * Durations counted in fixed bins, so that medians and p90 can be summed from daily rollups
 * instead of recomputed from every lead: the same figure comes out whether a report reads raw
 * rows or rollups (docs/reports.md, "How durations are counted"). A duration is kept as the
 * lower bound of its bin, in seconds:
 *   under 10 minutes: the whole second; under 2 hours: 10-second steps;
 *   under 2 days: whole minutes; beyond: whole hours.
 * Whole minutes up to 2 days, and whole hours beyond, are therefore kept exactly.
 * Quantiles then interpolate between the two nearest ranks, as `quantile` in stats.ts does.
 */
export type DurationHistogram = Map<number, number>;

const TEN_MINUTES = 600;
const TWO_HOURS = 7_200;
const TWO_DAYS = 172_800;

/** The bin (its lower bound in seconds) of a duration in minutes; a negative duration counts as 0. */
export function durationBin(minutes: number): number {
  const seconds = Math.max(0, Math.floor(Math.round(minutes * 60 * 1000) / 1000));
  if (seconds < TEN_MINUTES) return seconds;
  if (seconds < TWO_HOURS) return seconds - (seconds % 10);
  if (seconds < TWO_DAYS) return seconds - (seconds % 60);
  return seconds - (seconds % 3_600);
}

export function emptyHistogram(): DurationHistogram {
  return new Map();
}

/** Adds (sign 1) or removes (sign -1) one duration in minutes. */
export function countDuration(h: DurationHistogram, minutes: number, sign = 1): void {
  addToBin(h, durationBin(minutes), sign);
}

function addToBin(h: DurationHistogram, bin: number, n: number): void {
  const next = (h.get(bin) ?? 0) + n;
  if (next === 0) h.delete(bin);
  else h.set(bin, next);
}

/** into += sign × from. */
export function mergeHistogram(into: DurationHistogram, from: DurationHistogram, sign = 1): void {
  for (const [bin, n] of from) addToBin(into, bin, sign * n);
}

export function histogramSize(h: DurationHistogram): number {
  let n = 0;
  for (const count of h.values()) n += count;
  return n;
}

/** The quantile in minutes (linear between the two nearest ranks), or null for no durations. */
export function histogramQuantile(h: DurationHistogram, q: number): number | null {
  return histogramQuantiles(h, [q])[0] ?? null;
}

/**
 * Several quantiles in minutes from one pass over the sorted bins (a report asks for the median
 * and p90 of every row of every table: sorting the bins once per histogram is most of the cost).
 */
export function histogramQuantiles(h: DurationHistogram, qs: readonly number[]): Array<number | null> {
  const total = histogramSize(h);
  if (total <= 0) return qs.map(() => null);
  // A typed array sorts numbers as numbers, without a comparator call per pair.
  const bins = Float64Array.from(h.keys()).sort();
  return qs.map((q) => {
    const pos = (total - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    let a: number | null = null;
    let b: number | null = null;
    let seen = 0;
    for (const bin of bins) {
      seen += h.get(bin) as number;
      if (a === null && seen > lo) a = bin;
      if (seen > hi) {
        b = bin;
        break;
      }
    }
    const low = (a ?? 0) / 60;
    const high = (b ?? a ?? 0) / 60;
    return low + (high - low) * (pos - lo);
  });
}

/** Compact form for storage: [bin, count, bin, count, …] sorted by bin. */
export function encodeHistogram(h: DurationHistogram): number[] {
  const out: number[] = [];
  for (const bin of [...h.keys()].sort((a, b) => a - b)) out.push(bin, h.get(bin) as number);
  return out;
}

export function decodeHistogram(flat: readonly number[] | undefined): DurationHistogram {
  const h: DurationHistogram = new Map();
  if (!flat) return h;
  for (let i = 0; i + 1 < flat.length; i += 2) h.set(flat[i] as number, flat[i + 1] as number);
  return h;
}
