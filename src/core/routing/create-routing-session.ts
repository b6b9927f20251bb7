import type { ManagerId, RuleId } from '../ids.js';
import { type GroupTarget, type LeadProfile, exclusionOf, leadProfileOf } from './candidates.js';
import { type CompiledRule, type CompiledRuleSet, compileRuleSet } from './compiled-rule-set.js';
import { type MissedRule, type OwnershipFacts, type SummaryResult, type TierFacts, summaryFacts } from './decision-summary.js';
import { decisionText } from '../i18n/decision-text.js';
import { type GroupRuntime, type MemberEntry, createGroupRuntime, pickFromGroup } from './group-routing.js';
import { IsoTimeFormatter } from './iso-time.js';
import { LocalClockCache, minuteBucketOf } from './local-clock.js';
import { type ManagerIndex, indexManagers } from './manager-index.js';
import { type ManagerRuntime, type RefreshContext, refreshManager } from './manager-runtime.js';
import { DEFAULT_PERFORMANCE } from './performance-weights.js';
import type { FairShareState, RoutingRequest, RoutingSession, RoutingSessionOptions } from './routing-session.js';
import type { GroupStrategy, Rule } from './rule-set.js';
import type { Decision, DecisionTrace, DecisionVia, ExcludedManager, RuleStep, TierStep } from './trace.js';

type Routed =
  | { outcome: 'assigned'; manager: ManagerRuntime; via: DecisionVia; ruleId: RuleId | null; strategy: GroupStrategy | 'person' | 'owner' | 'registered' | 'fallback' }
  | { outcome: 'pool'; via: DecisionVia; ruleId: RuleId | null };

type FallbackReason = NonNullable<DecisionTrace['fallback']>['reason'];

/** What one route() call has gathered for its trace so far. */
interface Journey {
  readonly at: number;
  readonly steps: RuleStep[];
  readonly missed: MissedRule[];
  ownership: DecisionTrace['ownership'];
  ownershipFacts: OwnershipFacts | undefined;
  registration: DecisionTrace['registration'];
}

/** Everything a session keeps between leads. */
interface SessionState {
  readonly ruleSet: RoutingSessionOptions['ruleSet'];
  readonly ruleSetVersion: number;
  readonly priorRate: number;
  readonly index: ManagerIndex;
  readonly initialStates: ReadonlyMap<string, ReadonlyMap<string, FairShareState>>;
  readonly compiled: CompiledRuleSet;
  /** Per enabled rule, its group target prepared on first match. */
  readonly groups: Array<GroupRuntime | undefined>;
  /** (rule, manager) entries whose state changed, each once. */
  readonly touched: MemberEntry[];
  /** Candidates of the current decision, reused across decisions. */
  readonly scratch: MemberEntry[];
  readonly refresh: RefreshContext;
  readonly isoTime: IsoTimeFormatter;
  readonly teamTimeZones: Readonly<Record<string, string>>;
  readonly defaultTimeZone: string;
  started: boolean;
}

/**
 * Routes leads one after another against one snapshot of managers and fairness state.
 * Ownership first, then the ordered rules, then the fallback: every lead ends assigned or
 * in the pool, and route() does not throw for a rule set that passed validateRuleSet.
 *
 * The work is done by module-level functions over a state object rather than by closures
 * made per session: V8 keeps type feedback and optimised code per closure, so closures would
 * start cold in every session.
 *
 * @example
 * const session = createRoutingSession({ ruleSet, ruleSetVersion: 3, managers, states });
 * const decision = session.route({ lead, at: Date.parse('2026-03-02T09:15:00Z') });
 * persist(decision, session.changedStates());
 */
export function createRoutingSession(options: RoutingSessionOptions): RoutingSession {
  const clocks = new LocalClockCache();
  const state: SessionState = {
    ruleSet: options.ruleSet,
    ruleSetVersion: options.ruleSetVersion,
    priorRate: options.priorConversionRate ?? DEFAULT_PERFORMANCE.priorConversionRate,
    index: indexManagers(options.managers),
    initialStates: statesByRule(options.states),
    compiled: compileRuleSet(options.ruleSet),
    groups: [],
    touched: [],
    scratch: [],
    refresh: { at: 0, minute: Number.NaN, clocks, startAt: 0, startClocks: new LocalClockCache() },
    isoTime: new IsoTimeFormatter(),
    teamTimeZones: options.teamTimeZones ?? {},
    defaultTimeZone: options.defaultTimeZone ?? DEFAULT_TIME_ZONE,
    started: false,
  };
  return {
    route: (request) => routeRequest(state, request),
    changedStates: () => state.touched.map((entry) => ({ ruleId: entry.ruleId, managerId: entry.id, state: { ...entry.state } })),
    loadOf: (managerId) => {
      const manager = state.index.get(managerId);
      return manager === undefined ? undefined : { open: manager.load.open, today: manager.load.today };
    },
  };
}

