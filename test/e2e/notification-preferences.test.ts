import { describe, expect, it } from 'vitest';
import { dismissToasts, waitUntil } from '../support/browser.js';
import { addManager, addTeam, type E2ePerson } from '../support/e2e-app.js';
import { browserSuite } from '../support/browser-suite.js';

/** A manager chooses in the browser how to be told about events; the choice is the server's and survives a reload. */
describe('notification preferences', () => {
  let anna: E2ePerson;
  const suite = browserSuite('prefs', {
    setUp: async () => {
      await addTeam(suite.app, 'sales', 'Отдел продаж');
      anna = await addManager(suite.app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@prefs.test' });
    },
  });
  const { actors } = suite;

  // Linking Telegram through the bot's one-time link: test/e2e/telegram-link.test.ts.
  it('a manager stops e-mail for new leads, adds Telegram for SLA breaches, and finds it all after a reload', async () => {
    const page = await actors.signIn(anna, '/notifications');
    await page.getByRole('tab', { name: 'Настройки' }).click();
    const table = page.getByTestId('notification-preferences');
    await table.getByRole('checkbox', { name: 'Новый лид: E-mail' }).uncheck();
    await table.getByRole('checkbox', { name: 'Срок SLA нарушен: Telegram' }).check();
    // Source-health alerts are for heads: a manager is not asked about them.
    expect(await table.getByText('Источник', { exact: false }).count()).toBe(0);
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Настройки уведомлений сохранены').waitFor();
    await dismissToasts(page);

    await page.reload();
    await page.getByRole('tab', { name: 'Настройки' }).click();
    await waitUntil(async () => !(await table.getByRole('checkbox', { name: 'Новый лид: E-mail' }).isChecked()), 'e-mail for new leads came back');
    expect(await table.getByRole('checkbox', { name: 'Новый лид: В приложении' }).isChecked()).toBe(true);
    expect(await table.getByRole('checkbox', { name: 'Срок SLA нарушен: Telegram' }).isChecked()).toBe(true);
    // Telegram is chosen but not connected yet: the page says so and offers to connect it.
    await page.getByText('Telegram не подключён', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Подключить Telegram' }).waitFor();
  });
});
