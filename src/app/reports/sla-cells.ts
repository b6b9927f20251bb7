import { lastOwner, ownerAt } from '../../core/reports/lead-history.js';
import type { Cell, TallyKind } from '../../core/reports/report-cells.js';
import { decodeSlaTally, emptySlaTally, encodeSlaTally, firstContactOutcome, mergeSlaTally, slaTallyIsEmpty, tallySlaFact, type SlaFact, type SlaTally } from '../../core/reports/sla.js';
import { matchSlaPolicy } from '../../core/sla/sla-policy.js';
import type { EventRow } from '../../store/report-queries.js';
import { breakdown, type CohortLead, type LeadBundle } from './lead-cohort.js';
import type { ReportEnvironment } from './report-environment.js';

export const SLA_TALLY: TallyKind<SlaTally> = {
  empty: emptySlaTally,
  merge: mergeSlaTally,
  isEmpty: slaTallyIsEmpty,
  encode: encodeSlaTally,
  decode: decodeSlaTally,
};

/**
 * Each lead's SLA facts (docs/reports.md, SLA): its first-contact outcome, every breach of either
 * clock, SLA reassignments and escalations, each attributed to the manager it happened with; the
 * cell's extra key is the SLA policy.
 */
export function slaCells(bundle: LeadBundle, env: ReportEnvironment): Array<Cell<SlaTally>> {
  const breachesOf = breakdown(
    bundle.events.filter((e) => e.type === 'sla.breached'),
    (e) => e.leadId,
  );
  const out: Array<Cell<SlaTally>> = [];
  for (const lead of bundle.leads) {
    const breaches = breachesOf.get(lead.id) ?? [];
    const policyId = policyOf(lead, breaches, env);
    const cell = (fact: SlaFact, managerId: string | null, policy: string | null): Cell<SlaTally> => {
      const tally = emptySlaTally();
      tallySlaFact(tally, fact);
      return { managerId, source: lead.source, campaign: null, ruleId: lead.ruleId, extra: policy, at: lead.createdMs, tally };
    };
    const outcome = outcomeOf(lead, breaches, policyId, env.now);
    if (outcome !== 'none') out.push(cell({ kind: 'lead', outcome }, ownerOf(lead, breaches), policyId));
    for (const b of breaches) out.push(cell({ kind: 'breach', clock: String(b.payload.kind ?? 'first_contact') }, (b.payload.managerId as string | null) ?? null, (b.payload.policyId as string | null) ?? policyId));
    lead.changes.forEach((c, i) => {
      if (c.via !== 'sla' && c.via !== 'escalation') return;
      const from = i > 0 ? (lead.changes[i - 1]?.managerId ?? null) : null;
      out.push(cell({ kind: c.via === 'sla' ? 'reassignment' : 'escalation' }, from, policyId));
    });
  }
  return out;
}

function firstContactBreach(breaches: readonly EventRow[]): EventRow | undefined {
  return breaches.find((b) => b.payload.kind !== 'next_step');
}

/** Who the first-contact outcome is about: the manager breached, else the one who made the contact, else the owner. */
function ownerOf(lead: CohortLead, breaches: readonly EventRow[]): string | null {
  const firstBreach = firstContactBreach(breaches);
  const contactMs = lead.firstContactAt === null ? null : Date.parse(lead.firstContactAt);
  if (firstBreach) return (firstBreach.payload.managerId as string | null) ?? null;
  return contactMs !== null ? ownerAt(lead.changes, contactMs) : (lead.ownerId ?? lastOwner(lead.changes));
}

function policyOf(lead: CohortLead, breaches: readonly EventRow[], env: ReportEnvironment): string | null {
  const owner = ownerOf(lead, breaches);
  const matched = owner ? matchSlaPolicy(env.activePolicies, { source: lead.source, priority: lead.priority, teamId: env.teamOf(owner) }) : null;
  return (firstContactBreach(breaches)?.payload.policyId as string | null | undefined) ?? (lead.slaKind === 'first_contact' ? lead.slaPolicyId : null) ?? matched?.id ?? null;
}

function outcomeOf(lead: CohortLead, breaches: readonly EventRow[], policyId: string | null, now: number) {
  return firstContactOutcome({
    hasFirstContactBreach: firstContactBreach(breaches) !== undefined,
    firstContactAt: lead.firstContactAt,
    slaKind: lead.slaKind,
    slaDueAt: lead.slaDueAt,
    underPolicy: policyId !== null,
    now,
  });
}

/** When a lead's SLA figures stop depending on the clock: a pending first contact turns breached at its deadline. */
export function slaSettlesAt(lead: CohortLead, bundle: LeadBundle, env: ReportEnvironment): number | null {
  const breaches = bundle.events.filter((e) => e.type === 'sla.breached' && e.leadId === lead.id);
  if (outcomeOf(lead, breaches, policyOf(lead, breaches, env), env.now) !== 'pending') return null;
  return Date.parse(lead.slaDueAt as string);
}
