import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/access/principal.js';
import { createAppContext, type AppContext } from '../../src/app/app-context.js';
import type { ChannelSettings } from '../../src/app/notifications/channels/create-channels.js';
import { LiveFeed } from '../../src/app/notifications/live-feed.js';
import type { OutboxPayload, Topic } from '../../src/app/notifications/topics.js';
import { createWebhook } from '../../src/app/notifications/webhooks.js';
import { createUser } from '../../src/app/people/users.js';
import { openStore, type Store } from '../../src/store/database.js';
import { enqueueOutbox } from '../../src/store/journal-queries.js';
import { insertManagers, insertTeam } from '../../src/store/manager-queries.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { createPostgresDatabase, DATABASE_KINDS } from '../support/databases.js';
import { freePort } from '../support/free-port.js';
import { decodeMailHeader } from '../support/mail-header.js';
import { startSmtpServerProcess, type SmtpServerProcess } from '../support/smtp-server-process.js';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.js';
import { manager, setUpRouting, startTestApp, TEST_WEBHOOK_ALLOW_HOSTS, type TestApp, type TestUser } from '../support/test-app.js';
import { parseWebhookAllowList } from '../../src/app/notifications/webhook-target.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const START = new Date('2026-11-25T09:00:00Z');
const TOKEN = '123456:test-bot-token';

