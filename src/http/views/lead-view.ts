import { decisionText } from '../../core/i18n/decision-text.js';
import type { Locale } from '../../core/i18n/locale.js';
import type { SummaryFacts } from '../../core/routing/trace.js';
import { z } from 'zod';
import type { IntakeOutcome, ManagerSummary } from '../../app/intake/intake-leads.js';
import type { AssignmentRecord } from '../../store/journal-queries.js';
import type { LeadRecord } from '../../store/lead-queries.js';

export const slaViewSchema = z
  .object({
    kind: z.enum(['first_contact', 'next_step']).nullable().describe('Which clock runs: time to first contact, or to the next step'),
    dueAt: z.string().nullable().describe("The deadline, counted in business hours of the owner's calendar; null when no clock runs"),
    warnedAt: z.string().nullable(),
    breaches: z.number(),
    reassignments: z.number().describe('Times the lead was handed to another manager after a breach'),
    escalatedAt: z.string().nullable(),
  })
  .nullable()
  .describe('The SLA clock; null for a lead that never had one');

export const leadViewSchema = z.object({
  id: z.string(),
  status: z.string(),
  ownerId: z.string().nullable(),
  originatorId: z.string().nullable().describe('The manager who registered the lead (who brought the client), whoever owns it now; null for leads from channels'),
  name: z.string().nullable(),
  phone: z.string().nullable().describe('E.164 when the number could be parsed'),
  phoneRaw: z.string().nullable(),
  email: z.string().nullable(),
  companyName: z.string().nullable(),
  taxId: z.string().nullable(),
  domain: z.string().nullable(),
  website: z.string().nullable(),
  source: z.string().nullable(),
  channel: z.string().nullable(),
  campaign: z.string().nullable(),
  utm: z.record(z.string(), z.string()).nullable(),
  region: z.string().nullable(),
  country: z.string().nullable(),
  industry: z.string().nullable(),
  companySize: z.number().nullable(),
  productInterest: z.array(z.string()),
  dealValue: z.number().nullable(),
  language: z.string().nullable(),
  score: z.number().nullable(),
  priority: z.string().nullable(),
  comment: z.string().nullable(),
  custom: z.record(z.string(), z.unknown()),
  contactId: z.string().nullable(),
  companyId: z.string().nullable(),
  duplicateOf: z.string().nullable().describe('The open lead this one repeats, if any'),
  match: z.record(z.string(), z.unknown()).nullable().describe('How the lead was linked to known clients'),
  problems: z.array(z.object({ field: z.string(), reason: z.string() })).describe('Values kept as sent but not normalised'),
  assignedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sla: slaViewSchema,
  lifecycle: z
    .object({
      firstContactAt: z.string().nullable().describe('The first real contact: when the first-contact clock stopped'),
      lastActivityAt: z.string().nullable(),
      junkReason: z.string().nullable(),
      closedAt: z.string().nullable().describe('When the lead was converted or marked junk'),
      qualifiedAt: z.string().nullable(),
      qualifiedBy: z.string().nullable(),
    })
    .describe('Where the lead is in its working life'),
});

export const decisionViewSchema = z.object({
  outcome: z.enum(['assigned', 'pool']),
  via: z.string().describe('registered (kept by the manager who registered it), ownership, rule or fallback; later changes: claim, transfer, sla, …'),
  ruleId: z.string().nullable(),
  strategy: z.string().nullable(),
  ruleSetVersion: z.number().nullable(),
  decidedAt: z.string(),
  trace: z.record(z.string(), z.unknown()).describe('Every rule tried, the candidates, each exclusion with its reason, and why the winner won; `trace.summary` is the one sentence in English'),
  summaryText: z
    .string()
    .nullable()
    .describe("The decision's one sentence in the reader's language: the signed-in person's (Russian unless they chose English), or Accept-Language (ru, en) for an API key; the English summary for a decision stored before the facts were kept"),
});

export const leadWithDecisionSchema = z.object({
  lead: leadViewSchema,
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
  originator: z.object({ id: z.string(), name: z.string() }).nullable().describe('The manager who registered the lead, with the name'),
  decision: decisionViewSchema.nullable(),
});

