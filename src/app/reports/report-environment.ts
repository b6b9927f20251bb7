import type { WeeklyHours } from '../../core/routing/manager-profile.js';
import type { BusinessCalendar } from '../../core/sla/business-clock.js';
import { OwnerCalendars } from '../../core/sla/owner-calendars.js';
import { readJson } from '../../store/json.js';
import { reportManagers } from '../../store/report-queries.js';
import { listHolidays, listSlaPolicies, type SlaPolicyRecord } from '../../store/sla-queries.js';
import type { AppContext } from '../app-context.js';

/**
 * What a lead's report facts are computed against besides its own records: the moment, each
 * manager's business calendar and team, and the active SLA policies. The same for the raw
 * reports and the rollups.
 */
export interface ReportEnvironment {
  now: number;
  calendarOf(managerId: string): BusinessCalendar | null;
  teamOf(managerId: string | null): string | null;
  activePolicies: SlaPolicyRecord[];
}

export async function loadReportEnvironment(ctx: AppContext, now = ctx.now().getTime()): Promise<ReportEnvironment> {
  const db = ctx.store.db;
  const [managers, holidays, policies] = await Promise.all([reportManagers(db), listHolidays(db), listSlaPolicies(db)]);
  const byId = new Map(managers.map((m) => [m.id, m]));
  const calendars = new OwnerCalendars(holidays);
  const built = new Map<string, BusinessCalendar | null>();
  return {
    now,
    // One calendar per manager for the whole pass: the business clock caches its work per calendar.
    calendarOf(managerId) {
      if (built.has(managerId)) return built.get(managerId) ?? null;
      const m = byId.get(managerId);
      const calendar = m ? calendars.calendarOf({ id: m.id, timeZone: m.timeZone, workingHours: readJson<WeeklyHours | null>(m.workingHours, null), teamId: m.teamId }) : null;
      built.set(managerId, calendar);
      return calendar;
    },
    teamOf: (managerId) => (managerId ? (byId.get(managerId)?.teamId ?? null) : null),
    activePolicies: policies.filter((p) => p.active),
  };
}
