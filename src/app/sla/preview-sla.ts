import { DateTime } from 'luxon';
import type { Weekday, WeeklyHours } from '../../core/routing/manager-profile.js';
import { businessMinutesBetween, isBusinessTime } from '../../core/sla/business-clock.js';
import { slaClockFor, slaWarnAt, type SlaPolicy } from '../../core/sla/sla-policy.js';
import { findManagerRow } from '../../store/manager-queries.js';
import { findSlaPolicy, listHolidays } from '../../store/sla-queries.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { calendarOwners } from './sla-clock.js';
import type { SlaPreviewInput } from './sla-input.js';
import { loadSlaSettings } from './sla-settings-cache.js';

/** A local date the clock skipped between the lead's arrival and its deadline, and why. */
export interface SkippedDay {
  day: string;
  reason: 'holiday' | 'weekend';
  /** The holiday's name; null for a weekend. */
  holiday: string | null;
  /** The team whose holiday it is; null for a company-wide one or a weekend. */
  teamId: string | null;
}

export interface SlaPreview {
  policy: { id: string | null; name: string | null; firstContactMinutes: number; warnBeforeMinutes: number | null; teamMatches: boolean };
  manager: { id: string; name: string; teamId: string | null };
  /** When the lead arrives (the request's `at`, or now). */
  at: string;
  /** When the clock starts counting: `at` inside working time, else the start of the next working interval. */
  clockStartsAt: string;
  dueAt: string;
  /** null: the policy does not warn. */
  warnAt: string | null;
  calendar: {
    timeZone: string;
    /** null: always working (apart from holidays). */
    workingHours: WeeklyHours | null;
    workingAtArrival: boolean;
    /** Working minutes between arrival and the deadline: the policy's minutes. */
    businessMinutes: number;
    /** Plain minutes between arrival and the deadline. */
    elapsedMinutes: number;
    /** Local dates from arrival to the deadline without working time, in order (at most 60). */
    skippedDays: SkippedDay[];
  };
}

const MAX_SKIPPED_DAYS = 60;
const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * When a lead arriving at `at` for a manager would have to be first contacted under a policy
 * (saved, saved with unsaved edits, or a draft), counted by the very code that arms real clocks:
 * the manager's business calendar from the SLA settings (zone, working hours, company and team
 * holidays) and slaClockFor. Explains the days the clock skipped.
 */
export async function previewSla(ctx: AppContext, principal: Principal, input: SlaPreviewInput): Promise<SlaPreview> {
  const at = input.at ? new Date(input.at) : ctx.now();
  const policy = await policyOf(ctx, input.policy);
  const manager = await findManagerRow(ctx.store.db, input.managerId);
  const owner = (await calendarOwners(ctx.store.db, [input.managerId])).get(input.managerId);
  if (!manager || !owner) {
    throw new LeadRouterError('LR_ERR_VALIDATION', `No manager with id ${input.managerId}`, [{ path: 'managerId', code: 'unknown_manager', message: `no manager with id ${input.managerId}` }]);
  }
  // A head counts deadlines in the own team's managers' calendars only (their zone and hours).
  if (principal.kind === 'user' && principal.role === 'head' && (principal.teamId === null || principal.teamId !== manager.team_id)) {
    throw new LeadRouterError('LR_ERR_FORBIDDEN', "A head previews deadlines for the own team's managers only", [{ path: 'managerId', code: 'other_team', message: `${manager.name} is not in your team` }]);
  }
  const calendar = (await loadSlaSettings(ctx.store.db, at)).calendars.calendarOf(owner);
  const clock = slaClockFor({ status: 'new', ownerId: owner.id, assignedAt: at.toISOString(), firstContactAt: null, lastActivityAt: null }, policy, calendar, at);
  if (!clock) throw new LeadRouterError('LR_ERR_INTERNAL', 'The SLA clock did not start');
  const dueMs = Date.parse(clock.dueAt);
  const teamIds = policy.match.teamIds ?? [];
  return {
    policy: {
      id: input.policy.id ?? null,
      name: policy.name || null,
      firstContactMinutes: policy.firstContactMinutes,
      warnBeforeMinutes: policy.warnBeforeMinutes,
      teamMatches: teamIds.length === 0 || (owner.teamId !== null && teamIds.includes(owner.teamId)),
    },
    manager: { id: manager.id, name: manager.name, teamId: owner.teamId },
    at: at.toISOString(),
    clockStartsAt: new Date(firstWorkingInstant(at.getTime(), dueMs, calendar)).toISOString(),
    dueAt: clock.dueAt,
    warnAt: slaWarnAt(clock.dueAt, policy),
    calendar: {
      timeZone: calendar.timeZone,
      workingHours: calendar.hours,
      workingAtArrival: isBusinessTime(at.getTime(), calendar),
      businessMinutes: Math.round(businessMinutesBetween(at.getTime(), dueMs, calendar)),
      elapsedMinutes: Math.round((dueMs - at.getTime()) / 60_000),
      skippedDays: await skippedDays(ctx, at.getTime(), dueMs, calendar.timeZone, calendar.hours, calendar.holidays, owner.teamId),
    },
  };
}