function routeRequest(s: SessionState, request: RoutingRequest): Decision {
  const { lead, at } = request;
  if (!s.started) {
    s.started = true;
    s.refresh.startAt = at;
  }
  s.refresh.at = at;
  s.refresh.minute = minuteBucketOf(at);
  const journey: Journey = { at, steps: [], missed: [], ownership: undefined, ownershipFacts: undefined, registration: undefined };

  const registered = request.registeredBy;
  if (registered !== undefined && registered !== null) {
    // A client who already has another owner is not one the manager found: the owner (by the
    // ownership policy) or the rules decide, and the registrant is still recorded as originator.
    const ownedElsewhere = request.owner !== undefined && request.owner !== null && request.owner.managerId !== registered.managerId;
    const manager = registered.keep && !ownedElsewhere ? s.index.get(registered.managerId) : undefined;
    if (manager !== undefined) {
      journey.registration = { managerId: manager.id, outcome: 'kept' };
      return finish(s, journey, { outcome: 'assigned', manager, via: 'registered', ruleId: null, strategy: 'registered' }, { kind: 'registered', managerName: manager.profile.name }, { managerId: manager.id });
    }
    // Sent through the rules by the team's setting, to the client's owner, or the manager left meanwhile: the trace still says who registered it.
    journey.registration = { managerId: registered.managerId, outcome: 'routed' };
  }

  const owned = routeToOwner(s, journey, request);
  if (owned !== null) return owned;

  // (b) The first matching rule that can place the lead.
  const table = s.compiled.conditions.read(lead);
  const rules = s.compiled.rules;
  let profile: LeadProfile | null = null;
  let fallbackReason: FallbackReason = 'no_rule_matched';
  for (let r = 0; r < rules.length; r++) {
    const compiled = rules[r] as CompiledRule;
    if (!compiled.matches(table)) {
      journey.steps.push(compiled.unmatchedStep);
      continue;
    }
    const { rule } = compiled;
    const target = rule.target;
    let decision: Decision | null;
    if (target.kind === 'pool') {
      journey.steps.push({ ruleId: rule.id, ruleName: rule.name, matched: true, outcome: 'pool' });
      return finish(s, journey, { outcome: 'pool', via: 'rule', ruleId: rule.id }, { kind: 'rule_pool', ruleName: rule.name });
    } else if (target.kind === 'person') {
      decision = routeToPerson(s, journey, rule, target.managerId, request.excludeManagers);
    } else {
      if (profile === null && target.match !== undefined && target.match.length > 0) profile = leadProfileOf(lead);
      decision = routeToGroup(s, journey, compiled, target, request, profile);
    }
    if (decision !== null) return decision;
    if (rule.onNoCandidate === 'fallback') {
      fallbackReason = 'rule_requested';
      break;
    }
    fallbackReason = 'no_candidate';
  }
  return routeToFallback(s, journey, fallbackReason);
}

