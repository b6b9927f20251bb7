import { findDelivery, listDeliveries, requeueDelivery, type DeliveryRecord, type DeliveryStatus } from '../../store/delivery-queries.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';

export interface DeliveryView {
  id: string;
  outboxId: string;
  topic: string;
  channel: string;
  /** A user id, or a webhook id for the webhook channel. */
  recipient: string;
  text: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export function toDeliveryView(d: DeliveryRecord): DeliveryView {
  const message = d.payload as { payload?: { text?: unknown } } | null;
  const text = message?.payload?.text;
  return {
    id: d.id, outboxId: d.outboxId, topic: d.topic, channel: d.channel, recipient: d.recipient, text: typeof text === 'string' ? text : null,
    status: d.status, attempts: d.attempts, nextAttemptAt: d.nextAttemptAt, lastError: d.lastError, deliveredAt: d.deliveredAt, createdAt: d.createdAt,
  };
}

export interface DeliveryQuery {
  status?: DeliveryStatus | undefined;
  channel?: string | undefined;
  outboxId?: string | undefined;
  /** The id of the last delivery of the previous page. */
  before?: string | undefined;
  limit: number;
}

/** Newest first: what an admin looks at when someone says they were not told. */
export async function deliveries(ctx: AppContext, query: DeliveryQuery): Promise<{ items: DeliveryView[]; nextBefore: string | null }> {
  const rows = await listDeliveries(ctx.store.db, {
    limit: query.limit + 1,
    ...(query.status ? { status: query.status } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    ...(query.outboxId ? { outboxId: query.outboxId } : {}),
    ...(query.before ? { before: query.before } : {}),
  });
  const page = rows.slice(0, query.limit);
  return { items: page.map(toDeliveryView), nextBefore: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null };
}

/** Sends a failed (or waiting) delivery again at the next pass, with a fresh set of retries. */
export async function retryDelivery(ctx: AppContext, principal: Principal, id: string): Promise<DeliveryView> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const found = await findDelivery(trx, id);
    if (!found) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No delivery ${id}`);
    if (found.status === 'delivered') throw new LeadRouterError('LR_ERR_CONFLICT', `Delivery ${id} was already delivered at ${found.deliveredAt}`);
    const at = ctx.now().toISOString();
    if (found.status === 'pending' && found.claimedUntil !== null && found.claimedUntil > at) {
      throw new LeadRouterError('LR_ERR_CONFLICT', `Delivery ${id} is being sent right now; retry it after ${found.claimedUntil} if it fails`);
    }
    if (!(await requeueDelivery(trx, id, at))) throw new LeadRouterError('LR_ERR_CONFLICT', `Delivery ${id} was delivered or claimed for sending meanwhile`);
    await recordAudit(ctx, trx, principal, [{ action: 'delivery.retry', entity: 'delivery', entityId: id, before: { status: found.status, attempts: found.attempts, lastError: found.lastError } }]);
    const after = await findDelivery(trx, id);
    return toDeliveryView(after ?? found);
  });
}
