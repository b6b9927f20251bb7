import type { NotificationMessage } from '../../core/i18n/notification-text.js';
import type { Kysely } from 'kysely';
import { appendEvents, enqueueOutbox } from '../../store/journal-queries.js';
import { findLead, OPEN_LEAD_EXCLUDED_STATUSES } from '../../store/lead-queries.js';
import { takeRoutingLock } from '../../store/routing-lock.js';
import type { Database } from '../../store/schema.js';
import { closeTransfer, findTransfer, type TransferRecord } from '../../store/transfer-queries.js';
import { actorName, isAdmin, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import { approveTransferNow } from './hand-over.js';
import { assertRecipientCanTake, routeToNextManager } from './recipient.js';
import { runsTeam, teamOfManager, transferScopeOf, transferVisible } from './transfer-access.js';
import type { TransferApprovalInput, TransferRejectionInput } from './transfer-input.js';
import { toTransferViews, type TransferView } from './transfer-view.js';

/**
 * The head of the from-manager's team (or an admin) approves: the recipient is the one named
 * now, else the one named in the request, else whom the rules choose. The recipient must be
 * able to take the lead now (422 naming the failed check) unless the head overrides with a reason.
 */
export async function approveTransfer(ctx: AppContext, principal: Principal, id: string, input: TransferApprovalInput): Promise<TransferView> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    // Under the lock from the start: the recipient's load and the request's state cannot move until commit.
    await takeRoutingLock(trx);
    const transfer = await pendingTransferToDecide(trx, principal, id);
    const now = ctx.now();
    const lead = await findLead(trx, transfer.leadId);
    if (!lead || lead.ownerId !== transfer.fromManagerId) {
      throw new LeadRouterError('LR_ERR_CONFLICT', `Lead ${transfer.leadId} changed hands since the request; reject or cancel this request`);
    }
    if ((OPEN_LEAD_EXCLUDED_STATUSES as readonly string[]).includes(lead.status)) {
      throw new LeadRouterError('LR_ERR_CONFLICT', `Lead ${lead.id} was closed (${lead.status}) since the request; reject it instead`);
    }
    const named = input.toManagerId ?? transfer.toManagerId;
    const routed = named ? null : await routeToNextManager(trx, lead, now);
    const toManagerId = named ?? routed?.managerId;
    if (!toManagerId) {
      throw new LeadRouterError('LR_ERR_UNPROCESSABLE', 'No other manager can take the lead now; name one with toManagerId', [
        { path: 'toManagerId', code: 'no_candidate', message: 'the routing rules found no other manager' },
      ]);
    }
    if (toManagerId === lead.ownerId) {
      throw new LeadRouterError('LR_ERR_VALIDATION', 'The lead already belongs to this manager', [{ path: 'toManagerId', code: 'same_owner', message: 'the lead already belongs to this manager' }]);
    }
    // A head hands leads on within the team; moving one to another team is an admin's call.
    if (principal.kind === 'user' && principal.role === 'head' && !runsTeam(principal, await teamOfManager(trx, toManagerId))) {
      throw new LeadRouterError('LR_ERR_FORBIDDEN', 'A head approves transfers to managers of the own team only', [{ path: 'toManagerId', code: 'other_team', message: 'the recipient is in another team' }]);
    }
    const { overridden } = await assertRecipientCanTake(trx, toManagerId, now, { count: 1, override: input.override });
    const approved = await approveTransferNow(ctx, trx, {
      transfer,
      lead,
      toManagerId,
      decisionComment: input.comment ?? null,
      override: overridden ? input.override : undefined,
      overridden,
      routed,
      decider: principal,
    });
    return (await toTransferViews(trx, [approved]))[0] as TransferView;
  });
}

