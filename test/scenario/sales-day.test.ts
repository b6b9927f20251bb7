import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeeklyHours } from '../../src/core/routing/manager-profile.js';
import { LiveFeed } from '../../src/app/notifications/live-feed.js';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { startSlaSweeper, type SlaSweeper } from '../../src/workers/sla-sweeper.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startSmtpServerProcess, type SmtpServerProcess } from '../support/smtp-server-process.js';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * One working day of a sales team, driven only through the API and the two background
 * workers, on each database: people sign in by role, leads arrive, managers call, the SLA
 * clock reassigns and then escalates a lead nobody called, a transfer is requested and
 * approved, two managers race for a pool lead, a lead is converted, and the e-mails,
 * Telegram messages and webhooks that all this causes arrive at real receivers.
 */
const MONDAY_10_MSK = new Date('2026-11-23T07:00:00.000Z');
const NINE_TO_SIX: WeeklyHours = { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] };
const PASSWORD = 'a day at the sales floor';
const WEBHOOK_SECRET = 'webhook-secret-of-the-crm-0001';
const BOT_TOKEN = '42:scenario-bot';

type Person = (options: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: object }) => Promise<LightMyRequestResponse>;

describe.each(DATABASE_KINDS)('a sales day on %s', (kind) => {
  let now = MONDAY_10_MSK;
  let t: TestApp;
  let smtp: SmtpServerProcess;
  let telegram: TelegramStub;
  let webhooks: WebhookReceiver;
  let dispatcher: OutboxDispatcher;
  let sweeper: SlaSweeper;
  const people: Record<string, Person> = {};
  const later = (minutes: number): void => {
    now = new Date(now.getTime() + minutes * 60_000);
  };

  async function signIn(email: string): Promise<Person> {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = `lr_session=${res.cookies.find((c) => c.name === 'lr_session')?.value}`;
    const csrf = res.json<{ csrfToken: string }>().csrfToken;
    return async ({ method, url, payload }) => await t.app.inject({ method, url, headers: { cookie, 'x-csrf-token': csrf }, ...(payload ? { payload } : {}) });
  }

  async function ok<T = Record<string, unknown>>(response: Promise<LightMyRequestResponse>, status = 200): Promise<T> {
    const res = await response;
    expect(res.statusCode, res.body.slice(0, 500)).toBe(status);
    return res.json<T>();
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { now: () => now });
    smtp = await startSmtpServerProcess();
    telegram = await startTelegramStub();
    webhooks = await startWebhookReceiver(() => WEBHOOK_SECRET);
    const seller = (id: string) => manager(id, { teamId: 'north', workingHours: NINE_TO_SIX, timeZone: 'Europe/Moscow' });
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }],
      managers: [seller('anna'), seller('boris'), seller('vera'), seller('olga')],
      ruleSet: {
        ownership: { enabled: true, whenOwnerUnavailable: 'next_rule' },
        rules: [{ id: 'inbound', name: 'Inbound web leads', target: { kind: 'group', managers: ['anna', 'boris', 'vera'], strategy: 'round_robin' } }],
        fallback: { kind: 'pool' },
      },
    });
    dispatcher = startOutboxDispatcher(t.ctx, {
      intervalMs: 3_600_000,
      settings: { smtpUrl: smtp.url, smtpFrom: 'leadrouter <robot@leadrouter.test>', telegramBotToken: BOT_TOKEN, telegramApiBaseUrl: telegram.baseUrl },
      liveFeed: new LiveFeed(t.ctx),
    });
    sweeper = startSlaSweeper(t.ctx, { intervalMs: 3_600_000 });
  }, 120_000);

  afterAll(async () => {
    await sweeper?.stop();
    await dispatcher?.stop();
    await t?.close();
    await smtp?.stop();
    await telegram?.close();
    await webhooks?.close();
  });

  it('runs from sign-in to conversion, with every notification delivered', async () => {
    // 08:00 — the administrator sets up people, the SLA policy, the CRM webhook and qualification.
    const admin = (await t.signIn({ role: 'admin', email: 'admin@north.test' })).request as Person;
    const staff = [
      { email: 'olga@north.test', name: 'Olga (head)', role: 'head', teamId: 'north', managerId: 'olga' },
      { email: 'anna@north.test', name: 'Anna', role: 'manager', managerId: 'anna' },
      { email: 'boris@north.test', name: 'Boris', role: 'manager', managerId: 'boris' },
      { email: 'vera@north.test', name: 'Vera', role: 'manager', managerId: 'vera' },
      { email: 'quinn@north.test', name: 'Quinn', role: 'qualifier' },
    ];
    for (const person of staff) await ok(admin({ method: 'POST', url: '/api/v1/users', payload: { ...person, password: PASSWORD } }), 201);
    await ok(admin({ method: 'POST', url: '/api/v1/sla/policies', payload: { name: 'Call within 30 minutes', firstContactMinutes: 30, maxReassignments: 1, onExhausted: 'head' } }), 201);
    await ok(admin({ method: 'POST', url: '/api/v1/webhooks', payload: { url: webhooks.url, secret: WEBHOOK_SECRET, topics: ['*'] } }), 201);
    await ok(admin({ method: 'PUT', url: '/api/v1/settings/qualification', payload: { enabled: true, sources: ['cold_base'] } }));
    const crmKey = await t.keyWithScopes(['leads:write']);

    // Everyone signs in; a manager is refused what is not theirs to do.
    for (const person of staff) people[person.name.split(' ')[0] as string] = await signIn(person.email);
    const [olga, anna, boris, vera, quinn] = ['Olga', 'Anna', 'Boris', 'Vera', 'Quinn'].map((name) => people[name] as Person) as [Person, Person, Person, Person, Person];
    expect((await anna({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(403);
    expect((await quinn({ method: 'GET', url: '/api/v1/pool' })).statusCode).toBe(403);
    await ok(anna({ method: 'PUT', url: '/api/v1/me/telegram', payload: { chatId: '1001' } }));
    await ok(anna({ method: 'PUT', url: '/api/v1/me/notification-preferences', payload: { topics: { 'lead.assigned': ['in_app', 'email', 'telegram'], 'transfer.decided': ['in_app', 'telegram'] } } }));

    // 10:00 — leads arrive from the website through the CRM integration, and one from a purchased base.
    const web: Array<{ id: string; ownerId: string; sla: { dueAt: string } }> = [];
    for (const [i, name] of ['Petrov LLC', 'Sidorov & Co', 'Ivanova IP'].entries()) {
      const res = await t.request({ method: 'POST', url: '/api/v1/leads', key: crmKey, payload: { name, phone: `+7 916 000-00-0${i + 1}`, source: 'website' } });
      expect(res.statusCode).toBe(201);
      web.push(res.json<{ lead: { id: string; ownerId: string; sla: { dueAt: string } } }>().lead);
    }
    expect(web.map((l) => l.ownerId).sort()).toEqual(['anna', 'boris', 'vera']);
    expect(web[0]?.sla.dueAt).toBe('2026-11-23T07:30:00.000Z');
    const leadOf = (owner: string) => web.find((l) => l.ownerId === owner)?.id as string;
    const [annas, boriss, verass] = [leadOf('anna'), leadOf('boris'), leadOf('vera')];
    const cold = await ok<{ lead: { id: string; status: string; ownerId: null } }>(t.request({ method: 'POST', url: '/api/v1/leads', key: crmKey, payload: { name: 'Cold base row 17', phone: '+7 916 000-00-17', source: 'cold_base' } }), 201);
    expect(cold.lead).toMatchObject({ status: 'qualification', ownerId: null });

    // 10:05 — the qualifier checks the cold lead and passes it on; routing picks the next in turn.
    later(5);
    const waiting = await ok<{ items: Array<{ lead: { id: string } }> }>(quinn({ method: 'GET', url: '/api/v1/leads' }));
    expect(waiting.items.map((i) => i.lead.id)).toEqual([cold.lead.id]);
    const qualified = await ok<{ lead: { ownerId: string } }>(quinn({ method: 'POST', url: `/api/v1/leads/${cold.lead.id}/qualify`, payload: { decision: 'qualified' } }));
    expect(['anna', 'boris', 'vera']).toContain(qualified.lead.ownerId);

    // 10:10 — Anna and Vera call their leads; the qualified lead's owner calls it too. Boris does not.
    later(5);
    const call = { kind: 'call', outcome: 'reached', note: 'Interested, wants a proposal' };
    await ok(anna({ method: 'POST', url: `/api/v1/leads/${annas}/activities`, payload: call }), 201);
    await ok(vera({ method: 'POST', url: `/api/v1/leads/${verass}/activities`, payload: call }), 201);
    const qualifiedOwner = { anna, boris, vera }[qualified.lead.ownerId as 'anna' | 'boris' | 'vera'];
    await ok(qualifiedOwner({ method: 'POST', url: `/api/v1/leads/${cold.lead.id}/activities`, payload: call }), 201);
    const called = await ok<{ lead: { sla: { dueAt: string | null } | null; lifecycle: { firstContactAt: string | null } } }>(anna({ method: 'GET', url: `/api/v1/leads/${annas}` }));
    expect(called.lead.lifecycle.firstContactAt).toBe('2026-11-23T07:10:00.000Z');
    expect(called.lead.sla?.dueAt ?? null, 'the first contact stops the clock').toBeNull();
    expect((await boris({ method: 'GET', url: `/api/v1/leads/${annas}` })).statusCode).toBe(404);

    // 10:31 — Boris's lead breaches: it goes to the next manager of the same rule, never back to Boris.
    later(21);
    expect((await sweeper.sweepNow()).breached).toBe(1);
    const first = await ok<{ lead: { ownerId: string; sla: { breaches: number; reassignments: number } } }>(admin({ method: 'GET', url: `/api/v1/leads/${boriss}` }));
    expect(['anna', 'vera']).toContain(first.lead.ownerId);
    expect(first.lead.sla).toMatchObject({ breaches: 1, reassignments: 1 });
    expect((await boris({ method: 'GET', url: `/api/v1/leads/${boriss}` })).statusCode).toBe(404);

    // 11:02 — nobody called it again: the policy allows one reassignment, so it escalates to the head.
    later(31);
    expect((await sweeper.sweepNow()).breached).toBe(1);
    const escalated = await ok<{ lead: { ownerId: string; sla: { escalatedAt: string | null } } }>(olga({ method: 'GET', url: `/api/v1/leads/${boriss}` }));
    expect(escalated.lead.ownerId).toBe('olga');
    expect(escalated.lead.sla.escalatedAt).not.toBeNull();
    const handovers = await ok<{ items: Array<{ type: string }> }>(olga({ method: 'GET', url: `/api/v1/leads/${boriss}/timeline` }));
    const types = handovers.items.map((i) => i.type);
    expect(types.filter((type) => type === 'sla.breached')).toHaveLength(2);
    expect(types.filter((type) => type === 'assignment'), 'routed, reassigned, escalated').toHaveLength(3);

    // 12:00 — Anna goes on vacation tomorrow: she asks to hand her lead to Vera; the head approves.
    later(58);
    const request = await ok<{ transfer: { id: string; status: string } }>(anna({ method: 'POST', url: `/api/v1/leads/${annas}/transfers`, payload: { reason: 'vacation', comment: 'On vacation from tomorrow', toManagerId: 'vera' } }), 201);
    expect(request.transfer.status).toBe('requested');
    expect((await anna({ method: 'POST', url: `/api/v1/transfers/${request.transfer.id}/approve`, payload: {} })).statusCode).toBe(403);
    await ok(olga({ method: 'POST', url: `/api/v1/transfers/${request.transfer.id}/approve`, payload: { comment: 'Vera, please call today' } }));
    expect((await anna({ method: 'GET', url: `/api/v1/leads/${annas}` })).statusCode).toBe(404);
    const briefing = await ok<{ lastContacts: Array<{ note: string | null }> }>(vera({ method: 'GET', url: `/api/v1/leads/${annas}/briefing` }));
    expect(JSON.stringify(briefing)).toContain('wants a proposal');
    const activities = await ok<{ items: unknown[] }>(vera({ method: 'GET', url: `/api/v1/leads/${annas}/activities` }));
    expect(activities.items).toHaveLength(1);

    // 14:00 — Vera releases her own first lead to the pool; Anna and Boris claim it at the same moment.
    later(120);
    await ok(vera({ method: 'POST', url: `/api/v1/leads/${verass}/release`, payload: { reason: 'Client asked for a Petersburg office' } }));
    const race = await Promise.all([anna({ method: 'POST', url: `/api/v1/pool/${verass}/claim` }), boris({ method: 'POST', url: `/api/v1/pool/${verass}/claim` })]);
    expect(race.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const winner = race[0]?.statusCode === 200 ? { name: 'anna', person: anna } : { name: 'boris', person: boris };
    expect(race.find((r) => r.statusCode === 409)?.json().error.code).toBe('LR_ERR_CONFLICT');

    // 16:00 — the winner closes it: contact, company and deal are created, the lead is converted.
    later(120);
    const conversion = await ok<{ deal: { id: string; originatorId: string; amount: number } }>(
      winner.person({ method: 'POST', url: `/api/v1/leads/${verass}/convert`, payload: { deal: { title: 'CRM for 20 seats', amount: 480000, currency: 'RUB' } } }),
      201,
    );
    expect(conversion.deal).toMatchObject({ originatorId: winner.name, amount: 480000 });

    // 17:00 — everything that happened reaches people and the CRM.
    later(60);
    for (let i = 0; i < 5; i++) await dispatcher.dispatchNow();
    const mails = smtp.messages();
    const to = (address: string) => mails.filter((m) => m.to.includes(address));
    expect(to('anna@north.test').length).toBeGreaterThanOrEqual(1);
    expect(to('olga@north.test').length, 'the head hears of the breach, the escalation and the transfer request').toBeGreaterThanOrEqual(3);
    expect(telegram.sent.filter((c) => c.chatId === '1001').length, 'Anna chose Telegram for new leads and transfer decisions').toBeGreaterThanOrEqual(2);
    const topics = new Set(webhooks.received.map((w) => w.body.topic));
    for (const topic of ['lead.assigned', 'sla.breached', 'lead.reassigned', 'lead.escalated', 'transfer.requested', 'transfer.decided', 'lead.pooled', 'lead.claimed', 'lead.converted']) {
      expect(topics, topic).toContain(topic);
    }
    expect(webhooks.received.every((w) => w.signatureValid)).toBe(true);
    const inbox = await ok<{ items: Array<{ topic: string }> }>(olga({ method: 'GET', url: '/api/v1/notifications' }));
    expect(inbox.items.map((n) => n.topic)).toEqual(expect.arrayContaining(['sla.breached', 'lead.escalated', 'transfer.requested']));

    // 18:00 — the head reads the day: transfers by reason; the administrator reads the audit log.
    const report = await ok<Record<string, unknown>>(olga({ method: 'GET', url: '/api/v1/reports/transfers' }));
    expect(JSON.stringify(report)).toContain('vacation');
    const audit = await ok<{ items: Array<{ action: string }> }>(admin({ method: 'GET', url: '/api/v1/audit?limit=500' }));
    const actions = new Set(audit.items.map((a) => a.action));
    for (const action of ['user.created', 'webhook.create', 'sla_policy.created', 'transfer.requested', 'transfer.approved', 'lead.claimed', 'activity.logged', 'deal.created']) expect(actions, action).toContain(action);
    expect(audit.items.length).toBeGreaterThanOrEqual(10);
  }, 180_000);
});
