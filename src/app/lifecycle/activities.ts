import { CLOCK_SKEW_MS, isActivityOutcome, stopsFirstContactClock, ACTIVITY_OUTCOMES } from '../../core/lifecycle/activities.js';
import { insertActivity, listActivities, markFirstContact, markLeadActivity, type ActivityRecord } from '../../store/activity-queries.js';
import { appendEvents } from '../../store/journal-queries.js';
import { findLead } from '../../store/lead-queries.js';
import { assertLeadVisible } from '../access/lead-access.js';
import { actorName, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { countLateFirstContact } from '../sla/late-first-contact.js';
import { rearmSla } from '../sla/sla-clock.js';
import type { ActivityInput } from './lifecycle-input.js';
import { loadWorkableLead, managerIdOf } from './workable-lead.js';

export interface LoggedActivity {
  activity: ActivityRecord;
  /** True when this activity was the lead's first real contact and stopped its first-contact clock. */
  firstContact: boolean;
}

/**
 * Logs a call, e-mail, meeting or note, dated when it happened (a call logged later keeps its
 * time on the timeline). Every activity moves the lead's last-activity mark (the next-step
 * clock counts from it); the first real contact with the owner also stops the first-contact
 * clock, once, at the time it is logged.
 */
export async function logActivity(ctx: AppContext, principal: Principal, leadId: string, input: ActivityInput): Promise<LoggedActivity> {
  if (!isActivityOutcome(input.kind, input.outcome)) {
    const allowed = (ACTIVITY_OUTCOMES[input.kind] as readonly string[]).join(', ');
    throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `A ${input.kind} ends with one of: ${allowed}`, [{ path: 'outcome', code: 'unknown_outcome', message: `one of ${allowed}` }]);
  }
  const now = ctx.now();
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
  if (occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new LeadRouterError('LR_ERR_UNPROCESSABLE', 'occurredAt is in the future: log an activity after it happened (plan one with a task)', [{ path: 'occurredAt', code: 'in_future', message: 'not in the future' }]);
  }
  return await ctx.store.db.transaction().execute(async (trx) => {
    const lead = await loadWorkableLead(trx, principal, leadId);
    if (occurredAt.getTime() < Date.parse(lead.createdAt)) {
      throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `occurredAt is before the lead arrived (${lead.createdAt})`, [{ path: 'occurredAt', code: 'before_lead', message: 'not before the lead was created' }]);
    }
    const at = now.toISOString();
    const activity: ActivityRecord = {
      id: ctx.newId(), leadId: lead.id, kind: input.kind, outcome: input.outcome, note: input.note ?? null, managerId: managerIdOf(principal),
      actor: actorName(principal), occurredAt: occurredAt.toISOString(), createdAt: at,
    };
    await insertActivity(trx, activity);
    await markLeadActivity(trx, lead.id, activity.occurredAt, at);
    // The clock stops when the contact is logged, not when the caller says it happened: a call
    // logged after the deadline, dated before it, must not pass for an on-time first contact.
    const wantsFirstContact = stopsFirstContactClock(input.kind, input.outcome, { hasOwner: lead.ownerId !== null, firstContactAt: lead.work.firstContactAt });
    const firstContact = wantsFirstContact && lead.ownerId !== null && (await markFirstContact(trx, lead.id, lead.ownerId, at));
    if (firstContact) await countLateFirstContact(ctx, trx, lead, now);
    await appendEvents(trx, [
      { id: ctx.newId(), leadId: lead.id, type: 'activity.logged', actor: activity.actor, payload: { leadId: lead.id, activityId: activity.id, kind: activity.kind, outcome: activity.outcome, firstContact }, createdAt: at },
    ]);
    await recordAudit(ctx, trx, principal, [{ action: 'activity.logged', entity: 'activity', entityId: activity.id, after: { leadId: lead.id, kind: activity.kind, outcome: activity.outcome, occurredAt: activity.occurredAt } }]);
    await rearmSla(ctx, trx, [lead.id], now);
    return { activity, firstContact };
  });
}

export async function leadActivities(ctx: AppContext, principal: Principal, leadId: string): Promise<ActivityRecord[]> {
  await assertLeadVisible(ctx.store.db, principal, await findLead(ctx.store.db, leadId), leadId);
  return await listActivities(ctx.store.db, leadId);
}
