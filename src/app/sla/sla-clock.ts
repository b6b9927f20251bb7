import type { Kysely } from 'kysely';
import type { WeeklyHours } from '../../core/routing/manager-profile.js';
import type { BusinessCalendar } from '../../core/sla/business-clock.js';
import type { CalendarOwner } from '../../core/sla/owner-calendars.js';
import { matchSlaPolicy, slaClockFor, type SlaClock } from '../../core/sla/sla-policy.js';
import { readJson } from '../../store/json.js';
import { findLeadsByIds, type LeadRecord } from '../../store/lead-queries.js';
import type { Database } from '../../store/schema.js';
import { loadOwnerCalendars } from '../../store/sla-queries.js';
import type { AppContext } from '../app-context.js';
import { loadSlaSettings, type SlaSettings } from './sla-settings-cache.js';

/**
 * Recomputes the SLA clock of each lead from its current state (owner, status, first contact,
 * last activity), in the caller's transaction: call it after changing any of those. A clock
 * that did not move keeps its warning mark, so the owner is not warned twice for one deadline.
 */
export async function rearmSla(ctx: AppContext, trx: Kysely<Database>, leadIds: string[], at: Date): Promise<void> {
  const ids = [...new Set(leadIds)];
  // A policy change can re-arm many leads: bounded reads keep within the databases' parameter limits.
  for (let i = 0; i < ids.length; i += REARM_CHUNK) await rearmChunk(ctx, trx, ids.slice(i, i + REARM_CHUNK), at);
}

const REARM_CHUNK = 500;

async function rearmChunk(ctx: AppContext, trx: Kysely<Database>, ids: string[], at: Date): Promise<void> {
  const leads = await findLeadsByIds(trx, ids);
  const settings = await loadSlaSettings(ctx.store.db, at, trx);
  const owners = await calendarOwners(trx, [...new Set(leads.flatMap((l) => (l.ownerId ? [l.ownerId] : [])))]);
  for (const lead of leads) {
    const owner = lead.ownerId ? owners.get(lead.ownerId) : undefined;
    const clock = owner ? slaClockOf(lead, owner, settings, at) : null;
    const unchanged = clock
      ? lead.work.slaPolicyId === clock.policyId && lead.work.slaKind === clock.kind && lead.work.slaDueAt !== null && Date.parse(lead.work.slaDueAt) === Date.parse(clock.dueAt)
      : lead.work.slaPolicyId === null && lead.work.slaKind === null && lead.work.slaDueAt === null;
    if (unchanged) continue;
    await trx
      .updateTable('leads')
      .set({ sla_policy_id: clock?.policyId ?? null, sla_kind: clock?.kind ?? null, sla_due_at: clock?.dueAt ?? null, sla_warned_at: null })
      .where('id', '=', lead.id)
      .execute();
  }
}

/** Where each owner's SLA clock runs: zone, week and team (for team holidays and team-matched policies). */
export async function calendarOwners(db: Kysely<Database>, managerIds: string[]): Promise<Map<string, CalendarOwner>> {
  const rows = await loadOwnerCalendars(db, managerIds);
  return new Map([...rows].map(([id, o]) => [id, { id, timeZone: o.timeZone, workingHours: readJson<WeeklyHours | null>(o.workingHours, null), teamId: o.teamId }]));
}

/**
 * The business calendar the SLA clocks of a manager's leads count in at `at` (zone, working
 * hours, company and team holidays), built exactly as slaClockOf builds it; undefined for an
 * unknown manager.
 */
export async function businessCalendarOf(ctx: AppContext, managerId: string, at: Date): Promise<BusinessCalendar | undefined> {
  const owner = (await calendarOwners(ctx.store.db, [managerId])).get(managerId);
  if (!owner) return undefined;
  return (await loadSlaSettings(ctx.store.db, at)).calendars.calendarOf(owner);
}

/** The clock a lead should run on with the given owner; pure apart from reading the cached settings. */
export function slaClockOf(
  lead: Pick<LeadRecord, 'status' | 'ownerId' | 'assignedAt' | 'source' | 'priority' | 'work'>,
  owner: { id: string; timeZone: string; workingHours: WeeklyHours | null; teamId: string | null },
  settings: SlaSettings,
  at: Date,
): SlaClock | null {
  const policy = matchSlaPolicy(settings.policies, { source: lead.source, priority: lead.priority, teamId: owner.teamId });
  if (policy === null) return null;
  return slaClockFor(
    { status: lead.status, ownerId: lead.ownerId, assignedAt: lead.assignedAt, firstContactAt: lead.work.firstContactAt, lastActivityAt: lead.work.lastActivityAt },
    policy,
    settings.calendars.calendarOf(owner),
    at,
  );
}
