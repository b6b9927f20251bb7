import type { NotificationMessage } from '../../core/i18n/notification-text.js';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../store/constraint-errors.js';
import { appendEvents, enqueueOutbox } from '../../store/journal-queries.js';
import { findLead, OPEN_LEAD_EXCLUDED_STATUSES, type LeadRecord } from '../../store/lead-queries.js';
import { findManagerRow } from '../../store/manager-queries.js';
import { takeRoutingLock } from '../../store/routing-lock.js';
import type { Database } from '../../store/schema.js';
import { findPendingTransfers, findTransferReason, insertTransfer, type TransferReason, type TransferRecord } from '../../store/transfer-queries.js';
import { assertLeadVisible } from '../access/lead-access.js';
import { actorName, isAdmin, SYSTEM, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { isLeadRouterError, LeadRouterError } from '../errors.js';
import { teamOfManager } from './transfer-access.js';
import { approveTransferNow } from './hand-over.js';
import { assertRecipientCanTake, routeToNextManager } from './recipient.js';
import type { TransferRequestInput } from './transfer-input.js';
import { toTransferViews, type TransferView } from './transfer-view.js';

export interface TransferRequestOutcome {
  transfer: TransferView;
  /** Why a reason that approves itself still waits for the head, when it does. */
  autoApproveSkipped: string | null;
}

/**
 * A manager asks to hand a lead over, with a catalogue reason and a comment. At most one
 * request per lead waits at a time (409 for a second). A reason marked auto-approve hands
 * the lead over at once, to the named colleague or to whom the rules choose, provided that
 * manager can take it now; otherwise the request waits for the head like any other.
 */
export async function requestTransfer(ctx: AppContext, principal: Principal, leadId: string, input: TransferRequestInput): Promise<TransferRequestOutcome> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    // First, as every owner change does: an auto-approved request moves the lead in this transaction.
    await takeRoutingLock(trx);
    const lead = await assertLeadVisible(trx, principal, await findLead(trx, leadId), leadId);
    assertMayRequest(principal, lead);
    const reason = await findTransferReason(trx, input.reason);
    if (!reason) {
      throw new LeadRouterError('LR_ERR_VALIDATION', `No active transfer reason "${input.reason}"; pick one from the catalogue of transfer reasons`, [
        { path: 'reason', code: 'unknown_reason', message: `no active transfer reason "${input.reason}"` },
      ]);
    }
    await assertRecipientNamed(trx, lead, input.toManagerId);
    if ((await findPendingTransfers(trx, [lead.id])).length > 0) throw pendingConflict(lead.id);

    const at = ctx.now().toISOString();
    const actor = actorName(principal);
    const transfer: TransferRecord = {
      id: ctx.newId(), leadId: lead.id, fromManagerId: lead.ownerId, toManagerId: input.toManagerId ?? null, reason: reason.key, comment: input.comment ?? null,
      status: 'requested', requestedBy: actor, decidedBy: null, decisionComment: null, overrideReason: null, createdAt: at, decidedAt: null,
    };
    try {
      await insertTransfer(trx, transfer);
    } catch (error) {
      if (isUniqueViolation(error)) throw pendingConflict(lead.id);
      throw error;
    }
    const details = { transferId: transfer.id, fromManagerId: transfer.fromManagerId, toManagerId: transfer.toManagerId, transferReason: reason.key, comment: transfer.comment };
    await appendEvents(trx, [{ id: ctx.newId(), leadId: lead.id, type: 'transfer.requested', actor, payload: details, createdAt: at }]);
    await recordAudit(ctx, trx, principal, [{ action: 'transfer.requested', entity: 'transfer', entityId: transfer.id, after: { leadId: lead.id, ...details } }]);

    let autoApproveSkipped: string | null = null;
    if (reason.autoApprove) {
      const approved = await tryAutoApprove(ctx, trx, transfer, reason, lead);
      if (approved.ok) return { transfer: (await toTransferViews(trx, [approved.transfer]))[0] as TransferView, autoApproveSkipped: null };
      autoApproveSkipped = approved.why;
    }
    const leadName = lead.name ?? lead.companyName ?? lead.id;
    await enqueueOutbox(trx, [
      {
        id: ctx.newId(),
        topic: 'transfer.requested',
        payload: { leadId: lead.id, text: `Transfer of ${leadName} requested: ${reason.label}`, message: { key: 'transferRequested', lead: leadName, reason: reason.label } satisfies NotificationMessage, audience: { headsOf: lead.ownerId ? [lead.ownerId] : [] }, ...details, autoApproveSkipped },
        createdAt: at,
      },
    ]);
    return { transfer: (await toTransferViews(trx, [transfer]))[0] as TransferView, autoApproveSkipped };
  });
}

