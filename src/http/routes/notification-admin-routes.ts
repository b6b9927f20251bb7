import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { deliveries, retryDelivery } from '../../app/notifications/delivery-admin.js';
import { createWebhook, removeWebhook, sendTestEvent, webhookInputSchema, webhooks } from '../../app/notifications/webhooks.js';
import { errorBodySchema } from '../error-schema.js';

const webhookView = z.object({ id: z.string(), url: z.string(), topics: z.array(z.string()), active: z.boolean(), createdAt: z.string() });
const deliveryView = z.object({
  id: z.string(),
  outboxId: z.string(),
  topic: z.string(),
  channel: z.string(),
  recipient: z.string(),
  text: z.string().nullable(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
const idParams = z.object({ id: z.string().min(1).max(100) });
const deliveryQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  channel: z.enum(['in_app', 'email', 'telegram', 'webhook', 'crm']).optional(),
  outboxId: z.string().max(100).optional(),
  before: z.string().max(100).optional().describe('nextBefore of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Outgoing webhooks and the delivery log: admins only. */
export function notificationAdminRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/v1/webhooks', { config: { scope: 'admin' }, schema: { tags: ['notifications'], summary: 'Subscribed webhooks (secrets are not shown)', response: { 200: z.object({ items: z.array(webhookView) }) } } }, async () => ({
      items: await webhooks(ctx),
    }));
    app.post(
      '/api/v1/webhooks',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['notifications'],
          summary: 'Subscribe a URL to events; each POST is signed with HMAC-SHA256 (see the README)',
          description: 'The answer holds the signing secret; it is not shown again.',
          body: webhookInputSchema,
          response: { 201: webhookView.extend({ secret: z.string() }) },
        },
      },
      async (request, reply) => reply.code(201).send(await createWebhook(ctx, request.principal, request.body)),
    );
    app.delete(
      '/api/v1/webhooks/:id',
      { config: { scope: 'admin' }, schema: { tags: ['notifications'], summary: 'Unsubscribe; its waiting deliveries are marked failed', params: idParams, response: { 204: z.null(), 404: errorBodySchema } } },
      async (request, reply) => {
        await removeWebhook(ctx, request.principal, request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/webhooks/:id/test',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['notifications'],
          summary: 'Send the webhook a signed test event (topic webhook.test) through the outbox, as real events go',
          description: 'Answers at once; the delivery shows in GET /api/v1/deliveries?outboxId=… (pending, delivered or failed with the last error).',
          params: idParams,
          response: { 202: z.object({ outboxId: z.string(), topic: z.string() }), 404: errorBodySchema },
        },
      },
      async (request, reply) => reply.code(202).send(await sendTestEvent(ctx, request.principal, request.params.id)),
    );

    app.get(
      '/api/v1/deliveries',
      {
        config: { scope: 'admin' },
        schema: { tags: ['notifications'], summary: 'Notification deliveries, newest first: what was sent, what waits for a retry, what failed', querystring: deliveryQuery, response: { 200: z.object({ items: z.array(deliveryView), nextBefore: z.string().nullable() }) } },
      },
      async (request) => await deliveries(ctx, request.query),
    );
    app.post(
      '/api/v1/deliveries/:id/retry',
      { config: { scope: 'admin' }, schema: { tags: ['notifications'], summary: 'Send a failed delivery again, with a fresh set of retries', params: idParams, response: { 200: deliveryView, 404: errorBodySchema, 409: errorBodySchema } } },
      async (request) => await retryDelivery(ctx, request.principal, request.params.id),
    );
  };
}
