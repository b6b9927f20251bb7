import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveFeed } from '../../src/app/notifications/live-feed.js';
import type { OutboxPayload } from '../../src/app/notifications/topics.js';
import { enqueueOutbox, type OutboxMessage } from '../../src/store/journal-queries.js';
import { operationalFigures } from '../../src/store/metrics-queries.js';
import { startOutboxDispatcher, type DispatchReport, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const START = new Date('2026-11-25T09:00:00Z');
const RULE_SET = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'all', name: 'Everything to Anna', target: { kind: 'group', managers: ['anna'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};
/** Old messages of both lanes: stale live ones (an hour old) and bulk ones written just now. */
const BACKLOG = 3_000;

describe.each(DATABASE_KINDS)('a fresh lead goes before a backlog on %s', (kind) => {
  let now: Date;
  let t: TestApp;
  let anna: TestUser;
  let dispatcher: OutboxDispatcher | null = null;

  beforeEach(async () => {
    now = START;
    t = await startTestApp(kind, { now: () => now });
    await setUpRouting(t, { managers: [manager('anna')], ruleSet: RULE_SET });
    anna = await t.signIn({ role: 'manager', managerId: 'anna' });
  });
  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = null;
    await t.close();
  });

  /** The backlog, written straight into the outbox in a few statements (not through HTTP). */
  const queueBacklog = async (): Promise<void> => {
    const messages: OutboxMessage[] = [];
    for (let i = 0; i < BACKLOG; i++) {
      const stale = i % 2 === 0;
      const payload = { leadId: null, text: `old ${i}`, audience: { managers: ['anna'] } } satisfies OutboxPayload;
      // Live-lane topics an hour old (a dispatcher was down) and bulk ones of a big change just now.
      messages.push(stale ? { id: t.ctx.newId(), topic: 'lead.assigned', payload, createdAt: new Date(START.getTime() - 3_600_000 + i).toISOString() } : { id: t.ctx.newId(), topic: 'lead.status_changed', payload, createdAt: START.toISOString() });
    }
    await enqueueOutbox(t.store.db, messages);
  };

  const waitingInOutbox = async (): Promise<number> => Number((await t.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('delivered_at', 'is', null).executeTakeFirstOrThrow()).n);
  const hadWork = (r: DispatchReport): boolean => r.fanOut.messages + r.fanOut.deferred + r.delivery.delivered + r.delivery.retried + r.delivery.failed + r.delivery.postponed > 0;

  it('delivers a new lead.assigned within two passes while thousands of old messages wait, then drains the backlog, each message once', { timeout: 60_000 }, async () => {
    await queueBacklog();
    const figures = await operationalFigures(t.store.db);
    expect(figures.lanes).toEqual(
      expect.arrayContaining([
        { lane: 'live', waiting: BACKLOG / 2, oldestAt: new Date(START.getTime() - 3_600_000).toISOString() },
        { lane: 'bulk', waiting: BACKLOG / 2, oldestAt: START.toISOString() },
      ]),
    );

    const metrics = await t.request({ method: 'GET', url: '/metrics', key: null });
    expect(metrics.statusCode, metrics.body).toBe(200);
    expect(metrics.body).toMatch(new RegExp(`^leadrouter_outbox_lane_backlog\\{lane="live"\\} ${BACKLOG / 2}$`, 'm'));
    expect(metrics.body).toMatch(/^leadrouter_outbox_lane_oldest_age_seconds\{lane="live"\} 3600$/m);
    expect(metrics.body).toMatch(new RegExp(`^leadrouter_outbox_lane_backlog\\{lane="bulk"\\} ${BACKLOG / 2}$`, 'm'));

    const liveFeed = new LiveFeed(t.ctx);
    const heard: Array<{ id: string; topic: string; leadId: unknown }> = [];
    const stop = liveFeed.subscribe(anna.id, (n) => heard.push({ id: n.id, topic: n.topic, leadId: (n.payload as { leadId?: unknown }).leadId }));
    // Passes only when the test runs them: an idle interval of ten minutes, and nothing wakes it.
    dispatcher = startOutboxDispatcher(t.ctx, { intervalMs: 600_000, liveFeed });
    try {
      await dispatcher.dispatchNow();
      // A second later a lead comes in.
      now = new Date(START.getTime() + 1_000);
      const lead = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Пётр', phone: '+7 916 123-45-67' } });
      expect(lead.statusCode, lead.body).toBe(201);
      const leadId = (lead.json() as { lead: { id: string } }).lead.id;

      let passes = 0;
      while (!heard.some((n) => n.topic === 'lead.assigned' && n.leadId === leadId) && passes < 2) {
        await dispatcher.dispatchNow();
        passes++;
      }
      expect(heard.filter((n) => n.leadId === leadId).map((n) => n.topic)).toEqual(['lead.assigned']);
      // In the inbox too, while most of the backlog still waits.
      const fresh = heard.find((n) => n.leadId === leadId)?.id ?? '';
      expect(await t.store.db.selectFrom('notifications').select(['user_id', 'topic']).where('id', '=', fresh).execute()).toEqual([{ user_id: anna.id, topic: 'lead.assigned' }]);
      expect(await waitingInOutbox()).toBeGreaterThan(BACKLOG - 500);

      // The backlog drains completely, pass after pass.
      for (let pass = 0; pass < 200 && hadWork(await dispatcher.dispatchNow()); pass++);
      expect(await waitingInOutbox()).toBe(0);
      // In-app ones; the e-mails wait for SMTP, which this process does not have.
      const deliveries = await t.store.db.selectFrom('deliveries').select(['id', 'outbox_id', 'status', 'lane']).where('channel', '=', 'in_app').execute();
      const notifications = await t.store.db.selectFrom('notifications').select('id').execute();
      expect(deliveries).toHaveLength(BACKLOG + 1);
      expect(new Set(deliveries.map((d) => d.outbox_id)).size).toBe(BACKLOG + 1);
      expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);
      // Only the fresh one went in the live lane; the stale live-topic messages took their turn with the backlog.
      expect(deliveries.filter((d) => d.lane === 'live')).toHaveLength(1);
      expect(new Set(notifications.map((n) => n.id))).toEqual(new Set(deliveries.map((d) => d.id)));
      expect(heard).toHaveLength(BACKLOG + 1);
      expect(new Set(heard.map((n) => n.id)).size).toBe(BACKLOG + 1);
    } finally {
      stop();
    }
  });
});
