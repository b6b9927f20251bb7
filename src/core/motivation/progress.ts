/**
 * Plan against fact for one metric of one person or team (docs/reports.md, "Motivation"): how
 * much is done, the pace the rest of the period needs and where a straight line ends. Pure.
 */
export interface ProgressInput {
  /** The target for the whole period (a per-day norm already multiplied by the working days); null: no plan. */
  target: number | null;
  fact: number;
  /** Working days of the period, and how many of them have passed (today by its share). */
  workingDays: number;
  elapsedDays: number;
}

export type ProgressState = 'none' | 'done' | 'ahead' | 'behind';

export interface Progress {
  target: number | null;
  fact: number;
  /** fact ÷ target (1 = the plan done); null without a target or with a target of 0. */
  done: number | null;
  /** What is still missing: max(0, target − fact); null without a target. */
  remaining: number | null;
  remainingDays: number;
  /** remaining ÷ remaining working days; null without a target, or when no working day is left. */
  pacePerDay: number | null;
  /** fact ÷ elapsed working days × working days; the fact itself once the period is over; null before the first working day began. */
  forecast: number | null;
  /** none: no target; done: fact ≥ target; ahead: the forecast reaches the target; behind: it does not. */
  state: ProgressState;
}

const round = (n: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export function progress(input: ProgressInput): Progress {
  const { target, fact, workingDays } = input;
  const elapsed = Math.min(Math.max(input.elapsedDays, 0), workingDays);
  const remainingDays = round(workingDays - elapsed, 4);
  let forecast: number | null;
  if (remainingDays <= 0) forecast = fact;
  else if (elapsed <= 0) forecast = null;
  else forecast = (fact / elapsed) * workingDays;
  const remaining = target === null ? null : Math.max(0, target - fact);
  const pacePerDay = remaining === null || remainingDays <= 0 ? null : remaining / remainingDays;
  let state: ProgressState;
  if (target === null) state = 'none';
  else if (fact >= target) state = 'done';
  // Before the first working day anything is still possible.
  else if (forecast === null || forecast >= target) state = 'ahead';
  else state = 'behind';
  return {
    target,
    fact: round(fact),
    done: target === null || target === 0 ? null : round(fact / target, 4),
    remaining: remaining === null ? null : round(remaining),
    remainingDays,
    pacePerDay: pacePerDay === null ? null : round(pacePerDay),
    forecast: forecast === null ? null : round(forecast),
    state,
  };
}

/** Competition ranking: equal values share a rank and the next rank skips (1, 1, 3). Highest first. */
export function rank<T>(items: readonly T[], valueOf: (item: T) => number, tieBreak: (a: T, b: T) => number): Array<{ item: T; rank: number }> {
  const sorted = [...items].sort((a, b) => valueOf(b) - valueOf(a) || tieBreak(a, b));
  const out: Array<{ item: T; rank: number }> = [];
  sorted.forEach((item, i) => {
    const prev = out[i - 1];
    out.push({ item, rank: prev && valueOf(prev.item) === valueOf(item) ? prev.rank : i + 1 });
  });
  return out;
}