function assertMayRequest(principal: Principal, lead: LeadRecord): void {
  if (!lead.ownerId) throw new LeadRouterError('LR_ERR_CONFLICT', `Lead ${lead.id} has no owner to transfer it from; claim it from the pool or ask the head to assign it`);
  if ((OPEN_LEAD_EXCLUDED_STATUSES as readonly string[]).includes(lead.status)) throw new LeadRouterError('LR_ERR_CONFLICT', `Lead ${lead.id} is closed (${lead.status}) and cannot be transferred`);
  if (principal.kind !== 'user' || isAdmin(principal) || principal.role === 'head') return;
  if (principal.role === 'manager' && principal.managerId === lead.ownerId) return;
  throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Only the owner of the lead or a head may request its transfer');
}

async function assertRecipientNamed(db: Kysely<Database>, lead: LeadRecord, toManagerId: string | undefined): Promise<void> {
  if (toManagerId === undefined) return;
  if (toManagerId === lead.ownerId) {
    throw new LeadRouterError('LR_ERR_VALIDATION', 'The lead already belongs to this manager', [{ path: 'toManagerId', code: 'same_owner', message: 'the lead already belongs to this manager' }]);
  }
  const row = await findManagerRow(db, toManagerId);
  if (!row || row.active !== 1) {
    throw new LeadRouterError('LR_ERR_VALIDATION', `No active manager with id ${toManagerId}`, [{ path: 'toManagerId', code: 'unknown_manager', message: `no active manager with id ${toManagerId}` }]);
  }
}

function pendingConflict(leadId: string): LeadRouterError {
  return new LeadRouterError('LR_ERR_CONFLICT', `A transfer of lead ${leadId} already waits for a decision; cancel it first or wait for the head`);
}

async function tryAutoApprove(
  ctx: AppContext,
  trx: Kysely<Database>,
  transfer: TransferRecord,
  reason: TransferReason,
  lead: LeadRecord,
): Promise<{ ok: true; transfer: TransferRecord } | { ok: false; why: string }> {
  const now = ctx.now();
  const routed = transfer.toManagerId ? null : await routeToNextManager(trx, lead, now);
  const toManagerId = transfer.toManagerId ?? routed?.managerId ?? null;
  if (!toManagerId) return { ok: false, why: 'no other manager can take the lead now' };
  // Self-approval stays inside the team; a hand-over to another team waits for a person to decide.
  if ((await teamOfManager(trx, toManagerId)) !== (await teamOfManager(trx, transfer.fromManagerId))) return { ok: false, why: 'the recipient is in another team' };
  try {
    await assertRecipientCanTake(trx, toManagerId, now, { count: 1, override: undefined });
  } catch (error) {
    if (isLeadRouterError(error) && error.status === 422) return { ok: false, why: error.details?.[0]?.message ?? error.message };
    throw error;
  }
  const approved = await approveTransferNow(ctx, trx, {
    transfer,
    lead,
    toManagerId,
    decisionComment: `The reason "${reason.label}" approves itself`,
    override: undefined,
    overridden: null,
    routed,
    decider: SYSTEM('auto-approve'),
    audience: { headsOf: transfer.fromManagerId ? [transfer.fromManagerId] : [] },
  });
  return { ok: true, transfer: approved };
}
