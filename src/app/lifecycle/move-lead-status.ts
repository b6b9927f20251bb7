import type { NotificationMessage } from '../../core/i18n/notification-text.js';
import type { Kysely, Updateable } from 'kysely';
import type { StageKind } from '../../core/lifecycle/pipeline.js';
import { appendEvents, enqueueOutbox } from '../../store/journal-queries.js';
import { adjustManagerLoad, updateLeadIfVersion } from '../../store/lead-work-queries.js';
import { findLead, type LeadRecord } from '../../store/lead-queries.js';
import { findReason } from '../../store/reason-queries.js';
import { takeRoutingLock } from '../../store/routing-lock.js';
import type { Database, LeadsTable } from '../../store/schema.js';
import { actorName, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { Topic } from '../notifications/topics.js';
import { rearmSla } from '../sla/sla-clock.js';

export interface StatusMove {
  lead: LeadRecord;
  to: string;
  kind: StageKind;
  junkReason?: string | null;
  comment?: string | null;
  /** The event (and, for a closing stage, the outbox topic): a plain change or a conversion. */
  topic: Extract<Topic, 'lead.status_changed' | 'lead.converted'>;
  /** More columns written with the status (the client links of a conversion). */
  also?: Omit<Updateable<LeadsTable>, 'id' | 'version' | 'status'>;
  details?: Record<string, unknown>;
}

/**
 * Moves a lead to another stage in the caller's transaction. Closing it (converted, junk)
 * frees a place in the owner's capacity, under the routing lock so intake never decides from
 * a count that is about to change; the update is conditional on the version read, so two
 * people closing the same lead at once get one success and one 409.
 */
export async function moveLeadStatus(ctx: AppContext, trx: Kysely<Database>, principal: Principal, move: StatusMove): Promise<LeadRecord> {
  const { lead } = move;
  const closing = move.kind !== 'open';
  if (closing && lead.ownerId) await takeRoutingLock(trx);
  const now = ctx.now();
  const at = now.toISOString();
  const junkReason = move.kind === 'junk' ? (move.junkReason ?? null) : null;
  const moved = await updateLeadIfVersion(trx, lead.id, lead.work.version, {
    ...move.also,
    status: move.to,
    updated_at: at,
    closed_at: closing ? at : null,
    junk_reason: junkReason,
  });
  if (!moved) throw new LeadRouterError('LR_ERR_CONFLICT', `Lead ${lead.id} changed meanwhile; reload it and try again`);
  if (closing && lead.ownerId) await adjustManagerLoad(trx, lead.ownerId, -1, null, at);

  const actor = actorName(principal);
  const payload = { leadId: lead.id, from: lead.status, to: move.to, junkReason, comment: move.comment ?? null, ownerId: lead.ownerId, ...move.details };
  await appendEvents(trx, [{ id: ctx.newId(), leadId: lead.id, type: move.topic, actor, payload, createdAt: at }]);
  if (closing) {
    const name = lead.name ?? lead.companyName ?? lead.id;
    const text = move.kind === 'converted' ? `Lead ${name} converted into a deal` : `Lead ${name} marked junk${junkReason ? ` (${junkReason})` : ''}`;
    const audience = lead.ownerId ? { headsOf: [lead.ownerId] } : {};
    const message: NotificationMessage = move.kind === 'converted' ? { key: 'converted', lead: name } : { key: 'junk', lead: name, reason: junkReason };
    await enqueueOutbox(trx, [{ id: ctx.newId(), topic: move.topic, payload: { ...payload, text, message, audience }, createdAt: at }]);
  }
  await recordAudit(ctx, trx, principal, [
    { action: move.topic, entity: 'lead', entityId: lead.id, before: { status: lead.status, junkReason: lead.work.junkReason }, after: { status: move.to, junkReason, ...move.details } },
  ]);
  await rearmSla(ctx, trx, [lead.id], now);
  const updated = await findLead(trx, lead.id);
  if (!updated) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No lead with id ${lead.id}`);
  return updated;
}

/** The active junk reason named by key or id; a junk mark without one says nothing useful to analytics. */
export async function requireJunkReason(db: Kysely<Database>, keyOrId: string | undefined): Promise<string> {
  if (!keyOrId) {
    throw new LeadRouterError('LR_ERR_VALIDATION', 'Marking a lead junk needs a junkReason from the catalogue (GET /api/v1/reasons?kind=junk)', [
      { path: 'junkReason', code: 'required', message: 'a junk reason is required' },
    ]);
  }
  const reason = await findReason(db, 'junk', keyOrId);
  if (!reason || !reason.active) {
    throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `"${keyOrId}" is not an active junk reason; see GET /api/v1/reasons?kind=junk`, [
      { path: 'junkReason', code: 'unknown_reason', message: `no active junk reason "${keyOrId}"` },
    ]);
  }
  return reason.key;
}