/** The head says no, with a comment for the manager who asked; the lead stays where it is. */
export async function rejectTransfer(ctx: AppContext, principal: Principal, id: string, input: TransferRejectionInput): Promise<TransferView> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const transfer = await pendingTransferToDecide(trx, principal, id);
    const rejected = await closeWithoutHandover(ctx, trx, principal, transfer, 'rejected', input.comment);
    const requester = transfer.requestedBy.startsWith('user:') ? [transfer.requestedBy.slice('user:'.length)] : [];
    await enqueueOutbox(trx, [
      {
        id: ctx.newId(),
        topic: 'transfer.decided',
        payload: {
          leadId: transfer.leadId,
          text: `Transfer request rejected: ${input.comment}`,
          message: { key: 'transferRejected', comment: input.comment } satisfies NotificationMessage,
          audience: { managers: transfer.fromManagerId ? [transfer.fromManagerId] : [], users: requester },
          transferId: transfer.id,
          decision: 'rejected',
          decisionComment: input.comment,
        },
        createdAt: rejected.decidedAt as string,
      },
    ]);
    return (await toTransferViews(trx, [rejected]))[0] as TransferView;
  });
}

/** The one who asked takes the request back while it still waits. */
export async function cancelTransfer(ctx: AppContext, principal: Principal, id: string): Promise<TransferView> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const transfer = await findTransfer(trx, id);
    if (!transfer || !transferVisible(await transferScopeOf(trx, principal), transfer)) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No transfer with id ${id}`);
    if (transfer.requestedBy !== actorName(principal) && !isAdmin(principal)) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Only the one who asked for the transfer may cancel it');
    if (transfer.status !== 'requested') throw alreadyDecided(transfer);
    const cancelled = await closeWithoutHandover(ctx, trx, principal, transfer, 'cancelled', null);
    return (await toTransferViews(trx, [cancelled]))[0] as TransferView;
  });
}

/** A request the principal may decide and that still waits: 404 if they cannot see it, 403 if it is another team's, 409 if decided. */
async function pendingTransferToDecide(trx: Kysely<Database>, principal: Principal, id: string): Promise<TransferRecord> {
  const transfer = await findTransfer(trx, id);
  if (!transfer || !transferVisible(await transferScopeOf(trx, principal), transfer)) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No transfer with id ${id}`);
  if (!runsTeam(principal, await teamOfManager(trx, transfer.fromManagerId))) {
    throw new LeadRouterError('LR_ERR_FORBIDDEN', "Only the head of the requesting manager's team or an admin decides this transfer");
  }
  if (transfer.status !== 'requested') throw alreadyDecided(transfer);
  return transfer;
}

function alreadyDecided(t: TransferRecord): LeadRouterError {
  return new LeadRouterError('LR_ERR_CONFLICT', `Transfer ${t.id} was already ${t.status}`);
}

async function closeWithoutHandover(
  ctx: AppContext,
  trx: Kysely<Database>,
  principal: Principal,
  transfer: TransferRecord,
  status: 'rejected' | 'cancelled',
  comment: string | null,
): Promise<TransferRecord> {
  const at = ctx.now().toISOString();
  const actor = actorName(principal);
  const closed = await closeTransfer(trx, transfer.id, { status, decidedBy: actor, decisionComment: comment, toManagerId: transfer.toManagerId, overrideReason: null, decidedAt: at });
  if (!closed) throw new LeadRouterError('LR_ERR_CONFLICT', `Transfer ${transfer.id} was already decided`);
  const type = status === 'rejected' ? 'transfer.decided' : 'transfer.cancelled';
  await appendEvents(trx, [{ id: ctx.newId(), leadId: transfer.leadId, type, actor, payload: { transferId: transfer.id, decision: status, decisionComment: comment }, createdAt: at }]);
  await recordAudit(ctx, trx, principal, [{ action: `transfer.${status}`, entity: 'transfer', entityId: transfer.id, before: { status: transfer.status }, after: { status, comment } }]);
  return { ...transfer, status, decidedBy: actor, decisionComment: comment, decidedAt: at };
}
