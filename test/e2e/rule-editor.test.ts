import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { choose, dismissToasts, waitUntil } from '../support/browser.js';
import { addManager, addTeam, addUser, publishRuleSet, sendLead, type E2ePerson } from '../support/e2e-app.js';
import { browserSuite } from '../support/browser-suite.js';

/**
 * The rule editor in a real browser against a real server (SQLite; the compare and validate
 * endpoints run on both databases in test/http). An administrator writes a rule with a nested
 * condition and a weighted group, sees the validator's error on the very condition, tries the
 * draft on last week's leads, publishes, and the next lead is routed by the new rule — and its
 * card names the rule and opens the version that decided it.
 */
describe('the rule editor', () => {
  let admin: E2ePerson;
  let head: E2ePerson;
  const suite = browserSuite('rule-editor', {
    setUp: async () => {
      await addTeam(suite.app, 'sales', 'Отдел продаж');
      await addManager(suite.app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@rules.test' });
      await addManager(suite.app, { id: 'boris', teamId: 'sales', name: 'Борис Орлов', email: 'boris@rules.test' });
      await addManager(suite.app, { id: 'vera', teamId: 'sales', name: 'Вера Ким', email: 'vera@rules.test' });
      // Published today: every lead goes to Vera.
      await publishRuleSet(suite.app, {
        ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
        rules: [{ id: 'all-to-vera', name: 'Всё Вере', target: { kind: 'person', managerId: 'vera' } }],
        fallback: { kind: 'pool' },
      });
      admin = await addUser(suite.app, { role: 'admin', email: 'admin@rules.test', name: 'Ольга Смирнова' });
      head = await addUser(suite.app, { role: 'head', email: 'head@rules.test', name: 'Игорь Лебедев', teamId: 'sales' });
      // Last week's leads the draft is tried on: eight big Moscow deals and two small ones.
      for (let i = 0; i < 8; i++) await sendLead(suite.app, { name: `Крупный ${i + 1}`, dealValue: 2_000_000 + i, region: 'Москва' });
      for (let i = 0; i < 2; i++) await sendLead(suite.app, { name: `Мелкий ${i + 1}`, dealValue: 50_000, region: 'Москва' });
    },
  });
  const { actors } = suite;

  const validationState = (page: Page) => page.getByTestId('validation-state');
  const row = (scope: Locator, index: number) => scope.getByTestId('condition-row').nth(index);
  /** Picks a segment of a Mantine SegmentedControl by its label (the radio itself is hidden). */
  const segment = async (scope: Page | Locator, label: string) => {
    await scope.locator('label.mantine-SegmentedControl-label', { hasText: new RegExp(`^${label.replace(/[.]/g, '\\.')}$`) }).click();
    await waitUntil(async () => await scope.getByRole('radio', { name: label }).isChecked(), `«${label}» was not chosen`);
  };

  it('an admin writes a weighted rule for big deals, sees the error on the very condition, tries it on last week, publishes, and the next lead follows it', async () => {
    const page = await actors.signIn(admin, '/settings/rules');
    await page.getByRole('heading', { name: 'Правила распределения' }).waitFor();
    await page.getByRole('button', { name: 'Изменить как черновик' }).click();

    // A new rule, moved above Vera's.
    await page.getByRole('button', { name: '+ Добавить правило' }).click();
    const card = page.getByTestId('rule-card').nth(1);
    await card.getByRole('button', { name: 'Выше' }).click();
    const rule = page.getByTestId('rule-card').first();
    await rule.getByRole('textbox', { name: 'Название' }).fill('Крупные сделки');
    await rule.getByRole('button', { name: '+ Добавить условия' }).click();

    // Deal value over 1,000,000 ₽ …
    await choose(row(rule, 0), 'Поле', 'Сумма сделки');
    await choose(row(rule, 0), 'Условие', 'больше');
    await row(rule, 0).getByLabel('Значение').fill('1000000');
    // … and (a nested group) the region is one of a list — left empty for now: an error.
    await rule.getByRole('button', { name: '+ Группа' }).click();
    const nested = rule.getByTestId('condition-group').nth(1);
    await choose(row(nested, 0), 'Поле', 'Регион');
    await choose(row(nested, 0), 'Условие', 'одно из');
    await waitUntil(async () => (await validationState(page).innerText()) === '1 ошибка', 'the empty list was not reported');
    // The error stands on the nested condition, not on the first one, and Publish waits.
    await row(nested, 0).getByText('Добавьте хотя бы одно значение').waitFor();
    expect(await row(rule, 0).getByText('Добавьте хотя бы одно значение').count()).toBe(0);
    expect(await rule.getByText('1 ошибка').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Опубликовать' }).isDisabled()).toBe(true);
    const regions = row(nested, 0).getByLabel('Значение');
    await regions.fill('Москва');
    await regions.press('Enter');
    await regions.fill('Казань');
    await regions.press('Enter');
    await waitUntil(async () => (await validationState(page).innerText()) === 'Ошибок нет', 'the error did not clear');

    // To Anna and Boris by weighted round robin, 3 : 1.
    await segment(rule, 'Группе менеджеров');
    const managers = rule.getByLabel('Менеджеры', { exact: true });
    await managers.click();
    await page.getByRole('option', { name: 'Анна Петрова' }).click();
    await page.getByRole('option', { name: 'Борис Орлов' }).click();
    await managers.press('Escape');
    await segment(rule, 'по очереди с весами');
    await rule.getByLabel('Анна Петрова', { exact: true }).fill('3');
    await rule.getByLabel('Борис Орлов', { exact: true }).fill('1');
    await expect.poll(async () => await rule.getByTestId('rule-summary').innerText()).toBe(
      'Сумма сделки > 1\u00a0000\u00a0000 и Регион — одно из: Москва, Казань → Анна Петрова, Борис Орлов: по очереди с весами',
    );
    await waitUntil(async () => (await validationState(page).innerText()) === 'Ошибок нет', 'the draft is not valid');

    // The JSON view says the same, exactly.
    await page.getByRole('tab', { name: 'JSON' }).click();
    const json = JSON.parse(await page.getByRole('textbox', { name: 'JSON' }).inputValue()) as { rules: unknown[] };
    expect(json.rules[0]).toEqual({
      id: 'rule',
      name: 'Крупные сделки',
      when: { all: [{ field: 'dealValue', op: 'gt', value: 1_000_000 }, { all: [{ field: 'region', op: 'in', value: ['Москва', 'Казань'] }] }] },
      target: { kind: 'group', strategy: 'weighted', managers: ['anna', 'boris'], weights: { anna: 3, boris: 1 } },
    });

    // Tried on last week's leads: the eight big deals leave Vera, 6 to Anna and 2 to Boris.
    await page.getByRole('tab', { name: 'Проверка на лидах' }).click();
    await segment(page, 'за 7 дн.');
    await page.getByRole('button', { name: 'Сравнить' }).click();
    await page.getByTestId('comparison-result').waitFor();
    expect(await page.getByTestId('changed-count').innerText()).toBe('8');
    const figures = await page.getByTestId('comparison-table').locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => Array.from((r as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll('td')).slice(0, 3).map((c) => (c.textContent ?? '').trim())),
    );
    expect(figures).toEqual([
      ['Анна Петрова', '0', '6 +6'],
      ['Вера Ким', '10', '2 -8'],
      ['Борис Орлов', '0', '2 +2'],
    ]);
    await page.getByTestId('comparison-chart').locator('canvas').waitFor();
    const changed = page.getByTestId('changed-leads');
    expect(await changed.locator('tbody tr').count()).toBe(8);
    await changed.getByText('Анна Петрова — правило «Крупные сделки», по очереди с весами').first().waitFor();
    await changed.getByText('Вера Ким — правило «Всё Вере», напрямую').first().waitFor();

    // Saved with a comment, published after reading what changes.
    await page.getByRole('textbox', { name: 'Комментарий к версии' }).fill('Крупные сделки — Анне и Борису');
    await page.getByRole('button', { name: 'Сохранить черновик' }).click();
    await page.waitForURL(/\/settings\/rules\/2$/);
    await dismissToasts(page);
    await page.getByRole('button', { name: 'Опубликовать' }).click();
    const confirm = page.getByRole('dialog', { name: 'Опубликовать v2?' });
    await confirm.getByText('По проверке на лидах 8 лидов сменили бы владельца.').waitFor();
    await confirm.getByText('Добавлено правило №1 «Крупные сделки»').waitFor();
    await confirm.getByRole('button', { name: 'Опубликовать' }).click();
    const version = page.getByRole('textbox', { name: 'Версия' }).or(page.getByRole('combobox', { name: 'Версия' }));
    await waitUntil(async () => (await version.inputValue()).startsWith('v2 — опубликована'), 'v2 is not shown as published');

    // The next big deal follows the new rule; its card says so and opens the version.
    const { lead, owner } = await sendLead(suite.app, { name: 'ООО «Ромашка»', dealValue: 5_000_000, region: 'Казань' });
    expect(['anna', 'boris']).toContain(owner?.id);
    await page.goto(`/leads/${lead.id}`);
    const decision = page.getByTestId('decision-panel');
    await decision.getByText('по правилу «Крупные сделки»', { exact: false }).waitFor();
    await decision.getByTestId('decision-rules-link').click();
    await page.waitForURL(/\/settings\/rules\/2$/);
    await page.getByRole('tab', { name: 'История версий' }).click();
    const history = page.getByTestId('version-history');
    await history.getByText('Крупные сделки — Анне и Борису').waitFor();
    await history.getByText('Ольга Смирнова').first().waitFor();
  });

  it('a head reads the rules and tries a version on leads, but cannot change them', async () => {
    const page = await actors.signIn(head, '/settings/rules');
    await page.getByText('Правила меняет администратор.', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Изменить как черновик' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Сохранить черновик' }).count()).toBe(0);
    await page.getByTestId('rule-card').first().getByTestId('rule-summary').waitFor();
    await page.getByRole('tab', { name: 'Проверка на лидах' }).click();
    await page.getByRole('button', { name: 'Сравнить' }).click();
    await page.getByTestId('comparison-result').waitFor();

    // An .xlsx from the file picker: two leads read, the row with text for a deal value left out.
    await segment(page, 'из файла');
    await page.getByText('Файл CSV или XLSX').waitFor();
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Лиды');
    for (const cells of [['name', 'region', 'dealValue'], ['Крупный из файла', 'Москва', 3_000_000], ['Мелкий из файла', 'Москва', 40_000], ['Ошибка', 'Москва', 'много']]) sheet.addRow(cells);
    const buffer = Buffer.from(await book.xlsx.writeBuffer());
    await page.locator('input[type="file"]').setInputFiles({ name: 'лиды.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
    await page.getByRole('button', { name: 'Сравнить' }).click();
    await page.getByText('Пропущена 1 строка файла с ошибками').waitFor();
  });

  it('an admin splits companies by the first letter: the operator is offered for the company, the rule reads in words, a range typed in two layouts is an error', async () => {
    const page = await actors.signIn(admin, '/settings/rules');
    await page.getByRole('button', { name: 'Изменить как черновик' }).click();
    await page.getByRole('button', { name: '+ Добавить правило' }).click();
    const rule = page.getByTestId('rule-card').last();
    await rule.getByRole('textbox', { name: 'Название' }).fill('Компании А–К');
    await rule.getByRole('button', { name: '+ Добавить условия' }).click();
    await choose(row(rule, 0), 'Поле', 'Компания');
    await choose(row(rule, 0), 'Условие', 'начинается на буквы');
    const letters = row(rule, 0).getByLabel('Значение');
    await letters.fill('а-к');
    await letters.press('Enter');
    await waitUntil(async () => (await validationState(page).innerText()) === 'Ошибок нет', 'the range was not accepted');
    await rule.getByTestId('rule-summary').getByText('Название компании начинается на А–К', { exact: false }).waitFor();
    // "A-K" with a Latin A: looks the same, is refused, and says why.
    await letters.fill('A-К');
    await letters.press('Enter');
    await row(rule, 0).getByText('Диапазон смешивает русские и латинские буквы', { exact: false }).waitFor();
  });
});
