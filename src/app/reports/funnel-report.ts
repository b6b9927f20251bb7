import { funnelFigures, type FunnelItem } from '../../core/reports/funnel.js';
import { lastOwner } from '../../core/reports/lead-history.js';
import { bucketIndex } from '../../core/reports/period.js';
import { cohortDeals, cohortEvents } from '../../store/report-queries.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { breakdown, loadCohort } from './lead-cohort.js';
import { counts, labelManagers, listedManager, reportContext, reportHeader, type ReportQuery } from './report-context.js';

/** The pipeline stage that marks a lead qualified when a manager moves it there. */
export const QUALIFIED_STAGE = 'qualified';

interface Item extends FunnelItem {
  managerId: string | null;
  source: string | null;
  campaign: string | null;
  ruleId: string | null;
}

/**
 * Report 4: lead → qualified → deal → won for the leads that arrived in the period, with rates,
 * deal value and the median time between stages; by source, campaign, manager, rule and bucket.
 */
export async function funnelReport(ctx: AppContext, principal: Principal, query: ReportQuery) {
  const rc = await reportContext(ctx, principal, query);
  const [leads, deals, moves] = await Promise.all([loadCohort(ctx, rc), cohortDeals(ctx.store.db, rc.cohort), cohortEvents(ctx.store.db, rc.cohort, ['lead.status_changed'])]);
  const dealsOf = breakdown(deals, (d) => d.leadId);
  const stagedAt = new Map<string, number>();
  for (const e of moves) if (e.payload.to === QUALIFIED_STAGE && !stagedAt.has(e.leadId)) stagedAt.set(e.leadId, Date.parse(e.createdAt));
  const items: Item[] = [];
  for (const lead of leads) {
    const managerId = lead.ownerId ?? lastOwner(lead.changes);
    if (!listedManager(rc, managerId) && !counts(rc, managerId)) continue;
    const own = dealsOf.get(lead.id) ?? [];
    const wonDeals = own.filter((d) => d.stage === 'won');
    const explicit = [lead.qualifiedAt ? Date.parse(lead.qualifiedAt) : null, stagedAt.get(lead.id) ?? null].filter((v): v is number => v !== null);
    const firstWon = wonDeals.map((d) => Date.parse(d.closedAt ?? d.createdAt)).sort((a, b) => a - b)[0];
    items.push({
      managerId,
      source: lead.source,
      campaign: lead.campaign,
      ruleId: lead.ruleId,
      createdMs: lead.createdMs,
      qualifiedMs: explicit.length > 0 ? Math.min(...explicit) : null,
      dealMs: own[0] ? Date.parse(own[0].createdAt) : null,
      wonMs: firstWon ?? null,
      dealValue: own.reduce((sum, d) => sum + (d.amount ?? 0), 0),
      wonValue: wonDeals.reduce((sum, d) => sum + (d.amount ?? 0), 0),
    });
  }
  const counted = items.filter((i) => counts(rc, i.managerId));
  const listed = items.filter((i) => i.managerId !== null && listedManager(rc, i.managerId));
  const byManager = [...breakdown(listed, (i) => i.managerId)].map(([managerId, list]) => ({ managerId, ...funnelFigures(list) }));
  byManager.sort((a, b) => b.leads - a.leads || String(a.managerId).localeCompare(String(b.managerId)));
  const buckets = breakdown(counted, (i) => bucketIndex(rc.period.buckets, i.createdMs));
  const byLeads = <T extends { leads: number }>(a: T, b: T) => b.leads - a.leads;
  return {
    ...reportHeader(rc),
    totals: funnelFigures(counted),
    bySource: [...breakdown(counted, (i) => i.source)].map(([source, list]) => ({ source, ...funnelFigures(list) })).sort(byLeads),
    byCampaign: [...breakdown(counted, (i) => i.campaign)].map(([campaign, list]) => ({ campaign, ...funnelFigures(list) })).sort(byLeads),
    byManager: labelManagers(rc, byManager),
    byRule: [...breakdown(counted, (i) => i.ruleId)].map(([ruleId, list]) => ({ ruleId, ...funnelFigures(list) })).sort(byLeads),
    series: rc.period.buckets.map((b, i) => ({ bucket: b.key, start: b.start, end: b.end, ...funnelFigures(buckets.get(i) ?? []) })),
  };
}
