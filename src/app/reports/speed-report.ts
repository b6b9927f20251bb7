import { everOwned, lastOwner, ownerAt } from '../../core/reports/lead-history.js';
import { bucketIndex, localHour } from '../../core/reports/period.js';
import { SPEED_WINDOWS, speedFigures, type SpeedSample } from '../../core/reports/speed.js';
import { MINUTE_MS } from '../../core/reports/stats.js';
import { addBusinessMinutes, businessMinutesBetween } from '../../core/sla/business-clock.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { breakdown, loadCohort } from './lead-cohort.js';
import { counts, labelManagers, listedManager, reportContext, reportHeader, teamOf, type ReportQuery } from './report-context.js';

const LONGEST_WINDOW = Math.max(...SPEED_WINDOWS);

interface Sample extends SpeedSample {
  managerId: string;
  source: string | null;
  createdMs: number;
}

/**
 * Report 2: speed to lead — arrival to the first real contact (docs/reports.md), median, p90
 * and the share within 5 / 15 / 60 minutes, on the wall clock and in the owner's business
 * hours; by manager, team, source, hour of arrival and bucket.
 */
export async function speedReport(ctx: AppContext, principal: Principal, query: ReportQuery) {
  const rc = await reportContext(ctx, principal, query);
  const leads = await loadCohort(ctx, rc);
  const samples: Sample[] = [];
  for (const lead of leads) {
    // Leads nobody ever owned have nobody to be fast; junk closed before any contact needed no call.
    if (!everOwned(lead.changes)) continue;
    if (lead.status === 'junk' && lead.firstContactAt === null) continue;
    const contactMs = lead.firstContactAt === null ? null : Date.parse(lead.firstContactAt);
    const managerId = contactMs !== null ? ownerAt(lead.changes, contactMs) : (lead.ownerId ?? lastOwner(lead.changes));
    if (managerId === null || !listedManager(rc, managerId)) continue;
    const calendar = rc.calendarOf(managerId);
    const end = contactMs ?? rc.now;
    const wall = (end - lead.createdMs) / MINUTE_MS;
    let business: number;
    if (!calendar) business = wall;
    else if (contactMs !== null) business = businessMinutesBetween(lead.createdMs, end, calendar);
    // A lead still waiting only has to be known to have waited past the longest window.
    else business = addBusinessMinutes(lead.createdMs, LONGEST_WINDOW, calendar) <= end ? LONGEST_WINDOW : businessMinutesBetween(lead.createdMs, end, calendar);
    samples.push({
      managerId,
      source: lead.source,
      createdMs: lead.createdMs,
      wallMinutes: contactMs === null ? null : wall,
      businessMinutes: contactMs === null ? null : business,
      waitingWallMinutes: contactMs === null ? wall : 0,
      waitingBusinessMinutes: contactMs === null ? business : 0,
    });
  }
  const counted = samples.filter((s) => counts(rc, s.managerId));
  const byManager = [...breakdown(samples, (s) => s.managerId)].map(([managerId, list]) => ({ managerId: managerId as string | null, ...speedFigures(list) }));
  byManager.sort((a, b) => b.leads - a.leads || String(a.managerId).localeCompare(String(b.managerId)));
  const byTeam = [...breakdown(counted, (s) => teamOf(rc, s.managerId))].map(([teamId, list]) => ({ teamId, teamName: teamId ? (rc.teams.get(teamId)?.name ?? teamId) : null, ...speedFigures(list) }));
  const bySource = [...breakdown(counted, (s) => s.source)].map(([source, list]) => ({ source, ...speedFigures(list) })).sort((a, b) => b.leads - a.leads);
  const hours = breakdown(counted, (s) => localHour(s.createdMs, rc.period.timeZone));
  const byHourOfDay = Array.from({ length: 24 }, (_, hour) => ({ hour, ...speedFigures(hours.get(hour) ?? []) }));
  const buckets = breakdown(counted, (s) => bucketIndex(rc.period.buckets, s.createdMs));
  const series = rc.period.buckets.map((b, i) => ({ bucket: b.key, start: b.start, end: b.end, ...speedFigures(buckets.get(i) ?? []) }));
  return {
    ...reportHeader(rc),
    totals: speedFigures(counted),
    byManager: labelManagers(rc, byManager),
    byTeam,
    bySource,
    byHourOfDay,
    series,
  };
}
