import type { Kysely } from 'kysely';
import { appendEvents } from '../../store/journal-queries.js';
import type { Database } from '../../store/schema.js';
import { closeTransfer, findPendingTransfers } from '../../store/transfer-queries.js';
import { actorName, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';

/**
 * Closes the requests still waiting for leads that changed hands another way (reassigned by
 * the head, released to the pool): approving them later would move the lead a second time.
 */
export async function cancelPendingTransfers(ctx: AppContext, trx: Kysely<Database>, principal: Principal, leadIds: string[], why: string): Promise<void> {
  const pending = await findPendingTransfers(trx, leadIds);
  if (pending.length === 0) return;
  const at = ctx.now().toISOString();
  const actor = actorName(principal);
  for (const t of pending) {
    await closeTransfer(trx, t.id, { status: 'cancelled', decidedBy: actor, decisionComment: why, toManagerId: t.toManagerId, overrideReason: null, decidedAt: at });
  }
  await appendEvents(
    trx,
    pending.map((t) => ({ id: ctx.newId(), leadId: t.leadId, type: 'transfer.cancelled', actor, payload: { transferId: t.id, decision: 'cancelled', decisionComment: why }, createdAt: at })),
  );
}
