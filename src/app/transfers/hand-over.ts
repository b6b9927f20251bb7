import type { Kysely } from 'kysely';
import { moveOpenTasks } from '../../store/handover-queries.js';
import type { LeadRecord } from '../../store/lead-queries.js';
import { saveRoutingStates } from '../../store/routing-state-queries.js';
import type { Database } from '../../store/schema.js';
import { closeTransfer, findTransferReason, type TransferRecord } from '../../store/transfer-queries.js';
import { actorName, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import { changeOwner } from '../leads/change-owner.js';
import type { Audience } from '../notifications/topics.js';
import { rearmSla } from '../sla/sla-clock.js';
import { buildBriefing, slaAfterHandover } from './briefing.js';
import type { RecipientRefusal, RoutedRecipient } from './recipient.js';

export interface Approval {
  transfer: TransferRecord;
  /** The lead as read under the routing lock. */
  lead: LeadRecord;
  toManagerId: string;
  decisionComment: string | null;
  override: { reason: string } | undefined;
  /** The recipient check that failed and was overridden. */
  overridden: RecipientRefusal | null;
  /** Set when the rules chose the recipient: their fairness state moves too. */
  routed: RoutedRecipient | null;
  /** Who decided: the head, or the system for a reason that approves itself. */
  decider: Principal;
  /** Besides both managers, who hears of it. */
  audience?: Audience;
}

/**
 * Carries out an approved transfer in the caller's transaction: closes the request (409 if
 * decided meanwhile), hands the lead and its open tasks to the recipient, tells both managers
 * with a briefing for the new one, re-arms the SLA clock and records the decision.
 * Activities, events and done tasks stay with the lead.
 */
export async function approveTransferNow(ctx: AppContext, trx: Kysely<Database>, a: Approval): Promise<TransferRecord> {
  const now = ctx.now();
  const at = now.toISOString();
  const { transfer, lead } = a;
  const decided: TransferRecord = {
    ...transfer,
    status: 'approved',
    toManagerId: a.toManagerId,
    decidedBy: actorName(a.decider),
    decisionComment: a.decisionComment,
    overrideReason: a.override?.reason ?? null,
    decidedAt: at,
  };
  const closed = await closeTransfer(trx, transfer.id, {
    status: 'approved', decidedBy: actorName(a.decider), decisionComment: a.decisionComment, toManagerId: a.toManagerId, overrideReason: a.override?.reason ?? null, decidedAt: at,
  });
  if (!closed) throw new LeadRouterError('LR_ERR_CONFLICT', `Transfer ${transfer.id} was already decided`);
  if (a.routed) await saveRoutingStates(trx, a.routed.states);

  await moveOpenTasks(trx, [lead.id], a.toManagerId, at);
  const reason = await findTransferReason(trx, transfer.reason);
  const sla = await slaAfterHandover(ctx, trx, lead, a.toManagerId, lead.status, now);
  const briefing = await buildBriefing(trx, lead, { transfer: decided, sla });
  await changeOwner(ctx, trx, {
    lead,
    toManagerId: a.toManagerId,
    via: 'transfer',
    actor: actorName(a.decider),
    reason: reason?.label ?? transfer.reason,
    topic: 'transfer.decided',
    audience: { ...a.audience, managers: [...(transfer.fromManagerId ? [transfer.fromManagerId] : []), a.toManagerId, ...(a.audience?.managers ?? [])] },
    details: {
      transferId: transfer.id,
      decision: 'approved',
      transferReason: transfer.reason,
      comment: transfer.comment,
      decisionComment: a.decisionComment,
      overrideReason: a.override?.reason ?? null,
      briefing,
    },
    // The lead keeps its stage: a transfer changes who works it, not how far it got.
    status: lead.status,
    ...(a.routed ? { trace: a.routed.trace } : {}),
  });
  await rearmSla(ctx, trx, [lead.id], now);
  await recordAudit(ctx, trx, a.decider, [
    {
      action: 'transfer.approved',
      entity: 'transfer',
      entityId: transfer.id,
      before: { status: transfer.status, toManagerId: transfer.toManagerId },
      after: { status: 'approved', leadId: lead.id, fromManagerId: transfer.fromManagerId, toManagerId: a.toManagerId, comment: a.decisionComment, override: a.override ? { reason: a.override.reason, failedCheck: a.overridden } : null },
    },
  ]);
  return decided;
}
