import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { failPendingDeliveriesTo } from '../../store/delivery-queries.js';
import { deleteWebhook, findWebhook, insertWebhook, listWebhooks, type WebhookRecord } from '../../store/webhook-queries.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import { enqueueOutbox } from '../../store/journal-queries.js';
import { TOPICS, WEBHOOK_TEST_TOPIC, type OutboxPayload } from './topics.js';
import { checkWebhookUrl, EMPTY_ALLOW_LIST } from './webhook-target.js';

export const webhookInputSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).max(2000),
  secret: z.string().min(16).max(200).optional().describe('The HMAC key; generated (and shown once) when omitted'),
  topics: z
    .array(z.enum([...TOPICS, '*']))
    .min(1)
    .max(TOPICS.length + 1)
    .default(['*'])
    .describe('Event types to send; ["*"] for all'),
});
export type WebhookInput = z.infer<typeof webhookInputSchema>;

export interface WebhookView {
  id: string;
  url: string;
  topics: string[];
  active: boolean;
  createdAt: string;
}

const toView = (w: WebhookRecord): WebhookView => ({ id: w.id, url: w.url, topics: w.topics, active: w.active, createdAt: w.createdAt });

/** Subscribes a URL; the answer carries the signing secret, which is never shown again. */
export async function createWebhook(ctx: AppContext, principal: Principal, input: WebhookInput): Promise<WebhookView & { secret: string }> {
  // Lead data must not be sent into this machine or its local networks (checked again at every delivery).
  const refusal = await checkWebhookUrl(input.url, ctx.config.webhookAllowList ?? EMPTY_ALLOW_LIST);
  if (refusal) throw new LeadRouterError('LR_ERR_VALIDATION', `url: ${refusal}`, [{ path: 'url', code: 'forbidden_address', message: refusal }]);
  const record = {
    id: ctx.newId(),
    url: input.url,
    secret: input.secret ?? `whsec_${randomBytes(32).toString('base64url')}`,
    topics: [...new Set(input.topics)],
    createdAt: ctx.now().toISOString(),
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    await insertWebhook(trx, record);
    await recordAudit(ctx, trx, principal, [{ action: 'webhook.create', entity: 'webhook', entityId: record.id, after: { url: record.url, topics: record.topics } }]);
  });
  return { ...toView({ ...record, active: true }), secret: record.secret };
}

export async function webhooks(ctx: AppContext): Promise<WebhookView[]> {
  return (await listWebhooks(ctx.store.db)).map(toView);
}

/** Unsubscribes; what was still waiting for it is marked failed rather than left pending forever. */
export async function removeWebhook(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const found = await findWebhook(trx, id);
    if (!found || !(await deleteWebhook(trx, id))) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No webhook ${id}`);
    await failPendingDeliveriesTo(trx, 'webhook', id, 'The webhook was deleted');
    await recordAudit(ctx, trx, principal, [{ action: 'webhook.delete', entity: 'webhook', entityId: id, before: { url: found.url, topics: found.topics } }]);
  });
}

/**
 * Queues a test event for one webhook through the outbox, as real events go: the dispatcher
 * signs and sends it, retries it and records it in the deliveries. Returns the outbox id, by
 * which GET /deliveries?outboxId= finds the delivery.
 */
export async function sendTestEvent(ctx: AppContext, principal: Principal, id: string): Promise<{ outboxId: string; topic: string }> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const found = await findWebhook(trx, id);
    if (!found) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No webhook ${id}`);
    const createdAt = ctx.now().toISOString();
    const payload: OutboxPayload = { leadId: null, text: 'A test event from leadrouter', test: true, audience: { webhooks: [id] } };
    const outboxId = ctx.newId();
    await enqueueOutbox(trx, [{ id: outboxId, topic: WEBHOOK_TEST_TOPIC, payload, createdAt }]);
    await recordAudit(ctx, trx, principal, [{ action: 'webhook.test', entity: 'webhook', entityId: id, after: { outboxId, url: found.url } }]);
    return { outboxId, topic: WEBHOOK_TEST_TOPIC };
  });
}
