import type { WeeklyHours } from '../routing/manager-profile.js';
import type { BusinessCalendar } from './business-clock.js';

export interface HolidayDay {
  day: string;
  /** null: a day off for everyone. */
  teamId: string | null;
}

export interface CalendarOwner {
  id: string;
  timeZone: string;
  workingHours: WeeklyHours | null;
  teamId: string | null;
}

/**
 * Business calendars per owner, built once per set of holidays: company-wide days off plus
 * the owner's team's. Reused across a batch so each calendar's parsed days are reused too.
 */
export class OwnerCalendars {
  private readonly everyone = new Set<string>();
  private readonly byTeam = new Map<string, Set<string>>();
  private readonly built = new Map<string, { owner: CalendarOwner; calendar: BusinessCalendar }>();

  constructor(holidays: readonly HolidayDay[]) {
    for (const h of holidays) {
      if (h.teamId === null) {
        this.everyone.add(h.day);
        continue;
      }
      const days = this.byTeam.get(h.teamId) ?? new Set<string>();
      days.add(h.day);
      this.byTeam.set(h.teamId, days);
    }
  }

  calendarOf(owner: CalendarOwner): BusinessCalendar {
    const cached = this.built.get(owner.id);
    if (cached && cached.owner.timeZone === owner.timeZone && cached.owner.workingHours === owner.workingHours && cached.owner.teamId === owner.teamId) return cached.calendar;
    const team = owner.teamId ? this.byTeam.get(owner.teamId) : undefined;
    const holidays = team ? new Set([...this.everyone, ...team]) : this.everyone;
    const calendar: BusinessCalendar = { timeZone: owner.timeZone, hours: owner.workingHours, holidays };
    this.built.set(owner.id, { owner, calendar });
    return calendar;
  }
}
