import { ratio, round } from './stats.js';

/**
 * SLA compliance of the first-contact clock, per lead, from what the lead and its timeline say.
 * Pure. A lead is
 * - `breached` when any first-contact deadline of it lapsed: a recorded breach (the sweeper's,
 *   or a first contact logged after the deadline), or a deadline already past that no sweep
 *   has handled yet;
 * - `met` when it was contacted with no first-contact breach, under a policy;
 * - `pending` when its first-contact clock still runs;
 * - `none` otherwise: no policy, never owned, or closed before its deadline without a contact.
 */
export type FirstContactOutcome = 'met' | 'breached' | 'pending' | 'none';

export function firstContactOutcome(lead: {
  hasFirstContactBreach: boolean;
  firstContactAt: string | null;
  slaKind: string | null;
  slaDueAt: string | null;
  /** A policy covered the lead's first contact (recorded, or the one matching now). */
  underPolicy: boolean;
  now: number;
}): FirstContactOutcome {
  if (lead.hasFirstContactBreach) return 'breached';
  const running = lead.slaKind === 'first_contact' && lead.slaDueAt !== null;
  if (running && Date.parse(lead.slaDueAt as string) <= lead.now) return 'breached';
  if (lead.firstContactAt !== null) return lead.underPolicy ? 'met' : 'none';
  if (running) return 'pending';
  return 'none';
}

/** One thing the SLA report counts, attributed to the manager it happened with. */
export type SlaFact =
  | { kind: 'lead'; outcome: FirstContactOutcome }
  | { kind: 'breach'; clock: string }
  | { kind: 'reassignment' }
  | { kind: 'escalation' };

export interface SlaFigures {
  /** Leads with a first-contact clock: met + breached + pending. */
  leads: number;
  due: number;
  met: number;
  breached: number;
  pending: number;
  compliance: number | null;
  breaches: number;
  firstContactBreaches: number;
  nextStepBreaches: number;
  reassignments: number;
  escalations: number;
}

/** The counters of SlaFigures, which sum across leads and days (rollups keep one per day and key). */
export type SlaTally = Omit<SlaFigures, 'due' | 'compliance'>;
const SLA_COUNTERS = ['leads', 'met', 'breached', 'pending', 'breaches', 'firstContactBreaches', 'nextStepBreaches', 'reassignments', 'escalations'] as const;

export function emptySlaTally(): SlaTally {
  return { leads: 0, met: 0, breached: 0, pending: 0, breaches: 0, firstContactBreaches: 0, nextStepBreaches: 0, reassignments: 0, escalations: 0 };
}

export function tallySlaFact(f: SlaTally, fact: SlaFact, sign = 1): void {
  switch (fact.kind) {
    case 'lead':
      if (fact.outcome === 'none') break;
      f.leads += sign;
      f[fact.outcome] += sign;
      break;
    case 'breach':
      f.breaches += sign;
      if (fact.clock === 'next_step') f.nextStepBreaches += sign;
      else f.firstContactBreaches += sign;
      break;
    case 'reassignment':
      f.reassignments += sign;
      break;
    case 'escalation':
      f.escalations += sign;
      break;
  }
}

export function mergeSlaTally(into: SlaTally, from: SlaTally, sign = 1): void {
  for (const k of SLA_COUNTERS) into[k] += sign * from[k];
}

export function slaTallyIsEmpty(t: SlaTally): boolean {
  return SLA_COUNTERS.every((k) => t[k] === 0);
}

export function encodeSlaTally(t: SlaTally): unknown {
  return SLA_COUNTERS.map((k) => t[k]);
}

export function decodeSlaTally(v: unknown): SlaTally {
  const a = v as number[];
  const t = emptySlaTally();
  SLA_COUNTERS.forEach((k, i) => (t[k] = a[i] as number));
  return t;
}

export function slaFigures(facts: Iterable<SlaFact>): SlaFigures {
  const t = emptySlaTally();
  for (const fact of facts) tallySlaFact(t, fact);
  return slaFiguresOf(t);
}

export function slaFiguresOf(t: SlaTally): SlaFigures {
  const due = t.met + t.breached;
  return {
    leads: t.leads,
    due,
    met: t.met,
    breached: t.breached,
    pending: t.pending,
    compliance: round(ratio(t.met, due)),
    breaches: t.breaches,
    firstContactBreaches: t.firstContactBreaches,
    nextStepBreaches: t.nextStepBreaches,
    reassignments: t.reassignments,
    escalations: t.escalations,
  };
}
