/**
 * The arithmetic the reports share. Quantiles interpolate linearly between the two nearest
 * ranks (PostgreSQL's percentile_cont, R's type 7), so the median of 4 and 6 is 5.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** part ÷ whole, or null when nothing was there to count (a rate of nothing is unknown, not 0). */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Rounds a figure for the answer: minutes and shares to 4 decimals, leads never rounded. */
export function round(value: number | null, digits = 4): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
