import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveFeed } from '../../src/app/notifications/live-feed.js';
import { enqueueOutbox } from '../../src/store/journal-queries.js';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { decodeMailHeader } from '../support/mail-header.js';
import { startSmtpServerProcess, type SmtpServerProcess } from '../support/smtp-server-process.js';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

/** Monday 2026-11-23 12:00 in Moscow: Анна and Борис work 09–18 Moscow, Вера 09–18 Vladivostok (19:00 there). */
const START = new Date('2026-11-23T09:00:00Z');
const TOKEN = '123456:test-bot-token';
const DAY: Array<[string, string]> = [['09:00', '18:00']];
const OFFICE = { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY };
const RULE_SET = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'msk', name: 'Москва', when: { field: 'region', op: 'eq', value: 'Москва' }, target: { kind: 'group', managers: ['anna', 'boris', 'vera'], strategy: 'weighted' } }],
  fallback: { kind: 'pool' },
};
const RUSSIAN_FIRST = /^Правило «Москва» сработало; из 3 менеджеров могли взять 2 \(1 вне рабочего времени\); по взвешенной очереди лид получает (Анна Петрова|Борис Орлов) \(доля \d+%\)\.$/;

describe.each(DATABASE_KINDS)("decisions and notifications in the reader's language on %s", (kind) => {
  let t: TestApp;
  let dispatcher: OutboxDispatcher | null = null;
  let smtp: SmtpServerProcess | null = null;
  let telegram: TelegramStub | null = null;
  beforeEach(async () => {
    t = await startTestApp(kind, { now: () => START });
    await setUpRouting(t, {
      teams: [{ id: 'msk', name: 'Москва' }],
      managers: [
        manager('anna', { name: 'Анна Петрова', teamId: 'msk', weight: 2, workingHours: OFFICE }),
        manager('boris', { name: 'Борис Орлов', teamId: 'msk', workingHours: OFFICE }),
        manager('vera', { name: 'Вера Ким', teamId: 'msk', timeZone: 'Asia/Vladivostok', workingHours: OFFICE }),
      ],
      ruleSet: RULE_SET,
    });
  });
  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = null;
    await smtp?.stop();
    smtp = null;
    await telegram?.close();
    telegram = null;
    await t.close();
  });

  it('answers an API key in Russian by default and in English when Accept-Language asks, the English summary kept alongside', async () => {
    const ru = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'ООО «Ромашка»', phone: '+79161234567', region: 'Москва' } });
    expect(ru.statusCode).toBe(201);
    const decision = ru.json().decision;
    expect(decision.summaryText).toMatch(RUSSIAN_FIRST);
    expect(decision.trace.summary).toMatch(/^Rule "Москва" matched; 2 of 3 managers could take it \(1 off hours\);/);

    const en = await t.request({ method: 'POST', url: '/api/v1/leads', headers: { 'accept-language': 'en-US,en;q=0.9,ru;q=0.5' }, payload: { name: 'Acme', phone: '+79161234568', region: 'Москва' } });
    expect(en.json().decision.summaryText).toBe(en.json().decision.trace.summary);

    const id = ru.json().lead.id as string;
    const read = await t.request({ method: 'GET', url: `/api/v1/leads/${id}`, headers: { 'accept-language': 'en' } });
    expect(read.json().decision.summaryText).toBe(read.json().decision.trace.summary);
    const list = await t.request({ method: 'GET', url: '/api/v1/leads?decisions=true' });
    expect(list.json().items.map((i: { decision: { summaryText: string } }) => i.decision.summaryText)).toEqual([expect.stringMatching(/^Правило «Москва»/), expect.stringMatching(/^Правило «Москва»/)]);
  });

  it("tells a signed-in person the decision in the language they chose (Russian when none, whatever the browser asks), on the card and the timeline", async () => {
    const created = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'ООО «Ромашка»', phone: '+79161234567', region: 'Москва' } });
    const id = created.json().lead.id as string;
    const head = await t.signIn({ role: 'head', teamId: 'msk' });
    const card = await head.request({ method: 'GET', url: `/api/v1/leads/${id}`, headers: { 'accept-language': 'en-US' } });
    expect(card.json().decision.summaryText).toMatch(RUSSIAN_FIRST);
    const timeline = (await head.request({ method: 'GET', url: `/api/v1/leads/${id}/timeline` })).json().items as Array<{ type: string; details: Record<string, unknown> }>;
    expect(timeline.find((i) => i.type === 'assignment')?.details.summaryText).toMatch(RUSSIAN_FIRST);

    expect((await head.request({ method: 'PUT', url: '/api/v1/me/locale', payload: { locale: 'en' } })).statusCode).toBe(200);
    const english = await head.request({ method: 'GET', url: `/api/v1/leads/${id}` });
    expect(english.json().decision.summaryText).toBe(english.json().decision.trace.summary);
    const englishTimeline = (await head.request({ method: 'GET', url: `/api/v1/leads/${id}/timeline` })).json().items as Array<{ type: string; details: Record<string, unknown> }>;
    expect(englishTimeline.find((i) => i.type === 'assignment')?.details.summaryText).toMatch(/^Rule "Москва" matched/);
  });

  it('tells the simulation and the rule comparison in the reader’s language', async () => {
    const leads = [{ name: 'Клиент', phone: '+79160000001', region: 'Тверь' }, { name: 'Клиент 2', phone: '+79160000002', region: 'Москва' }];
    const simulated = await t.request({ method: 'POST', url: '/api/v1/routing/simulate', payload: { leads, at: START.toISOString() } });
    expect(simulated.statusCode).toBe(200);
    expect(simulated.json().fallback.examples).toEqual([{ index: 1, summary: 'No rule matched, so it went to the pool.', summaryText: 'Ни одно правило не подошло, поэтому лид ушёл в пул.' }]);
    const draft = { ...RULE_SET, rules: [{ ...RULE_SET.rules[0], when: { field: 'region', op: 'in', value: ['Москва', 'Тверь'] } }] };
    const compared = await t.request({ method: 'POST', url: '/api/v1/routing/compare', headers: { 'accept-language': 'en' }, payload: { candidate: { definition: draft }, leads, at: START.toISOString() } });
    expect(compared.statusCode).toBe(200);
    const changed = compared.json().changed.items[0];
    expect(changed.before.summaryText).toBe('No rule matched, so it went to the pool.');
    expect(changed.after.summaryText).toBe(changed.after.summary);
  });

  it("delivers each notification in its recipient's language: in-app, e-mail and Telegram", async () => {
    smtp = await startSmtpServerProcess();
    telegram = await startTelegramStub();
    const anna = await t.signIn({ role: 'manager', managerId: 'anna', email: 'anna@example.test' });
    const boris = await t.signIn({ role: 'manager', managerId: 'boris', email: 'boris@example.test' });
    expect((await boris.request({ method: 'PUT', url: '/api/v1/me/locale', payload: { locale: 'en' } })).statusCode).toBe(200);
    for (const [person, chatId] of [[anna, '101'], [boris, '202']] as const) {
      expect((await person.request({ method: 'PUT', url: '/api/v1/me/telegram', payload: { chatId } })).statusCode).toBe(200);
      const topics = { 'lead.converted': ['in_app', 'email', 'telegram'] };
      expect((await person.request({ method: 'PUT', url: '/api/v1/me/notification-preferences', payload: { topics } })).statusCode).toBe(200);
    }
    const at = START.toISOString();
    await enqueueOutbox(t.store.db, [
      { id: t.ctx.newId(), topic: 'lead.converted', payload: { leadId: null, text: 'Lead Acme converted into a deal', message: { key: 'converted', lead: 'Acme' }, audience: { managers: ['anna', 'boris'] } }, createdAt: at },
    ]);
    dispatcher = startOutboxDispatcher(t.ctx, {
      intervalMs: 3_600_000,
      settings: { smtpUrl: smtp.url, smtpFrom: 'leadrouter <robot@leadrouter.test>', telegramBotToken: TOKEN, telegramApiBaseUrl: telegram.baseUrl },
      liveFeed: new LiveFeed(t.ctx),
      deliver: { random: () => 0.5 },
    });
    const report = await dispatcher.dispatchNow();
    expect(report.delivery).toMatchObject({ delivered: 6, failed: 0 });

    expect((await anna.request({ method: 'GET', url: '/api/v1/notifications' })).json().items[0]).toMatchObject({ text: 'Лид Acme стал сделкой', details: { locale: 'ru' } });
    expect((await boris.request({ method: 'GET', url: '/api/v1/notifications' })).json().items[0]).toMatchObject({ text: 'Lead Acme converted into a deal', details: { locale: 'en' } });

    const mails = await smtp.waitForMessages(2);
    const subjectTo = (email: string) => decodeMailHeader(mails.find((m) => m.to.includes(email))?.headers.subject);
    expect(subjectTo('anna@example.test')).toBe('Лид Acme стал сделкой');
    expect(subjectTo('boris@example.test')).toBe('Lead Acme converted into a deal');

    expect(telegram.sent.find((m) => m.chatId === '101')?.text).toBe('Лид Acme стал сделкой');
    expect(telegram.sent.find((m) => m.chatId === '202')?.text).toBe('Lead Acme converted into a deal');
  });
});
