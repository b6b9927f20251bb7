import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/app-context.js';
import { Undeliverable, type Attempt, type ChannelSet } from '../../src/app/notifications/channels/channel.js';
import { emailChannel } from '../../src/app/notifications/channels/email-channel.js';
import { inAppChannel } from '../../src/app/notifications/channels/in-app-channel.js';
import { deliverDue } from '../../src/app/notifications/deliver.js';
import { fanOut } from '../../src/app/notifications/fan-out.js';
import { LiveFeed } from '../../src/app/notifications/live-feed.js';
import type { OutboxPayload } from '../../src/app/notifications/topics.js';
import type { Store } from '../../src/store/database.js';
import { enqueueOutbox } from '../../src/store/journal-queries.js';
import { startOutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const START = new Date('2026-11-25T09:00:00Z');
const RULE_SET = { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [], fallback: { kind: 'pool' } };

/** Counts the statements run through a context (BEGIN and COMMIT aside), so a test can say what a pass costs. */
class StatementCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  // Once per statement run; transformQuery also sees subqueries as they are built.
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count += 1;
    return args.result;
  }
}

function counted(ctx: AppContext): { ctx: AppContext; counter: StatementCounter } {
  const counter = new StatementCounter();
  return { ctx: { ...ctx, store: { ...ctx.store, db: ctx.store.db.withPlugin(counter) } }, counter };
}

