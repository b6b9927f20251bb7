import type { AppContext } from '../../app-context.js';
import type { WebhookChannel } from './channel.js';
import { webhookSignature } from './webhook-signature.js';

/**
 * POSTs `{id, topic, payload, createdAt}` signed with the webhook's secret. Anything but a 2xx
 * answer within the timeout is a failed attempt; the receiver dedupes by X-Leadrouter-Delivery.
 */
export function webhookChannel(ctx: AppContext, options: { timeoutMs?: number } = {}): WebhookChannel {
  return {
    async send(attempt, webhook) {
      const body = JSON.stringify({ id: attempt.message.id, topic: attempt.message.topic, payload: attempt.message.payload, createdAt: attempt.message.createdAt });
      const timestamp = String(Math.floor(ctx.now().getTime() / 1000));
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'leadrouter-webhooks',
          'x-leadrouter-event': attempt.message.topic,
          'x-leadrouter-delivery': attempt.deliveryId,
          'x-leadrouter-timestamp': timestamp,
          'x-leadrouter-signature': webhookSignature(webhook.secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      // The answer body is not needed; drain it so the connection is reused.
      await response.arrayBuffer().catch(() => undefined);
      if (response.status < 200 || response.status > 299) throw new Error(`The webhook answered ${response.status}`);
    },
  };
}