/** (a) A returning client goes to its owner; null when the rules should decide. */
function routeToOwner(s: SessionState, journey: Journey, request: RoutingRequest): Decision | null {
  const owner = request.owner;
  if (!s.ruleSet.ownership.enabled || owner === undefined || owner === null) return null;
  const manager = s.index.get(owner.managerId);
  if (manager === undefined) {
    journey.ownership = { ownerId: owner.managerId, via: owner.via, outcome: 'owner_unavailable_next_rule', reason: { kind: 'unknown_manager' } };
    journey.ownershipFacts = { ownerName: null, via: owner.via, outcome: 'owner_unavailable_next_rule' };
    return null;
  }
  refreshManager(manager, s.refresh);
  const exclusion = exclusionOf(manager, null, null, request.excludeManagers);
  const policy = s.ruleSet.ownership.whenOwnerUnavailable;
  // Waiting for an owner who must not get this lead again would strand it.
  const effective = exclusion?.reason.kind === 'dropped_before' && policy === 'wait' ? 'next_rule' : policy;
  const outcome =
    exclusion === null
      ? 'assigned'
      : effective === 'wait'
        ? 'owner_unavailable_wait'
        : effective === 'pool'
          ? 'owner_unavailable_pool'
          : 'owner_unavailable_next_rule';
  journey.ownership = { ownerId: manager.id, via: owner.via, outcome };
  if (exclusion !== null) journey.ownership.reason = exclusion.reason;
  journey.ownershipFacts = { ownerName: manager.profile.name, via: owner.via, outcome, reason: exclusion?.reason };
  if (outcome === 'assigned' || outcome === 'owner_unavailable_wait') {
    return finish(s, journey, { outcome: 'assigned', manager, via: 'ownership', ruleId: null, strategy: 'owner' }, OWNER_RESULT, { managerId: manager.id });
  }
  if (outcome === 'owner_unavailable_pool') return finish(s, journey, { outcome: 'pool', via: 'ownership', ruleId: null }, OWNER_RESULT);
  return null;
}

/** A person target: the dispatcher, whatever their availability, unless dropped for this lead. */
function routeToPerson(
  s: SessionState,
  journey: Journey,
  rule: Rule,
  managerId: ManagerId,
  dropped: ReadonlySet<ManagerId> | undefined,
): Decision | null {
  const manager = s.index.get(managerId);
  if (manager !== undefined && !(dropped?.has(manager.id) ?? false)) {
    journey.steps.push({ ruleId: rule.id, ruleName: rule.name, matched: true, candidates: [manager.id], outcome: 'assigned' });
    return finish(
      s,
      journey,
      { outcome: 'assigned', manager, via: 'rule', ruleId: rule.id, strategy: 'person' },
      { kind: 'person', ruleName: rule.name, managerName: manager.profile.name },
      { managerId: manager.id, ruleId: rule.id },
    );
  }
  const excluded: ExcludedManager[] = [{ managerId, reason: manager === undefined ? { kind: 'unknown_manager' } : { kind: 'dropped_before' } }];
  journey.steps.push({ ruleId: rule.id, ruleName: rule.name, matched: true, candidates: [], excluded, outcome: 'no_candidate' });
  journey.missed.push({ ruleName: rule.name, memberCount: 1, excluded });
  return null;
}

/** A group target: the candidates left after filtering, and the strategy's pick among them. */
function routeToGroup(
  s: SessionState,
  journey: Journey,
  compiled: CompiledRule,
  target: GroupTarget,
  request: RoutingRequest,
  profile: LeadProfile | null,
): Decision | null {
  const { rule, position } = compiled;
  let group = s.groups[position];
  if (group === undefined) {
    const zone = target.fairnessPeriod === undefined || target.fairnessPeriod === 'none' ? s.defaultTimeZone : periodZoneOf(s, target);
    group = createGroupRuntime(rule.id, target, s.index, s.initialStates.get(rule.id), s.priorRate, zone);
    s.groups[position] = group;
  }
  const pick = pickFromGroup(s, group, request.at, request.excludeManagers, profile);
  const { manager, explanation, candidates, excluded, memberCount, tier } = pick;
  if (manager === null || explanation === null) {
    journey.steps.push({ ruleId: rule.id, ruleName: rule.name, matched: true, candidates, excluded, outcome: 'no_candidate' });
    journey.missed.push({ ruleName: rule.name, memberCount, excluded });
    return null;
  }
  const step: RuleStep = { ruleId: rule.id, ruleName: rule.name, matched: true, candidates, excluded, outcome: 'assigned' };
  if (tier !== undefined) step.tier = tier;
  journey.steps.push(step);
  const tierFacts = tier === undefined || pick.tierMembers === undefined ? undefined : tierSummaryOf(tier, pick.tierMembers);
  return finish(
    s,
    journey,
    { outcome: 'assigned', manager, via: 'rule', ruleId: rule.id, strategy: target.strategy },
    {
      kind: 'group',
      ruleName: rule.name,
      memberCount: tierFacts?.memberCount ?? memberCount,
      candidateCount: candidates.length,
      excluded: tierFacts?.excluded ?? excluded,
      tier: tierFacts?.tier,
      period: explanation.strategy === 'least_loaded' ? undefined : explanation.period,
      tiedWith: explanation.strategy === 'least_loaded' ? 0 : (explanation.tieBreak?.tiedWith.length ?? 0),
      winnerName: manager.profile.name,
      strategy: target.strategy,
      share: explanation.strategy === 'least_loaded' ? 0 : explanation.share,
      open: manager.load.open,
      maxOpen: manager.profile.maxOpen,
    },
    { managerId: manager.id, ruleId: rule.id, explanation },
  );
}

