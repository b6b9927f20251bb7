import type { FairShareState } from './routing-session.js';

/** A candidate of a fair-share rule; `weight` must be set for this decision before choosing. */
export interface FairShareCandidate {
  readonly id: string;
  weight: number;
  readonly state: FairShareState;
}

export interface FairShareChoice {
  /** Index of the winner in the candidate list. */
  index: number;
  /** The winner's share of this decision, weight / total weight. */
  share: number;
  /** The winner's credit before this decision added its share (after re-centring, if the set changed). */
  creditBefore: number;
  totalWeight: number;
  /** Indices of candidates who stood level with the winner (released alike, due at the same step); the winner was the least recently assigned. Absent without a tie. */
  tiedWith?: number[];
}

/** Keeps a zero or broken weight from dividing by zero; such a manager practically never wins. */
const MIN_WEIGHT = 1e-9;
const RELEASE_EPSILON = 1e-9;
const DUE_EPSILON = 1e-9;
const SUM_EPSILON = 1e-9;

/**
 * Picks the next manager by Tijdeman's chairman-assignment algorithm in credit form, and
 * updates the states in place. Over any prefix of n decisions among a stable candidate
 * set, every manager's count stays within d = 1 − 1/(2k − 2) < 1 of share × n — tighter
 * than smooth weighted round robin, which drifts past 1.
 *
 * Managers missing from `candidates` (unavailable now) are not part of the decision: not
 * penalised, no backlog. When the set changes, the candidates' credits are re-centred to sum
 * to 0 and clamped to [−1, 1]; a caller should also call `forfeitUnusedTurn` for a manager
 * who is away, so they come back level (see there). Measured with one manager going away
 * and coming back again and again, they never get more than share × n + 1 of the next n leads.
 *
 * Only the first `count` entries are used, so a caller may reuse one array across decisions.
 */
export function chooseByFairShare(
  candidates: readonly FairShareCandidate[],
  at: number,
  count: number = candidates.length,
): FairShareChoice {
  if (count < 1) throw new RangeError('chooseByFairShare needs at least one candidate');
  let total = 0;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const candidate = candidates[i] as FairShareCandidate;
    total += usableWeight(candidate.weight);
    sum += candidate.state.credit;
  }
  // Among a stable set credits sum to 0 (each lead adds the shares, 1 in all, and takes 1
  // from the winner); that is what guarantees someone is released. When the set changes the
  // sum drifts, so it is re-centred, shifting everyone alike and keeping their order.
  if (sum > SUM_EPSILON || sum < -SUM_EPSILON) {
    const shift = sum / count;
    for (let i = 0; i < count; i++) (candidates[i] as FairShareCandidate).state.credit -= shift;
  }
  const d = count >= 2 ? 1 - 1 / (2 * count - 2) : 0;
  const releaseAt = 1 - d - RELEASE_EPSILON;

  let best = -1;
  let bestReleased = false;
  let bestDue = 0;
  let bestShare = 0;
  let bestBefore = 0;
  for (let i = 0; i < count; i++) {
    const candidate = candidates[i] as FairShareCandidate;
    const state = candidate.state;
    const share = usableWeight(candidate.weight) / total;
    const before = state.credit;
    const credit = before + share;
    state.credit = credit;
    const released = credit >= releaseAt;
    // Steps until this manager's next lead falls due; the earliest due goes first.
    const due = (d - credit) / share;
    if (best >= 0) {
      if (bestReleased && !released) continue;
      if (released === bestReleased) {
        if (due > bestDue + DUE_EPSILON) continue;
        if (due >= bestDue - DUE_EPSILON && !isEarlier(candidate, candidates[best] as FairShareCandidate)) continue;
      }
    }
    best = i;
    bestReleased = released;
    bestDue = due;
    bestShare = share;
    bestBefore = before;
  }

  let tiedWith: number[] | undefined;
  for (let i = 0; i < count; i++) {
    if (i === best) continue;
    const candidate = candidates[i] as FairShareCandidate;
    const credit = candidate.state.credit;
    if (credit >= releaseAt !== bestReleased) continue;
    const due = (d - credit) / (usableWeight(candidate.weight) / total);
    if (due <= bestDue + DUE_EPSILON && due >= bestDue - DUE_EPSILON) (tiedWith ??= []).push(i);
  }

  const winner = (candidates[best] as FairShareCandidate).state;
  winner.credit -= 1;
  winner.assigned += 1;
  winner.lastAssignedAt = at;
  for (let i = 0; i < count; i++) {
    const state = (candidates[i] as FairShareCandidate).state;
    if (state.credit > 1) state.credit = 1;
    else if (state.credit < -1) state.credit = -1;
  }
  const choice: FairShareChoice = { index: best, share: bestShare, creditBefore: bestBefore, totalWeight: total };
  if (tiedWith !== undefined) choice.tiedWith = tiedWith;
  return choice;
}

/**
 * Drops the positive part of an away manager's credit (a turn they were about to get). Kept,
 * it would be paid out on return on top of their share of the new leads: a manager who left
 * just before their turn could get two leads in a row after a day off. Negative credit (leads
 * received ahead of share) stays, so going away never earns anything either.
 * Returns whether the state changed.
 */
export function forfeitUnusedTurn(state: FairShareState): boolean {
  if (!(state.credit > 0)) return false;
  state.credit = 0;
  return true;
}

/** Tie-break: least recently assigned first (never assigned before anyone), then id. */
export function isEarlier(
  a: { readonly id: string; readonly state: FairShareState },
  b: { readonly id: string; readonly state: FairShareState },
): boolean {
  const x = a.state.lastAssignedAt;
  const y = b.state.lastAssignedAt;
  if (x !== y) {
    if (x === null) return true;
    if (y === null) return false;
    return x < y;
  }
  return a.id < b.id;
}

function usableWeight(weight: number): number {
  return weight > MIN_WEIGHT && Number.isFinite(weight) ? weight : MIN_WEIGHT;
}
