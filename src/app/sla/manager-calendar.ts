import { managerLocalDate } from '../../core/routing/availability.js';
import type { WeeklyHours } from '../../core/routing/manager-profile.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { businessCalendarOf } from './sla-clock.js';

/** How far back and ahead of the manager's local today the holidays are listed. */
export const CALENDAR_DAYS_BEFORE = 7;
export const CALENDAR_DAYS_AFTER = 90;

export interface ManagerCalendarView {
  timeZone: string;
  /** null: always working (apart from holidays). */
  workingHours: WeeklyHours | null;
  /** Local dates without working time, from `from` to `to` inclusive, in order. */
  holidays: string[];
  from: string;
  to: string;
}

/**
 * The business calendar the SLA clocks of a manager's leads count in, so a browser can count a
 * deadline down in business time: the very calendar the SLA clock builds (slaClockOf), with its
 * holidays from a week before to 90 days after the manager's local today.
 */
export async function managerCalendar(ctx: AppContext, managerId: string): Promise<ManagerCalendarView> {
  const at = ctx.now();
  const calendar = await businessCalendarOf(ctx, managerId, at);
  if (!calendar) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No manager with id ${managerId}`);
  const today = managerLocalDate({ timeZone: calendar.timeZone }, at.getTime());
  const from = addDays(today, -CALENDAR_DAYS_BEFORE);
  const to = addDays(today, CALENDAR_DAYS_AFTER);
  const holidays = [...calendar.holidays].filter((day) => day >= from && day <= to).sort();
  return { timeZone: calendar.timeZone, workingHours: calendar.hours, holidays, from, to };
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
