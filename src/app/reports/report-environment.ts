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
  return {
    now,
    calendarOf(managerId) {
      const m = byId.get(managerId);
      if (!m) return null;
      return calendars.calendarOf({ id: m.id, timeZone: m.timeZone, workingHours: readJson<WeeklyHours | null>(m.workingHours, null), teamId: m.teamId });
    },
    teamOf: (managerId) => (managerId ? (byId.get(managerId)?.teamId ?? null) : null),
    activePolicies: policies.filter((p) => p.active),
  };
}
