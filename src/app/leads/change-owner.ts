import type { Kysely } from 'kysely';
import { managerLocalDate } from '../../core/routing/availability.js';
import { appendEvents, enqueueOutbox, insertAssignments } from '../../store/journal-queries.js';
import { adjustManagerLoad, updateLeadIfVersion } from '../../store/lead-work-queries.js';
import { OPEN_LEAD_EXCLUDED_STATUSES, type LeadRecord } from '../../store/lead-queries.js';
import { recordDecisionTime, takeRoutingLock } from '../../store/routing-lock.js';
import type { Database } from '../../store/schema.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { Audience, Topic } from '../notifications/topics.js';
import type { NotificationMessage } from '../../core/i18n/notification-text.js';
import { POOL_STATUS } from '../access/lead-access.js';

export interface OwnerChange {
  lead: LeadRecord;
  /** The new owner; null sends the lead to the pool. */
  toManagerId: string | null;
  /** How it happened: transfer, claim, reassign, sla, escalation, release. */
  via: string;
  actor: string;
  /** Why, in words a person reads on the timeline. */
  reason: string | null;
  /** The decision trace when routing chose the owner; a short note otherwise. */
  trace?: unknown;
  ruleId?: string | null;
  ruleSetVersion?: number | null;
  topic: Topic;
  /** Who is told, besides the new owner. */
  audience?: Audience;
  details?: Record<string, unknown>;
  /** The status the lead takes; by default 'new' for an owner and 'pool' without one. */
  status?: string;
}

/**
 * Hands a lead to another manager (or the pool) inside the caller's transaction: the owner,
 * the counters both managers are routed by, the decision row, the timeline event and the
 * notification commit together. Takes the routing lock, because intake decides from those
 * counters; fails with 409 when the lead changed since it was read.
 */
export async function changeOwner(ctx: AppContext, trx: Kysely<Database>, change: OwnerChange): Promise<LeadRecord> {
  const lastDecidedAt = await takeRoutingLock(trx);
  // Never behind the latest decision of another process: a lagging clock must not restart a daily count.
  const now = ctx.now();
  const at = lastDecidedAt && Date.parse(lastDecidedAt) > now.getTime() ? lastDecidedAt : now.toISOString();
  await recordDecisionTime(trx, at);
  const { lead } = change;
  const status = change.status ?? (change.toManagerId ? 'new' : POOL_STATUS);
  const moved = await updateLeadIfVersion(trx, lead.id, lead.work.version, {
    owner_id: change.toManagerId,
    status,
    assigned_at: change.toManagerId ? at : null,
    updated_at: at,
    // A new owner gets the whole first-contact clock again; the SLA module re-arms it.
    sla_due_at: null,
    sla_kind: null,
    sla_warned_at: null,
  });
  if (!moved) throw new LeadRouterError('LR_ERR_CONFLICT', `Lead ${lead.id} changed meanwhile; reload it and try again`);

  const wasOpen = !(OPEN_LEAD_EXCLUDED_STATUSES as readonly string[]).includes(lead.status);
  if (lead.ownerId && wasOpen) await adjustManagerLoad(trx, lead.ownerId, -1, null, at);
  if (change.toManagerId) {
    const zone = await trx.selectFrom('managers').select('time_zone').where('id', '=', change.toManagerId).executeTakeFirst();
    if (!zone) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No manager with id ${change.toManagerId}`);
    await adjustManagerLoad(trx, change.toManagerId, 1, { localDate: managerLocalDate({ timeZone: zone.time_zone }, Date.parse(at)) }, at);
  }

  await insertAssignments(trx, [
    {
      id: ctx.newId(),
      leadId: lead.id,
      managerId: change.toManagerId,
      outcome: change.toManagerId ? 'assigned' : 'pool',
      via: change.via,
      ruleId: change.ruleId ?? null,
      strategy: null,
      ruleSetVersion: change.ruleSetVersion ?? null,
      trace: change.trace ?? { summary: change.reason ?? change.via },
      actor: change.actor,
      createdAt: at,
    },
  ]);
  const payload = { leadId: lead.id, fromManagerId: lead.ownerId, managerId: change.toManagerId, via: change.via, reason: change.reason, ...change.details };
  await appendEvents(trx, [{ id: ctx.newId(), leadId: lead.id, type: change.topic, actor: change.actor, payload, createdAt: at }]);
  const audience: Audience = {
    ...change.audience,
    managers: unique([...(change.toManagerId ? [change.toManagerId] : []), ...(change.audience?.managers ?? [])]),
  };
  const text = change.toManagerId ? `Lead ${lead.name ?? lead.companyName ?? lead.id} is now yours (${change.via})` : `Lead ${lead.name ?? lead.companyName ?? lead.id} went to the pool (${change.via})`;
  const leadName = lead.name ?? lead.companyName ?? lead.id;
  const message: NotificationMessage = change.toManagerId ? { key: 'leadYours', lead: leadName, via: change.via } : { key: 'leadToPool', lead: leadName, via: change.via };
  await enqueueOutbox(trx, [{ id: ctx.newId(), topic: change.topic, payload: { ...payload, text, message, audience }, createdAt: at }]);

  return {
    ...lead,
    ownerId: change.toManagerId,
    status,
    assignedAt: change.toManagerId ? at : null,
    updatedAt: at,
    work: { ...lead.work, slaDueAt: null, slaKind: null, slaWarnedAt: null, version: lead.work.version + 1 },
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
