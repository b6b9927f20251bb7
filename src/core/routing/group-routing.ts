import type { ManagerId, RuleId } from '../ids.js';
import { type GroupPlan, type GroupTarget, type LeadProfile, exclusionOf, planGroup } from './candidates.js';
import type { ManagerIndex } from './manager-index.js';
import { chooseByFairShare, forfeitUnusedTurn } from './fair-share.js';
import { type PeriodWindow, isWithin, periodWindow } from './fairness-period.js';
import { tierName, tierOf } from './priority.js';
import { chooseLeastLoaded, loadRatioOf } from './least-loaded.js';
import { type ManagerRuntime, type RefreshContext, refreshManager } from './manager-runtime.js';
import { DEFAULT_PERFORMANCE, shrunkConversionRate } from './performance-weights.js';
import type { FairShareState } from './routing-session.js';
import type { FairnessPeriod, GroupStrategy } from './rule-set.js';
import type { ExcludedManager, Exclusion, TierStep, WinnerExplanation } from './trace.js';

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
  /** The manager's priority tier in this rule (1 is tried first). */
  readonly tier: number;
  touched: boolean;
}

/** A group target prepared once per session: members, their strategy state, settings. */
export interface GroupRuntime {
  readonly plan: GroupPlan;
  /** Parallel to plan.members. */
  readonly entries: readonly MemberEntry[];
  readonly strategy: GroupStrategy;
  readonly floor: number;
  /** Members span more than one tier: only the best tier with a candidate takes part. */
  readonly tiered: boolean;
  readonly period: FairnessPeriod;
  /** The zone the period's days, weeks and months are counted in. */
  readonly timeZone: string;
  /** The period the entries' states count now; null before the first decision. */
  window: PeriodWindow | null;
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
  /** Present when the members span more than one tier and someone could take the lead. */
  tier?: TierStep;
  /** When tiered: the deciding tier's members and the reasons of those of them filtered out (for the summary). */
  tierMembers?: { count: number; excluded: ExcludedManager[] };
}

export function createGroupRuntime(
  ruleId: RuleId,
  target: GroupTarget,
  index: ManagerIndex,
  saved: ReadonlyMap<string, FairShareState> | undefined,
  priorRate: number,
  timeZone: string,
): GroupRuntime {
  const plan = planGroup(target, index);
  const priorStrength = target.performance?.priorStrength ?? DEFAULT_PERFORMANCE.priorStrength;
  const tiers = plan.members.map((manager) => tierOf(target.priorities?.[manager.id] ?? manager.profile.priority));
  const tiered = tiers.some((tier) => tier !== tiers[0]);
  const entries = plan.members.map((manager, i): MemberEntry => {
    const tier = tiers[i] as number;
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
      state: initialState(saved?.get(manager.id), tiered ? tier : null),
      tier,
      touched: false,
    };
  });
  return {
    plan,
    entries,
    strategy: target.strategy,
    floor: target.performance?.floor ?? DEFAULT_PERFORMANCE.floor,
    tiered,
    period: target.fairnessPeriod ?? 'none',
    timeZone,
    window: null,
    lastCandidates: [],
    lastShares: null,
  };
}

/**
 * A member's saved state, or zero. In a tiered group a state counted in another tier starts
 * from zero: each tier keeps its own count. The time of the last lead stays (tie-breaks read it).
 */
function initialState(saved: FairShareState | undefined, tier: number | null): FairShareState {
  const state: FairShareState = saved === undefined ? { credit: 0, assigned: 0, lastAssignedAt: null } : { ...saved };
  if (tier === null) {
    delete state.tier;
    return state;
  }
  if (state.tier !== undefined && state.tier !== null && state.tier !== tier) {
    state.credit = 0;
    state.assigned = 0;
  }
  state.tier = tier;
  return state;
}

/**
 * Moves the group to the fairness period of `at`: every state counted in another period starts
 * from zero (no carry-over, nothing owed), keeping the time of the last lead for tie-breaks.
 */
