import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveFeed } from '../../src/app/notifications/live-feed.js';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

describe.each(DATABASE_KINDS)('a webhook test event on %s', (kind) => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let dispatcher: OutboxDispatcher;
  let secret = '';

  beforeEach(async () => {
    t = await startTestApp(kind);
    receiver = await startWebhookReceiver(() => secret);
    dispatcher = startOutboxDispatcher(t.ctx, { intervalMs: 3_600_000, liveFeed: new LiveFeed(t.ctx), deliver: { random: () => 0.5 } });
  });
  afterEach(async () => {
    await dispatcher.stop();
    await receiver.close();
    await t.close();
  });

  const subscribe = async (url: string, topics: string[]) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/webhooks', payload: { url, topics } });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; secret: string };
  };

  it('reaches only that webhook, signed, through the outbox; a failure shows its error and a retry sends it again', async () => {
    const hook = await subscribe(receiver.url, ['sla.breached']);
    secret = hook.secret;
    // Another webhook subscribed to everything does not get the test event.
    await subscribe(`${receiver.url}/other`, ['*']);

    const sent = await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` });
    expect(sent.statusCode, sent.body).toBe(202);
    const { outboxId, topic } = sent.json() as { outboxId: string; topic: string };
    expect(topic).toBe('webhook.test');
    const pending = await t.request({ method: 'GET', url: `/api/v1/deliveries?outboxId=${outboxId}` });
    expect(pending.json().items).toEqual([]);

    const report = await dispatcher.dispatchNow();
    expect(report.fanOut).toMatchObject({ messages: 1, deliveries: 1 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({ event: 'webhook.test', signatureValid: true, body: { id: outboxId, topic: 'webhook.test', payload: { leadId: null, test: true } } });
    expect(receiver.received[0]?.body.payload).not.toHaveProperty('audience');
    const delivered = (await t.request({ method: 'GET', url: `/api/v1/deliveries?outboxId=${outboxId}` })).json().items;
    expect(delivered).toMatchObject([{ channel: 'webhook', recipient: hook.id, status: 'delivered', topic: 'webhook.test' }]);

    // The receiver is down: the delivery waits with the error, and an admin's retry sends it.
    receiver.failNext(1, 503);
    const second = (await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` })).json().outboxId as string;
    await dispatcher.dispatchNow();
    const failed = (await t.request({ method: 'GET', url: `/api/v1/deliveries?outboxId=${second}` })).json().items[0];
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: 'The webhook answered 503' });
    const retried = await t.request({ method: 'POST', url: `/api/v1/deliveries/${failed.id}/retry` });
    expect(retried.statusCode, retried.body).toBe(200);
    await dispatcher.dispatchNow();
    expect(receiver.received).toHaveLength(2);
    expect((await t.request({ method: 'GET', url: `/api/v1/deliveries?outboxId=${second}` })).json().items[0].status).toBe('delivered');

    const audit = (await t.request({ method: 'GET', url: `/api/v1/audit?entity=webhook&entityId=${hook.id}` })).json().items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['webhook.test', 'webhook.test', 'webhook.create']);
  });

  it('answers 404 for an unknown webhook and 403 to anyone but an admin', async () => {
    const missing = await t.request({ method: 'POST', url: '/api/v1/webhooks/nope/test' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('LR_ERR_NOT_FOUND');
    const hook = await subscribe(receiver.url, ['*']);
    const qualifier = await t.signIn({ role: 'qualifier' });
    expect((await qualifier.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` })).statusCode).toBe(403);
  });
});
