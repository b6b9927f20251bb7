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

export function slaFigures(facts: Iterable<SlaFact>): SlaFigures {
  const f: SlaFigures = { leads: 0, due: 0, met: 0, breached: 0, pending: 0, compliance: null, breaches: 0, firstContactBreaches: 0, nextStepBreaches: 0, reassignments: 0, escalations: 0 };
  for (const fact of facts) {
    switch (fact.kind) {
      case 'lead':
        if (fact.outcome === 'none') break;
        f.leads += 1;
        f[fact.outcome] += 1;
        break;
      case 'breach':
        f.breaches += 1;
        if (fact.clock === 'next_step') f.nextStepBreaches += 1;
        else f.firstContactBreaches += 1;
        break;
      case 'reassignment':
        f.reassignments += 1;
        break;
      case 'escalation':
        f.escalations += 1;
        break;
    }
  }
  f.due = f.met + f.breached;
  f.compliance = round(ratio(f.met, f.due));
  return f;
}
