import type { ManagerId, RuleId } from '../ids.js';
import type { LeadFacts } from '../lead-facts.js';
import type { ManagerProfile } from './manager-profile.js';
import type { RuleSetDefinition } from './rule-set.js';
import type { Decision } from './trace.js';

/** Persistent per (rule, manager) strategy state; fairness lives here, not in process memory. */
export interface FairShareState {
  /** Leads owed minus leads received; stays within (-1, 1) while the candidate set is stable. */
  credit: number;
  assigned: number;
  lastAssignedAt: number | null;
  /** The tier the manager held in the rule when this state was counted; another tier starts from zero. Absent: any. */
  tier?: number | null;
  /** The fairness period this state counts (PeriodWindow key, '' for none); another period starts from zero. Absent: ''. */
  period?: string;
}

export type OwnershipVia = 'contact' | 'company' | 'parent_company' | 'open_lead';

export interface RoutingRequest {
  lead: LeadFacts;
  /** Epoch milliseconds of the decision. */
  at: number;
  owner?: { managerId: ManagerId; via: OwnershipVia } | null;
  /**
   * The manager who registered the lead (a client they found themselves). With `keep` the lead
   * stays with them, before ownership and the rules, whatever their load or hours; without it the
   * rules decide and the trace says the lead was registered.
   */
  registeredBy?: { managerId: ManagerId; keep: boolean } | null;
  /** Managers who must not get this lead again (e.g. they let its SLA lapse). */
  excludeManagers?: ReadonlySet<ManagerId>;
}

export interface RoutingSessionOptions {
  ruleSet: RuleSetDefinition;
  ruleSetVersion: number;
  managers: ManagerProfile[];
  /** State rows for (rule, manager) pairs; missing pairs start at zero credit. */
  states: Array<{ ruleId: RuleId; managerId: ManagerId; state: FairShareState }>;
  /** The team-wide conversion rate used as the prior of performance weighting. */
  priorConversionRate?: number;
  /** Team id → IANA zone, for rules with a fairness period. */
  teamTimeZones?: Readonly<Record<string, string>>;
  /** The zone of a fairness period when the rule names no team and its managers have none (default Europe/Moscow). */
  defaultTimeZone?: string;
}

export interface StateChange {
  ruleId: RuleId;
  managerId: ManagerId;
  state: FairShareState;
}

/**
 * Routes a sequence of leads against one snapshot of managers and strategy state, updating
 * loads and fairness state in memory as it goes, so a batch of leads is routed as if one by one.
 */
export interface RoutingSession {
  route(request: RoutingRequest): Decision;
  /** Every (rule, manager) state touched since the session began, latest value. */
  changedStates(): StateChange[];
  /** Current load of each manager, after the decisions made so far. */
  loadOf(managerId: ManagerId): { open: number; today: number } | undefined;
}
