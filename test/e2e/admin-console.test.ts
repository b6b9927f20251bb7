import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Actors, choose, launchBrowser, waitUntil } from '../support/browser.js';
import { addManager, addTeam, addUser, startE2eApp, type E2eApp, type E2ePerson } from '../support/e2e-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The admin's console screens in a real browser against a real server (SQLite): SLA policies
 * with their preview and the holiday calendar, webhooks with a test event to a real receiver,
 * and the audit log.
 */
const OFFICE = { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] };

describe('the admin console on sqlite', () => {
  let app: E2eApp;
  let browser: Browser;
  let admin: E2ePerson;
  let receiver: WebhookReceiver;
  let secret = '';
  const actors = new Actors(() => browser, () => app.url);

  beforeAll(async () => {
    const [started, launched, listening] = await Promise.allSettled([startE2eApp('sqlite'), launchBrowser(), startWebhookReceiver(() => secret)]);
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (listening.status === 'fulfilled') receiver = listening.value;
    for (const result of [started, launched, listening]) if (result.status === 'rejected') throw result.reason;
    await addTeam(app, 'sales', 'Отдел продаж');
    await addManager(app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@e2e.test' });
    await app.api('PATCH', '/api/v1/managers/anna', { workingHours: OFFICE, timeZone: 'Europe/Moscow' });
    admin = await addUser(app, { role: 'admin', email: 'admin@e2e.test', name: 'Алла Админова' });
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      const shots = await actors.screenshots(`admin-console-${context.task.name}`);
      console.error(`screenshots: ${shots.join(', ')}\nbrowser: ${actors.diagnostics()}\nserver: ${app?.server.output().slice(-4000)}`);
    }
    await actors.closeAll();
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await app?.stop();
  });

  const dueText = async (page: Page) => (await page.getByTestId('sla-preview-due').textContent()) ?? '';

  it("a holiday added in the UI moves the SLA preview's deadline to the next working day", async () => {
    const page = await actors.signIn(admin, '/settings/sla');
    await page.getByRole('button', { name: 'Новая политика' }).click();
    const editor = page.getByRole('region', { name: 'Новая политика' });
    await editor.getByLabel(/^Название/).fill('Входящие: звонок за час');
    await editor.getByLabel(/^Первый контакт/).fill('60');
    const preview = page.getByRole('region', { name: 'Проверка на примере' });
    await choose(preview, 'Ответственный менеджер', 'Анна Петрова');
    await preview.getByText('Указать время').click();
    // Friday 5 March 2027, 17:30 on Anna's clock: half an hour left that day, the rest on Monday.
    await preview.getByLabel('Дата и время по часам менеджера').fill('2027-03-05T17:30');
    await waitUntil(async () => /пн, 8 марта 2027.*09:30/.test(await dueText(page)), 'the deadline is not Monday 09:30');
    expect(await preview.getByTestId('sla-preview-skipped').textContent()).toContain('выходной');

    // A company-wide holiday on that Monday, added on the other tab: the draft stays.
    await page.getByRole('tab', { name: 'Праздники' }).click();
    const form = page.getByRole('form', { name: 'Добавить праздник' });
    await form.getByLabel(/^Дата/).fill('2027-03-08');
    await form.getByLabel(/^Название/).fill('Международный женский день');
    await form.getByRole('button', { name: 'Добавить' }).click();
    await page.getByRole('table', { name: 'Праздники' }).getByText('Международный женский день').waitFor();
    await page.getByRole('tab', { name: 'Политики SLA' }).click();
    await waitUntil(async () => /вт, 9 марта 2027.*09:30/.test(await dueText(page)), `the deadline did not move to Tuesday 09:30 (${await dueText(page)})`);
    expect(await preview.getByTestId('sla-preview-skipped').textContent()).toContain('праздник «Международный женский день»');

    // Saved, the policy is listed with what it does.
    await editor.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('table', { name: 'Политики SLA' }).getByText('Входящие: звонок за час').waitFor();
    const policies = await app.api<{ items: Array<{ name: string; firstContactMinutes: number }> }>('GET', '/api/v1/sla/policies');
    expect(policies.items).toMatchObject([{ name: 'Входящие: звонок за час', firstContactMinutes: 60 }]);
  });

  it('a webhook created in the UI shows its secret once, and "send test event" reaches a real receiver, signed', async () => {
    const page = await actors.signIn(admin, '/settings/webhooks');
    await page.getByLabel(/^Адрес/).fill(receiver.url);
    await page.getByRole('button', { name: 'Подключить' }).click();
    secret = ((await page.getByTestId('webhook-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Секрет сохранён' }).click();
    await page.getByTestId('webhook-secret-dialog').waitFor({ state: 'detached' });

    const row = page.getByTestId('webhook-row').filter({ hasText: receiver.url });
    await row.getByRole('button', { name: 'Отправить тестовое событие' }).click();
    await row.getByTestId('webhook-test-status').getByText('Тестовое событие доставлено').waitFor();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({ event: 'webhook.test', signatureValid: true, body: { topic: 'webhook.test', payload: { test: true } } });
    // The delivery log lists it as delivered.
    await page.getByTestId('delivery-row').filter({ hasText: 'Тестовое событие' }).filter({ hasText: 'доставлено' }).first().waitFor();
  });

  // Reads the holiday the first test added.
  it('the audit log shows the holiday added in the UI: who, what, and the new values beside the old', async () => {
    const page = await actors.signIn(admin, '/settings/audit');
    await choose(page, 'Что', 'Праздник');
    const row = page.getByTestId('audit-row').filter({ hasText: 'Международный женский день' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Добавлен праздник');
    expect(await row.textContent()).toContain('Алла Админова');
    // Only holidays are listed.
    expect(await page.getByTestId('audit-row').count()).toBe(1);
    await row.click();
    const diff = page.getByTestId('audit-diff');
    await diff.waitFor();
    const cells = await diff.getByRole('row').filter({ hasText: 'name' }).getByRole('cell').allTextContents();
    expect(cells).toEqual(['name', '—', 'Международный женский день']);
  });

  it('catalogues: a transfer reason added with auto-approval and a new pipeline stage are saved', async () => {
    const page = await actors.signIn(admin, '/settings/catalogues?tab=transfer');
    const form = page.getByRole('form', { name: 'Новая причина передачи' });
    await form.getByLabel(/^Название/).fill('Клиент из другого города');
    // The key is suggested from the Russian name.
    await waitUntil(async () => (await form.getByLabel(/^Ключ/).inputValue()) === 'klient_iz_drugogo_goroda', 'no key suggested');
    await form.getByLabel('Одобрять автоматически').check({ force: true });
    await form.getByRole('button', { name: 'Добавить' }).click();
    await page.getByLabel('Название причины klient_iz_drugogo_goroda').waitFor();
    const reasons = await app.api<{ items: Array<{ key: string; label: string; autoApprove: boolean }> }>('GET', '/api/v1/reasons?kind=transfer');
    expect(reasons.items.find((r) => r.key === 'klient_iz_drugogo_goroda')).toMatchObject({ label: 'Клиент из другого города', autoApprove: true });

    await page.getByRole('tab', { name: 'Воронки' }).click();
    await page.getByLabel(/^Новый рабочий статус/).fill('Встреча назначена');
    await page.getByRole('button', { name: 'Добавить статус' }).click();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await waitUntil(async () => {
      const pipelines = await app.api<{ default: { stages: Array<{ key: string; label: string }> } }>('GET', '/api/v1/pipelines');
      return pipelines.default.stages.some((s) => s.key === 'vstrecha_naznachena' && s.label === 'Встреча назначена');
    }, 'the stage was not saved');
  });

  it('opening another SLA policy over unsaved edits asks first: stay keeps the edit, discard opens the other', async () => {
    await app.api('POST', '/api/v1/sla/policies', { name: 'Партнёры: звонок за 2 часа', firstContactMinutes: 120, match: { sources: ['partner'] } });
    const page = await actors.signIn(admin, '/settings/sla');
    const table = page.getByRole('table', { name: 'Политики SLA' });
    await table.getByText('Входящие: звонок за час').click();
    const editor = page.getByRole('region', { name: 'Входящие: звонок за час' });
    await editor.getByLabel(/^Первый контакт/).fill('45');
    await table.getByText('Партнёры: звонок за 2 часа').click();
    const ask = page.getByRole('dialog', { name: 'Изменения не сохранены' });
    await ask.getByRole('button', { name: 'Остаться' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(await editor.getByLabel(/^Первый контакт/).inputValue()).toBe('45 мин');
    await table.getByText('Партнёры: звонок за 2 часа').click();
    await ask.getByRole('button', { name: 'Не сохранять' }).click();
    await page.getByRole('region', { name: 'Партнёры: звонок за 2 часа' }).waitFor();
    const policies = await app.api<{ items: Array<{ name: string; firstContactMinutes: number }> }>('GET', '/api/v1/sla/policies');
    expect(policies.items.find((p) => p.name === 'Входящие: звонок за час')?.firstContactMinutes).toBe(60);
  });
});
