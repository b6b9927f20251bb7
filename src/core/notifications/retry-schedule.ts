/** After this many failed attempts a delivery is marked failed: kept for an admin to retry by hand. */
export const MAX_DELIVERY_ATTEMPTS = 20;

const FIRST_DELAY_MS = 10_000;
const MAX_DELAY_MS = 60 * 60_000;

/**
 * Exponential backoff: 10 s after the first failure, doubling, at most an hour; `jitter` in
 * [0, 1) spreads it by ±10% so deliveries that failed together do not retry together.
 */
export function retryDelayMs(failedAttempts: number, jitter: number): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const base = Math.min(FIRST_DELAY_MS * 2 ** Math.min(exponent, 30), MAX_DELAY_MS);
  const spread = 0.9 + 0.2 * Math.min(Math.max(jitter, 0), 1);
  return Math.round(Math.min(base * spread, MAX_DELAY_MS));
}

export type RetryDecision = { kind: 'retry'; at: string } | { kind: 'give_up' };

/** What to do after a failed attempt: retry later, or give up after the last one. */
export function afterFailure(failedAttempts: number, now: Date, jitter: number): RetryDecision {
  if (failedAttempts >= MAX_DELIVERY_ATTEMPTS) return { kind: 'give_up' };
  return { kind: 'retry', at: new Date(now.getTime() + retryDelayMs(failedAttempts, jitter)).toISOString() };
}
