import type { ManagerId, RuleId } from '../ids.js';
import { type GroupPlan, type GroupTarget, type LeadProfile, exclusionOf, planGroup } from './candidates.js';
import type { ManagerIndex } from './manager-index.js';
import { chooseByFairShare, forfeitUnusedTurn } from './fair-share.js';
import { chooseLeastLoaded, loadRatioOf } from './least-loaded.js';
import { type ManagerRuntime, type RefreshContext, refreshManager } from './manager-runtime.js';
import { DEFAULT_PERFORMANCE, shrunkConversionRate } from './performance-weights.js';
import type { FairShareState } from './routing-session.js';
import type { GroupStrategy } from './rule-set.js';
import type { ExcludedManager, Exclusion, WinnerExplanation } from './trace.js';

/** Strategy state of one (rule, member) pair, shaped for both fair share and least loaded. */
export interface MemberEntry {
  readonly id: ManagerId;
  readonly ruleId: RuleId;
  readonly manager: ManagerRuntime;
  /** This decision's weight (fair share reads it). */
  weight: number;
  /** The rule's weight for the manager (target.weights, else the manager's own). */
  readonly baseWeight: number;
  /** Shrunk conversion rate, for performance weighting. */
  readonly rate: number;
  readonly load: { open: number; today: number };
  readonly maxOpen: number | null;
  readonly state: FairShareState;
  touched: boolean;
}

/** A group target prepared once per session: members, their strategy state, settings. */
export interface GroupRuntime {
  readonly plan: GroupPlan;
  /** Parallel to plan.members. */
  readonly entries: readonly MemberEntry[];
  readonly strategy: GroupStrategy;
  readonly floor: number;
  /**
   * The candidates of the last fair-share decision and their shares. Shares depend only on
   * who the candidates are, and the set rarely changes between leads, so the record is
   * reused (traces share it; it is frozen) instead of building a hash table per lead.
   */
  lastCandidates: MemberEntry[];
  lastShares: Readonly<Record<string, number>> | null;
}

/** Session state a group decision reads and updates. */
export interface GroupContext {
  readonly refresh: RefreshContext;
  /** Candidates of the current decision, reused across decisions. */
  readonly scratch: MemberEntry[];
  /** Entries whose state changed this session, each once. */
  readonly touched: MemberEntry[];
}

export interface GroupPick {
  /** null when every member was filtered out. */
  manager: ManagerRuntime | null;
  explanation: WinnerExplanation | null;
  candidates: ManagerId[];
  excluded: ExcludedManager[];
  /** Listed members, known or not. */
  memberCount: number;
}

export function createGroupRuntime(
  ruleId: RuleId,
  target: GroupTarget,
  index: ManagerIndex,
  saved: ReadonlyMap<string, FairShareState> | undefined,
  priorRate: number,
): GroupRuntime {
  const plan = planGroup(target, index);
  const priorStrength = target.performance?.priorStrength ?? DEFAULT_PERFORMANCE.priorStrength;
  const entries = plan.members.map((manager): MemberEntry => {
    const state = saved?.get(manager.id);
    const baseWeight = target.weights?.[manager.id] ?? manager.profile.weight;
    return {
      id: manager.id,
      ruleId,
      manager,
      weight: baseWeight,
      baseWeight,
      rate: shrunkConversionRate(manager.profile.performance, priorRate, priorStrength),
      load: manager.load,
      maxOpen: manager.profile.maxOpen,
      state: state === undefined ? { credit: 0, assigned: 0, lastAssignedAt: null } : { ...state },
      touched: false,
    };
  });
  return {
    plan,
    entries,
    strategy: target.strategy,
    floor: target.performance?.floor ?? DEFAULT_PERFORMANCE.floor,
    lastCandidates: [],
    lastShares: null,
  };
}