export function toLeadView(l: LeadRecord): z.infer<typeof leadViewSchema> {
  return {
    id: l.id, status: l.status, ownerId: l.ownerId, originatorId: l.originatorId, name: l.name, phone: l.phone, phoneRaw: l.phoneRaw, email: l.email,
    companyName: l.companyName, taxId: l.taxId, domain: l.domain, website: l.website, source: l.source, channel: l.channel,
    campaign: l.campaign, utm: l.utm, region: l.region, country: l.country, industry: l.industry, companySize: l.companySize,
    productInterest: l.productInterest, dealValue: l.dealValue, language: l.language, score: l.score, priority: l.priority,
    comment: l.comment, custom: l.custom, contactId: l.contactId, companyId: l.companyId, duplicateOf: l.duplicateOf,
    match: l.match as Record<string, unknown> | null, problems: l.problems, assignedAt: l.assignedAt, createdAt: l.createdAt, updatedAt: l.updatedAt,
    sla: toSlaView(l.work),
    lifecycle: { firstContactAt: l.work.firstContactAt, lastActivityAt: l.work.lastActivityAt, junkReason: l.work.junkReason, closedAt: l.work.closedAt, qualifiedAt: l.work.qualifiedAt, qualifiedBy: l.work.qualifiedBy },
  };
}

function toSlaView(w: LeadRecord['work']): z.infer<typeof slaViewSchema> {
  if (w.slaDueAt === null && w.slaBreaches === 0 && w.reassignments === 0 && w.escalatedAt === null) return null;
  return { kind: w.slaKind, dueAt: w.slaDueAt, warnedAt: w.slaWarnedAt, breaches: w.slaBreaches, reassignments: w.reassignments, escalatedAt: w.escalatedAt };
}

export function toDecisionView(a: AssignmentRecord | undefined, locale: Locale): z.infer<typeof decisionViewSchema> | null {
  if (!a) return null;
  return {
    outcome: a.outcome, via: a.via, ruleId: a.ruleId, strategy: a.strategy, ruleSetVersion: a.ruleSetVersion,
    decidedAt: a.createdAt, trace: a.trace as Record<string, unknown>, summaryText: summaryTextOf(a.trace, locale),
  };
}

export function toLeadWithDecision(lead: LeadRecord, assignment: AssignmentRecord | undefined, owner: ManagerSummary | null, originator: ManagerSummary | null, locale: Locale): z.infer<typeof leadWithDecisionSchema> {
  return { lead: toLeadView(lead), owner, originator, decision: toDecisionView(assignment, locale) };
}

/**
 * A lead with its decision as JSON text (the shape of leadWithDecisionSchema), reusing the trace serialised for storage:
 * the trace is most of an intake answer, and serialising it twice showed in intake profiles.
 */
export function outcomeJson(o: IntakeOutcome, locale: Locale): string {
  const a = o.assignment;
  const trace = a.traceJson ?? JSON.stringify(a.trace);
  const decision = `{"outcome":${JSON.stringify(a.outcome)},"via":${JSON.stringify(a.via)},"ruleId":${JSON.stringify(a.ruleId)},"strategy":${JSON.stringify(a.strategy)},"ruleSetVersion":${JSON.stringify(a.ruleSetVersion)},"decidedAt":${JSON.stringify(a.createdAt)},"trace":${trace},"summaryText":${JSON.stringify(summaryTextOf(a.trace, locale))}}`;
  return `{"lead":${JSON.stringify(toLeadView(o.lead))},"owner":${JSON.stringify(o.owner)},"originator":${JSON.stringify(o.originator)},"decision":${decision}}`;
}

/** A stored trace's sentence in the reader's language: told from its facts, else (an older decision, a hand-over note) its summary as written. */
export function summaryTextOf(trace: unknown, locale: Locale): string | null {
  if (typeof trace !== 'object' || trace === null) return null;
  const { facts, summary } = trace as { facts?: SummaryFacts; summary?: unknown };
  if (facts !== undefined && typeof facts === 'object' && facts !== null && 'result' in facts) return decisionText(facts, locale);
  return typeof summary === 'string' ? summary : null;
}
