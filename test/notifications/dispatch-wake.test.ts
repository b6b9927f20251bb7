import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveFeed } from '../../src/app/notifications/live-feed.js';
import { buildApp } from '../../src/http/build-app.js';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const RULE_SET = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'all', name: 'Everything to Anna', target: { kind: 'group', managers: ['anna'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

/** Polls until `check` holds or `ms` pass; no fixed sleeps. */
async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return await check();
}

describe.each(DATABASE_KINDS)('a committed change wakes the idle dispatcher on %s', (kind) => {
  let t: TestApp;
  let dispatcher: OutboxDispatcher | null = null;
  beforeEach(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, { teams: [{ id: 'north', name: 'North' }], managers: [manager('anna', { teamId: 'north' })], ruleSet: RULE_SET });
    await t.signIn({ role: 'manager', managerId: 'anna' });
  });
  afterEach(async () => {
    await dispatcher?.stop();
    await t.close();
  });

  const inAppCount = async () => Number((await t.store.db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('delivers the new lead notification long before the idle interval when the API answers a change', async () => {
    const liveFeed = new LiveFeed(t.ctx);
    // An idle interval of ten minutes: only the wake can deliver within the test.
    dispatcher = startOutboxDispatcher(t.ctx, { intervalMs: 600_000, liveFeed });
    const { app, intake } = await buildApp({ ctx: t.ctx, liveFeed });
    try {
      const res = await app.inject({ method: 'POST', url: '/api/v1/leads', headers: { 'x-api-key': t.key }, payload: { name: 'Пётр', phone: '+7 916 123-45-67' } });
      expect(res.statusCode, res.body).toBe(201);
      expect(await waitFor(async () => (await inAppCount()) === 1, 10_000)).toBe(true);
      // A read changes nothing and wakes nothing.
      await app.inject({ method: 'GET', url: '/api/v1/leads', headers: { 'x-api-key': t.key } });
    } finally {
      await app.close();
      await intake.close();
    }
  });

  it('stays idle without a committed change', async () => {
    const liveFeed = new LiveFeed(t.ctx);
    const { app, intake } = await buildApp({ ctx: t.ctx, liveFeed });
    // The lead is written before the dispatcher starts, and nobody wakes it afterwards.
    const res = await app.inject({ method: 'POST', url: '/api/v1/leads', headers: { 'x-api-key': t.key }, payload: { name: 'Пётр', phone: '+7 916 123-45-67' } });
    expect(res.statusCode).toBe(201);
    await app.close();
    await intake.close();
    dispatcher = startOutboxDispatcher(t.ctx, { intervalMs: 600_000, liveFeed });
    expect(await waitFor(async () => (await inAppCount()) > 0, 1_500)).toBe(false);
    liveFeed.changeCommitted();
    expect(await waitFor(async () => (await inAppCount()) === 1, 10_000)).toBe(true);
  });
});
