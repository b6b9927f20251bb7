import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/access/principal.js';
import { createAppContext } from '../../src/app/app-context.js';
import { LiveFeed } from '../../src/app/notifications/live-feed.js';
import type { Topic } from '../../src/app/notifications/topics.js';
import { createUser } from '../../src/app/people/users.js';
import { buildApp } from '../../src/http/build-app.js';
import { enqueueOutbox } from '../../src/store/journal-queries.js';
import { insertManagers } from '../../src/store/manager-queries.js';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { DATABASE_KINDS, freshStore } from '../support/databases.js';
import { openSseStream, type SseStream } from '../support/sse-client.js';
import { manager, setUpRouting, startTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app.js';

const RULE_SET = { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [], fallback: { kind: 'pool' } };

describe.each(DATABASE_KINDS)('notifications API on %s', (kind) => {
  let now: Date;
  let t: TestApp;
  let anna: TestUser;
  let ivan: TestUser;
  let dispatcher: OutboxDispatcher;

  const tell = async (managerId: string, text: string, topic: Topic = 'lead.assigned'): Promise<void> => {
    await enqueueOutbox(t.store.db, [{ id: t.ctx.newId(), topic, payload: { leadId: `lead-${text}`, text, audience: { managers: [managerId] }, via: 'test' }, createdAt: now.toISOString() }]);
    await dispatcher.dispatchNow();
  };

  beforeEach(async () => {
    now = new Date('2026-11-25T09:00:00Z');
    t = await startTestApp(kind, { now: () => now });
    await setUpRouting(t, { managers: [manager('anna'), manager('ivan')], ruleSet: RULE_SET });
    anna = await t.signIn({ role: 'manager', managerId: 'anna' });
    ivan = await t.signIn({ role: 'manager', managerId: 'ivan' });
    // A dispatcher of its own, as if in another process: the app's streams find its rows by polling.
    dispatcher = startOutboxDispatcher(t.ctx, { intervalMs: 3_600_000, liveFeed: new LiveFeed(t.ctx) });
  });
  afterEach(async () => {
    await dispatcher.stop();
    await t.close();
  });

  it('lists a person’s own notifications newest first, pages them, filters unread and marks them read', async () => {
    for (const text of ['one', 'two', 'three']) {
      await tell('anna', text);
      now = new Date(now.getTime() + 60_000);
    }
    await tell('ivan', 'for ivan');

    const all = (await anna.request({ method: 'GET', url: '/api/v1/notifications' })).json();
    expect(all.items.map((n: { text: string }) => n.text)).toEqual(['three', 'two', 'one']);
    expect(all.unreadCount).toBe(3);
    expect(all.items[0]).toMatchObject({ topic: 'lead.assigned', leadId: 'lead-three', details: { via: 'test' }, readAt: null });

    const first = (await anna.request({ method: 'GET', url: '/api/v1/notifications?limit=2' })).json();
    expect(first.items.map((n: { text: string }) => n.text)).toEqual(['three', 'two']);
    const second = (await anna.request({ method: 'GET', url: `/api/v1/notifications?limit=2&cursor=${first.nextCursor}` })).json();
    expect(second.items.map((n: { text: string }) => n.text)).toEqual(['one']);
    expect(second.nextCursor).toBeNull();

    const read = await anna.request({ method: 'POST', url: `/api/v1/notifications/${all.items[1].id}/read` });
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).toBe(now.toISOString());
    const unread = (await anna.request({ method: 'GET', url: '/api/v1/notifications?unread=true' })).json();
    expect(unread.items.map((n: { text: string }) => n.text)).toEqual(['three', 'one']);
    expect(unread.unreadCount).toBe(2);

    // Someone else's notification is as missing as one that never was.
    expect((await ivan.request({ method: 'POST', url: `/api/v1/notifications/${all.items[0].id}/read` })).statusCode).toBe(404);
    expect((await ivan.request({ method: 'GET', url: '/api/v1/notifications' })).json().items.map((n: { text: string }) => n.text)).toEqual(['for ivan']);

    expect((await anna.request({ method: 'POST', url: '/api/v1/notifications/read-all' })).json()).toEqual({ marked: 2 });
    expect((await anna.request({ method: 'GET', url: '/api/v1/notifications' })).json().unreadCount).toBe(0);

    const badCursor = await anna.request({ method: 'GET', url: '/api/v1/notifications?cursor=garbage' });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.code).toBe('LR_ERR_INVALID_CURSOR');
  });

  it('documents the notification endpoints in the OpenAPI document', async () => {
    const doc = (await t.request({ method: 'GET', url: '/docs/json', key: null })).json<{ paths: Record<string, Record<string, unknown>> }>();
    for (const [path, methods] of Object.entries({
      '/api/v1/notifications': ['get'],
      '/api/v1/notifications/{id}/read': ['post'],
      '/api/v1/notifications/stream': ['get'],
      '/api/v1/me/notification-preferences': ['get', 'put'],
      '/api/v1/me/telegram': ['put'],
      '/api/v1/webhooks': ['get', 'post'],
      '/api/v1/webhooks/{id}': ['delete'],
      '/api/v1/deliveries': ['get'],
      '/api/v1/deliveries/{id}/retry': ['post'],
    })) {
      expect(Object.keys(doc.paths[path] ?? {}), path).toEqual(expect.arrayContaining(methods));
    }
  });

  it('refuses API keys on a person’s inbox and settings, and non-admins on webhooks and deliveries', async () => {
    for (const [method, url] of [['GET', '/api/v1/notifications'], ['GET', '/api/v1/notifications/stream'], ['GET', '/api/v1/me/notification-preferences']] as const) {
      const res = await t.request({ method, url });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('LR_ERR_FORBIDDEN');
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/notifications', key: null })).statusCode).toBe(401);
    expect((await anna.request({ method: 'GET', url: '/api/v1/webhooks' })).statusCode).toBe(403);
    expect((await anna.request({ method: 'POST', url: '/api/v1/webhooks', payload: { url: 'https://example.test/hook' } })).statusCode).toBe(403);
    expect((await anna.request({ method: 'POST', url: '/api/v1/deliveries/x/retry' })).statusCode).toBe(403);
  });

  it('validates preferences, Telegram chat ids and webhooks with the field named, and changes nothing', async () => {
    const before = (await anna.request({ method: 'GET', url: '/api/v1/me/notification-preferences' })).json();
    expect(before).toMatchObject({ email: anna.email, telegramChatId: null, topics: { 'lead.assigned': ['in_app', 'email'], 'lead.pooled': ['in_app'] } });
    expect(before.defaults).toEqual(before.topics);

    for (const payload of [{ topics: { 'lead.nonsense': ['in_app'] } }, { topics: { 'lead.assigned': ['pigeon'] } }, { topics: {}, extra: 1 }, {}]) {
      const res = await anna.request({ method: 'PUT', url: '/api/v1/me/notification-preferences', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('LR_ERR_VALIDATION');
    }
    for (const chatId of ['not a chat', '', '12 34', 1.5]) {
      expect((await anna.request({ method: 'PUT', url: '/api/v1/me/telegram', payload: { chatId } })).statusCode, String(chatId)).toBe(400);
    }
    expect((await anna.request({ method: 'GET', url: '/api/v1/me/notification-preferences' })).json()).toEqual(before);

    expect((await anna.request({ method: 'PUT', url: '/api/v1/me/telegram', payload: { chatId: '-100200300' } })).json().telegramChatId).toBe('-100200300');
    expect((await anna.request({ method: 'PUT', url: '/api/v1/me/telegram', payload: { chatId: null } })).json().telegramChatId).toBeNull();

    for (const payload of [{ url: 'ftp://example.test/hook' }, { url: 'not a url' }, { url: 'https://example.test/hook', topics: ['lead.nope'] }, { url: 'https://example.test/hook', secret: 'short' }, { url: 'https://example.test/hook', topics: [] }]) {
      const res = await t.request({ method: 'POST', url: '/api/v1/webhooks', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const ftp = await t.request({ method: 'POST', url: '/api/v1/webhooks', payload: { url: 'ftp://example.test/hook' } });
    expect(ftp.json().error.details.map((d: { path: string }) => d.path)).toEqual(['url']);
    const pigeon = await anna.request({ method: 'PUT', url: '/api/v1/me/notification-preferences', payload: { topics: { 'lead.assigned': ['pigeon'] } } });
    expect(pigeon.json().error.details[0].path).toMatch(/^topics\.lead\.assigned/);
    const created = await t.request({ method: 'POST', url: '/api/v1/webhooks', payload: { url: 'https://example.test/hook' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ url: 'https://example.test/hook', topics: ['*'], active: true, secret: expect.stringMatching(/^whsec_.{40,}/) });
    const listed = (await t.request({ method: 'GET', url: '/api/v1/webhooks' })).json().items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('secret');
  });

  it('streams new notifications to the signed-in person over SSE, including ones another process wrote, and what a reconnect missed', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const annaStream = await openSseStream(`${base}/api/v1/notifications/stream`, { cookie: anna.cookie });
    const ivanStream = await openSseStream(`${base}/api/v1/notifications/stream`, { cookie: ivan.cookie });
    try {
      expect(annaStream.status).toBe(200);
      expect(annaStream.headers['content-type']).toMatch(/^text\/event-stream/);

      await tell('anna', 'live one');
      const [event] = await annaStream.waitForEvents(1, 5_000);
      expect(event?.event).toBe('notification');
      const data = JSON.parse(event!.data);
      expect(data).toMatchObject({ topic: 'lead.assigned', text: 'live one', leadId: 'lead-live one', readAt: null });
      expect(event?.id).toBe(data.id);

      // Nothing of Anna's reached Ivan.
      expect(ivanStream.events).toEqual([]);

      annaStream.close();
      ivanStream.close();
      await new Promise((r) => setTimeout(r, 200));
      await tell('anna', 'while away');
      await tell('anna', 'also while away');
      // Later than a poll looks back: only Last-Event-ID can bring these.
      now = new Date(now.getTime() + 60_000);
      const resumed = await openSseStream(`${base}/api/v1/notifications/stream`, { cookie: anna.cookie, 'last-event-id': event!.id! });
      try {
        const missed = await resumed.waitForEvents(2, 5_000);
        expect(missed.map((e) => JSON.parse(e.data).text)).toEqual(['while away', 'also while away']);
      } finally {
        resumed.close();
      }
    } finally {
      annaStream.close();
      ivanStream.close();
    }
  });
});

describe.each(DATABASE_KINDS)('live stream sharing the dispatcher’s hub on %s', (kind) => {
  it('pushes a notification at once, without waiting for a poll, and ends open streams when the server closes', async () => {
    const store = await freshStore(kind);
    const ctx = createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 });
    // Polling so rare it cannot be what delivers the event.
    const liveFeed = new LiveFeed(ctx, { pollIntervalMs: 600_000 });
    const { app, intake } = await buildApp({ ctx, liveFeed });
    const dispatcher = startOutboxDispatcher(ctx, { intervalMs: 3_600_000, liveFeed });
    try {
      await insertManagers(store.db, [manager('anna')], ctx.now().toISOString());
      await createUser(ctx, SYSTEM('test'), { email: 'anna@example.test', name: 'Anna', password: TEST_PASSWORD, role: 'manager', managerId: 'anna' });
      const session = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'anna@example.test', password: TEST_PASSWORD } });
      const cookie = `lr_session=${session.cookies.find((c) => c.name === 'lr_session')?.value}`;
      await app.listen({ port: 0, host: '127.0.0.1' });
      const stream = await openSseStream(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/notifications/stream`, { cookie });
      await new Promise((r) => setTimeout(r, 100));

      await enqueueOutbox(store.db, [{ id: ctx.newId(), topic: 'transfer.decided', payload: { leadId: null, text: 'Transfer approved', audience: { managers: ['anna'] } }, createdAt: ctx.now().toISOString() }]);
      await dispatcher.dispatchNow();
      const [event] = await stream.waitForEvents(1, 2_000);
      expect(JSON.parse(event!.data)).toMatchObject({ topic: 'transfer.decided', text: 'Transfer approved' });
      expect(liveFeed.listenerCount()).toBe(1);

      await app.close();
      await stream.ended;
      expect(liveFeed.listenerCount()).toBe(0);
    } finally {
      await dispatcher.stop();
      await app.close();
      await intake.idle();
      await store.close();
    }
  });
});

describe.each(DATABASE_KINDS)('live stream ending with its session on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let dispatcher: OutboxDispatcher;

  const streamOf = async (user: TestUser): Promise<SseStream> => await openSseStream(`${base}/api/v1/notifications/stream`, { cookie: user.cookie });
  const endsWithin = async (stream: SseStream, ms: number): Promise<boolean> =>
    await Promise.race([stream.ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

  beforeEach(async () => {
    // Heartbeats (and session checks) every 100 ms instead of 15 s.
    t = await startTestApp(kind, { streamHeartbeatMs: 100 });
    await setUpRouting(t, { managers: [manager('anna'), manager('ivan')], ruleSet: RULE_SET });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    dispatcher = startOutboxDispatcher(t.ctx, { intervalMs: 3_600_000, liveFeed: new LiveFeed(t.ctx) });
  });
  afterEach(async () => {
    await dispatcher.stop();
    await t.close();
  });

  it('keeps streaming while the session stands and ends the stream when the person signs out', async () => {
    const anna = await t.signIn({ role: 'manager', managerId: 'anna' });
    const ivan = await t.signIn({ role: 'manager', managerId: 'ivan' });
    const annaStream = await streamOf(anna);
    const ivanStream = await streamOf(ivan);
    try {
      // Several heartbeats later the stream is open and still carries notifications.
      expect(await endsWithin(annaStream, 400)).toBe(false);
      await enqueueOutbox(t.store.db, [{ id: t.ctx.newId(), topic: 'lead.assigned', payload: { leadId: null, text: 'still here', audience: { managers: ['anna'] } }, createdAt: t.ctx.now().toISOString() }]);
      await dispatcher.dispatchNow();
      expect((await annaStream.waitForEvents(1, 5_000)).map((e) => JSON.parse(e.data).text)).toEqual(['still here']);

      expect((await anna.request({ method: 'DELETE', url: '/api/v1/session' })).statusCode).toBe(204);
      expect(await endsWithin(annaStream, 2_000)).toBe(true);
      // Only that session's streams end.
      expect(await endsWithin(ivanStream, 300)).toBe(false);
      // And the ended session cannot open a new one.
      expect((await anna.request({ method: 'GET', url: '/api/v1/notifications/stream' })).statusCode).toBe(401);
    } finally {
      annaStream.close();
      ivanStream.close();
    }
  });

  it('ends the stream when an admin deactivates the person or resets their password', async () => {
    const anna = await t.signIn({ role: 'manager', managerId: 'anna' });
    const ivan = await t.signIn({ role: 'manager', managerId: 'ivan' });
    const annaStream = await streamOf(anna);
    const ivanStream = await streamOf(ivan);
    try {
      expect(await endsWithin(annaStream, 300)).toBe(false);
      expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${anna.id}`, payload: { active: false } })).statusCode).toBe(200);
      expect(await endsWithin(annaStream, 2_000)).toBe(true);
      expect(await endsWithin(ivanStream, 300)).toBe(false);

      expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${ivan.id}`, payload: { password: 'a brand new long password' } })).statusCode).toBe(200);
      expect(await endsWithin(ivanStream, 2_000)).toBe(true);
    } finally {
      annaStream.close();
      ivanStream.close();
    }
  });
});