/** Filters the members for this lead, then lets the strategy pick among the rest. */
export function pickFromGroup(
  context: GroupContext,
  group: GroupRuntime,
  at: number,
  dropped: ReadonlySet<ManagerId> | undefined,
  profile: LeadProfile | null,
): GroupPick {
  const { plan, entries } = group;
  const fairShare = group.strategy !== 'least_loaded';
  const members = plan.members;
  const scratch = context.scratch;
  const excluded: ExcludedManager[] = plan.unknown.length > 0 ? plan.unknown.slice() : [];
  const candidates: ManagerId[] = [];
  let count = 0;
  for (let i = 0; i < members.length; i++) {
    const manager = members[i] as ManagerRuntime;
    refreshManager(manager, context.refresh);
    const exclusion = exclusionOf(manager, plan, profile, dropped);
    if (exclusion === null) {
      candidates.push(manager.id);
      scratch[count++] = entries[i] as MemberEntry;
      continue;
    }
    excluded.push(exclusion);
    const entry = entries[i] as MemberEntry;
    if (fairShare && isAway(exclusion.reason.kind) && forfeitUnusedTurn(entry.state)) touch(context, entry);
  }
  const memberCount = members.length + plan.unknown.length;
  if (count === 0) return { manager: null, explanation: null, candidates, excluded, memberCount };
  const { index, explanation } = choose(context, group, count, at);
  return { manager: (scratch[index] as MemberEntry).manager, explanation, candidates, excluded, memberCount };
}

/**
 * Reasons that take a manager out of the rotation for a while, as opposed to reasons about
 * this one lead (dropped before, skills, profile): the away forfeit their unused turn.
 */
function isAway(kind: Exclusion['kind']): boolean {
  return kind === 'paused' || kind === 'absent' || kind === 'off_hours' || kind === 'open_cap' || kind === 'daily_cap';
}

function touch(context: GroupContext, entry: MemberEntry): void {
  if (entry.touched) return;
  entry.touched = true;
  context.touched.push(entry);
}

/** Runs the strategy over scratch[0..count) and explains the choice. */
function choose(context: GroupContext, group: GroupRuntime, count: number, at: number): { index: number; explanation: WinnerExplanation } {
  const { scratch } = context;
  const { strategy } = group;
  if (strategy === 'least_loaded') {
    const choice = chooseLeastLoaded(scratch, at, count);
    touch(context, scratch[choice.index] as MemberEntry);
    const loads = idRecord();
    for (let i = 0; i < count; i++) {
      const entry = scratch[i] as MemberEntry;
      loads[entry.id] = loadRatioOf(entry);
    }
    return { index: choice.index, explanation: { strategy, loadRatio: choice.loadRatio, loads } };
  }
  if (strategy === 'performance') {
    // Shares over the candidates present now: floor/k + (1 − floor)·r/Σr (see performance-weights).
    let totalRate = 0;
    for (let i = 0; i < count; i++) totalRate += (scratch[i] as MemberEntry).rate;
    const floor = Math.min(1, Math.max(0, group.floor));
    for (let i = 0; i < count; i++) {
      const entry = scratch[i] as MemberEntry;
      const part = totalRate > 0 ? entry.rate / totalRate : 1 / count;
      entry.weight = floor / count + (1 - floor) * part;
    }
  } else {
    const equal = strategy === 'round_robin';
    for (let i = 0; i < count; i++) {
      const entry = scratch[i] as MemberEntry;
      entry.weight = equal ? 1 : entry.baseWeight;
    }
  }
  const choice = chooseByFairShare(scratch, at, count);
  for (let i = 0; i < count; i++) touch(context, scratch[i] as MemberEntry);
  const shares = sharesOf(group, scratch, count, choice.totalWeight);
  return { index: choice.index, explanation: { strategy, share: choice.share, creditBefore: choice.creditBefore, shares } };
}

function sharesOf(group: GroupRuntime, scratch: readonly MemberEntry[], count: number, totalWeight: number): Record<string, number> {
  const last = group.lastCandidates;
  let same = group.lastShares !== null && last.length === count;
  for (let i = 0; same && i < count; i++) same = last[i] === scratch[i];
  if (same && group.lastShares !== null) return group.lastShares;
  const shares = idRecord();
  for (let i = 0; i < count; i++) {
    const entry = scratch[i] as MemberEntry;
    shares[entry.id] = entry.weight / totalWeight;
  }
  group.lastCandidates = scratch.slice(0, count);
  group.lastShares = Object.freeze(shares);
  return shares;
}

/**
 * A record keyed by manager id. Without a prototype V8 keeps it as a hash table from the
 * start, instead of minting a hidden class for every new combination of ids.
 */
function idRecord(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}
