import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/browser.js';
import { browserSuite } from '../support/browser-suite.js';
import { addManager, addTeam, type E2ePerson } from '../support/e2e-app.js';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.js';

/**
 * «Подключить Telegram» in a real browser against a real server whose bot long-polls a local fake
 * Bot API: the page gives a one-time t.me link, the person presses Start in the bot (the fake
 * API delivers `/start <code>`), the bot answers in Russian and the page shows Telegram connected.
 */
describe('connecting Telegram from the notification settings', () => {
  let stub: TelegramStub;
  let anna: E2ePerson;
  const env: Record<string, string> = {};
  beforeAll(async () => {
    stub = await startTelegramStub();
    Object.assign(env, { TELEGRAM_BOT_TOKEN: '424242:e2e-bot-token', TELEGRAM_BOT_USERNAME: 'leadrouter_e2e_bot', TELEGRAM_API_BASE_URL: stub.baseUrl, PUBLIC_URL: 'https://leads.example.test' });
  });
  const suite = browserSuite('telegram-link', {
    env,
    setUp: async (app) => {
      await addTeam(app, 'sales', 'Отдел продаж');
      anna = await addManager(app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@telegram.test' });
    },
  });
  afterAll(async () => await stub?.close());

  it('links the chat that opens the one-time link, and says so in Russian', async () => {
    const page = await suite.actors.signIn(anna, '/notifications');
    await page.getByRole('tab', { name: 'Настройки' }).click();
    const section = page.getByTestId('telegram-link');
    await section.getByRole('button', { name: 'Подключить Telegram' }).click();
    const link = section.getByRole('link', { name: /Открыть бота/ });
    const href = (await link.getAttribute('href')) as string;
    expect(href).toMatch(/^https:\/\/t\.me\/leadrouter_e2e_bot\?start=[A-Za-z0-9_-]{24}$/);
    await section.getByText('Откройте бота в Telegram и нажмите «Запустить»').waitFor();
    await page.screenshot({ path: join(tmpdir(), 'telegram-link.png'), clip: { x: 0, y: 0, width: 1366, height: 520 } });

    stub.userWrites(5005, `/start ${new URL(href).searchParams.get('start') as string}`);
    const reply = await waitUntil(async () => stub.sent.find((m) => m.chatId === '5005')?.text, 'the bot’s answer');
    expect(reply).toContain('Готово, Анна Петрова! Telegram подключён');
    await section.getByText('Готово: Telegram подключён, бот ответил вам в чате.').waitFor();
    await section.getByRole('button', { name: 'Отключить Telegram' }).waitFor();
  }, 60_000);
});
