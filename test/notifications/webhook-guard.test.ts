import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/access/principal.js';
import { loadConfig } from '../../src/app/config.js';
import { LiveFeed } from '../../src/app/notifications/live-feed.js';
import { forbiddenAddressKind, parseWebhookAllowList, refusedAddress } from '../../src/app/notifications/webhook-target.js';
import { createWebhook } from '../../src/app/notifications/webhooks.js';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

describe('which webhook addresses are refused', () => {
  it('knows loopback, private, link-local, CGNAT, multicast and unspecified addresses, IPv4 inside IPv6 too', () => {
    const kinds: Record<string, string | null> = {
      '127.0.0.1': 'loopback', '127.8.9.10': 'loopback', '::1': 'loopback', '::ffff:127.0.0.1': 'loopback', '::ffff:7f00:1': 'loopback', '64:ff9b::a00:1': 'private',
      '10.1.2.3': 'private', '172.16.0.1': 'private', '172.31.255.255': 'private', '192.168.1.1': 'private', 'fd12:3456::1': 'private',
      '169.254.169.254': 'link-local', 'fe80::1': 'link-local', '100.64.0.1': 'carrier-grade NAT', '100.127.255.254': 'carrier-grade NAT',
      '224.0.0.1': 'multicast', 'ff02::1': 'multicast', '0.0.0.0': 'unspecified', '::': 'unspecified', '255.255.255.255': 'reserved',
      '93.184.216.34': null, '172.32.0.1': null, '100.128.0.1': null, '8.8.8.8': null, '2606:4700:4700::1111': null, '::ffff:8.8.8.8': null,
    };
    for (const [address, kind] of Object.entries(kinds)) expect(forbiddenAddressKind(address), address).toBe(kind);
  });

  it('lets an allow-list of addresses and ranges through, and refuses a malformed one at start', () => {
    const allow = parseWebhookAllowList('10.0.0.0/8, ::1, hooks.lan');
    expect(refusedAddress('10.20.30.40', allow)).toBeNull();
    expect(refusedAddress('::1', allow)).toBeNull();
    expect(refusedAddress('::ffff:10.0.0.1', allow)).toBeNull();
    expect(refusedAddress('192.168.0.1', allow)).toMatch(/192\.168\.0\.1 is a private address; webhooks may not reach it unless WEBHOOK_ALLOW_HOSTS names it/);
    expect(allow.hosts.has('hooks.lan')).toBe(true);
    expect(() => loadConfig({ WEBHOOK_ALLOW_HOSTS: '10.0.0.0/99' })).toThrow(/WEBHOOK_ALLOW_HOSTS/);
    expect(() => loadConfig({ WEBHOOK_ALLOW_HOSTS: 'http://x' })).toThrow(/WEBHOOK_ALLOW_HOSTS/);
    expect(loadConfig({}).webhookAllowList.entries).toEqual([]);
  });
});

