import type { Kysely } from 'kysely';
import type { WeeklyHours } from '../../core/routing/manager-profile.js';
import { openTasksOf, recentActivities, type OpenTask, type RecentActivity } from '../../store/handover-queries.js';
import { readJson } from '../../store/json.js';
import { findLead, type LeadRecord } from '../../store/lead-queries.js';
import type { Database } from '../../store/schema.js';
import { loadOwnerCalendars } from '../../store/sla-queries.js';
import { latestTransferOf, transferReasonLabels, type TransferRecord } from '../../store/transfer-queries.js';
import { assertLeadVisible } from '../access/lead-access.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { slaClockOf } from '../sla/sla-clock.js';
import { loadSlaSettings } from '../sla/sla-settings-cache.js';

const LAST_CONTACTS = 5;

/** What a manager taking over a lead reads first. */
export interface Briefing {
  leadId: string;
  /** The latest activities, newest first. */
  lastContacts: RecentActivity[];
  openTasks: OpenTask[];
  /** The latest transfer request of the lead: why it changes (or changed) hands. */
  transfer: { id: string; status: string; reason: string; reasonLabel: string; comment: string | null; fromManagerId: string | null; requestedAt: string } | null;
  sla: { kind: string; dueAt: string } | null;
}

export async function buildBriefing(db: Kysely<Database>, lead: LeadRecord, known: { transfer?: TransferRecord; sla?: Briefing['sla'] } = {}): Promise<Briefing> {
  const [lastContacts, openTasks, transfer, labels] = await Promise.all([
    recentActivities(db, lead.id, LAST_CONTACTS),
    openTasksOf(db, lead.id),
    known.transfer ? Promise.resolve(known.transfer) : latestTransferOf(db, lead.id),
    transferReasonLabels(db),
  ]);
  return {
    leadId: lead.id,
    lastContacts,
    openTasks,
    transfer: transfer
      ? { id: transfer.id, status: transfer.status, reason: transfer.reason, reasonLabel: labels.get(transfer.reason) ?? transfer.reason, comment: transfer.comment, fromManagerId: transfer.fromManagerId, requestedAt: transfer.createdAt }
      : null,
    sla: known.sla !== undefined ? known.sla : lead.work.slaDueAt && lead.work.slaKind ? { kind: lead.work.slaKind, dueAt: lead.work.slaDueAt } : null,
  };
}

export async function getBriefing(ctx: AppContext, principal: Principal, leadId: string): Promise<Briefing> {
  const db = ctx.store.db;
  const lead = await assertLeadVisible(db, principal, await findLead(db, leadId), leadId);
  return await buildBriefing(db, lead);
}

/**
 * The SLA clock the lead will run on once `ownerId` has it, so the briefing sent with the
 * hand-over already shows the new owner's deadline (rearmSla writes the same one right after).
 */
export async function slaAfterHandover(ctx: AppContext, trx: Kysely<Database>, lead: LeadRecord, ownerId: string, status: string, at: Date): Promise<Briefing['sla']> {
  const owner = (await loadOwnerCalendars(trx, [ownerId])).get(ownerId);
  if (!owner) return null;
  const settings = await loadSlaSettings(ctx.store.db, at, trx);
  const clock = slaClockOf(
    { ...lead, ownerId, status, assignedAt: at.toISOString() },
    { id: ownerId, timeZone: owner.timeZone, workingHours: readJson<WeeklyHours | null>(owner.workingHours, null), teamId: owner.teamId },
    settings,
    at,
  );
  return clock ? { kind: clock.kind, dueAt: clock.dueAt } : null;
}
