import { lastOwner, ownerAt } from '../../core/reports/lead-history.js';
import { bucketIndex } from '../../core/reports/period.js';
import { firstContactOutcome, slaFigures, type SlaFact } from '../../core/reports/sla.js';
import { matchSlaPolicy } from '../../core/sla/sla-policy.js';
import { cohortEvents } from '../../store/report-queries.js';
import { listSlaPolicies } from '../../store/sla-queries.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { breakdown, loadCohort } from './lead-cohort.js';
import { counts, labelManagers, listedManager, reportContext, reportHeader, teamOf, type ReportQuery } from './report-context.js';

type Attributed = SlaFact & { managerId: string | null; source: string | null; policyId: string | null; createdMs: number };

/**
 * Report 3: SLA compliance of the first contact (met ÷ leads whose deadline passed, per
 * docs/reports.md), breaches of both clocks, SLA reassignments and escalations; by manager,
 * team, source, policy and bucket of arrival.
 */
export async function slaReport(ctx: AppContext, principal: Principal, query: ReportQuery) {
  const rc = await reportContext(ctx, principal, query);
  const [leads, breachEvents, policies] = await Promise.all([loadCohort(ctx, rc), cohortEvents(ctx.store.db, rc.cohort, ['sla.breached']), listSlaPolicies(ctx.store.db)]);
  const breachesOf = breakdown(breachEvents, (e) => e.leadId);
  const active = policies.filter((p) => p.active);
  const facts: Attributed[] = [];
  for (const lead of leads) {
    const breaches = breachesOf.get(lead.id) ?? [];
    const firstBreach = breaches.find((b) => b.payload.kind !== 'next_step');
    const contactMs = lead.firstContactAt === null ? null : Date.parse(lead.firstContactAt);
    const owner = firstBreach ? ((firstBreach.payload.managerId as string | null) ?? null) : contactMs !== null ? ownerAt(lead.changes, contactMs) : (lead.ownerId ?? lastOwner(lead.changes));
    const matched = owner ? matchSlaPolicy(active, { source: lead.source, priority: lead.priority, teamId: teamOf(rc, owner) }) : null;
    const policyId = (firstBreach?.payload.policyId as string | null | undefined) ?? (lead.slaKind === 'first_contact' ? lead.slaPolicyId : null) ?? matched?.id ?? null;
    const outcome = firstContactOutcome({
      hasFirstContactBreach: firstBreach !== undefined,
      firstContactAt: lead.firstContactAt,
      slaKind: lead.slaKind,
      slaDueAt: lead.slaDueAt,
      underPolicy: policyId !== null,
      now: rc.now,
    });
    const base = { source: lead.source, policyId, createdMs: lead.createdMs };
    if (outcome !== 'none') facts.push({ kind: 'lead', outcome, managerId: owner, ...base });
    for (const b of breaches) facts.push({ kind: 'breach', clock: String(b.payload.kind ?? 'first_contact'), managerId: (b.payload.managerId as string | null) ?? null, ...base, policyId: (b.payload.policyId as string | null) ?? policyId });
    lead.changes.forEach((c, i) => {
      if (c.via !== 'sla' && c.via !== 'escalation') return;
      const from = i > 0 ? (lead.changes[i - 1]?.managerId ?? null) : null;
      facts.push({ kind: c.via === 'sla' ? 'reassignment' : 'escalation', managerId: from, ...base });
    });
  }
  const listed = facts.filter((f) => f.managerId !== null && listedManager(rc, f.managerId));
  const counted = facts.filter((f) => counts(rc, f.managerId));
  const names = new Map(policies.map((p) => [p.id, p.name]));
  const byManager = [...breakdown(listed, (f) => f.managerId)].map(([managerId, list]) => ({ managerId, ...slaFigures(list) }));
  byManager.sort((a, b) => b.leads - a.leads || String(a.managerId).localeCompare(String(b.managerId)));
  const buckets = breakdown(counted, (f) => bucketIndex(rc.period.buckets, f.createdMs));
  return {
    ...reportHeader(rc),
    totals: slaFigures(counted),
    byManager: labelManagers(rc, byManager),
    byTeam: [...breakdown(counted, (f) => teamOf(rc, f.managerId))].map(([teamId, list]) => ({ teamId, teamName: teamId ? (rc.teams.get(teamId)?.name ?? teamId) : null, ...slaFigures(list) })),
    bySource: [...breakdown(counted, (f) => f.source)].map(([source, list]) => ({ source, ...slaFigures(list) })).sort((a, b) => b.leads - a.leads),
    byPolicy: [...breakdown(counted, (f) => f.policyId)].map(([policyId, list]) => ({ policyId, policyName: policyId ? (names.get(policyId) ?? policyId) : null, ...slaFigures(list) })),
    series: rc.period.buckets.map((b, i) => ({ bucket: b.key, start: b.start, end: b.end, ...slaFigures(buckets.get(i) ?? []) })),
  };
}
