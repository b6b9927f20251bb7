import { addBusinessMinutes, type BusinessCalendar } from './business-clock.js';

export type SlaKind = 'first_contact' | 'next_step';
export type OnExhausted = 'head' | 'pool';

/** Which leads a policy covers; a missing or empty list matches every lead. */
export interface SlaMatch {
  sources?: string[];
  priorities?: string[];
  teamIds?: string[];
}

export interface SlaPolicy {
  id: string;
  name: string;
  position: number;
  match: SlaMatch;
  firstContactMinutes: number;
  nextStepMinutes: number | null;
  warnBeforeMinutes: number | null;
  maxReassignments: number;
  onExhausted: OnExhausted;
  active: boolean;
}

/** What a policy is matched against: the lead's source and priority, and its owner's team. */
export interface SlaSubject {
  source: string | null;
  priority: string | null;
  teamId: string | null;
}

/** The first active policy by position whose match fits; policies need not be sorted. */
export function matchSlaPolicy(policies: readonly SlaPolicy[], subject: SlaSubject): SlaPolicy | null {
  let best: SlaPolicy | null = null;
  for (const policy of policies) {
    if (!policy.active || !fits(policy.match, subject)) continue;
    if (best === null || policy.position < best.position || (policy.position === best.position && policy.id < best.id)) best = policy;
  }
  return best;
}

function fits(match: SlaMatch, subject: SlaSubject): boolean {
  return listAllows(match.sources, subject.source, true) && listAllows(match.priorities, subject.priority, true) && listAllows(match.teamIds, subject.teamId, false);
}

function listAllows(list: readonly string[] | undefined, value: string | null, ignoreCase: boolean): boolean {
  if (!list || list.length === 0) return true;
  if (value === null) return false;
  if (!ignoreCase) return list.includes(value);
  const wanted = value.trim().toLowerCase();
  return list.some((v) => v.trim().toLowerCase() === wanted);
}

/** Statuses in which nobody is expected to act on the lead, so no clock runs. */
export const SLA_IDLE_STATUSES: readonly string[] = ['pool', 'qualification', 'converted', 'junk'];

/** The part of a lead the SLA clock depends on. */
export interface SlaLeadState {
  status: string;
  ownerId: string | null;
  assignedAt: string | null;
  firstContactAt: string | null;
  lastActivityAt: string | null;
}

export interface SlaClock {
  policyId: string;
  kind: SlaKind;
  /** ISO UTC. */
  dueAt: string;
}

/**
 * The clock a lead runs on now: until the first contact, time to first contact from the
 * assignment; after it, time to the next step from the latest activity or the assignment,
 * whichever is later (when the policy has one). No owner, a resting status or no policy: no clock.
 */
export function slaClockFor(lead: SlaLeadState, policy: SlaPolicy | null, calendar: BusinessCalendar, at: Date): SlaClock | null {
  if (!policy || !lead.ownerId || SLA_IDLE_STATUSES.includes(lead.status)) return null;
  if (lead.firstContactAt === null) {
    const from = lead.assignedAt ? Date.parse(lead.assignedAt) : at.getTime();
    return { policyId: policy.id, kind: 'first_contact', dueAt: new Date(addBusinessMinutes(from, policy.firstContactMinutes, calendar)).toISOString() };
  }
  if (policy.nextStepMinutes === null) return null;
  // A manager who just received a contacted lead gets the whole next-step time, not its remainder.
  const from = Math.max(Date.parse(lead.lastActivityAt ?? lead.firstContactAt), lead.assignedAt ? Date.parse(lead.assignedAt) : 0);
  return { policyId: policy.id, kind: 'next_step', dueAt: new Date(addBusinessMinutes(from, policy.nextStepMinutes, calendar)).toISOString() };
}

/** When the owner is warned: `warnBeforeMinutes` of plain time before the deadline, or never. */
export function slaWarnAt(dueAt: string, policy: SlaPolicy): string | null {
  if (policy.warnBeforeMinutes === null || policy.warnBeforeMinutes <= 0) return null;
  return new Date(Date.parse(dueAt) - policy.warnBeforeMinutes * 60_000).toISOString();
}

/**
 * The policies that warn, grouped by how many minutes before the deadline they do, so one
 * query can find every clock whose warning is due (see slaWarnAt for one clock).
 */
export function warningWindows(policies: readonly SlaPolicy[]): Array<{ minutes: number; policyIds: string[] }> {
  const byMinutes = new Map<number, string[]>();
  for (const p of policies) {
    if (p.warnBeforeMinutes === null || p.warnBeforeMinutes <= 0) continue;
    byMinutes.set(p.warnBeforeMinutes, [...(byMinutes.get(p.warnBeforeMinutes) ?? []), p.id]);
  }
  return [...byMinutes].map(([minutes, policyIds]) => ({ minutes, policyIds }));
}

export type BreachAction = { kind: 'reassign' } | { kind: 'escalate'; to: OnExhausted };

/**
 * What a breach leads to: another manager by the same rule while reassignments remain, then
 * escalation as the policy says. A lead without a policy any more goes to the head.
 */
export function decideBreach(reassignmentsSoFar: number, policy: Pick<SlaPolicy, 'maxReassignments' | 'onExhausted'> | null): BreachAction {
  if (!policy) return { kind: 'escalate', to: 'head' };
  if (reassignmentsSoFar < policy.maxReassignments) return { kind: 'reassign' };
  return { kind: 'escalate', to: policy.onExhausted };
}

/** When routing finds nobody new, the lead escalates as if reassignments were used up. */
export function escalationAfterFailedReassign(policy: Pick<SlaPolicy, 'onExhausted'> | null): BreachAction {
  return { kind: 'escalate', to: policy?.onExhausted ?? 'head' };
}
