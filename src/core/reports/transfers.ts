import { MINUTE_MS, quantile, ratio, round } from './stats.js';

/** Transfer requests by outcome; the approval rate counts decided requests only (approved ÷ approved + rejected). Pure. */
export interface OutcomeCounts {
  total: number;
  pending: number;
  approved: number;
  rejected: number;
  cancelled: number;
  approvalRate: number | null;
}

const OUTCOME_OF: Record<string, 'pending' | 'approved' | 'rejected' | 'cancelled'> = { requested: 'pending', approved: 'approved', rejected: 'rejected', cancelled: 'cancelled' };

export function outcomeCounts(statuses: Iterable<string>): OutcomeCounts {
  const c: OutcomeCounts = { total: 0, pending: 0, approved: 0, rejected: 0, cancelled: 0, approvalRate: null };
  for (const s of statuses) {
    c.total += 1;
    const outcome = OUTCOME_OF[s];
    if (outcome) c[outcome] += 1;
  }
  c.approvalRate = round(ratio(c.approved, c.approved + c.rejected));
  return c;
}

/** One stay of a lead in the pool: from going there to the next owner change (or its closing). */
export interface PoolStay {
  enteredMs: number;
  leftMs: number | null;
  claimed: boolean;
}

export interface PoolFigures {
  entered: number;
  claimed: number;
  leftOtherwise: number;
  stillWaiting: number;
  medianWaitMinutes: number | null;
  p90WaitMinutes: number | null;
}

/** Waiting time counts stays that ended (claimed, handed out or closed); stays still open are counted apart. */
export function poolFigures(stays: readonly PoolStay[]): PoolFigures {
  const waits: number[] = [];
  let claimed = 0;
  let open = 0;
  for (const s of stays) {
    if (s.leftMs === null) {
      open += 1;
      continue;
    }
    waits.push((s.leftMs - s.enteredMs) / MINUTE_MS);
    if (s.claimed) claimed += 1;
  }
  return {
    entered: stays.length,
    claimed,
    leftOtherwise: waits.length - claimed,
    stillWaiting: open,
    medianWaitMinutes: round(quantile(waits, 0.5), 2),
    p90WaitMinutes: round(quantile(waits, 0.9), 2),
  };
}