describe.each(DATABASE_KINDS)('the webhook address guard on %s', (kind) => {
  let t: TestApp | undefined;
  let receiver: WebhookReceiver | undefined;
  let dispatcher: OutboxDispatcher | undefined;
  afterEach(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await t?.close();
    t = receiver = dispatcher = undefined;
  });

  const start = async (allow: string) => {
    t = await startTestApp(kind, { webhookAllowHosts: allow });
    receiver = await startWebhookReceiver(() => '');
    dispatcher = startOutboxDispatcher(t.ctx, { intervalMs: 3_600_000, liveFeed: new LiveFeed(t.ctx), deliver: { random: () => 0.5 } });
    return { t, receiver, dispatcher, port: new URL(receiver.url).port };
  };

  it('refuses a private, local or multicast target at creation with a 400 naming the address, a name resolving to one included', async () => {
    const { t } = await start('');
    for (const url of [
      'http://127.0.0.1:8080/hook', 'http://10.1.2.3/hook', 'http://172.16.5.4/', 'http://192.168.0.10/', 'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/', 'http://[::1]:8080/', 'http://[fd00::1]/', 'http://[fe80::1]/', 'http://224.0.0.251/', 'http://0.0.0.0:3000/', 'http://[::ffff:127.0.0.1]/',
      'http://localhost:8080/hook',
    ]) {
      const res = await t.request({ method: 'POST', url: '/api/v1/webhooks', payload: { url } });
      expect(res.statusCode, url).toBe(400);
      const error = res.json().error;
      expect(error.code).toBe('LR_ERR_VALIDATION');
      expect(error.details).toMatchObject([{ path: 'url', code: 'forbidden_address', message: expect.stringMatching(/address; webhooks may not reach it unless WEBHOOK_ALLOW_HOSTS names it/) }]);
    }
    const byName = (await t.request({ method: 'POST', url: '/api/v1/webhooks', payload: { url: 'http://localhost:8080/hook' } })).json().error.message;
    expect(byName).toMatch(/localhost resolves to (127\.0\.0\.1|::1) is a loopback address/);
    // Public addresses, and names that do not resolve now (checked again at delivery), are accepted.
    for (const url of ['http://93.184.216.34/hook', 'https://hooks.example.test/lead']) {
      expect((await t.request({ method: 'POST', url: '/api/v1/webhooks', payload: { url } })).statusCode, url).toBe(201);
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/webhooks' })).json().items).toHaveLength(2);
  });

  it('checks the address again when delivering: a name that now resolves to loopback is refused, and the delivery fails at once', async () => {
    const { t, receiver, dispatcher, port } = await start('');
    // Made while the name still pointed elsewhere (here: by a process whose allow-list named it).
    const hook = await createWebhook({ ...t.ctx, config: { ...t.ctx.config, webhookAllowList: parseWebhookAllowList('localhost') } }, SYSTEM('test'), { url: `http://localhost:${port}/hooks/leadrouter`, topics: ['*'] });
    const { outboxId } = (await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` })).json() as { outboxId: string };
    await dispatcher.dispatchNow();
    expect(receiver.received).toEqual([]);
    const [delivery] = (await t.request({ method: 'GET', url: `/api/v1/deliveries?outboxId=${outboxId}` })).json().items;
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/^Refused: localhost resolves to (127\.0\.0\.1|::1) is a loopback address/) });
  });

  it('refuses a stored literal loopback target at delivery too', async () => {
    const { t, receiver, dispatcher } = await start('');
    const hook = await createWebhook({ ...t.ctx, config: { ...t.ctx.config, webhookAllowList: parseWebhookAllowList('127.0.0.1') } }, SYSTEM('test'), { url: receiver.url, topics: ['*'] });
    const { outboxId } = (await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` })).json() as { outboxId: string };
    await dispatcher.dispatchNow();
    expect(receiver.received).toEqual([]);
    const [delivery] = (await t.request({ method: 'GET', url: `/api/v1/deliveries?outboxId=${outboxId}` })).json().items;
    expect(delivery).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^Refused: 127\.0\.0\.1 is a loopback address/) });
  });

  it('delivers to an allow-listed loopback host, by name or by address range, and does not follow a redirect', async () => {
    const { t, receiver, dispatcher, port } = await start('localhost, 127.0.0.0/8');
    const byName = (await t.request({ method: 'POST', url: '/api/v1/webhooks', payload: { url: `http://localhost:${port}/hooks/leadrouter` } })).json() as { id: string };
    const byRange = (await t.request({ method: 'POST', url: '/api/v1/webhooks', payload: { url: receiver.url } })).json() as { id: string };
    for (const hook of [byName, byRange]) expect((await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` })).statusCode).toBe(202);
    await dispatcher.dispatchNow();
    expect(receiver.received).toHaveLength(2);

    receiver.failNext(1, 302);
    const { outboxId } = (await t.request({ method: 'POST', url: `/api/v1/webhooks/${byRange.id}/test` })).json() as { outboxId: string };
    await dispatcher.dispatchNow();
    const [delivery] = (await t.request({ method: 'GET', url: `/api/v1/deliveries?outboxId=${outboxId}` })).json().items;
    expect(delivery).toMatchObject({ status: 'pending', lastError: 'The webhook answered 302; redirects are not followed' });
  });
});
