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

  it('a manager stops e-mail for new leads, adds Telegram for SLA breaches, links a chat, and finds it all after a reload', async () => {
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
    await page.getByRole('textbox', { name: 'Номер чата или @канал' }).fill('not a chat');
    await page.getByRole('button', { name: 'Подключить' }).click();
    // The server's refusal, in the reader's language, stands next to the field with the hint.
    await page.getByText('Неверный формат').waitFor();
    await page.getByText('Число, например 123456789, или @имя_канала').waitFor();
    await page.getByRole('textbox', { name: 'Номер чата или @канал' }).fill('123456789');
    await page.getByRole('button', { name: 'Подключить' }).click();
    await page.getByText('Telegram подключён: чат 123456789').waitFor();

    await page.reload();
    await page.getByRole('tab', { name: 'Настройки' }).click();
    await waitUntil(async () => !(await table.getByRole('checkbox', { name: 'Новый лид: E-mail' }).isChecked()), 'e-mail for new leads came back');
    expect(await table.getByRole('checkbox', { name: 'Новый лид: В приложении' }).isChecked()).toBe(true);
    expect(await table.getByRole('checkbox', { name: 'Срок SLA нарушен: Telegram' }).isChecked()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Номер чата или @канал' }).inputValue()).toBe('123456789');
    expect(await page.getByText('Telegram не подключён', { exact: false }).count()).toBe(0);
  });
});
