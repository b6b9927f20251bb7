import { businessMinutesBetween, isBusinessTime, type BusinessCalendar } from '@core/sla/business-clock.js';
import type { WeeklyHours } from '@core/routing/manager-profile.js';
import type { Lead } from '@/api/types';

/** The owner's calendar as the API gives it (GET /managers/{id}/calendar). */
export interface OwnerCalendar {
  timeZone: string;
  workingHours: WeeklyHours | null;
  holidays: string[];
}

export type SlaCountdown =
  | { state: 'none' }
  /** The first real contact stopped the first-contact clock. */
  | { state: 'contacted'; at: string }
  /** Business minutes left; `paused` while the owner is outside working hours (the clock does not run). */
  | { state: 'running'; minutesLeft: number; paused: boolean; dueAt: string; kind: 'first_contact' | 'next_step' | null }
  /** Past the deadline by this many business minutes. */
  | { state: 'breached'; minutesOver: number; dueAt: string; kind: 'first_contact' | 'next_step' | null };

export function businessCalendarOf(calendar: OwnerCalendar): BusinessCalendar {
  return { timeZone: calendar.timeZone, hours: calendar.workingHours, holidays: new Set(calendar.holidays) };
}

/**
 * Where a lead's SLA clock stands at `now`, counted in the owner's business hours with the
 * server's own business clock (src/core), so a Friday-evening lead due Monday 10:00 shows
 * one hour left, not sixty-three.
 */
export function slaCountdown(lead: Pick<Lead, 'sla' | 'lifecycle' | 'status'>, calendar: BusinessCalendar | null, now: number): SlaCountdown {
  const sla = lead.sla;
  if (lead.lifecycle.closedAt) return { state: 'none' };
  // A contact made stops the first-contact clock for good; only a next-step clock may run after it.
  if (lead.lifecycle.firstContactAt && sla?.kind !== 'next_step') return { state: 'contacted', at: lead.lifecycle.firstContactAt };
  if (!sla?.dueAt) return { state: 'none' };
  const due = Date.parse(sla.dueAt);
  const cal = calendar ?? { timeZone: 'UTC', hours: null, holidays: new Set<string>() };
  if (now >= due) return { state: 'breached', minutesOver: businessMinutesBetween(due, now, cal), dueAt: sla.dueAt, kind: sla.kind };
  return { state: 'running', minutesLeft: businessMinutesBetween(now, due, cal), paused: !isBusinessTime(now, cal), dueAt: sla.dueAt, kind: sla.kind };
}

/** "1 h 05 min" style parts, for the catalogue to put words around. */
export function splitMinutes(minutes: number): { days: number; hours: number; minutes: number } {
  const whole = Math.max(0, Math.floor(minutes));
  return { days: Math.floor(whole / 1440), hours: Math.floor((whole % 1440) / 60), minutes: whole % 60 };
}
