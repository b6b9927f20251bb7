import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveFeed } from '../../src/app/notifications/live-feed.js';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { startAmocrmFake, type AmocrmFake } from '../support/amocrm-fake.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const RULE_SET = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'big', name: 'Big deals to Anna', when: { field: 'dealValue', op: 'gte', value: 100000 }, target: { kind: 'group', managers: ['m1'], strategy: 'round_robin' } }],
  fallback: { kind: 'manager', managerId: 'm2' },
};

describe.each(DATABASE_KINDS)('the amoCRM connector against a fake account over HTTP, on %s', (kind) => {
  let fake: AmocrmFake;
  let t: TestApp;
  let appUrl: string;
  let dispatcher: OutboxDispatcher;
  let connectorId: string;
  let eventPath: string;
  let skippedMs = 0;

  const admin = (o: { method: 'GET' | 'POST' | 'PUT' | 'PATCH'; url: string; payload?: object }) => t.request(o);
  const postWebhook = async (ids: number[]): Promise<{ status: number; body: { leads?: Array<{ crmId: string; leadId: string | null; created: boolean }> } }> => {
    const res = await fetch(`${appUrl}${eventPath}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fake.webhookBody(ids) });
    return { status: res.status, body: (await res.json()) as { leads?: Array<{ crmId: string; leadId: string | null; created: boolean }> } };
  };
  const fromCrm = async (): Promise<number> => {
    const key = await t.store.db.selectFrom('crm_connectors').select('api_key_id').where('id', '=', connectorId).executeTakeFirstOrThrow();
    return Number((await t.store.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).where('api_key_id', '=', key.api_key_id).executeTakeFirstOrThrow()).n);
  };
  const crmDeliveries = async () => await t.store.db.selectFrom('deliveries').select(['topic', 'status', 'attempts', 'last_error']).where('channel', '=', 'crm').orderBy('created_at').execute();

  beforeAll(async () => {
    fake = await startAmocrmFake();
    fake.users.push(
      { id: 7001, name: 'Анна Смирнова', email: 'anna@example.test', rights: { is_active: true } },
      { id: 7002, name: 'Иван Петров', email: 'IVAN@example.test', rights: { is_active: true } },
      { id: 7003, name: 'Бывший', email: 'old@example.test', rights: { is_active: false } },
    );
    t = await startTestApp(kind, { now: () => new Date(Date.now() + skippedMs), prepare: async () => ({}) });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    appUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }],
      managers: [manager('m1', { teamId: 'north', name: 'Анна Смирнова', email: 'anna@example.test' }), manager('m2', { teamId: 'north', name: 'Иван Петров', email: 'ivan@example.test' })],
      ruleSet: RULE_SET,
    });
    dispatcher = startOutboxDispatcher(t.ctx, {
      intervalMs: 3_600_000,
      settings: { smtpUrl: undefined, smtpFrom: 'leadrouter <robot@leadrouter.test>', telegramBotToken: undefined, telegramApiBaseUrl: 'http://127.0.0.1:9', crm: { outagePauseMs: 1_000 } },
      liveFeed: new LiveFeed(t.ctx),
    });
  }, 60_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await t?.close();
    await fake?.close();
  });

  it('an admin connects the account by its subdomain and a long-lived token (a wrong token is refused) and maps managers by e-mail', async () => {
    const wrong = await admin({ method: 'POST', url: '/api/v1/crm-connectors/amocrm', payload: { account: fake.baseUrl, token: 'not-the-token-0000000000000' } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.details[0]).toMatchObject({ path: 'token', code: 'crm_refused' });
    const bad = await admin({ method: 'POST', url: '/api/v1/crm-connectors/amocrm', payload: { account: 'not an account!', token: fake.token } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('account');

    const res = await admin({ method: 'POST', url: '/api/v1/crm-connectors/amocrm', payload: { name: 'amoCRM', account: fake.baseUrl, token: fake.token } });
    expect(res.statusCode, res.body).toBe(201);
    connectorId = res.json().id;
    eventPath = res.json().eventPath;
    expect(eventPath).toMatch(/^\/crm\/amocrm\/lrc_[A-Za-z0-9_-]+\/events$/);
    expect(res.body).not.toContain(fake.token);

    const matched = await admin({ method: 'POST', url: `/api/v1/crm-connectors/${connectorId}/users/match-by-email` });
    expect(matched.json()).toMatchObject({ matched: 2, items: [{ managerId: 'm1', crmUserId: '7001' }, { managerId: 'm2', crmUserId: '7002' }] });
  });

  it('leads[add] makes exactly one lead per amoCRM lead with the contact’s phones and e-mails, the company, UTM and price; a repeated webhook makes none', async () => {
    const big = fake.addLead({ name: 'Поставка станков', price: 250000, contact: { name: 'Глеб Титов', phones: ['+7 (916) 123-45-67'], emails: ['gleb@titov.ru'] }, company: 'ООО Станкопром', utm: { source: 'yandex', campaign: 'spring' } });
    const small = fake.addLead({ name: 'Консультация', contact: { name: 'Мария', phones: ['+79035550101'] } });
    const first = await postWebhook([big, small]);
    expect(first.status).toBe(200);
    expect(first.body.leads?.map((l) => l.created)).toEqual([true, true]);
    const again = await postWebhook([big]);
    expect(again.body.leads?.[0]).toMatchObject({ created: false, leadId: first.body.leads?.[0]?.leadId });
    expect(await fromCrm()).toBe(2);
    const lead = (await admin({ method: 'GET', url: `/api/v1/leads/${first.body.leads?.[0]?.leadId as string}` })).json().lead;
    expect(lead).toMatchObject({ name: 'Глеб Титов', phone: '+79161234567', email: 'gleb@titov.ru', companyName: 'ООО Станкопром', channel: 'amocrm', dealValue: 250000, campaign: 'spring', ownerId: 'm1' });
    expect(lead.utm).toMatchObject({ source: 'yandex', campaign: 'spring' });
  });

  it('the routing decision sets responsible_user_id and adds a note, within amoCRM’s 7 requests a second', async () => {
    await dispatcher.dispatchNow();
    expect((await crmDeliveries()).map((d) => `${d.status} ${d.last_error}`)).toEqual(['delivered null', 'delivered null']);
    const [big, small] = [...fake.leads.values()];
    expect(big?.responsible_user_id).toBe(7001);
    expect(small?.responsible_user_id).toBe(7002);
    expect(fake.notes.find((n) => n.entity_id === big?.id)).toMatchObject({ note_type: 'common', text: expect.stringMatching(/^leadrouter: Правило «Big deals to Anna» сработало; .*лид получает Анна Смирнова/) });
    // No second of calls went over 7, so nothing was refused.
    expect(fake.calls.filter((c) => c.status === 429)).toEqual([]);
  });

  it('an outage delays a reassignment and then delivers it; 429 backs off without using a retry', async () => {
    const big = [...fake.leads.values()][0] as { id: number };
    const [linked] = await t.store.db.selectFrom('crm_lead_links').select('lead_id').where('crm_id', '=', String(big.id)).execute();
    fake.outage('http');
    expect((await admin({ method: 'POST', url: `/api/v1/leads/${linked?.lead_id as string}/reassign`, payload: { toManagerId: 'm2', reason: 'Отпуск' } })).statusCode).toBe(200);
    await dispatcher.dispatchNow();
    expect((await crmDeliveries()).at(-1)).toMatchObject({ status: 'pending', attempts: 0 });
    fake.outage('none');
    fake.limitNext(1);
    skippedMs += 60_000;
    await dispatcher.dispatchNow();
    const limited = (await crmDeliveries()).at(-1);
    expect(limited).toMatchObject({ status: 'pending', attempts: 0 });
    expect(limited?.last_error).toContain('429');
    skippedMs += 60_000;
    await dispatcher.dispatchNow();
    expect((await crmDeliveries()).at(-1)?.status).toBe('delivered');
    expect(fake.leads.get(big.id)?.responsible_user_id).toBe(7002);
    expect(fake.notes.at(-1)?.text).toBe('leadrouter: ответственный — Иван Петров (руководитель переназначил лид); причина: Отпуск.');
  }, 20_000);

  it('with «create leads» on, a lead from another channel is created by /api/v4/leads/complex and its webhook does not bring it back', async () => {
    expect((await admin({ method: 'PATCH', url: `/api/v1/crm-connectors/${connectorId}`, payload: { createLeads: true } })).statusCode).toBe(200);
    const created = await admin({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Светлана', phone: '+79995554433', companyName: 'ООО Лютик', dealValue: 500000 } });
    const leadId = created.json().lead.id as string;
    await dispatcher.dispatchNow();
    const made = [...fake.leads.values()].filter((l) => l._embedded.tags.some((tag) => tag.name === `leadrouter:${leadId}`));
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ name: 'ООО Лютик', price: 500000, responsible_user_id: 7001 });
    const before = await fromCrm();
    expect((await postWebhook([made[0]?.id as number])).body.leads?.[0]).toMatchObject({ leadId, created: false });
    expect(await fromCrm()).toBe(before);
  });

  it('a lost answer to /api/v4/leads/complex does not make a second deal: the retry finds it by its leadrouter tag', async () => {
    const created = await admin({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Пётр', phone: '+79995554434', companyName: 'ООО Василёк', dealValue: 300000 } });
    const leadId = created.json().lead.id as string;
    const tagged = () => [...fake.leads.values()].filter((l) => l._embedded.tags.some((tag) => tag.name === `leadrouter:${leadId}`));
    fake.loseNextComplexAnswer();
    await dispatcher.dispatchNow();
    expect(tagged()).toHaveLength(1);
    expect((await crmDeliveries()).at(-1)?.status).toBe('pending');
    skippedMs += 60_000;
    await dispatcher.dispatchNow();
    expect((await crmDeliveries()).at(-1)?.status).toBe('delivered');
    expect(tagged()).toHaveLength(1);
    const [link] = await t.store.db.selectFrom('crm_lead_links').select(['crm_id', 'direction']).where('lead_id', '=', leadId).execute();
    expect(link).toEqual({ crm_id: String(tagged()[0]?.id), direction: 'out' });
    expect(fake.notes.filter((n) => n.entity_id === tagged()[0]?.id)).toHaveLength(1);
  }, 20_000);

  it('a webhook lost during an outage is picked up by the poll, once; the late webhook makes no second lead', async () => {
    const before = await fromCrm();
    const lost = fake.addLead({ name: 'Сделка без вебхука', price: 1000, contact: { name: 'Олег', phones: ['+79037770011'] } });
    const polled = await admin({ method: 'POST', url: `/api/v1/crm-connectors/${connectorId}/poll` });
    expect(polled.statusCode, polled.body).toBe(200);
    expect(polled.json().created).toBe(1);
    expect(await fromCrm()).toBe(before + 1);
    expect((await admin({ method: 'POST', url: `/api/v1/crm-connectors/${connectorId}/poll` })).json().created).toBe(0);
    const late = await postWebhook([lost]);
    expect(late.body.leads?.[0]?.created).toBe(false);
    expect(await fromCrm()).toBe(before + 1);
    const [link] = await t.store.db.selectFrom('crm_lead_links').select('lead_id').where('crm_id', '=', String(lost)).execute();
    expect(late.body.leads?.[0]?.leadId).toBe(link?.lead_id);
  });

  it('a lead intake refuses is kept in the quarantine once; an admin fixes and replays it, and it is linked to the amoCRM lead', async () => {
    const before = await fromCrm();
    const empty = fake.addLead({ name: 'Заявка', price: 1e15, contact: { name: 'Нина' } });
    expect((await postWebhook([empty])).body.leads?.[0]).toMatchObject({ leadId: null, created: false });
    await admin({ method: 'POST', url: `/api/v1/crm-connectors/${connectorId}/poll` });
    const listed = await admin({ method: 'GET', url: `/api/v1/form-submissions/quarantine?connectorId=${connectorId}` });
    expect(listed.statusCode).toBe(200);
    const items = listed.json().items as Array<{ id: string; formId: string | null; connectorId: string; status: string; fields: Record<string, string> }>;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ formId: null, connectorId, status: 'waiting', fields: { id: String(empty) } });
    const replayed = await admin({ method: 'POST', url: `/api/v1/form-submissions/quarantine/${items[0]?.id as string}/replay`, payload: { input: { name: 'Нина', phone: '+79031112233' } } });
    expect(replayed.statusCode, replayed.body).toBe(200);
    expect(await fromCrm()).toBe(before + 1);
    const again = await postWebhook([empty]);
    expect(again.body.leads?.[0]).toMatchObject({ leadId: replayed.json().leadId, created: false });
    expect(await fromCrm()).toBe(before + 1);
  });

  it('a deal created by a change that then gave up for good is found by a later change, not created twice', async () => {
    const created = await admin({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Роман', phone: '+79995554435', companyName: 'ООО Ландыш', dealValue: 400000 } });
    const leadId = created.json().lead.id as string;
    const tagged = () => [...fake.leads.values()].filter((l) => l._embedded.tags.some((tag) => tag.name === `leadrouter:${leadId}`));
    // amoCRM adds the deal but its answer is lost; the change then gives up for good (as after its last retry).
    fake.loseNextComplexAnswer();
    await dispatcher.dispatchNow();
    expect(tagged()).toHaveLength(1);
    await t.store.db.updateTable('deliveries').set({ status: 'failed', last_error: 'gave up' }).where('channel', '=', 'crm').where('status', '=', 'pending').execute();
    expect(await t.store.db.selectFrom('crm_lead_links').select('crm_id').where('lead_id', '=', leadId).execute()).toEqual([]);
    // A day later the head hands the lead over: that change finds the deal by its tag.
    skippedMs += 24 * 3_600_000;
    expect((await admin({ method: 'POST', url: `/api/v1/leads/${leadId}/reassign`, payload: { toManagerId: 'm2', reason: 'Отпуск' } })).statusCode).toBe(200);
    await dispatcher.dispatchNow();
    expect((await crmDeliveries()).at(-1)?.status).toBe('delivered');
    expect(tagged()).toHaveLength(1);
    expect(tagged()[0]?.responsible_user_id).toBe(7002);
    expect(fake.calls.filter((c) => c.method === 'POST' && c.path === '/api/v4/leads/complex' && JSON.stringify(c.body).includes(`leadrouter:${leadId}`))).toHaveLength(1);
    const [link] = await t.store.db.selectFrom('crm_lead_links').select(['crm_id', 'direction']).where('lead_id', '=', leadId).execute();
    expect(link).toEqual({ crm_id: String(tagged()[0]?.id), direction: 'out' });
  }, 20_000);
});
