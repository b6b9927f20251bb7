/** Defaults of performance weighting; a rule may override floor and priorStrength. */
export const DEFAULT_PERFORMANCE = { floor: 0.5, priorStrength: 20, priorConversionRate: 0.1 } as const;

/**
 * A manager's conversion rate shrunk towards the team's: (won + m·p) / (leads + m). With few
 * leads the rate is mostly the prior, so a lucky first deal does not flood a newcomer and a
 * newcomer with no leads gets the team's rate, not zero.
 */
export function shrunkConversionRate(
  performance: { leads: number; won: number },
  priorConversionRate: number = DEFAULT_PERFORMANCE.priorConversionRate,
  priorStrength: number = DEFAULT_PERFORMANCE.priorStrength,
): number {
  const leads = Math.max(0, performance.leads);
  const won = Math.min(Math.max(0, performance.won), leads);
  const denominator = leads + priorStrength;
  if (!(denominator > 0)) return priorConversionRate;
  return (won + priorStrength * priorConversionRate) / denominator;
}

/**
 * Shares from rates: floor/k + (1 − floor)·r_i/Σr. Everyone keeps at least floor/k (half an
 * equal share by default) however badly they convert; the rest follows conversion.
 * Writes the first `count` shares into `out` (allocation-free for the routing hot path).
 */
export function sharesFromRates(
  rates: ArrayLike<number>,
  floor: number,
  out: number[],
  count: number = rates.length,
): number[] {
  const f = Math.min(1, Math.max(0, floor));
  let total = 0;
  for (let i = 0; i < count; i++) total += Math.max(0, rates[i] as number);
  for (let i = 0; i < count; i++) {
    // With no signal at all (every rate 0) the variable part is split equally.
    const part = total > 0 ? Math.max(0, rates[i] as number) / total : 1 / count;
    out[i] = f / count + (1 - f) * part;
  }
  return out;
}

/** Performance shares of a candidate list, summing to 1. */
export function performanceShares(
  performances: ReadonlyArray<{ leads: number; won: number }>,
  settings: { floor?: number; priorStrength?: number; priorConversionRate?: number } = {},
): number[] {
  const rates = performances.map((p) =>
    shrunkConversionRate(
      p,
      settings.priorConversionRate ?? DEFAULT_PERFORMANCE.priorConversionRate,
      settings.priorStrength ?? DEFAULT_PERFORMANCE.priorStrength,
    ),
  );
  return sharesFromRates(rates, settings.floor ?? DEFAULT_PERFORMANCE.floor, []);
}
