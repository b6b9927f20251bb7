import { Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { AppContext } from '../../app-context.js';
import { EMPTY_ALLOW_LIST, guardedLookup, hostOf, refusedAddress, WebhookTargetRefused } from '../webhook-target.js';
import { Undeliverable, Unreachable, type WebhookChannel } from './channel.js';
import { webhookSignature } from './webhook-signature.js';

/**
 * POSTs `{id, topic, payload, createdAt}` signed with the webhook's secret. Anything but a 2xx
 * answer within the timeout is a failed attempt; the receiver dedupes by X-Leadrouter-Delivery.
 * Redirects are not followed (a 3xx is a failed attempt). The connection's own DNS lookup
 * refuses loopback, private, link-local, CGNAT and multicast addresses unless WEBHOOK_ALLOW_HOSTS
 * names the host or the address, so a name that resolves elsewhere by the time of delivery is
 * caught too; such a delivery fails at once (retrying cannot help).
 */
export function webhookChannel(ctx: AppContext, options: { timeoutMs?: number } = {}): WebhookChannel {
  const allow = ctx.config.webhookAllowList ?? EMPTY_ALLOW_LIST;
  const lookup = guardedLookup(allow);
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 16 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }) };
  return {
    async send(attempt, webhook) {
      const url = new URL(webhook.url);
      const host = hostOf(url);
      const trusted = allow.hosts.has(host);
      if (!trusted && isIP(host)) {
        const refusal = refusedAddress(host, allow);
        if (refusal) throw new Undeliverable(`Refused: ${refusal}`);
      }
      const body = JSON.stringify({ id: attempt.message.id, topic: attempt.message.topic, payload: attempt.message.payload, createdAt: attempt.message.createdAt });
      const timestamp = String(Math.floor(ctx.now().getTime() / 1000));
      const https = url.protocol === 'https:';
      const requestOptions: RequestOptions = {
        method: 'POST',
        agent: https ? agents.https : agents.http,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'leadrouter-webhooks',
          'x-leadrouter-event': attempt.message.topic,
          'x-leadrouter-delivery': attempt.deliveryId,
          'x-leadrouter-timestamp': timestamp,
          'x-leadrouter-signature': webhookSignature(webhook.secret, timestamp, body),
        },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        ...(trusted ? {} : { lookup }),
      };
      let status: number;
      try {
        status = await new Promise<number>((resolve, reject) => {
          const req = (https ? httpsRequest : httpRequest)(url, requestOptions, (res) => {
            // The answer body is not needed; drain it so the connection is reused.
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
            res.on('error', reject);
          });
          req.on('error', reject);
          req.end(body);
        });
      } catch (error) {
        if (error instanceof WebhookTargetRefused) throw new Undeliverable(`Refused: ${error.message}`);
        // No answer (refused, reset, timed out, no such host): the receiver is down.
        throw new Unreachable(error);
      }
      if (status >= 300 && status <= 399) throw new Error(`The webhook answered ${status}; redirects are not followed`);
      if (status < 200 || status > 299) throw new Error(`The webhook answered ${status}`);
    },
  };
}