async function policyOf(ctx: AppContext, draft: SlaPreviewInput['policy']): Promise<SlaPolicy> {
  const { id, ...edits } = draft;
  const saved = id === undefined ? undefined : await findSlaPolicy(ctx.store.db, id);
  if (id !== undefined && !saved) throw new LeadRouterError('LR_ERR_VALIDATION', `No SLA policy with id ${id}`, [{ path: 'policy.id', code: 'unknown_policy', message: `no SLA policy with id ${id}` }]);
  const firstContactMinutes = edits.firstContactMinutes ?? saved?.firstContactMinutes;
  if (firstContactMinutes === undefined) {
    throw new LeadRouterError('LR_ERR_VALIDATION', 'A draft policy needs firstContactMinutes', [{ path: 'policy.firstContactMinutes', code: 'required', message: 'required without policy.id' }]);
  }
  return {
    id: id ?? 'draft',
    name: edits.name ?? saved?.name ?? '',
    position: saved?.position ?? 0,
    match: edits.match ?? saved?.match ?? {},
    firstContactMinutes,
    nextStepMinutes: edits.nextStepMinutes !== undefined ? edits.nextStepMinutes : (saved?.nextStepMinutes ?? null),
    warnBeforeMinutes: edits.warnBeforeMinutes !== undefined ? edits.warnBeforeMinutes : (saved?.warnBeforeMinutes ?? null),
    maxReassignments: edits.maxReassignments ?? saved?.maxReassignments ?? 1,
    onExhausted: edits.onExhausted ?? saved?.onExhausted ?? 'head',
    // A preview counts the clock even for a policy switched off.
    active: true,
  };
}

/** The first instant at or after `from` (and not after `until`) inside working time. */
function firstWorkingInstant(from: number, until: number, calendar: Parameters<typeof isBusinessTime>[1]): number {
  if (isBusinessTime(from, calendar)) return from;
  // Minute steps are too many over a long weekend: find the minute by bisection on working minutes.
  let lo = from;
  let hi = until;
  if (businessMinutesBetween(lo, hi, calendar) <= 0) return until;
  while (hi - lo > 1_000) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (businessMinutesBetween(from, mid, calendar) > 0) hi = mid;
    else lo = mid;
  }
  // Working intervals begin on whole minutes: the one inside (lo, hi].
  return Math.min(Math.ceil(lo / 60_000) * 60_000, hi);
}

/** The manager's local dates from arrival to the deadline that have no working time. */
async function skippedDays(
  ctx: AppContext,
  from: number,
  to: number,
  timeZone: string,
  hours: WeeklyHours | null,
  holidayDays: ReadonlySet<string>,
  teamId: string | null,
): Promise<SkippedDay[]> {
  const zone = DateTime.now().setZone(timeZone).isValid ? timeZone : 'utc';
  const first = DateTime.fromMillis(from, { zone }).startOf('day');
  const last = DateTime.fromMillis(to, { zone }).startOf('day');
  const named = (await listHolidays(ctx.store.db, first.toISODate() ?? undefined)).filter((h) => h.teamId === null || h.teamId === teamId);
  const out: SkippedDay[] = [];
  for (let day = first; day <= last && out.length < MAX_SKIPPED_DAYS; day = day.plus({ days: 1 })) {
    const iso = day.toISODate() ?? '';
    if (holidayDays.has(iso)) {
      const holiday = named.find((h) => h.day === iso && h.teamId === teamId) ?? named.find((h) => h.day === iso);
      out.push({ day: iso, reason: 'holiday', holiday: holiday?.name ?? null, teamId: holiday?.teamId ?? null });
      continue;
    }
    const intervals = hours?.[WEEKDAYS[day.weekday - 1] as Weekday];
    if (hours !== null && (!intervals || intervals.length === 0)) out.push({ day: iso, reason: 'weekend', holiday: null, teamId: null });
  }
  return out;
}
