import { isEarlier } from './fair-share.js';
import type { FairShareState } from './routing-session.js';

export interface LeastLoadedCandidate {
  readonly id: string;
  readonly load: { readonly open: number; readonly today: number };
  readonly maxOpen: number | null;
  readonly state: FairShareState;
}

export interface LeastLoadedChoice {
  index: number;
  loadRatio: number;
}

/** Capacity assumed for a manager without a cap, so capped and uncapped managers compare. */
export const DEFAULT_CAPACITY = 100;

/** open / capacity; a manager with no open leads is at 0, the least loaded, never left out. */
export function loadRatioOf(candidate: Pick<LeastLoadedCandidate, 'load' | 'maxOpen'>): number {
  const capacity = candidate.maxOpen ?? DEFAULT_CAPACITY;
  if (!(capacity > 0)) return Number.POSITIVE_INFINITY;
  return candidate.load.open / capacity;
}

/**
 * Picks the candidate with the lowest open/capacity ratio; ties go to the least recently
 * assigned (never assigned first), then the fewest leads today, then the id. Updates the
 * winner's assigned count and time; credit is a fair-share notion and stays as it is.
 * Only the first `count` entries are used.
 */
export function chooseLeastLoaded(
  candidates: readonly LeastLoadedCandidate[],
  at: number,
  count: number = candidates.length,
): LeastLoadedChoice {
  if (count < 1) throw new RangeError('chooseLeastLoaded needs at least one candidate');
  let best = 0;
  let bestRatio = loadRatioOf(candidates[0] as LeastLoadedCandidate);
  for (let i = 1; i < count; i++) {
    const candidate = candidates[i] as LeastLoadedCandidate;
    const ratio = loadRatioOf(candidate);
    if (ratio < bestRatio || (ratio === bestRatio && isBefore(candidate, candidates[best] as LeastLoadedCandidate))) {
      best = i;
      bestRatio = ratio;
    }
  }
  const state = (candidates[best] as LeastLoadedCandidate).state;
  state.assigned += 1;
  state.lastAssignedAt = at;
  return { index: best, loadRatio: bestRatio };
}

function isBefore(a: LeastLoadedCandidate, b: LeastLoadedCandidate): boolean {
  const x = a.state.lastAssignedAt;
  const y = b.state.lastAssignedAt;
  if (x === y && a.load.today !== b.load.today) return a.load.today < b.load.today;
  return isEarlier(a, b);
}