const RULE_SET = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'all', name: 'Everything to Anna', target: { kind: 'group', managers: ['anna'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

interface DeliveryRow {
  id: string;
  channel: string;
  recipient: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
}

async function deliveryRows(store: Store): Promise<DeliveryRow[]> {
  return await store.db.selectFrom('deliveries').select(['id', 'channel', 'recipient', 'status', 'attempts', 'next_attempt_at', 'last_error']).orderBy('channel').orderBy('recipient').execute();
}

function message(ctx: AppContext, topic: Topic, payload: OutboxPayload): Parameters<typeof enqueueOutbox>[1][number] {
  return { id: ctx.newId(), topic, payload, createdAt: ctx.now().toISOString() };
}

describe.each(DATABASE_KINDS)('notification dispatch on %s', (kind) => {
  let now: Date;
  let t: TestApp;
  let telegram: TelegramStub;
  let receiver: WebhookReceiver;
  let smtp: SmtpServerProcess | null;
  let dispatcher: OutboxDispatcher | null;
  let webhookSecret: string;
  let anna: TestUser;
  let head: TestUser;

  const settings = (smtpUrl: string | undefined): ChannelSettings => ({ smtpUrl, smtpFrom: 'leadrouter <robot@leadrouter.test>', telegramBotToken: TOKEN, telegramApiBaseUrl: telegram.baseUrl });
  const startDispatcher = (smtpUrl: string | undefined): OutboxDispatcher => {
    dispatcher = startOutboxDispatcher(t.ctx, { intervalMs: 3_600_000, settings: settings(smtpUrl), liveFeed: new LiveFeed(t.ctx), deliver: { random: () => 0.5 } });
    return dispatcher;
  };
  const advancePast = (iso: string): void => {
    now = new Date(Date.parse(iso) + 1000);
  };

  beforeEach(async () => {
    now = START;
    smtp = null;
    dispatcher = null;
    webhookSecret = '';
    t = await startTestApp(kind, { now: () => now });
    telegram = await startTelegramStub();
    receiver = await startWebhookReceiver(() => webhookSecret);
    await setUpRouting(t, { teams: [{ id: 'sales', name: 'Sales' }], managers: [manager('anna', { teamId: 'sales' }), manager('ivan', { teamId: 'sales' })], ruleSet: RULE_SET });
    anna = await t.signIn({ role: 'manager', managerId: 'anna', email: 'anna@example.test' });
    head = await t.signIn({ role: 'head', teamId: 'sales', email: 'head@example.test' });
  });
  afterEach(async () => {
    await dispatcher?.stop();
    await smtp?.stop();
    await telegram.close();
    await receiver.close();
    await t.close();
  });

  const subscribeWebhook = async (topics: string[]): Promise<string> => {
    const created = await t.request({ method: 'POST', url: '/api/v1/webhooks', payload: { url: receiver.url, topics } });
    expect(created.statusCode).toBe(201);
    webhookSecret = created.json().secret;
    return created.json().id;
  };

  it("takes a new lead to its owner in-app, by e-mail and on Telegram as they chose, and to a subscribed webhook signed", async () => {
    smtp = await startSmtpServerProcess();
    expect((await anna.request({ method: 'PUT', url: '/api/v1/me/telegram', payload: { chatId: '4242' } })).statusCode).toBe(200);
    const prefs = await anna.request({ method: 'PUT', url: '/api/v1/me/notification-preferences', payload: { topics: { 'lead.assigned': ['in_app', 'email', 'telegram'] } } });
    expect(prefs.json().topics['lead.assigned']).toEqual(['in_app', 'email', 'telegram']);
    await subscribeWebhook(['lead.assigned']);
    const other = await t.request({ method: 'POST', url: '/api/v1/webhooks', payload: { url: `${receiver.url}/other`, topics: ['sla.breached'], secret: 'another-secret-of-16+' } });
    expect(other.statusCode).toBe(201);

    const lead = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Acme Order', phone: '+79161234567', source: 'web' } });
    expect(lead.json().lead.ownerId).toBe('anna');
    const leadId = lead.json().lead.id as string;

    const report = await startDispatcher(smtp.url).dispatchNow();
    expect(report.fanOut).toMatchObject({ messages: 1, deliveries: 4, deferred: 0 });
    expect(report.delivery).toEqual({ delivered: 4, retried: 0, failed: 0, postponed: 0, claimLost: 0 });

    const [mail] = await smtp.waitForMessages(1);
    expect(mail?.to).toEqual(['anna@example.test']);
    // Anna chose no language: she reads Russian.
    expect(decodeMailHeader(mail?.headers.subject)).toBe('Новый лид: Acme Order (web)');
    expect(mail?.headers['x-leadrouter-event']).toBe('lead.assigned');
    expect(mail?.body).toContain(leadId);

    expect(telegram.sent).toEqual([{ token: TOKEN, chatId: '4242', text: expect.stringContaining('Acme Order') }]);

    expect(receiver.received).toHaveLength(1);
    const hook = receiver.received[0];
    expect(hook?.signatureValid).toBe(true);
    expect(hook?.event).toBe('lead.assigned');
    expect(hook?.body).toMatchObject({ topic: 'lead.assigned', payload: { leadId, managerId: 'anna' } });
    expect(hook?.body.payload).not.toHaveProperty('audience');

    const inbox = (await anna.request({ method: 'GET', url: '/api/v1/notifications' })).json();
    expect(inbox.unreadCount).toBe(1);
    expect(inbox.items[0]).toMatchObject({ topic: 'lead.assigned', leadId, text: expect.stringContaining('Acme Order'), readAt: null });
    // The head was not in this message's audience.
    expect((await head.request({ method: 'GET', url: '/api/v1/notifications' })).json().items).toEqual([]);

    // Nothing is sent twice.
    const again = await dispatcher!.dispatchNow();
    expect(again.fanOut.messages + again.delivery.delivered).toBe(0);
    expect(smtp.messages()).toHaveLength(1);
    expect(telegram.sent).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('respects each person’s channel choices per event type, defaults included', async () => {
    smtp = await startSmtpServerProcess();
    await anna.request({ method: 'PUT', url: '/api/v1/me/telegram', payload: { chatId: 4242 } });
    // Anna wants breaches in the app only, and nothing at all about warnings.
    const put = await anna.request({ method: 'PUT', url: '/api/v1/me/notification-preferences', payload: { topics: { 'sla.breached': ['in_app'], 'sla.warning': [] } } });
    expect(put.statusCode).toBe(200);
    expect(put.json().topics).toMatchObject({ 'sla.breached': ['in_app'], 'sla.warning': [], 'lead.assigned': ['in_app', 'email'] });

    await enqueueOutbox(t.store.db, [
      message(t.ctx, 'sla.breached', { leadId: null, text: 'SLA breached on Acme', audience: { managers: ['anna'], headsOf: ['anna'] } }),
      message(t.ctx, 'sla.warning', { leadId: null, text: 'SLA soon due on Acme', audience: { managers: ['anna'] } }),
    ]);
    await startDispatcher(smtp.url).dispatchNow();

    const rows = await deliveryRows(t.store);
    // The head gets the default for a breach (in-app and e-mail); Telegram was never chosen by default.
    expect(rows.map((r) => `${r.recipient === anna.id ? 'anna' : 'head'}:${r.channel}`).sort()).toEqual(['anna:in_app', 'head:email', 'head:in_app']);
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    expect(smtp.messages().map((m) => m.to)).toEqual([['head@example.test']]);
    expect(telegram.calls).toEqual([]);

    // null returns a topic to its default.
    const reset = await anna.request({ method: 'PUT', url: '/api/v1/me/notification-preferences', payload: { topics: { 'sla.breached': null } } });
    expect(reset.json().topics['sla.breached']).toEqual(['in_app', 'email']);
    expect(reset.json().topics['sla.warning']).toEqual([]);
  });

  it('keeps e-mail waiting while the SMTP server is down and delivers it once the server is back', async () => {
    const port = await freePort();
    const d = startDispatcher(`smtp://127.0.0.1:${port}`);
    await enqueueOutbox(t.store.db, [message(t.ctx, 'lead.assigned', { leadId: null, text: 'First lead', audience: { managers: ['anna'] } })]);

    // Not started yet: the attempt fails and a retry is scheduled.
    const first = await d.dispatchNow();
    expect(first.delivery).toMatchObject({ delivered: 1, retried: 1 });
    let email = (await deliveryRows(t.store)).find((r) => r.channel === 'email');
    expect(email).toMatchObject({ status: 'pending', attempts: 1 });
    expect(email?.last_error).toBeTruthy();
    expect(Date.parse(email!.next_attempt_at) - now.getTime()).toBe(10_000);

    // Not due yet: nothing is tried.
    expect((await d.dispatchNow()).delivery).toEqual({ delivered: 0, retried: 0, failed: 0, postponed: 0, claimLost: 0 });

    smtp = await startSmtpServerProcess(port);
    advancePast(email!.next_attempt_at);
    expect((await d.dispatchNow()).delivery).toMatchObject({ delivered: 1 });
    expect((await smtp.waitForMessages(1)).map((m) => m.headers.subject)).toEqual(['First lead']);
    email = (await deliveryRows(t.store)).find((r) => r.channel === 'email');
    expect(email).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });

    // Stopped again: the next message waits, with a longer backoff after each failure.
    await smtp.stop();
    await enqueueOutbox(t.store.db, [message(t.ctx, 'lead.assigned', { leadId: null, text: 'Second lead', audience: { managers: ['anna'] } })]);
    await d.dispatchNow();
    const waiting = (): Promise<DeliveryRow | undefined> => deliveryRows(t.store).then((rows) => rows.find((r) => r.channel === 'email' && r.status === 'pending'));
    const afterOne = await waiting();
    advancePast(afterOne!.next_attempt_at);
    await d.dispatchNow();
    const afterTwo = await waiting();
    expect(afterTwo?.attempts).toBe(2);
    expect(Date.parse(afterTwo!.next_attempt_at) - now.getTime()).toBe(20_000);

    smtp = await startSmtpServerProcess(port);
    advancePast(afterTwo!.next_attempt_at);
    expect((await d.dispatchNow()).delivery).toMatchObject({ delivered: 1 });
    expect((await smtp.waitForMessages(1)).map((m) => m.headers.subject)).toEqual(['Second lead']);
    expect(await waiting()).toBeUndefined();
  });

  it('retries Telegram when the Bot API answers 500 or {"ok": false}, and sends the message once', async () => {
    await anna.request({ method: 'PUT', url: '/api/v1/me/telegram', payload: { chatId: '4242' } });
    await anna.request({ method: 'PUT', url: '/api/v1/me/notification-preferences', payload: { topics: { 'lead.assigned': ['telegram'] } } });
    telegram.failNext(1, { status: 500 });
    const d = startDispatcher(undefined);
    await enqueueOutbox(t.store.db, [message(t.ctx, 'lead.assigned', { leadId: null, text: 'Lead for the bot', audience: { managers: ['anna'] } })]);

    expect((await d.dispatchNow()).delivery).toMatchObject({ retried: 1 });
    let [row] = await deliveryRows(t.store);
    expect(row).toMatchObject({ channel: 'telegram', status: 'pending', attempts: 1 });
    expect(row?.last_error).toContain('500');

    telegram.failNext(1, { status: 200, description: 'Bad Request: chat not found' });
    advancePast(row!.next_attempt_at);
    expect((await d.dispatchNow()).delivery).toMatchObject({ retried: 1 });
    [row] = await deliveryRows(t.store);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row?.last_error).toContain('chat not found');

    advancePast(row!.next_attempt_at);
    expect((await d.dispatchNow()).delivery).toMatchObject({ delivered: 1 });
    expect(telegram.calls).toHaveLength(3);
    expect(telegram.sent).toEqual([{ token: TOKEN, chatId: '4242', text: 'Lead for the bot' }]);
  });

  it('leaves e-mail pending with a clear reason when SMTP is not configured, without using up its retries', async () => {
    const d = startDispatcher(undefined);
    await enqueueOutbox(t.store.db, [message(t.ctx, 'lead.assigned', { leadId: null, text: 'Nobody to mail it', audience: { managers: ['anna'] } })]);
    expect((await d.dispatchNow()).delivery).toMatchObject({ delivered: 1, postponed: 1 });
    const email = (await deliveryRows(t.store)).find((r) => r.channel === 'email');
    expect(email).toMatchObject({ status: 'pending', attempts: 0 });
    expect(email?.last_error).toMatch(/SMTP_URL/);
  });

  it('marks a delivery failed after the last retry, shows it to admins, and sends it when retried by hand', async () => {
    const webhookId = await subscribeWebhook(['*']);
    receiver.failNext(1000, 503);
    const d = startDispatcher(undefined);
    await enqueueOutbox(t.store.db, [message(t.ctx, 'transfer.requested', { leadId: null, text: 'Transfer requested', audience: {} })]);

    for (let attempt = 1; attempt <= 20; attempt++) {
      await d.dispatchNow();
      const [row] = await deliveryRows(t.store);
      expect(row?.attempts).toBe(attempt);
      if (attempt < 20) {
        expect(row?.status).toBe('pending');
        // Backoff doubles from 10 s and stays within an hour.
        expect(Date.parse(row!.next_attempt_at) - now.getTime()).toBe(Math.min(10_000 * 2 ** (attempt - 1), 3_600_000));
        advancePast(row!.next_attempt_at);
      }
    }
    const failed = (await t.request({ method: 'GET', url: '/api/v1/deliveries?status=failed' })).json();
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]).toMatchObject({ channel: 'webhook', recipient: webhookId, status: 'failed', attempts: 20, lastError: 'The webhook answered 503', text: 'Transfer requested' });
    // A manager may not see or retry deliveries.
    expect((await anna.request({ method: 'GET', url: '/api/v1/deliveries' })).statusCode).toBe(403);

    receiver.failNext(0, 503);
    const retried = await t.request({ method: 'POST', url: `/api/v1/deliveries/${failed.items[0].id}/retry` });
    expect(retried.json()).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await d.dispatchNow()).delivery).toMatchObject({ delivered: 1 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.signatureValid).toBe(true);
    expect((await t.request({ method: 'POST', url: `/api/v1/deliveries/${failed.items[0].id}/retry` })).statusCode).toBe(409);
    expect((await t.request({ method: 'POST', url: '/api/v1/deliveries/nope/retry' })).statusCode).toBe(404);
  });

  it('runs by itself every intervalMs until stopped', async () => {
    dispatcher = startOutboxDispatcher(t.ctx, { intervalMs: 50, settings: settings(undefined), liveFeed: new LiveFeed(t.ctx) });
    await enqueueOutbox(t.store.db, [message(t.ctx, 'sla.warning', { leadId: null, text: 'On its own', audience: { managers: ['anna'] } })]);
    const deadline = Date.now() + 5_000;
    while (!(await deliveryRows(t.store)).some((r) => r.status === 'delivered')) {
      if (Date.now() > deadline) throw new Error('the dispatcher did not deliver on its own');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await anna.request({ method: 'GET', url: '/api/v1/notifications' })).json().items.map((n: { text: string }) => n.text)).toEqual(['On its own']);
  });

  it('fails the waiting deliveries of a deleted webhook instead of keeping them forever', async () => {
    const webhookId = await subscribeWebhook(['lead.assigned']);
    receiver.failNext(1, 500);
    const d = startDispatcher(undefined);
    await enqueueOutbox(t.store.db, [message(t.ctx, 'lead.assigned', { leadId: null, text: 'x', audience: {} })]);
    await d.dispatchNow();
    expect((await t.request({ method: 'DELETE', url: `/api/v1/webhooks/${webhookId}` })).statusCode).toBe(204);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/webhooks/${webhookId}` })).statusCode).toBe(404);
    const [row] = await deliveryRows(t.store);
    expect(row).toMatchObject({ status: 'failed', last_error: 'The webhook was deleted' });
    expect((await t.request({ method: 'GET', url: '/api/v1/webhooks' })).json().items).toEqual([]);
  });
});

describe('two dispatchers on one PostgreSQL database', () => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  it('make every delivery exactly once', async () => {
    const url = await createPostgresDatabase();
    const a = openStore({ kind: 'postgres', url, poolSize: 4 });
    const b = openStore({ kind: 'postgres', url, poolSize: 4 });
    stores.push(a, b);
    const { error } = await migrateToLatest(a);
    if (error) throw error;
    const config = { defaultCountry: 'RU', intakeMaxBatch: 500, webhookAllowList: parseWebhookAllowList(TEST_WEBHOOK_ALLOW_HOSTS) };
    const ctxA = createAppContext(a, config);
    const ctxB = createAppContext(b, config);
    const at = ctxA.now().toISOString();
    await insertTeam(a.db, { id: 'sales', name: 'Sales' }, at);
    await insertManagers(a.db, [manager('anna', { teamId: 'sales' }), manager('ivan', { teamId: 'sales' })], at);
    const people = [
      await createUser(ctxA, SYSTEM('test'), { email: 'anna@example.test', name: 'Anna', password: 'long enough password', role: 'manager', managerId: 'anna' }),
      await createUser(ctxA, SYSTEM('test'), { email: 'ivan@example.test', name: 'Ivan', password: 'long enough password', role: 'manager', managerId: 'ivan' }),
    ];
    await a.db.updateTable('users').set({ telegram_chat_id: '777', notification_prefs: JSON.stringify({ 'lead.assigned': ['in_app', 'email', 'telegram'] }) }).execute();

    const smtp = await startSmtpServerProcess();
    const telegram = await startTelegramStub();
    let secret = '';
    const receiver = await startWebhookReceiver(() => secret);
    try {
      const hook = await createWebhook(ctxA, SYSTEM('test'), { url: receiver.url, topics: ['*'] });
      secret = hook.secret;
      const messages = Array.from({ length: 40 }, (_, i) => message(ctxA, 'lead.assigned', { leadId: null, text: `Lead ${i}`, audience: { managers: [i % 2 === 0 ? 'anna' : 'ivan'] } }));
      await enqueueOutbox(a.db, messages);

      // Twenty messages a chat at once: Telegram's per-chat pace (test/http/telegram-bot.test.ts) is off here.
      const settings: ChannelSettings = { smtpUrl: smtp.url, smtpFrom: 'robot@leadrouter.test', telegramBotToken: TOKEN, telegramApiBaseUrl: telegram.baseUrl, telegramPace: { perChatMs: 0, perChatBurst: 1, globalGapMs: 0, maxWaitMs: 0 } };
      const small = { fanOut: { limit: 5 }, deliver: { limit: 10 } };
      const one = startOutboxDispatcher(ctxA, { intervalMs: 3_600_000, settings, liveFeed: new LiveFeed(ctxA), ...small });
      const two = startOutboxDispatcher(ctxB, { intervalMs: 3_600_000, settings, liveFeed: new LiveFeed(ctxB), ...small });
      try {
        const drain = async (d: OutboxDispatcher): Promise<number> => {
          let sent = 0;
          for (let i = 0; i < 60; i++) {
            const r = await d.dispatchNow();
            expect(r.delivery.retried + r.delivery.failed + r.fanOut.deferred).toBe(0);
            sent += r.delivery.delivered;
          }
          return sent;
        };
        const [byOne, byTwo] = await Promise.all([drain(one), drain(two)]);
        // Both took part: the work was shared, not done by one while the other idled.
        expect(byOne).toBeGreaterThan(0);
        expect(byTwo).toBeGreaterThan(0);
        expect(byOne + byTwo).toBe(160);
      } finally {
        await one.stop();
        await two.stop();
      }

      const rows = await a.db.selectFrom('deliveries').select(['id', 'channel', 'status']).execute();
      // 40 messages × (in-app, e-mail, Telegram) + 40 webhook calls.
      expect(rows).toHaveLength(160);
      expect(rows.every((r) => r.status === 'delivered')).toBe(true);
      const once = (ids: string[]): void => {
        expect(ids.length).toBe(new Set(ids).size);
      };
      const ofChannel = (channel: string): string[] => rows.filter((r) => r.channel === channel).map((r) => r.id).sort();

      await smtp.waitForMessages(40);
      const mailed = smtp.messages().map((m) => m.headers['x-leadrouter-delivery'] as string);
      once(mailed);
      expect(mailed.sort()).toEqual(ofChannel('email'));

      expect(telegram.sent).toHaveLength(40);
      once(telegram.sent.map((c) => c.text));

      const hooked = receiver.received.map((r) => r.deliveryId);
      once(hooked);
      expect(hooked.sort()).toEqual(ofChannel('webhook'));
      expect(receiver.received.every((r) => r.signatureValid)).toBe(true);

      const inbox = await a.db.selectFrom('notifications').select(['id', 'user_id']).execute();
      expect(inbox.map((n) => n.id).sort()).toEqual(ofChannel('in_app'));
      expect(inbox.filter((n) => n.user_id === people[0]?.id)).toHaveLength(20);
    } finally {
      await smtp.stop();
      await telegram.close();
      await receiver.close();
    }
  });
});
