import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { choose, waitUntil } from '../support/browser.js';
import { browserSuite } from '../support/browser-suite.js';
import { addManager, addTeam, addUser, publishRuleSet, rulesBySource, type E2ePerson } from '../support/e2e-app.js';

/** Text as Russian Excel saves a CSV: Windows-1251. */
function cp1251(text: string): Buffer {
  return Buffer.from([...text].map((ch) => {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) return code;
    if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
    if (code === 0x401) return 0xa8;
    if (code === 0x451) return 0xb8;
    throw new Error(`no cp1251 byte for ${ch}`);
  }));
}

/**
 * «Импорт» in a real browser against a real server (SQLite; the HTTP tests run imports on both
 * databases): a head uploads a Windows-1251 CSV, maps the column the app did not recognise,
 * looks at the dry run (an error row, a duplicate, who gets the leads), runs it and watches the
 * progress reach «Готово», with the error report to download.
 */
describe('file import in the web app', () => {
  let head: E2ePerson;
  const suite = browserSuite('imports', {
    setUp: async () => {
      await addTeam(suite.app, 'sales', 'Отдел продаж');
      await addManager(suite.app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@imports.test' });
      await publishRuleSet(suite.app, rulesBySource({ base: 'anna' }));
      head = await addUser(suite.app, { role: 'head', teamId: 'sales', email: 'olga@imports.test', name: 'Ольга Смирнова' });
    },
  });
  const { actors } = suite;

  it('a head uploads a CSV, adjusts the mapping, sees the dry run and runs the import to the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadrouter-e2e-import-'));
    const file = join(dir, 'выставка.csv');
    const rows = ['Имя;Мобильник;Регион;Откуда', 'Иван Петров;+7 916 100-00-01;Москва;base', 'Ольга Смирнова;+7 916 100-00-02;Казань;base', 'Пётр;;;base', 'Иван Петров;+7 916 100-00-01;Москва;base'];
    // A row with no name, phone, e-mail or company cannot be a lead.
    rows.push(';;Тверь;base');
    writeFileSync(file, cp1251(`${rows.join('\r\n')}\r\n`));

    const page = await actors.signIn(head, '/settings/imports');
    await page.getByRole('heading', { name: 'Импорт лидов' }).waitFor();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await page.getByRole('heading', { name: 'выставка.csv' }).waitFor();
    await page.getByText('Прочитан как WINDOWS-1251, разделитель «;»').waitFor();

    // «Мобильник» and «Откуда» are not known by name: the head maps them.
    await choose(page, 'Поле лида: Мобильник', 'Телефон');
    await choose(page, 'Поле лида: Откуда', 'Источник');
    await page.getByRole('button', { name: 'Проверить файл' }).click();
    const totals = page.getByTestId('import-dry-totals');
    await totals.getByText('5 строк').waitFor();
    expect(await totals.innerText()).toMatch(/Без ошибок: 4[\s\S]*С ошибками: 1[\s\S]*Дубли: 1[\s\S]*Менеджерам: 4/);
    const dryRows = page.getByTestId('import-dry-row');
    await waitUntil(async () => (await dryRows.count()) === 5, 'the dry run does not list five rows');
    expect(await dryRows.nth(0).innerText()).toContain('→ Анна Петрова');
    expect(await dryRows.nth(3).innerText()).toMatch(/Дубль[\s\S]*повторяет строку 2/);
    expect(await dryRows.nth(4).innerText()).toContain('Ошибка');
    expect((await suite.app.api<{ items: unknown[] }>('GET', '/api/v1/leads')).items).toEqual([]);

    await page.getByRole('button', { name: 'Импортировать' }).click();
    await page.getByTestId('import-status').filter({ hasText: 'Готово' }).waitFor({ timeout: 30_000 });
    const progress = page.getByTestId('import-progress');
    await progress.getByText('Добавлено: 4').waitFor();
    expect(await progress.innerText()).toMatch(/100% · прочитано строк: 5[\s\S]*С ошибками: 1/);
    expect(await progress.getByRole('link', { name: 'Скачать отчёт об ошибках (CSV)' }).getAttribute('href')).toMatch(/\/api\/v1\/imports\/.+\/errors\.csv$/);
    const leads = (await suite.app.api<{ items: Array<{ lead: { name: string | null; source: string | null; ownerId: string | null } }> }>('GET', '/api/v1/leads')).items.map((i) => i.lead);
    expect(leads.map((l) => l.name).sort()).toEqual(['Иван Петров', 'Иван Петров', 'Ольга Смирнова', 'Пётр']);
    expect(leads.every((l) => l.source === 'base' && l.ownerId === 'anna')).toBe(true);

    // The list shows it done.
    await page.getByRole('link', { name: '← Все импорты' }).click();
    await page.getByRole('link', { name: 'выставка.csv' }).waitFor();
    await page.getByText('добавлено 4, ошибок 1').waitFor();
  });
});
