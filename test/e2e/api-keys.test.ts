import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/browser.js';
import { addManager, addTeam, addUser, publishRuleSet, rulesBySource, type E2ePerson } from '../support/e2e-app.js';
import { browserSuite } from '../support/browser-suite.js';

/**
 * The administrator's API keys screen in a real browser against a real server (SQLite; the
 * HTTP tests run the same endpoints on both databases): a key made in the UI is read from the
 * shown-once dialog, sends a lead, and stops working the moment it is revoked in the UI.
 */
describe('API keys in the console', () => {
  let admin: E2ePerson;
  const suite = browserSuite('api-keys', {
    setUp: async () => {
      await addTeam(suite.app, 'sales', 'Отдел продаж');
      await addManager(suite.app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@keys.test' });
      await publishRuleSet(suite.app, rulesBySource({ website: 'anna' }));
      admin = await addUser(suite.app, { role: 'admin', email: 'olga@keys.test', name: 'Ольга Смирнова' });
    },
  });
  const { actors } = suite;

  const sendLeadWith = async (key: string, name: string): Promise<number> => {
    const res = await fetch(`${suite.app.url}/api/v1/leads`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ name, phone: '+7 916 700-11-22', source: 'website' }),
      signal: AbortSignal.timeout(15_000),
    });
    return res.status;
  };

  it('an admin creates a key, copies it from the shown-once dialog, a lead sent with it is accepted, and after revoking it in the UI it is refused', async () => {
    const page = await actors.signIn(admin, '/settings/api-keys');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('heading', { name: 'API-ключи' }).waitFor();

    await page.getByRole('button', { name: 'Создать ключ' }).click();
    const form = page.getByRole('dialog', { name: 'Новый API-ключ' });
    await form.getByLabel(/^Название/).fill('Форма на сайте');
    // «Отправка лидов» is ticked already; the site also reads its leads back.
    expect(await form.getByRole('checkbox', { name: /^Отправка лидов/ }).isChecked()).toBe(true);
    await form.getByRole('checkbox', { name: /^Чтение лидов/ }).check();
    await form.getByRole('button', { name: 'Создать ключ' }).click();

    const shown = page.getByRole('dialog', { name: 'Ключ создан' });
    await shown.getByText('Он показывается только один раз', { exact: false }).waitFor();
    const key = (await shown.getByTestId('new-api-key').innerText()).trim();
    expect(key).toMatch(/^lr_[A-Za-z0-9_-]{43}$/);
    await shown.getByRole('button', { name: 'Скопировать' }).click();
    await shown.getByRole('button', { name: 'Скопировано' }).waitFor();
    expect(await page.evaluate(async () => await (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(key);
    await shown.getByRole('button', { name: 'Я сохранил(а) ключ' }).click();
    await shown.waitFor({ state: 'detached' });
    // Once the dialog is closed the key is nowhere on the page, only its prefix.
    expect(await page.content()).not.toContain(key);

    const row = page.getByTestId('api-key-row').filter({ hasText: 'Форма на сайте' });
    await row.getByText(`${key.slice(0, 10)}…`).waitFor();
    await row.getByText('Отправка лидов').waitFor();
    await row.getByText('Чтение лидов').waitFor();
    await row.getByText('Ольга Смирнова', { exact: false }).waitFor();
    expect(await row.getByTestId('api-key-last-used').innerText()).toBe('не использовался');

    expect(await sendLeadWith(key, 'Сергей Лебедев')).toBe(201);
    await page.reload();
    await waitUntil(async () => !(await row.getByTestId('api-key-last-used').innerText()).includes('не использовался'), 'the last use did not show');

    await row.getByRole('button', { name: 'Отозвать ключ «Форма на сайте»' }).click();
    const confirm = page.getByRole('dialog', { name: 'Отозвать ключ «Форма на сайте»?' });
    await confirm.getByText('Отменить это нельзя', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Отозвать ключ' }).click();
    await confirm.waitFor({ state: 'detached' });
    // Revoked keys are hidden until asked for.
    await row.waitFor({ state: 'detached' });
    await page.getByRole('switch', { name: 'Показать отозванные (1)' }).check();
    await row.getByTestId('api-key-status').getByText('Отозван').waitFor();

    expect(await sendLeadWith(key, 'Слишком поздно')).toBe(401);
  });
});
