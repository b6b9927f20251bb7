/** The longest period the hourly source-health report covers, in days. */
export const MAX_DAYS = 31;

const dayMs = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The dashboard's period (local dates, both included) as the hourly report can show it: the
 * last 31 days of a longer period.
 */
export function clampPeriod(from: string, to: string): { from: string; to: string; clamped: boolean } {
  const end = Date.parse(`${to}T00:00:00Z`);
  const start = Date.parse(`${from}T00:00:00Z`);
  if (Number.isNaN(end) || Number.isNaN(start) || (end - start) / dayMs + 1 <= MAX_DAYS) return { from, to, clamped: false };
  return { from: dayOf(end - (MAX_DAYS - 1) * dayMs), to, clamped: true };
}

export const STATE_COLOR = { ok: 'green', silent: 'red', junk_spike: 'orange', learning: 'gray', off_hours: 'gray' } as const;