function enterPeriod(group: GroupRuntime, at: number): void {
  if (group.window !== null && isWithin(group.window, at)) return;
  const window = periodWindow(group.period, group.timeZone, at);
  group.window = window;
  for (const entry of group.entries) {
    const state = entry.state;
    if ((state.period ?? '') === window.key) continue;
    state.credit = 0;
    state.assigned = 0;
    if (window.key === '') delete state.period;
    else state.period = window.key;
  }
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
  enterPeriod(group, at);
  const fairShare = group.strategy !== 'least_loaded';
  const members = plan.members;
  const scratch = context.scratch;
  const excluded: ExcludedManager[] = plan.unknown.length > 0 ? plan.unknown.slice() : [];
  let count = 0;
  let best = Number.POSITIVE_INFINITY;
  // Away members whose unused turn is forfeited once the deciding tier is known.
  let away: MemberEntry[] | null = null;
  for (let i = 0; i < members.length; i++) {
    const manager = members[i] as ManagerRuntime;
    refreshManager(manager, context.refresh);
    const entry = entries[i] as MemberEntry;
    const exclusion = exclusionOf(manager, plan, profile, dropped);
    if (exclusion === null) {
      scratch[count++] = entry;
      if (entry.tier < best) best = entry.tier;
      continue;
    }
    excluded.push(exclusion);
    if (fairShare && isAway(exclusion.reason.kind) && entry.state.credit > 0) {
      (away ??= []).push(entry);
    }
  }
  const memberCount = members.length + plan.unknown.length;
  // Only the deciding tier's away members forfeit: the others of their tier got this lead. A tier
  // entirely away or not needed had no turn taken, so its count waits as it is for its next lead.
  if (away !== null) for (const entry of away) if ((count === 0 || entry.tier === best) && forfeitUnusedTurn(entry.state)) touch(context, entry);
  if (count === 0) return { manager: null, explanation: null, candidates: [], excluded, memberCount };
  let tier: TierStep | undefined;
  let tierMembers: GroupPick['tierMembers'];
  if (group.tiered) {
    const waiting: ManagerId[] = [];
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const entry = scratch[i] as MemberEntry;
      if (entry.tier === best) scratch[kept++] = entry;
      else waiting.push(entry.id);
    }
    count = kept;
    const own: ExcludedManager[] = [];
    tier = tierStep(group, best, excluded, waiting, own);
    let members = 0;
    for (const entry of entries) if (entry.tier === best) members++;
    tierMembers = { count: members, excluded: own };
  }
  const candidates: ManagerId[] = new Array<ManagerId>(count);
  for (let i = 0; i < count; i++) candidates[i] = (scratch[i] as MemberEntry).id;
  const { index, explanation } = choose(context, group, count, at);
  const pick: GroupPick = { manager: (scratch[index] as MemberEntry).manager, explanation, candidates, excluded, memberCount };
  if (tier !== undefined) {
    pick.tier = tier;
    if (tierMembers !== undefined) pick.tierMembers = tierMembers;
  }
  return pick;
}

/** The deciding tier, and each tier above it with its members' reasons; the deciding tier's own reasons go to `own`. */
function tierStep(group: GroupRuntime, best: number, excluded: readonly ExcludedManager[], waiting: ManagerId[], own: ExcludedManager[]): TierStep {
  const tierById = new Map<string, number>();
  for (const entry of group.entries) tierById.set(entry.id, entry.tier);
  const above = new Map<number, ExcludedManager[]>();
  for (const item of excluded) {
    const tier = tierById.get(item.managerId);
    if (tier === best) own.push(item);
    if (tier === undefined || tier >= best) continue;
    let list = above.get(tier);
    if (list === undefined) {
      list = [];
      above.set(tier, list);
    }
    list.push(item);
  }
  const step: TierStep = {
    tier: best,
    above: [...above.entries()].sort((a, b) => a[0] - b[0]).map(([tier, list]) => ({ tier, excluded: list })),
    waiting,
  };
  const name = tierName(best);
  if (name !== null) step.name = name;
  return step;
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
  const explanation: WinnerExplanation = { strategy, share: choice.share, creditBefore: choice.creditBefore, shares };
  const { period, window } = group;
  if (period !== 'none' && window !== null) {
    const winner = scratch[choice.index] as MemberEntry;
    explanation.period = { period, key: window.key, timeZone: group.timeZone, assignedBefore: winner.state.assigned - 1 };
  }
  if (choice.tiedWith !== undefined) {
    explanation.tieBreak = { rule: 'least_recently_assigned', tiedWith: choice.tiedWith.map((i) => (scratch[i] as MemberEntry).id) };
  }
  return { index: choice.index, explanation };
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