/** Channels that note every send; with `hold`, outside sends wait until the test lets them finish. */
function recordingChannels(ctx: AppContext, hold: boolean): { channels: ChannelSet; sent: string[]; held: Array<(error?: Error) => void> } {
  const sent: string[] = [];
  const held: Array<(error?: Error) => void> = [];
  const send = async (attempt: Attempt): Promise<void> => {
    sent.push(attempt.deliveryId);
    if (hold) await new Promise<void>((resolve, reject) => held.push((error) => (error ? reject(error) : resolve())));
  };
  return { channels: { in_app: inAppChannel(ctx, new LiveFeed(ctx)), email: { send }, telegram: { send }, webhook: { send } }, sent, held };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function refuseDeliveriesMentioning(store: Store, word: string): Promise<void> {
  if (store.kind === 'sqlite') {
    await sql.raw(`CREATE TRIGGER refuse_word BEFORE INSERT ON deliveries WHEN NEW.payload LIKE '%${word}%' BEGIN SELECT RAISE(ABORT, 'the database refused this one'); END`).execute(store.db);
  } else {
    await sql.raw(`CREATE FUNCTION refuse_word() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.payload::text LIKE '%${word}%' THEN RAISE EXCEPTION 'the database refused this one'; END IF; RETURN NEW; END $$`).execute(store.db);
    await sql.raw('CREATE TRIGGER refuse_word BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION refuse_word()').execute(store.db);
  }
}

describe.each(DATABASE_KINDS)('notification dispatch in batches on %s', (kind) => {
  let now: Date;
  let t: TestApp;
  let anna: TestUser;

  const tellAnna = async (texts: string[]): Promise<string[]> => {
    const messages = texts.map((text) => ({ id: t.ctx.newId(), topic: 'lead.assigned' as const, payload: { leadId: null, text, audience: { managers: ['anna'] } } satisfies OutboxPayload, createdAt: now.toISOString() }));
    await enqueueOutbox(t.store.db, messages);
    return messages.map((m) => m.id);
  };
  const annaChooses = async (channels: string[]): Promise<void> => {
    expect((await anna.request({ method: 'PUT', url: '/api/v1/me/notification-preferences', payload: { topics: { 'lead.assigned': channels } } })).statusCode).toBe(200);
  };
  const deliveries = async (): Promise<Array<{ id: string; status: string; attempts: number; claimed_until: string | null; delivered_at: string | null; last_error: string | null }>> =>
    await t.store.db.selectFrom('deliveries').select(['id', 'status', 'attempts', 'claimed_until', 'delivered_at', 'last_error']).orderBy('id').execute();

  beforeEach(async () => {
    now = START;
    t = await startTestApp(kind, { now: () => now });
    await setUpRouting(t, { managers: [manager('anna')], ruleSet: RULE_SET });
    anna = await t.signIn({ role: 'manager', managerId: 'anna' });
  });
  afterEach(async () => {
    await t.close();
  });

  it('claims only what it sends now, and a send that outlives its claim neither overwrites the dispatcher that took over nor is repeated beyond itself', async () => {
    await annaChooses(['email']);
    await tellAnna(['one', 'two', 'three']);
    await fanOut(t.ctx);
    const [e1, e2, e3] = (await deliveries()).map((d) => d.id);

    // The first dispatcher sends two at a time, and both sends hang.
    const first = recordingChannels(t.ctx, true);
    const slow = deliverDue(t.ctx, first.channels, { concurrency: 2, claimMs: 120_000 });
    await until(() => first.held.length === 2, 'two sends to start');
    const claimedUntil = new Date(START.getTime() + 120_000).toISOString();
    // The third waits unclaimed instead of behind the hanging ones, where its claim would run out.
    expect((await deliveries()).map((d) => d.claimed_until)).toEqual([claimedUntil, claimedUntil, null]);

    // The claims run out; a second dispatcher takes all three over and delivers them.
    now = new Date(START.getTime() + 121_000);
    const second = recordingChannels(t.ctx, false);
    expect(await deliverDue(t.ctx, second.channels, {})).toEqual({ delivered: 3, retried: 0, failed: 0, postponed: 0, claimLost: 0 });
    const deliveredAt = now.toISOString();

    // The hanging sends finish late, one well, one for good with an error: neither result is recorded.
    now = new Date(START.getTime() + 122_000);
    first.held[0]?.();
    first.held[1]?.(new Undeliverable('the mailbox vanished'));
    expect(await slow).toEqual({ delivered: 0, retried: 0, failed: 0, postponed: 0, claimLost: 2 });

    expect(await deliveries()).toEqual([e1, e2, e3].map((id) => ({ id, status: 'delivered', attempts: 1, claimed_until: null, delivered_at: deliveredAt, last_error: null })));
    // What the recipient got: the third exactly once; the two in flight when their claim ran out
    // twice, since nobody could know whether the hanging sends would arrive (at least once).
    expect(first.sent).toEqual([e1, e2]);
    expect(second.sent).toEqual([e1, e2, e3]);
  });

  it('fans out a batch in one transaction and, when the database refuses one message, defers only that one', async () => {
    await annaChooses(['in_app']);
    await refuseDeliveriesMentioning(t.store, 'poison');
    const [fine, poison, alsoFine] = await tellAnna(['fine', 'poison', 'also fine']);
    const deferred = [poison];
    // PostgreSQL keeps outbox payloads as JSON and refuses an unreadable one; SQLite stores any text.
    if (kind === 'sqlite') {
      const unreadable = t.ctx.newId();
      await t.store.db.insertInto('outbox').values({ id: unreadable, topic: 'lead.assigned', payload: '{not json', created_at: now.toISOString(), available_at: now.toISOString(), attempts: 0, delivered_at: null, last_error: null }).execute();
      deferred.push(unreadable);
    }

    expect(await fanOut(t.ctx, { random: () => 0.5 })).toEqual({ messages: 2, deliveries: 2, deferred: deferred.length });
    const outbox = await t.store.db.selectFrom('outbox').select(['id', 'delivered_at', 'attempts', 'available_at', 'last_error']).execute();
    const row = (id: string | undefined): (typeof outbox)[number] | undefined => outbox.find((r) => r.id === id);
    expect(row(fine)?.delivered_at).toBe(now.toISOString());
    expect(row(alsoFine)?.delivered_at).toBe(now.toISOString());
    for (const id of deferred) {
      expect(row(id)).toMatchObject({ delivered_at: null, attempts: 1, available_at: new Date(now.getTime() + 10_000).toISOString(), last_error: expect.stringMatching(/^Fan-out failed: /) });
    }
    expect((await t.store.db.selectFrom('deliveries').select('outbox_id').execute()).map((d) => d.outbox_id).sort()).toEqual([fine, alsoFine].sort());

    // Nothing is lost: once the database takes it, the deferred message goes out.
    await sql.raw('DROP TRIGGER refuse_word' + (kind === 'postgres' ? ' ON deliveries' : '')).execute(t.store.db);
    now = new Date(now.getTime() + 11_000);
    expect(await fanOut(t.ctx, { random: () => 0.5 })).toEqual({ messages: 1, deliveries: 1, deferred: deferred.length - 1 });
  });

  it('costs the same few statements per pass for 5 messages as for 60, and the live feed still hears each one', async () => {
    await annaChooses(['in_app']);
    const liveFeed = new LiveFeed(t.ctx);
    const heard: string[] = [];
    const stop = liveFeed.subscribe(anna.id, (n) => heard.push(n.id));
    try {
      const costs = [];
      for (const size of [5, 60]) {
        await tellAnna(Array.from({ length: size }, (_, i) => `lead ${i}`));
        const { ctx, counter } = counted(t.ctx);
        expect(await fanOut(ctx)).toEqual({ messages: size, deliveries: size, deferred: 0 });
        const fanOutCost = counter.count;
        expect(await deliverDue(ctx, { ...recordingChannels(ctx, false).channels, in_app: inAppChannel(ctx, liveFeed) })).toMatchObject({ delivered: size, claimLost: 0 });
        costs.push({ fanOut: fanOutCost, deliver: counter.count - fanOutCost });
      }
      expect(costs[1]).toEqual(costs[0]);
      // Claim the fresh live ones; read the people and the webhooks; insert the deliveries; mark the messages fanned out; claim from the backlog.
      expect(costs[0]?.fanOut).toBe(6);
      // Claim the fresh in-app ones, then the others; read the people; insert the notifications; complete them; look for outside ones (fresh, then others).
      expect(costs[0]?.deliver).toBe(7);
      expect(heard).toHaveLength(65);
      expect(new Set(heard)).toEqual(new Set((await deliveries()).map((d) => d.id)));
    } finally {
      stop();
    }
  });

  it('postpones every e-mail in one statement while SMTP is not configured, and sends them once it is', async () => {
    await annaChooses(['email']);
    await tellAnna(Array.from({ length: 30 }, (_, i) => `lead ${i}`));
    await fanOut(t.ctx);
    const unconfigured: ChannelSet = { ...recordingChannels(t.ctx, false).channels, email: emailChannel({ smtpUrl: undefined, from: 'leadrouter <lr@localhost>' }) };
    const { ctx, counter } = counted(t.ctx);
    expect(await deliverDue(ctx, unconfigured)).toEqual({ delivered: 0, retried: 0, failed: 0, postponed: 30, claimLost: 0 });
    // Postpone the e-mails; look for in-app ones (fresh, then others); look for other outside ones (fresh, then others).
    expect(counter.count).toBe(5);
    const waiting = await deliveries();
    expect(waiting.every((d) => d.status === 'pending' && d.attempts === 0 && d.claimed_until === null && d.last_error?.startsWith('E-mail is not configured'))).toBe(true);

    // Five minutes later a process with SMTP set up sends them.
    now = new Date(START.getTime() + 5 * 60_000);
    const configured = recordingChannels(t.ctx, false);
    expect(await deliverDue(t.ctx, configured.channels)).toMatchObject({ delivered: 30, postponed: 0 });
    expect(new Set(configured.sent)).toEqual(new Set(waiting.map((d) => d.id)));
  });

  it('drains a backlog pass after pass without waiting the idle interval between them', async () => {
    await annaChooses(['in_app']);
    await tellAnna(Array.from({ length: 250 }, (_, i) => `lead ${i}`));
    const dispatcher = startOutboxDispatcher(t.ctx, { intervalMs: 1_000, liveFeed: new LiveFeed(t.ctx), fanOut: { limit: 50 }, deliver: { limit: 50 } });
    try {
      // Five busy passes after the first interval; waiting the interval between them would take five seconds.
      const deadline = Date.now() + 4_000;
      for (;;) {
        const delivered = await t.store.db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'delivered').executeTakeFirstOrThrow();
        if (Number(delivered.n) === 250) break;
        if (Date.now() > deadline) throw new Error(`only ${delivered.n} of 250 delivered in time`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await dispatcher.stop();
    }
  });

  it('records every finished send even when writing one result fails, so none goes out again', async () => {
    await annaChooses(['email']);
    await tellAnna(['one', 'two', 'three']);
    await fanOut(t.ctx);
    const [e1, e2, e3] = (await deliveries()).map((d) => d.id);
    await refuseUpdatesWithError(t.store, 'poison');
    const sent: string[] = [];
    const send = async (attempt: Attempt): Promise<void> => {
      sent.push(attempt.deliveryId);
      if (attempt.deliveryId === e3) throw new Error('poison: the mail server hung up');
    };
    const channels: ChannelSet = { in_app: inAppChannel(t.ctx, new LiveFeed(t.ctx)), email: { send }, telegram: { send }, webhook: { send } };

    await expect(deliverDue(t.ctx, channels, { concurrency: 3 })).rejects.toThrow(/refused/);
    expect((await deliveries()).map((d) => [d.id, d.status])).toEqual([[e1, 'delivered'], [e2, 'delivered'], [e3, 'pending']]);

    // The failed one's claim runs out and it is tried again; the two that went out are not.
    now = new Date(START.getTime() + 121_000);
    await deliverDue(t.ctx, channels, { concurrency: 3 }).catch(() => undefined);
    expect(sent).toEqual([e1, e2, e3, e3]);
  });

  it('refuses an admin retry of a delivery being sent right now (409), so it does not go out twice', async () => {
    await annaChooses(['email']);
    await tellAnna(['one']);
    await fanOut(t.ctx);
    const [e1] = (await deliveries()).map((d) => d.id);
    const slow = recordingChannels(t.ctx, true);
    const sending = deliverDue(t.ctx, slow.channels, {});
    await until(() => slow.held.length === 1, 'the send to start');

    const retry = await t.request({ method: 'POST', url: `/api/v1/deliveries/${e1}/retry` });
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error.message).toContain('being sent right now');
    const other = recordingChannels(t.ctx, false);
    expect((await deliverDue(t.ctx, other.channels, {})).delivered).toBe(0);

    slow.held[0]?.();
    expect((await sending).delivered).toBe(1);
    expect([...slow.sent, ...other.sent]).toEqual([e1]);
  });
});

async function refuseUpdatesWithError(store: Store, word: string): Promise<void> {
  if (store.kind === 'sqlite') {
    await sql.raw(`CREATE TRIGGER refuse_error BEFORE UPDATE ON deliveries WHEN NEW.last_error LIKE '%${word}%' BEGIN SELECT RAISE(ABORT, 'the database refused this write'); END`).execute(store.db);
  } else {
    await sql.raw(`CREATE FUNCTION refuse_error() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.last_error LIKE '%${word}%' THEN RAISE EXCEPTION 'the database refused this write'; END IF; RETURN NEW; END $$`).execute(store.db);
    await sql.raw('CREATE TRIGGER refuse_error BEFORE UPDATE ON deliveries FOR EACH ROW EXECUTE FUNCTION refuse_error()').execute(store.db);
  }
}