/** (c) The named default, whatever its availability, so no lead is left unrouted. */
function routeToFallback(s: SessionState, journey: Journey, reason: FallbackReason): Decision {
  const fallback = s.ruleSet.fallback;
  const manager = fallback.kind === 'manager' ? s.index.get(fallback.managerId) : undefined;
  if (manager !== undefined) {
    return finish(
      s,
      journey,
      { outcome: 'assigned', manager, via: 'fallback', ruleId: null, strategy: 'fallback' },
      { kind: 'fallback', reason, managerName: manager.profile.name, managerMissing: false },
      { managerId: manager.id },
      { reason, target: 'manager' },
    );
  }
  return finish(
    s,
    journey,
    { outcome: 'pool', via: 'fallback', ruleId: null },
    { kind: 'fallback', reason, managerName: null, managerMissing: fallback.kind === 'manager' },
    undefined,
    { reason, target: 'pool' },
  );
}

function finish(
  s: SessionState,
  journey: Journey,
  routed: Routed,
  summary: SummaryResult,
  winner?: DecisionTrace['winner'],
  fallback?: DecisionTrace['fallback'],
): Decision {
  const facts = summaryFacts(journey.ownershipFacts, journey.missed, summary);
  const trace: DecisionTrace = {
    ruleSetVersion: s.ruleSetVersion,
    at: s.isoTime.format(journey.at),
    steps: journey.steps,
    summary: decisionText(facts, 'en'),
    facts,
  };
  if (journey.ownership !== undefined) trace.ownership = journey.ownership;
  if (journey.registration !== undefined) trace.registration = journey.registration;
  if (winner !== undefined) trace.winner = winner;
  if (fallback !== undefined) trace.fallback = fallback;
  if (routed.outcome === 'pool') return { outcome: 'pool', via: routed.via, ruleId: routed.ruleId, trace };
  const { manager } = routed;
  refreshManager(manager, s.refresh);
  manager.load.open += 1;
  manager.load.today += 1;
  return { outcome: 'assigned', managerId: manager.id, via: routed.via, ruleId: routed.ruleId, strategy: routed.strategy, trace };
}

const OWNER_RESULT: SummaryResult = { kind: 'owner' };

const DEFAULT_TIME_ZONE = 'Europe/Moscow';

/**
 * The zone a rule's fairness period is counted in: the first listed team's, else the team of
 * the first listed manager who has one, else the session's default.
 */
function periodZoneOf(s: SessionState, target: GroupTarget): string {
  const zoneOf = (team: string | null | undefined): string | undefined =>
    team !== null && team !== undefined && Object.hasOwn(s.teamTimeZones, team) ? s.teamTimeZones[team] : undefined;
  for (const team of target.teams ?? []) {
    const zone = zoneOf(team);
    if (zone !== undefined) return zone;
  }
  for (const id of target.managers ?? []) {
    const zone = zoneOf(s.index.get(id)?.profile.teamId);
    if (zone !== undefined) return zone;
  }
  return s.defaultTimeZone;
}

/** The summary's view of a tiered decision: the deciding tier's members and reasons, and the tiers above. */
function tierSummaryOf(tier: TierStep, members: { count: number; excluded: ExcludedManager[] }): { memberCount: number; excluded: ExcludedManager[]; tier: TierFacts } {
  const facts: TierFacts = { tier: tier.tier, above: tier.above };
  if (tier.name !== undefined) facts.name = tier.name;
  return { memberCount: members.count, excluded: members.excluded, tier: facts };
}
function statesByRule(states: RoutingSessionOptions['states']): Map<string, Map<string, FairShareState>> {
  const byRule = new Map<string, Map<string, FairShareState>>();
  for (const { ruleId, managerId, state } of states) {
    let byManager = byRule.get(ruleId);
    if (byManager === undefined) {
      byManager = new Map();
      byRule.set(ruleId, byManager);
    }
    byManager.set(managerId, state);
  }
  return byRule;
}
