import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/browser.js';
import { browserSuite } from '../support/browser-suite.js';
import { addManager, addTeam, addUser, publishRuleSet, type E2ePerson } from '../support/e2e-app.js';

/** Text as Russian Excel saves a CSV: Windows-1251 (with «» quotes). */
function cp1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const code = ch.codePointAt(0) as number;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      if (code === 0x401) return 0xa8;
      if (code === 0x451) return 0xb8;
      if (code === 0xab || code === 0xbb) return code;
      throw new Error(`no cp1251 byte for ${ch}`);
    }),
  );
}

/** A 10-digit ИНН with a valid checksum. */
function taxIdOf(n: number): string {
  const body = String(770000000 + n * 7);
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (weights[i] as number), 0);
  return body + String((sum % 11) % 10);
}

const LETTERS = 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ';
const FIRST_HALF = 'АБВГДЕЁЖЗИЙК';

/**
 * «Распределение базы» in a real browser against a real server (SQLite; the HTTP tests split on
 * both databases): a head uploads a Windows-1251 file of 60 companies as «Компании и контакты»,
 * imports it, then splits that import alphabetically (А–К / Л–Я, the defaults for two managers)
 * between Анна and Борис — preview, apply, and undo from the history.
 */
describe('the base split in the web app', () => {
  let head: E2ePerson;
  const suite = browserSuite('client-splits', {
    setUp: async (app) => {
      await addTeam(app, 'sales', 'Отдел продаж');
      await addManager(app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@split.test' });
      await addManager(app, { id: 'boris', teamId: 'sales', name: 'Борис Орлов', email: 'boris@split.test' });
      head = await addUser(app, { role: 'head', email: 'olga@split.test', name: 'Ольга Смирнова', teamId: 'sales' });
      await publishRuleSet(app, {
        ownership: { enabled: true, whenOwnerUnavailable: 'wait' },
        rules: [{ id: 'all', name: 'Все', target: { kind: 'group', managers: ['anna', 'boris'], strategy: 'round_robin' } }],
        fallback: { kind: 'pool' },
      });
    },
  });
  const { actors } = suite;

  it('a head imports companies from a file, splits them А–К / Л–Я between two managers, and undoes the split', async () => {
    const lines = ['Наименование;ИНН;Сайт;Регион;Сотрудники'];
    let anna = 1;
    lines.push(`"ООО ""Ёлка""";${taxIdOf(0)};elka-split.ru;Москва;40`);
    for (let i = 1; i < 60; i++) {
      const letter = LETTERS[i % LETTERS.length] as string;
      lines.push(`ООО «${letter}${'аеиоу'[i % 5]}тон ${i}»;${taxIdOf(i)};site${i}.ru;${i % 2 ? 'Москва' : 'Казань'};${i * 3}`);
      if (FIRST_HALF.includes(letter)) anna++;
    }
    const boris = 60 - anna;
    const dir = mkdtempSync(join(tmpdir(), 'leadrouter-e2e-split-'));
    const file = join(dir, 'клиенты.csv');
    writeFileSync(file, cp1251(`${lines.join('\r\n')}\r\n`));

    // The import: «Компании и контакты», the columns known by their Russian names, a dry run, the run.
    const page = await actors.signIn(head, '/settings/imports');
    await page.getByTestId('import-kind').getByText('Компании и контакты').click();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await page.getByRole('heading', { name: 'клиенты.csv' }).waitFor();
    await page.getByRole('button', { name: 'Проверить файл' }).click();
    const totals = page.getByTestId('import-dry-totals');
    await totals.getByText('60 строк').waitFor();
    expect(await totals.innerText()).toMatch(/Без ошибок: 60[\s\S]*Без ответственного: 60/);
    await page.getByRole('button', { name: 'Импортировать' }).click();
    await page.getByTestId('import-status').filter({ hasText: 'Готово' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('import-progress').getByText('Компаний добавлено: 60').waitFor();
    await page.getByRole('link', { name: 'Распределить эти компании между менеджерами' }).click();

    // The split: from that import, both managers, alphabetically with the default ranges.
    await page.getByRole('heading', { name: 'Распределение базы' }).waitFor();
    await page.getByTestId('split-selection').getByText('Из импорта').click();
    await page.getByRole('combobox', { name: 'Импорт компаний' }).click();
    await page.getByRole('option', { name: /^клиенты\.csv/ }).click();
    await page.getByTestId('split-managers').click();
    await page.getByRole('option', { name: 'Анна Петрова' }).click();
    await page.getByRole('option', { name: 'Борис Орлов' }).click();
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('range-text-0').inputValue()).toBe('А-К');
    expect(await page.getByTestId('range-text-1').inputValue()).toBe('Л-Я');
    await page.getByTestId('split-preview').click();
    const result = page.getByTestId('split-result');
    await result.getByText(`Выбрано 60, сменят владельца 60, останутся как есть 0`).waitFor();
    const perManager = page.getByTestId('split-per-manager');
    expect(await perManager.locator('tbody tr').nth(0).innerText()).toMatch(new RegExp(`Анна Петрова\\s+${anna}\\s+${anna}`));
    expect(await perManager.locator('tbody tr').nth(1).innerText()).toMatch(new RegExp(`Борис Орлов\\s+${boris}\\s+${boris}`));
    const elka = result.locator('tr', { hasText: 'ООО "Ёлка"' });
    expect(await elka.innerText()).toMatch(/нет владельца\s+Анна Петрова\s+А-К/);

    // How it looks in Russian at 1366×768: the choices, then the preview.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('link', { name: '← Клиенты' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(tmpdir(), 'client-split-choices.png') });
    await result.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(tmpdir(), 'client-split.png') });
    await page.setViewportSize({ width: 1366, height: 900 });

    await page.getByTestId('split-apply').click();
    await page.getByTestId('split-apply-confirm').click();
    await page.getByTestId('split-applied').getByText('Готово: 60 компаний получили владельцев.').waitFor();
    const history = page.getByTestId('split-history');
    await history.getByText('Применено').waitFor();
    expect(await history.locator('tbody tr').first().innerText()).toMatch(new RegExp(`Ольга Смирнова[\\s\\S]*По алфавиту: А-К, Л-Я[\\s\\S]*60[\\s\\S]*Анна Петрова ${anna}, Борис Орлов ${boris}`));
    const owned = async () => (await suite.app.api<{ items: Array<{ ownerId: string | null; name: string }> }>('GET', '/api/v1/companies?limit=200')).items;
    const after = await owned();
    expect(after.filter((c) => c.ownerId === 'anna')).toHaveLength(anna);
    expect(after.find((c) => c.name === 'ООО "Ёлка"')?.ownerId).toBe('anna');

    // A later lead from one of them goes to its owner.
    const lead = await suite.app.api<{ lead: { ownerId: string } }>('POST', '/api/v1/leads', { name: 'Пётр', email: 'petr@elka-split.ru' });
    expect(lead.lead.ownerId).toBe('anna');

    await history.getByTestId('split-undo').click();
    await page.getByTestId('split-undo-confirm').click();
    await page.getByTestId('split-undone').getByText('Отменено: вернули 60, оставили как есть 0.').waitFor();
    await history.getByText('Отменено').waitFor();
    await waitUntil(async () => (await owned()).every((c) => c.ownerId === null), 'the owners before the split are back');
  });
});
