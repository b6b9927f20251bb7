import { describe, expect, it } from 'vitest';
import { dismissToasts, waitUntil } from '../support/browser.js';
import { addManager, addTeam, addUser, publishRuleSet, rulesBySource, sendLead, type E2ePerson } from '../support/e2e-app.js';
import { browserSuite } from '../support/browser-suite.js';

/**
 * Motivation in a real browser against a real server (SQLite; the figures are checked on both
 * databases in test/http/motivation.test.ts): a head sets this month's plan in the grid and reads
 * plan / fact; a manager sees «Мой месяц» on the leads page and the leaderboard with a colleague
 * anonymised.
 */
describe('motivation', () => {
  let head: E2ePerson;
  let anna: E2ePerson;
  const suite = browserSuite('motivation', {
    setUp: async () => {
      await addTeam(suite.app, 'sales', 'Отдел продаж');
      anna = await addManager(suite.app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@motivation.test' });
      await addManager(suite.app, { id: 'boris', teamId: 'sales', name: 'Борис Орлов', email: 'boris@motivation.test' });
      head = await addUser(suite.app, { role: 'head', email: 'head@motivation.test', name: 'Ольга Смирнова', teamId: 'sales' });
      await publishRuleSet(suite.app, rulesBySource({ a: 'anna', b: 'boris' }));
      // Anna reaches two clients and converts one of them; Boris's lead waits.
      const first = (await sendLead(suite.app, { name: 'Клиент 1', source: 'a' })).lead.id;
      const second = (await sendLead(suite.app, { name: 'Клиент 2', source: 'a' })).lead.id;
      await sendLead(suite.app, { name: 'Клиент 3', source: 'b' });
      for (const id of [first, second]) await suite.app.api('POST', `/api/v1/leads/${id}/activities`, { kind: 'call', outcome: 'reached' });
      await suite.app.api('POST', `/api/v1/leads/${first}/convert`, { deal: { title: 'Поставка', amount: 150000, currency: 'RUB' } });
    },
  });
  const { actors } = suite;

  it('a head sets the month’s plan in the grid (leaving unsaved asks first) and sees plan against fact', async () => {
    const page = await actors.signIn(head, '/motivation?tab=plans');
    await page.getByRole('heading', { name: 'Мотивация' }).waitFor();
    await page.getByTestId('plans-grid').waitFor();
    await page.getByRole('textbox', { name: 'Анна Петрова — Новые сделки' }).fill('4');
    await page.getByRole('textbox', { name: 'Анна Петрова — Первые контакты' }).fill('10');
    await page.getByRole('textbox', { name: 'Борис Орлов — Новые сделки' }).fill('2');
    await page.getByText('3 несохранённых изменения').waitFor();

    // Leaving with unsaved edits asks first; staying keeps them.
    await page.getByRole('link', { name: 'Лиды команды' }).click();
    await page.getByText('Изменения не сохранены').waitFor();
    await page.getByRole('button', { name: 'Остаться' }).click();
    expect(await page.getByRole('textbox', { name: 'Анна Петрова — Новые сделки' }).inputValue()).toBe('4');

    await page.getByRole('button', { name: 'Сохранить план' }).click();
    await page.getByText('План сохранён').waitFor();
    await dismissToasts(page);
    const plan = await suite.app.api<{ teams: Array<{ managers: Array<{ managerId: string; targets: Record<string, number | null> }> }> }>('GET', '/api/v1/plans?team=sales');
    expect(plan.teams[0]?.managers.find((m) => m.managerId === 'anna')?.targets).toMatchObject({ conversions: 4, firstContacts: 10 });

    await page.getByRole('tab', { name: 'План/факт' }).click();
    const table = page.getByTestId('plan-fact-managers');
    await table.waitFor();
    const annaRow = table.locator('tbody tr', { hasText: 'Анна Петрова' });
    await waitUntil(async () => (await annaRow.innerText()).replace(/\s+/g, ' ').includes('1 / 4'), 'Anna: one deal of four');
    expect((await annaRow.innerText()).replace(/\s+/g, ' ')).toContain('2 / 10');
    // The team's own plan is not set: its deals target is the sum of the managers', 6.
    const teamDeals = page.getByTestId('metric-conversions').first();
    await waitUntil(async () => (await teamDeals.innerText()).replace(/\s+/g, ' ').includes('1 / 6'), 'the team: one deal of six');
  });

  it('a manager sees «Мой месяц» on the leads page and the leaderboard with a colleague anonymised', async () => {
    // Only deals are planned (the strip ranks by the first planned metric).
    const { period } = await suite.app.api<{ period: string }>('GET', '/api/v1/plans?team=sales');
    await suite.app.api('PUT', `/api/v1/plans/${period}`, {
      team: 'sales',
      targets: [{ manager: 'anna', metric: 'conversions', target: 4 }, { manager: 'anna', metric: 'firstContacts', target: null }, { manager: 'boris', metric: 'conversions', target: 2 }],
    });
    const page = await actors.signIn(anna, '/leads');
    const strip = page.getByTestId('my-standing');
    await strip.getByText('Мой месяц').waitFor();
    await waitUntil(async () => (await strip.getByTestId('mine-conversions').innerText()).replace(/\s+/g, ' ').includes('1 / 4'), 'Anna’s deals in the strip');
    const rank = strip.locator('[data-testid="my-rank"]:visible');
    await waitUntil(async () => (await rank.innerText()).replace(/\s+/g, ' ').startsWith('1 место из 2'), 'Anna is first of two');
    expect(await rank.innerText()).toContain('«Новые сделки»');

    await strip.getByRole('link', { name: 'Подробнее' }).click();
    await page.getByRole('tab', { name: 'Рейтинг' }).click();
    // A manager has no Plans tab.
    expect(await page.getByRole('tab', { name: 'Планы' }).count()).toBe(0);
    await page.getByRole('combobox', { name: 'Показатель' }).click();
    await page.getByRole('listbox').getByRole('option', { name: 'Новые сделки', exact: true }).click();
    const rows = page.getByTestId('leaderboard').locator('tbody tr');
    await waitUntil(async () => (await rows.count()) === 2 && (await rows.first().innerText()).includes('Анна Петрова'), 'two rows, Anna first');
    const second = (await rows.nth(1).innerText()).replace(/\s+/g, ' ');
    expect(second).toContain('Коллега #1');
    expect(second).not.toContain('Борис');
    expect((await rows.first().innerText()).replace(/\s+/g, ' ')).toContain('(вы)');
  });
});
