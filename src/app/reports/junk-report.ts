import { junkFigures, reasonCounts, standsOut, type JunkItem } from '../../core/reports/junk.js';
import { lastOwner } from '../../core/reports/lead-history.js';
import { bucketIndex } from '../../core/reports/period.js';
import { ratio, round } from '../../core/reports/stats.js';
import { cohortEvents, managersOfUsers, reasonLabels } from '../../store/report-queries.js';
import { actorDisplayNames } from '../access/actor-names.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { breakdown, loadCohort } from './lead-cohort.js';
import { counts, labelManagers, listedManager, reportContext, reportHeader, type ReportQuery } from './report-context.js';

interface Item extends JunkItem {
  managerId: string | null;
  source: string | null;
  campaign: string | null;
  createdMs: number;
  /** Who marked it junk (`user:<id>`, …). */
  marker: string | null;
}

/**
 * Report 5: junk rate by source and campaign with the reasons, flagging the ones that stand
 * out; who marked leads junk (to spot a manager closing work as junk); by bucket of arrival.
 */
export async function junkReport(ctx: AppContext, principal: Principal, query: ReportQuery) {
  const rc = await reportContext(ctx, principal, query);
  const [leads, moves, labels] = await Promise.all([loadCohort(ctx, rc), cohortEvents(ctx.store.db, rc.cohort, ['lead.status_changed', 'lead.qualified']), reasonLabels(ctx.store.db, 'junk')]);
  const markerOf = new Map<string, string>();
  for (const e of moves) if (e.payload.to === 'junk') markerOf.set(e.leadId, e.actor);
  const items: Item[] = [];
  for (const lead of leads) {
    const managerId = lead.ownerId ?? lastOwner(lead.changes);
    if (!counts(rc, managerId) && !listedManager(rc, managerId)) continue;
    const junk = lead.status === 'junk';
    items.push({ managerId, source: lead.source, campaign: lead.campaign, createdMs: lead.createdMs, junk, reason: junk ? lead.junkReason : null, marker: junk ? (markerOf.get(lead.id) ?? null) : null });
  }
  const counted = items.filter((i) => counts(rc, i.managerId));
  const totals = junkFigures(counted);
  const row = (list: Item[]) => {
    const figures = junkFigures(list);
    return { ...figures, standsOut: standsOut(figures, totals.junkRate), reasons: reasonCounts(list, labels) };
  };
  const byRate = <T extends { junkRate: number | null; leads: number }>(a: T, b: T) => (b.junkRate ?? -1) - (a.junkRate ?? -1) || b.leads - a.leads;

  const marked = counted.filter((i) => i.junk);
  const markers = [...breakdown(marked, (i) => i.marker)];
  const userIds = markers.flatMap(([actor]) => (actor?.startsWith('user:') ? [actor.slice(5)] : []));
  const [names, profiles] = await Promise.all([actorDisplayNames(ctx, markers.map(([a]) => a)), managersOfUsers(ctx.store.db, userIds)]);
  const ownedBy = breakdown(counted, (i) => i.managerId);
  const byMarker = markers
    .map(([actor, list]) => {
      const managerId = actor?.startsWith('user:') ? (profiles.get(actor.slice(5)) ?? null) : null;
      const handled = managerId ? (ownedBy.get(managerId)?.length ?? 0) : 0;
      return {
        managerId,
        actor: rc.scope.kind === 'self' && managerId !== rc.scope.managerId ? null : actor,
        actorName: actor ? (names.get(actor) ?? actor) : null,
        marked: list.length,
        markedRate: managerId ? round(ratio(list.filter((i) => i.managerId === managerId).length, handled)) : null,
        reasons: reasonCounts(list, labels),
      };
    })
    .sort((a, b) => b.marked - a.marked || String(a.actor).localeCompare(String(b.actor)));
  const buckets = breakdown(counted, (i) => bucketIndex(rc.period.buckets, i.createdMs));
  return {
    ...reportHeader(rc),
    totals,
    reasons: reasonCounts(counted, labels),
    bySource: [...breakdown(counted, (i) => i.source)].map(([source, list]) => ({ source, ...row(list) })).sort(byRate),
    byCampaign: [...breakdown(counted, (i) => i.campaign)].map(([campaign, list]) => ({ campaign, ...row(list) })).sort(byRate),
    byMarker: labelManagers(rc, byMarker).map((m) => (m.anonymous ? { ...m, actorName: m.name } : m)),
    series: rc.period.buckets.map((b, i) => ({ bucket: b.key, start: b.start, end: b.end, ...junkFigures(buckets.get(i) ?? []) })),
  };
}
