import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { choose, waitUntil } from '../support/browser.js';
import { addManager, addTeam, addUser, publishRuleSet, rulesBySource, type E2ePerson } from '../support/e2e-app.js';
import { browserSuite } from '../support/browser-suite.js';

/**
 * The administrator's «Веб-формы» screen in a real browser against a real server (SQLite; the
 * HTTP tests run the form endpoints on both databases): a form set up in the UI, its address
 * read from «Как подключить» and posted to as Tilda does; a submission intake refuses waits in
 * «Карантин» until the admin fixes and replays it, and a good one is a lead in «Все лиды».
 */
describe('web forms in the console', () => {
  let admin: E2ePerson;
  const suite = browserSuite('web-forms', {
    setUp: async () => {
      await addTeam(suite.app, 'sales', 'Отдел продаж');
      await addManager(suite.app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@forms.test' });
      await publishRuleSet(suite.app, rulesBySource({ landing: 'anna' }));
      admin = await addUser(suite.app, { role: 'admin', email: 'olga@forms.test', name: 'Ольга Смирнова' });
    },
  });
  const { actors } = suite;

  /** Creates a form in the UI and returns its public address, read from «Как подключить» (and the clipboard). */
  const createForm = async (page: Page, name: string): Promise<string> => {
    await page.getByRole('button', { name: 'Новая форма' }).click();
    const editor = page.getByRole('dialog', { name: 'Новая веб-форма' });
    await editor.getByLabel(/^Название/).fill(name);
    await editor.getByLabel(/^Источник/).fill('landing');
    // The landing page calls its budget field «budget_rub»: mapped to the lead's budget.
    await editor.getByRole('button', { name: 'Добавить поле' }).click();
    const row = editor.getByTestId('form-mapping-row');
    await row.getByRole('textbox', { name: 'Поле формы' }).fill('budget_rub');
    await choose(row, 'Поле лида', 'Бюджет');
    // A site with a path is taken as the site itself.
    const sites = editor.getByPlaceholder('https://shop.example.ru и Enter');
    await sites.fill('shop.example.ru/landing');
    await sites.press('Enter');
    await editor.getByText('https://shop.example.ru', { exact: true }).waitFor();
    await editor.getByRole('button', { name: 'Создать форму' }).click();

    const connect = page.getByRole('dialog', { name: `Как подключить «${name}»` });
    const address = (await connect.getByTestId('form-address').innerText()).trim();
    expect(address).toMatch(new RegExp(`^${suite.app.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/f/lrf_[A-Za-z0-9_-]+$`));
    await connect.getByTestId('copy-form-address').click();
    await connect.getByRole('button', { name: 'Скопировано' }).waitFor();
    expect(await page.evaluate(async () => await (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(address);
    expect(await connect.getByTestId('form-snippet').innerText()).toContain(`<script src="${address}/embed.js" async></script>`);
    await page.keyboard.press('Escape');
    await connect.waitFor({ state: 'detached' });
    return address;
  };

  /** Posts the fields as Tilda's webhook does: urlencoded, from a server (no Origin). */
  const post = async (address: string, fields: Record<string, string>): Promise<number> => {
    const res = await fetch(address, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), signal: AbortSignal.timeout(15_000) });
    return res.status;
  };

  const leadsNamed = async (name: string) =>
    (await suite.app.api<{ items: Array<{ lead: { id: string; name: string | null; dealValue: number | null; source: string | null; ownerId: string | null } }> }>('GET', `/api/v1/leads?q=${encodeURIComponent(name)}`)).items.map((i) => i.lead);

  it('an admin creates a form, a submission with a budget of «много» waits in «Карантин», and fixed and replayed it becomes a lead', async () => {
    const page = await actors.signIn(admin, '/settings/forms');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('heading', { name: 'Веб-формы' }).waitFor();
    const address = await createForm(page, 'Заявка с лендинга');

    const row = page.getByTestId('form-source-row').filter({ hasText: 'Заявка с лендинга' });
    await row.getByText('landing / form').waitFor();
    await row.getByText('shop.example.ru').waitFor();
    expect(await row.getByRole('switch', { name: 'Форма «Заявка с лендинга» принимает заявки' }).isChecked()).toBe(true);

    expect(await post(address, { Name: 'Ирина Козлова', Phone: '+7 916 123-45-67', budget_rub: 'много', tranid: '1001:1' })).toBe(200);
    expect(await leadsNamed('Ирина Козлова')).toEqual([]);

    await page.reload();
    await waitUntil(async () => (await row.getByTestId('form-waiting').innerText()).includes('1 заявка'), 'the waiting submission is not counted');
    await page.getByRole('tab', { name: /Карантин/ }).click();
    const item = page.getByTestId('quarantine-item').filter({ hasText: 'Ирина Козлова' });
    await item.getByText('Заявка с лендинга').waitFor();
    await item.getByTestId('quarantine-fields').getByText('много').waitFor();
    expect(await item.getByTestId('quarantine-issue').innerText()).toBe('Бюджет — не число: «много»');

    await item.getByRole('button', { name: 'Исправить и отправить' }).click();
    const fix = page.getByRole('dialog', { name: 'Исправить заявку' });
    expect(await fix.getByLabel('Имя').inputValue()).toBe('Ирина Козлова');
    await fix.getByText('Бюджет — не число: «много»').waitFor();
    await fix.getByLabel('Бюджет').fill('250 000');
    await fix.getByRole('button', { name: 'Отправить' }).click();
    await fix.waitFor({ state: 'detached' });
    await item.waitFor({ state: 'detached' });
    await page.getByText('В карантине пусто', { exact: false }).waitFor();

    const [lead] = await leadsNamed('Ирина Козлова');
    expect(lead).toMatchObject({ name: 'Ирина Козлова', dealValue: 250000, source: 'landing', ownerId: 'anna' });

    // Replayed ones stay under their filter, with the lead they made.
    await page.getByText('Отправлены', { exact: true }).click();
    const replayed = page.getByTestId('quarantine-item').filter({ hasText: 'Ирина Козлова' });
    await replayed.getByText('Ольга Смирнова', { exact: false }).waitFor();
    expect(await replayed.getByRole('link', { name: 'Открыть лид' }).getAttribute('href')).toBe(`/leads/${lead?.id}`);
  });

  it('a good submission to a form made in the UI is a lead in «Все лиды»; a form switched off takes none', async () => {
    const page = await actors.signIn(admin, '/settings/forms');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const address = await createForm(page, 'Обратный звонок');
    expect(await post(address, { name: 'Пётр Соколов', phone: '+7 916 765-43-21', budget_rub: '90 000', tranid: '2002:1' })).toBe(200);

    await page.getByRole('link', { name: 'Все лиды' }).click();
    await page.getByRole('heading', { name: 'Все лиды' }).waitFor();
    // On the board (the admin's default view) the lead's card shows the budget the form sent.
    await page.getByText('Пётр Соколов', { exact: true }).waitFor();
    await page.getByText('90 000 ₽').waitFor();
    const [lead] = await leadsNamed('Пётр Соколов');
    expect(lead).toMatchObject({ dealValue: 90000, source: 'landing', ownerId: 'anna' });

    await page.getByRole('link', { name: 'Веб-формы' }).click();
    const toggle = page.getByRole('switch', { name: 'Форма «Обратный звонок» принимает заявки' });
    await toggle.click();
    await waitUntil(async () => !(await toggle.isChecked()), 'the form did not switch off');
    await waitUntil(async () => (await post(address, { name: 'Поздно', phone: '+7 916 000-00-01' })) === 404, 'a switched-off form still takes submissions');
  });
});
