import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveFeed } from '../../src/app/notifications/live-feed.js';
import { botApi } from '../../src/app/telegram/bot-api.js';
import { TelegramBot } from '../../src/app/telegram/telegram-bot.js';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { startTelegramPoller, type TelegramPoller } from '../../src/workers/telegram-poller.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTelegramStub, type FakeMessage, type TelegramStub } from '../support/telegram-stub.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const TOKEN = '777000:fake-bot-token';
const USERNAME = 'leadrouter_test_bot';
const SECRET = 'webhook-secret-of-the-test_1';
const PUBLIC_URL = 'https://leads.example.test';
const ANNA_CHAT = 1001;
const IVAN_CHAT = 2002;

const RULE_SET = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'direct', name: 'Direct leads to Anna', when: { field: 'source', op: 'eq', value: 'direct' }, target: { kind: 'group', managers: ['m1'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(DATABASE_KINDS)('the Telegram bot against a fake Bot API, on %s', (kind) => {
  let stub: TelegramStub;
  let t: TestApp;
  let bot: TelegramBot;
  let anna: TestUser;
  let ivan: TestUser;
  let dispatcher: OutboxDispatcher;
  let poller: TelegramPoller | null = null;
  /** The application's clock runs with real time, plus what a test skips ahead. */
  let skippedMs = 0;

  const api = () => botApi({ botToken: TOKEN, apiBaseUrl: stub.baseUrl });
  /** What each poller complained about (a 409 Conflict would show here). */
  const complaints: string[] = [];
  const startPoller = (holder: string): TelegramPoller =>
    startTelegramPoller(t.ctx, api(), bot, { pollTimeoutSeconds: 1, standbyMs: 50, holder, logger: { warn: (d, m) => complaints.push(`${holder}: ${m} ${String((d as { err?: unknown }).err)}`), error: (d, m) => complaints.push(`${holder}: ${m} ${String((d as { err?: unknown }).err)}`) } });
  const lastTo = (chat: number): FakeMessage | undefined => [...stub.messages.values()].filter((m) => m.chatId === String(chat)).at(-1);
  /** The newest message of the chat, once it is the one `ready` looks for. */
  const latest = (chat: number, ready: (m: FakeMessage) => boolean) => (): FakeMessage | undefined => {
    const m = lastTo(chat);
    return m && ready(m) ? m : undefined;
  };
  const repliesTo = (chat: number): string[] => stub.sent.filter((c) => c.chatId === String(chat)).map((c) => c.text);
  const newLead = async (name: string, source: string): Promise<string> => {
    const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name, phone: `+7916${Math.floor(1_000_000 + Math.random() * 8_999_999)}`, source } });
    expect(res.statusCode).toBe(201);
    return res.json().lead.id as string;
  };
  const linkCode = async (user: TestUser): Promise<string> => {
    const res = await user.request({ method: 'POST', url: '/api/v1/me/telegram/link' });
    expect(res.statusCode, res.body).toBe(201);
    const url = new URL(res.json().url as string);
    expect(`${url.origin}${url.pathname}`).toBe(`https://t.me/${USERNAME}`);
    return url.searchParams.get('start') as string;
  };
  const deliveries = async () => await t.store.db.selectFrom('deliveries').select(['id', 'topic', 'recipient', 'status', 'attempts', 'next_attempt_at', 'last_error']).where('channel', '=', 'telegram').execute();

  beforeAll(async () => {
    stub = await startTelegramStub();
    t = await startTestApp(kind, {
      now: () => new Date(Date.now() + skippedMs),
      prepare: async (ctx) => {
        bot = new TelegramBot(ctx, botApi({ botToken: TOKEN, apiBaseUrl: stub.baseUrl }), { publicUrl: PUBLIC_URL });
        return { telegram: { botUsername: USERNAME, webhook: { bot, secret: SECRET } } };
      },
    });
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }],
      managers: [manager('m1', { teamId: 'north', name: 'Анна Смирнова' }), manager('m2', { teamId: 'north', name: 'Иван Петров' })],
      ruleSet: RULE_SET,
    });
    anna = await t.signIn({ role: 'manager', managerId: 'm1', teamId: 'north', name: 'Анна Смирнова' });
    ivan = await t.signIn({ role: 'manager', managerId: 'm2', teamId: 'north', name: 'Иван Петров' });
    expect((await ivan.request({ method: 'PUT', url: '/api/v1/me/locale', payload: { locale: 'en' } })).statusCode).toBe(200);
    dispatcher = startOutboxDispatcher(t.ctx, {
      intervalMs: 3_600_000,
      settings: { smtpUrl: undefined, smtpFrom: 'leadrouter <robot@leadrouter.test>', telegramBotToken: TOKEN, telegramApiBaseUrl: stub.baseUrl, publicUrl: PUBLIC_URL },
      liveFeed: new LiveFeed(t.ctx),
    });
  }, 60_000);

  afterAll(async () => {
    await poller?.stop();
    await dispatcher?.stop();
    await t?.close();
    await stub?.close();
  });

  it('links a chat by a one-time deep link, stored hashed, and replies in the person’s language; a spent, wrong or expired code gets a polite reply', async () => {
    const code = await linkCode(anna);
    const stored = await t.store.db.selectFrom('telegram_link_codes').select(['code_hash', 'user_id']).execute();
    expect(stored).toEqual([{ code_hash: createHash('sha256').update(code).digest('hex'), user_id: anna.id }]);

    poller = startPoller('first');
    stub.userWrites(ANNA_CHAT, `/start ${code}`);
    const welcome = await waitFor('the welcome', () => repliesTo(ANNA_CHAT)[0]);
    expect(welcome).toContain('Готово, Анна Смирнова! Telegram подключён');
    const prefs = (await anna.request({ method: 'GET', url: '/api/v1/me/notification-preferences' })).json();
    expect(prefs.telegramChatId).toBe(String(ANNA_CHAT));
    expect(prefs.topics['lead.assigned']).toContain('telegram');
    expect(prefs.topics['lead.offered']).toEqual(['telegram']);

    // The same link again, from another chat: single use.
    stub.userWrites(IVAN_CHAT, `/start ${code}`, { languageCode: 'en' });
    expect(await waitFor('the refusal', () => repliesTo(IVAN_CHAT)[0])).toContain('This link did not work');
    stub.userWrites(3003, '/start not-a-real-code');
    expect(await waitFor('the refusal', () => repliesTo(3003)[0])).toContain('Ссылка не подошла');

    // Expired after 15 minutes.
    const late = await linkCode(ivan);
    skippedMs += 16 * 60_000;
    stub.userWrites(IVAN_CHAT, `/start ${late}`, { languageCode: 'en' });
    expect(await waitFor('the refusal', () => repliesTo(IVAN_CHAT)[1])).toContain('This link did not work');
    expect((await ivan.request({ method: 'GET', url: '/api/v1/me/notification-preferences' })).json().telegramChatId).toBeNull();

    // A fresh one works, and Ivan reads English.
    stub.userWrites(IVAN_CHAT, `/start ${await linkCode(ivan)}`);
    expect(await waitFor('the welcome', () => repliesTo(IVAN_CHAT)[2])).toContain('Done, Иван Петров! Telegram is linked');
  }, 30_000);

  it('a pool lead offers «Взять» to both managers; the first press wins, the other is told it is taken, every press is answered and both messages edited', async () => {
    const leadId = await newLead('ООО Ромашка', 'web');
    await dispatcher.dispatchNow();
    const toAnna = await waitFor('Anna’s offer', latest(ANNA_CHAT, (m) => m.keyboard.length > 0));
    const toIvan = await waitFor('Ivan’s offer', latest(IVAN_CHAT, (m) => m.keyboard.length > 0));
    expect(toAnna.text).toContain('Лид в общем пуле: <b>ООО Ромашка</b>');
    expect(toIvan.text).toContain('A lead in the pool: <b>ООО Ромашка</b>');
    const [take, open] = toAnna.keyboard[0] ?? [];
    expect(take).toEqual({ text: 'Взять', callback_data: `tk:${leadId}` });
    expect(Buffer.byteLength(take?.callback_data ?? '')).toBeLessThanOrEqual(64);
    expect(open).toEqual({ text: 'Открыть', url: `${PUBLIC_URL}/leads/${leadId}` });
    expect(toIvan.keyboard[0]?.[0]).toEqual({ text: 'Take', callback_data: `tk:${leadId}` });

    const annaPress = stub.userPresses(ANNA_CHAT, toAnna.messageId, `tk:${leadId}`);
    const ivanPress = stub.userPresses(IVAN_CHAT, toIvan.messageId, `tk:${leadId}`);
    await waitFor('both answers', () => stub.answers.some((a) => a.id === annaPress) && stub.answers.some((a) => a.id === ivanPress));
    expect(stub.answers.find((a) => a.id === annaPress)?.text).toBe('✅ Лид ваш');
    expect(stub.answers.find((a) => a.id === ivanPress)?.text).toBe('Анна Смирнова already took this lead');

    const lead = (await t.request({ method: 'GET', url: `/api/v1/leads/${leadId}` })).json().lead;
    expect(lead.ownerId).toBe('m1');
    const annaNow = stub.messages.get(`${ANNA_CHAT}:${toAnna.messageId}`);
    expect(annaNow?.text).toContain('✅ Лид ваш');
    expect(annaNow?.keyboard[0]?.map((b) => b.text)).toEqual(['Перезвонить позже', 'Открыть']);
    const ivanNow = stub.messages.get(`${IVAN_CHAT}:${toIvan.messageId}`);
    expect(ivanNow?.text).toContain('Taken by Анна Смирнова');
    expect(ivanNow?.keyboard.flat().map((b) => b.text)).toEqual(['Open']);
  }, 30_000);

  it('two presses at the same moment (webhook mode): exactly one manager wins', async () => {
    const leadId = await newLead('ИП Васильев', 'web');
    await dispatcher.dispatchNow();
    const toAnna = await waitFor('Anna’s offer', latest(ANNA_CHAT, (m) => m.text.includes('ИП Васильев')));
    const toIvan = await waitFor('Ivan’s offer', latest(IVAN_CHAT, (m) => m.text.includes('ИП Васильев')));
    const press = (updateId: number, chat: number, messageId: number) => ({
      update_id: updateId,
      callback_query: { id: `race-${updateId}`, from: { id: chat, is_bot: false, first_name: 'T' }, chat_instance: 'x', data: `tk:${leadId}`, message: { message_id: messageId, chat: { id: chat, type: 'private' }, text: '' } },
    });
    const post = (body: unknown, secret: string | null = SECRET) => t.app.inject({ method: 'POST', url: '/telegram/webhook', payload: body as object, headers: secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret } });

    expect((await post(press(9_000_001, ANNA_CHAT, toAnna.messageId), null)).statusCode).toBe(401);
    expect((await post(press(9_000_001, ANNA_CHAT, toAnna.messageId), 'wrong-secret-of-the-same-len')).statusCode).toBe(401);

    const [a, b] = await Promise.all([post(press(9_000_002, ANNA_CHAT, toAnna.messageId)), post(press(9_000_003, IVAN_CHAT, toIvan.messageId))]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const answers = stub.answers.filter((x) => x.id === 'race-9000002' || x.id === 'race-9000003');
    expect(answers).toHaveLength(2);
    const won = answers.filter((x) => x.text === '✅ Лид ваш' || x.text === '✅ The lead is yours');
    expect(won).toHaveLength(1);
    const claims = await t.store.db.selectFrom('events').select('id').where('lead_id', '=', leadId).where('type', '=', 'lead.claimed').execute();
    expect(claims).toHaveLength(1);
    const owner = (await t.request({ method: 'GET', url: `/api/v1/leads/${leadId}` })).json().lead.ownerId;
    expect(owner).toBe(won[0]?.id === 'race-9000002' ? 'm1' : 'm2');

    // Telegram repeating a webhook call does not act twice.
    const before = stub.answers.length;
    expect((await post(press(9_000_003, IVAN_CHAT, toIvan.messageId))).statusCode).toBe(200);
    expect(stub.answers.length).toBe(before);
  }, 30_000);

  it('«Перезвонить позже» on an own lead makes the call-back task through the web app’s use case', async () => {
    const leadId = await newLead('Пётр Иванов', 'direct');
    await dispatcher.dispatchNow();
    const message = await waitFor('the new-lead message', latest(ANNA_CHAT, (m) => m.text.includes('Пётр Иванов')));
    expect(message.text).toContain('Новый лид: <b>Пётр Иванов</b>');
    expect(message.keyboard[0]?.map((b) => b.text)).toEqual(['Перезвонить позже', 'Открыть']);
    const pressed = stub.userPresses(ANNA_CHAT, message.messageId, `cl:${leadId}`);
    const answer = await waitFor('the answer', () => stub.answers.find((a) => a.id === pressed));
    expect(answer.text).toMatch(/^Задача «Перезвонить» на \d\d:\d\d$/);
    const tasks = (await anna.request({ method: 'GET', url: '/api/v1/tasks' })).json();
    const task = (tasks.tasks ?? tasks.items ?? tasks).find?.((x: { leadId: string }) => x.leadId === leadId);
    expect(task).toMatchObject({ leadId, assigneeId: 'm1', title: 'Перезвонить' });
    expect(Math.abs(new Date(task.dueAt).getTime() - (t.ctx.now().getTime() + 3_600_000))).toBeLessThan(60_000);
    expect(stub.messages.get(`${ANNA_CHAT}:${message.messageId}`)?.text).toContain('⏰ Перезвонить в');

    // A forged button is answered, and does nothing.
    const forged = stub.userPresses(ANNA_CHAT, message.messageId, 'tk:../../etc');
    expect((await waitFor('the answer', () => stub.answers.find((a) => a.id === forged))).text).toBe('Эта кнопка устарела');
  }, 30_000);

  it('a restart does not replay updates; with two pollers on one database only one polls', async () => {
    await poller?.stop();
    poller = null;
    const before = repliesTo(ANNA_CHAT).length;
    stub.userWrites(ANNA_CHAT, '/help');
    const second = startPoller('second');
    await waitFor('the reply', () => repliesTo(ANNA_CHAT).length === before + 1);
    await second.stop();
    await waitFor('the stopped poller’s request to end', () => !stub.waiting);
    const offset = Number((await t.store.db.selectFrom('telegram_bot_state').select('update_offset').executeTakeFirstOrThrow()).update_offset);
    expect(offset).toBeGreaterThan(700_000_000);

    // Two processes start at once: one holds the lease and polls, the other stands by.
    const polls = stub.methods.filter((m) => m.method === 'getUpdates').length;
    const complained = complaints.length;
    const [x, y] = [startPoller('third'), startPoller('fourth')];
    await waitFor('polls after the restart', () => stub.methods.filter((m) => m.method === 'getUpdates').length >= polls + 2, 8_000);
    expect([x.polling, y.polling].filter(Boolean)).toHaveLength(1);
    // Neither was told 409 Conflict (two getUpdates at once).
    expect(complaints.slice(complained)).toEqual([]);
    // The update handled before the restart is not handled again.
    expect(repliesTo(ANNA_CHAT).length).toBe(before + 1);
    await x.stop();
    await y.stop();
    poller = startPoller('fifth');
  }, 30_000);

  it('429: a message waits Telegram’s retry_after in the outbox and goes out once; a burst to one chat is paced, none lost', async () => {
    stub.limitNext(1, 2);
    const leadId = await newLead('Ограничение Скорости', 'direct');
    const first = await dispatcher.dispatchNow();
    // In the app at once; e-mail waits (no SMTP here); Telegram waits its retry_after without using up an attempt.
    expect(first.delivery).toMatchObject({ delivered: 1, postponed: 2, retried: 0, failed: 0 });
    const waiting = (await deliveries()).find((d) => d.status === 'pending');
    expect(waiting).toMatchObject({ attempts: 0 });
    expect(waiting?.last_error).toContain('429');
    const due = new Date(waiting?.next_attempt_at as string).getTime() - t.ctx.now().getTime();
    expect(due).toBeGreaterThan(1_000);
    expect(due).toBeLessThanOrEqual(2_100);
    expect((await dispatcher.dispatchNow()).delivery.delivered).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, due + 50));
    expect((await dispatcher.dispatchNow()).delivery.delivered).toBe(1);
    expect(stub.calls.filter((c) => c.text.includes('Ограничение Скорости'))).toHaveLength(2);
    expect(stub.sent.filter((c) => c.text.includes('Ограничение Скорости'))).toHaveLength(1);
    expect((await deliveries()).every((d) => d.status === 'delivered')).toBe(true);
    expect(leadId).toBeTruthy();

    // Six leads to Anna at once: a short burst goes out, the rest about one a second, all of them.
    const names = Array.from({ length: 6 }, (_, i) => `Пачка ${i + 1}`);
    for (const name of names) await newLead(name, 'direct');
    await waitFor('all six sent', async () => {
      await dispatcher.dispatchNow();
      return names.every((n) => stub.sent.some((c) => c.text.includes(`<b>${n}</b>`)));
    }, 20_000);
    const times = stub.methods.filter((m) => m.method === 'sendMessage' && m.status === 200 && names.some((n) => String(m.body.text).includes(`<b>${n}</b>`))).map((m) => m.at);
    expect(times).toHaveLength(6);
    // After the burst of three, each message waited its turn: six took at least three seconds.
    expect((times.at(-1) as number) - (times[0] as number)).toBeGreaterThanOrEqual(2_900);
    expect((await deliveries()).every((d) => d.status === 'delivered' && d.attempts <= 1)).toBe(true);
  }, 40_000);

  it('unlinking from the web app or with /stop stops the messages', async () => {
    expect((await ivan.request({ method: 'PUT', url: '/api/v1/me/telegram', payload: { chatId: null } })).json().telegramChatId).toBeNull();
    const before = repliesTo(ANNA_CHAT).length;
    stub.userWrites(ANNA_CHAT, '/stop');
    expect(await waitFor('the goodbye', () => repliesTo(ANNA_CHAT)[before])).toContain('Telegram отключён');
    expect((await anna.request({ method: 'GET', url: '/api/v1/me/notification-preferences' })).json().telegramChatId).toBeNull();
  }, 20_000);
});
