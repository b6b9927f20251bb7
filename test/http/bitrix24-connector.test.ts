import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bitrix24Client } from '../../src/app/connectors/bitrix24/bitrix24-client.js';
import { Bitrix24Inbound } from '../../src/app/connectors/bitrix24/bitrix24-inbound.js';
import { LeadIntake } from '../../src/app/intake/lead-intake.js';
import { LiveFeed } from '../../src/app/notifications/live-feed.js';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { startCrmPoller, type CrmPoller } from '../../src/workers/crm-poller.js';
import { startBitrix24Fake, type Bitrix24Fake } from '../support/bitrix24-fake.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const APP_TOKEN = 'b24-application-token-0001';
const FAST = { pace: { perSecond: 50, burst: 50 }, maxWaitMs: 5_000 };

const RULE_SET = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'web', name: 'Web leads to Anna', when: { field: 'source', op: 'eq', value: 'web' }, target: { kind: 'group', managers: ['m1'], strategy: 'round_robin' } }],
  fallback: { kind: 'manager', managerId: 'm2' },
};

describe.each(DATABASE_KINDS)('the Bitrix24 connector against a fake portal over HTTP, on %s', (kind) => {
  let fake: Bitrix24Fake;
  let t: TestApp;
  let appUrl: string;
  let dispatcher: OutboxDispatcher;
  let poller: CrmPoller;
  let pollIntake: LeadIntake;
  let connectorId: string;
  let eventPath: string;
  let skippedMs = 0;

  const admin = (o: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: object }) => t.request(o);
  const postEvent = async (leadId: string, token = APP_TOKEN): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${appUrl}${eventPath}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fake.eventBody(leadId, token) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const connectorLeads = async () =>
    await t.store.db.selectFrom('crm_lead_links').innerJoin('leads', 'leads.id', 'crm_lead_links.lead_id').select(['crm_lead_links.crm_id', 'crm_lead_links.direction', 'leads.id', 'leads.owner_id']).where('crm_lead_links.connector_id', '=', connectorId).orderBy('crm_lead_links.crm_id').execute();
  const leadsFromCrm = async (): Promise<number> => {
    const key = await t.store.db.selectFrom('crm_connectors').select('api_key_id').where('id', '=', connectorId).executeTakeFirstOrThrow();
    const row = await t.store.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).where('api_key_id', '=', key.api_key_id).executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const crmDeliveries = async () => await t.store.db.selectFrom('deliveries').select(['id', 'topic', 'status', 'attempts', 'last_error', 'next_attempt_at']).where('channel', '=', 'crm').orderBy('created_at').execute();

  beforeAll(async () => {
    fake = await startBitrix24Fake();
    fake.users.push(
      { ID: '11', NAME: 'Анна', LAST_NAME: 'Смирнова', EMAIL: 'Anna@Example.test', ACTIVE: true },
      { ID: '12', NAME: 'Иван', LAST_NAME: 'Петров', EMAIL: 'ivan@example.test', ACTIVE: true },
      { ID: '13', NAME: 'Ольга', LAST_NAME: 'Уволенная', EMAIL: 'olga@example.test', ACTIVE: false },
    );
    // A lead from before leadrouter was connected: never imported.
    fake.addLead({ TITLE: 'Старый лид', NAME: 'Старый' });
    t = await startTestApp(kind, { now: () => new Date(Date.now() + skippedMs), prepare: async () => ({ crm: { bitrix24: FAST } }) });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    appUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }],
      managers: [manager('m1', { teamId: 'north', name: 'Анна Смирнова', email: 'anna@example.test' }), manager('m2', { teamId: 'north', name: 'Иван Петров', email: 'ivan@example.test' })],
      ruleSet: RULE_SET,
    });
    dispatcher = startOutboxDispatcher(t.ctx, {
      intervalMs: 3_600_000,
      settings: { smtpUrl: undefined, smtpFrom: 'leadrouter <robot@leadrouter.test>', telegramBotToken: undefined, telegramApiBaseUrl: 'http://127.0.0.1:9', crm: { bitrix24: FAST, outagePauseMs: 1_000 } },
      liveFeed: new LiveFeed(t.ctx),
    });
    // The poller as `serve` runs it beside the HTTP app: its own intake queue, the same database.
    pollIntake = new LeadIntake(t.ctx);
    poller = startCrmPoller(t.ctx, new Bitrix24Inbound(t.ctx, pollIntake, (c) => bitrix24Client(c.endpoint, FAST)), { tickMs: 3_600_000 });
  }, 60_000);

  afterAll(async () => {
    await poller?.stop();
    await pollIntake?.close();
    await dispatcher?.stop();
    await t?.close();
    await fake?.close();
  });

  it('an admin connects the portal: a wrong webhook is refused with the portal’s answer, the right one starts polling after the newest lead', async () => {
    const wrong = await admin({ method: 'POST', url: '/api/v1/crm-connectors/bitrix24', payload: { webhookUrl: fake.wrongWebhookUrl, applicationToken: APP_TOKEN } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.details[0]).toMatchObject({ path: 'webhookUrl', code: 'crm_refused' });
    expect(wrong.json().error.message).toContain('NO_AUTH_FOUND');
    const malformed = await admin({ method: 'POST', url: '/api/v1/crm-connectors/bitrix24', payload: { webhookUrl: 'https://portal.bitrix24.ru/crm/lead/', applicationToken: APP_TOKEN } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.details[0].path).toBe('webhookUrl');

    const res = await admin({ method: 'POST', url: '/api/v1/crm-connectors/bitrix24', payload: { name: 'Портал', webhookUrl: fake.webhookUrl, applicationToken: APP_TOKEN, pollIntervalSeconds: 30 } });
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json();
    connectorId = view.id;
    eventPath = view.eventPath;
    expect(eventPath).toMatch(/^\/crm\/bitrix24\/lrc_[A-Za-z0-9_-]+\/events$/);
    expect(view.endpoint).not.toContain('fakewebhookcode42');
    expect(view).toMatchObject({ kind: 'bitrix24', name: 'Портал', eventTokenSet: true, createLeads: false, pollIntervalSeconds: 30, locale: 'ru', active: true });
    expect(view.status).toMatchObject({ lastSeenId: '1001', leadsIn: 0, queue: 0, lastError: null });
    expect(JSON.stringify(view)).not.toContain(APP_TOKEN);
  });

  it('maps managers to Bitrix24 users by e-mail (user.get, active users only)', async () => {
    const users = await admin({ method: 'GET', url: `/api/v1/crm-connectors/${connectorId}/users` });
    expect(users.statusCode, users.body).toBe(200);
    expect(users.json().crmUsers.map((u: { id: string }) => u.id)).toEqual(['11', '12']);
    expect(users.json().managers).toEqual([
      expect.objectContaining({ managerId: 'm1', crmUserId: null, suggestedCrmUserId: '11' }),
      expect.objectContaining({ managerId: 'm2', crmUserId: null, suggestedCrmUserId: '12' }),
    ]);
    const matched = await admin({ method: 'POST', url: `/api/v1/crm-connectors/${connectorId}/users/match-by-email` });
    expect(matched.json()).toMatchObject({ matched: 2, items: [{ managerId: 'm1', crmUserId: '11', crmUserName: 'Анна Смирнова' }, { managerId: 'm2', crmUserId: '12' }] });
    const bad = await admin({ method: 'PUT', url: `/api/v1/crm-connectors/${connectorId}/users`, payload: { items: [{ managerId: 'ghost', crmUserId: '99' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('items[0].managerId');
  });

  it('ONCRMLEADADD makes exactly one lead with phones, e-mails, company, UTM and source; a repeated event makes none; a wrong token is refused', async () => {
    const crmId = fake.addLead({
      TITLE: 'ИП Титов', NAME: 'Глеб', LAST_NAME: 'Титов', COMPANY_TITLE: 'ИП Титов', SOURCE_ID: 'WEB',
      PHONE: [{ ID: '1', VALUE: '8 (916) 123-45-67', VALUE_TYPE: 'WORK' }, { ID: '2', VALUE: '+7 495 111 22 33', VALUE_TYPE: 'MOBILE' }],
      EMAIL: [{ ID: '3', VALUE: 'gleb@titov.ru', VALUE_TYPE: 'WORK' }],
      UTM_SOURCE: 'yandex', UTM_MEDIUM: 'cpc', UTM_CAMPAIGN: 'spring', OPPORTUNITY: '12500.00', COMMENTS: 'Позвонить <b>утром</b>',
    });
    const refused = await postEvent(crmId, 'not-the-token-at-all');
    expect(refused.status).toBe(401);
    expect(await leadsFromCrm()).toBe(0);

    const first = await postEvent(crmId);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, created: true });
    const again = await postEvent(crmId);
    expect(again.body).toMatchObject({ ok: true, created: false, leadId: first.body.leadId });
    expect(await leadsFromCrm()).toBe(1);

    const lead = (await admin({ method: 'GET', url: `/api/v1/leads/${first.body.leadId as string}` })).json().lead;
    expect(lead).toMatchObject({ name: 'Глеб Титов', phone: '+79161234567', email: 'gleb@titov.ru', companyName: 'ИП Титов', source: 'web', channel: 'bitrix24', campaign: 'spring', ownerId: 'm1' });
    expect(lead.utm).toMatchObject({ source: 'yandex', medium: 'cpc', campaign: 'spring' });
    expect(lead.dealValue).toBe(12500);
    expect(lead.comment).toBe('Позвонить утром');
    expect(lead.custom).toMatchObject({ 'bitrix24.id': crmId });
  });

  it('the routing decision sets ASSIGNED_BY_ID (crm.lead.update) and adds a one-sentence comment (crm.timeline.comment.add)', async () => {
    const [linked] = await connectorLeads();
    await dispatcher.dispatchNow();
    expect((await crmDeliveries()).map((d) => d.status)).toEqual(['delivered']);
    const crmLead = fake.leads.get(linked?.crm_id as string);
    expect(crmLead?.ASSIGNED_BY_ID).toBe(11);
    const comment = fake.comments.find((c) => String(c.ENTITY_ID) === linked?.crm_id);
    // The decision's own sentence, in Russian, from the facts its trace keeps.
    expect(comment?.COMMENT).toMatch(/^leadrouter: Правило «Web leads to Anna» сработало; .*лид получает Анна Смирнова.*\.$/);
    const update = fake.calls.find((c) => c.method === 'crm.lead.update');
    expect(update?.params).toMatchObject({ id: linked?.crm_id, fields: { ASSIGNED_BY_ID: 11 } });
  });

  it('a CRM that is down delays the owner change and then delivers it; a head’s reassignment follows with its reason', async () => {
    const [linked] = await connectorLeads();
    fake.outage('reset');
    const res = await admin({ method: 'POST', url: `/api/v1/leads/${linked?.id as string}/reassign`, payload: { toManagerId: 'm2', reason: 'Анна в отпуске' } });
    expect(res.statusCode, res.body).toBe(200);
    await dispatcher.dispatchNow();
    let waiting = (await crmDeliveries()).at(-1);
    expect(waiting).toMatchObject({ topic: 'lead.reassigned', status: 'pending', attempts: 0 });
    expect(waiting?.last_error).toContain('did not answer');
    fake.outage('http');
    skippedMs += 5_000;
    await dispatcher.dispatchNow();
    waiting = (await crmDeliveries()).at(-1);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });
    expect(waiting?.last_error).toContain('HTTP 502');
    const status = (await admin({ method: 'GET', url: `/api/v1/crm-connectors/${connectorId}` })).json().status;
    expect(status.queue).toBe(1);
    expect(status.lastError).toContain('HTTP 502');

    fake.outage('none');
    skippedMs += 60_000;
    await dispatcher.dispatchNow();
    expect((await crmDeliveries()).at(-1)?.status).toBe('delivered');
    expect(fake.leads.get(linked?.crm_id as string)?.ASSIGNED_BY_ID).toBe(12);
    expect(fake.comments.at(-1)?.COMMENT).toBe('leadrouter: ответственный — Иван Петров (руководитель переназначил лид); причина: Анна в отпуске.');
    const after = (await admin({ method: 'GET', url: `/api/v1/crm-connectors/${connectorId}` })).json().status;
    expect(after).toMatchObject({ queue: 0, lastError: null });
  });

  it('leads missed while the portal could not be read come in by the poll, each once, and the poll makes no duplicate of an evented lead', async () => {
    fake.outage('http');
    const missed = fake.addLead({ NAME: 'Мария', PHONE: [{ VALUE: '+79035550101', VALUE_TYPE: 'WORK' }], SOURCE_ID: 'CALL' });
    const lost = await postEvent(missed);
    // Authentic, so answered 200; the lead could not be read, and Bitrix24 would not send it again.
    expect(lost).toMatchObject({ status: 200, body: { ok: true, leadId: null, created: false } });
    const silent = fake.addLead({ COMPANY_TITLE: 'ООО Ромашка', EMAIL: [{ VALUE: 'info@romashka.ru', VALUE_TYPE: 'WORK' }] });
    expect(await leadsFromCrm()).toBe(1);
    fake.outage('none');

    expect(await poller.pollNow({ force: true })).toBe(1);
    const linked = await connectorLeads();
    expect(linked.map((l) => l.crm_id).sort()).toEqual(['1002', missed, silent].sort());
    expect(await leadsFromCrm()).toBe(3);
    // Again, and an event for a lead the poll took in: nothing new.
    await poller.pollNow({ force: true });
    expect((await postEvent(missed)).body).toMatchObject({ created: false });
    expect(await leadsFromCrm()).toBe(3);
    const view = (await admin({ method: 'GET', url: `/api/v1/crm-connectors/${connectorId}` })).json();
    expect(view.status).toMatchObject({ lastSeenId: silent, leadsIn: 3 });
    const maria = linked.find((l) => l.crm_id === missed);
    expect(maria?.owner_id).toBe('m2');
    await dispatcher.dispatchNow();
    expect(fake.leads.get(missed)?.ASSIGNED_BY_ID).toBe(12);
  });

  it('QUERY_LIMIT_EXCEEDED backs off: the delivery waits without using a retry, and the next call comes after the pause', async () => {
    const crmId = fake.addLead({ NAME: 'Пётр', SOURCE_ID: 'WEB', PHONE: [{ VALUE: '+79261112233', VALUE_TYPE: 'WORK' }] });
    expect((await postEvent(crmId)).body).toMatchObject({ created: true });
    fake.limitNext(1);
    await dispatcher.dispatchNow();
    const refusedAt = fake.calls.findLast((c) => c.status === 503)?.at as number;
    expect(refusedAt).toBeGreaterThan(0);
    let delivery = (await crmDeliveries()).at(-1);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 0 });
    expect(delivery?.last_error).toContain('QUERY_LIMIT_EXCEEDED');
    // Not due yet: nothing is sent.
    const callsBefore = fake.calls.length;
    await dispatcher.dispatchNow();
    expect(fake.calls.length).toBe(callsBefore);

    skippedMs += 5_000;
    await dispatcher.dispatchNow();
    delivery = (await crmDeliveries()).at(-1);
    expect(delivery?.status).toBe('delivered');
    const next = fake.calls.find((c) => c.at > refusedAt && c.status === 200);
    expect((next?.at as number) - refusedAt).toBeGreaterThanOrEqual(900);
    expect(fake.leads.get(crmId)?.ASSIGNED_BY_ID).toBe(11);
  }, 20_000);

  it('with «create leads» on, a lead from another channel is created in Bitrix24 once (ORIGINATOR_ID/ORIGIN_ID) and its event does not bring it back', async () => {
    expect((await admin({ method: 'PATCH', url: `/api/v1/crm-connectors/${connectorId}`, payload: { createLeads: true } })).statusCode).toBe(200);
    const created = await admin({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Светлана', phone: '+79995554433', companyName: 'ООО Лютик', source: 'web', utm: { source: 'google' } } });
    expect(created.statusCode).toBe(201);
    const leadId = created.json().lead.id as string;
    await dispatcher.dispatchNow();
    const inCrm = [...fake.leads.values()].filter((l) => l.ORIGIN_ID === leadId);
    expect(inCrm).toHaveLength(1);
    expect(inCrm[0]).toMatchObject({ ORIGINATOR_ID: 'leadrouter', TITLE: 'ООО Лютик', NAME: 'Светлана', ASSIGNED_BY_ID: 11, UTM_SOURCE: 'google', PHONE: [{ VALUE: '+79995554433', VALUE_TYPE: 'WORK' }] });
    const before = await leadsFromCrm();
    expect((await postEvent(inCrm[0]?.ID as string)).status).toBe(200);
    await poller.pollNow({ force: true });
    expect(await leadsFromCrm()).toBe(before);
    // A later owner change updates that CRM lead; nothing is added twice.
    expect((await admin({ method: 'POST', url: `/api/v1/leads/${leadId}/reassign`, payload: { toManagerId: 'm2', reason: 'Регион Ивана' } })).statusCode).toBe(200);
    await dispatcher.dispatchNow();
    expect([...fake.leads.values()].filter((l) => l.ORIGIN_ID === leadId)).toHaveLength(1);
    expect(fake.leads.get(inCrm[0]?.ID as string)?.ASSIGNED_BY_ID).toBe(12);
    expect(fake.calls.filter((c) => c.method === 'crm.lead.add')).toHaveLength(1);
  });

  it('owner changes that waited out an outage together still create a lead from another channel once', async () => {
    fake.outage('reset');
    const created = await admin({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Кирилл', phone: '+79990001122', source: 'web' } });
    const leadId = created.json().lead.id as string;
    await dispatcher.dispatchNow();
    expect((await admin({ method: 'POST', url: `/api/v1/leads/${leadId}/reassign`, payload: { toManagerId: 'm2', reason: 'Нагрузка' } })).statusCode).toBe(200);
    await dispatcher.dispatchNow();
    const waiting = (await crmDeliveries()).filter((d) => d.status === 'pending');
    expect(waiting.map((d) => d.topic).sort()).toEqual(['lead.assigned', 'lead.reassigned']);
    fake.outage('none');
    skippedMs += 10 * 60_000;
    await dispatcher.dispatchNow();
    expect((await crmDeliveries()).filter((d) => d.status !== 'delivered')).toEqual([]);
    const inCrm = [...fake.leads.values()].filter((l) => l.ORIGIN_ID === leadId);
    expect(inCrm).toHaveLength(1);
    expect(inCrm[0]?.ASSIGNED_BY_ID).toBe(12);
    expect(fake.comments.filter((c) => String(c.ENTITY_ID) === inCrm[0]?.ID)).toHaveLength(2);
  });

  it('a lead intake refuses is kept in the quarantine once (the poll finding it again keeps no second entry) and an admin replays it', async () => {
    fake.addLead({ NAME: 'Захар', OPPORTUNITY: '1000000000000000', PHONE: [{ VALUE: '+79031230000', VALUE_TYPE: 'WORK' }] });
    await poller.pollNow({ force: true });
    await poller.pollNow({ force: true });
    const items = (await t.request({ method: 'GET', url: '/api/v1/form-submissions/quarantine?status=waiting' })).json().items as Array<{ id: string; connectorId: string | null; formId: string | null }>;
    expect(items).toHaveLength(1);
    expect(items[0]?.formId).toBeNull();
    const replayed = await t.request({ method: 'POST', url: `/api/v1/form-submissions/quarantine/${items[0]?.id as string}/replay`, payload: { input: { name: 'Захар', phone: '+79031230000' } } });
    expect(replayed.statusCode, replayed.body).toBe(200);
    expect(replayed.json().leadId).toEqual(expect.any(String));
  });
});
