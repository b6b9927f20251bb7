import { describe, expect, it } from 'vitest';
import { choose, waitUntil } from '../support/browser.js';
import { addManager, addTeam, addUser, publishRuleSet, type E2ePerson } from '../support/e2e-app.js';
import { browserSuite } from '../support/browser-suite.js';

/**
 * «Клиенты» in a real browser against a real server (SQLite; the HTTP tests run the client base
 * on both databases): a head adds a subsidiary to a holding, finds it by ИНН and by a punycode
 * e-mail, hands it to a colleague with a reason that lands in its owner history, and merges a
 * duplicate whose lead moves over; a manager reads the base but sees no change buttons, and on a
 * phone (390 px) reads it as cards with the owner on each instead of a table wider than the screen.
 */
describe('the client base in the web app', () => {
  let head: E2ePerson;
  let anna: E2ePerson;
  const suite = browserSuite('client-base', {
    setUp: async (app) => {
      await addTeam(app, 'sales', 'Отдел продаж');
      anna = await addManager(app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@clients.test' });
      await addManager(app, { id: 'boris', teamId: 'sales', name: 'Борис Орлов', email: 'boris@clients.test' });
      head = await addUser(app, { role: 'head', email: 'olga@clients.test', name: 'Ольга Смирнова', teamId: 'sales' });
      await publishRuleSet(app, {
        ownership: { enabled: true, whenOwnerUnavailable: 'wait', holdingOwner: 'holding' },
        rules: [{ id: 'all', name: 'Все', target: { kind: 'group', managers: ['anna', 'boris'], strategy: 'round_robin' } }],
        fallback: { kind: 'pool' },
      });
      await app.api('POST', '/api/v1/companies', { name: 'Холдинг «Альфа»', ownerId: 'anna', taxId: '7736207543' });
    },
  });
  const { actors } = suite;

  it('a head adds, finds, hands over and merges companies; a lead of the subsidiary follows the holding', async () => {
    const page = await actors.signIn(head, '/clients');
    await page.getByRole('button', { name: 'Добавить компанию' }).click();
    const drawer = page.getByRole('dialog', { name: 'Новая компания' });
    await drawer.getByRole('textbox', { name: /^Название/ }).fill('ООО «Альфа Север»');
    await drawer.getByRole('textbox', { name: /^ИНН/ }).fill('1234567890');
    await drawer.getByRole('textbox', { name: /^Сайт или домен/ }).fill('https://shop.alfa-north.ru');
    await drawer.getByRole('button', { name: 'Сохранить' }).click();
    // A bad ИНН is refused next to the field, in Russian.
    await drawer.getByText('ИНН — 10 цифр у организации или 12 у ИП, с верной контрольной суммой').waitFor();
    await drawer.getByRole('textbox', { name: /^ИНН/ }).fill('7710140679');
    await drawer.getByRole('combobox', { name: 'Входит в холдинг' }).fill('Альфа');
    await page.getByRole('option', { name: 'Холдинг «Альфа»' }).click();
    await choose(drawer, 'Владелец', 'Борис Орлов');
    await drawer.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('company-name').filter({ hasText: 'ООО «Альфа Север»' }).waitFor();
    await page.getByText('alfa-north.ru', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Холдинг «Альфа»' }).waitFor();
    expect(await page.getByTestId('client-owner').innerText()).toBe('Борис Орлов');

    // The holding's owner gets the subsidiary's lead (holdingOwner: holding).
    const lead = await suite.app.api<{ lead: { id: string; ownerId: string; companyId: string } }>('POST', '/api/v1/leads', { name: 'Заявка с сайта', website: 'alfa-north.ru', email: 'ivan@xn--80a1acny.xn--p1ai' });
    expect(lead.lead.ownerId).toBe('anna');

    // Found by ИНН and by the contact's e-mail in either form.
    const companyId = page.url().split('/').pop() as string;
    await suite.app.api('POST', '/api/v1/contacts', { name: 'Иван Сидоров', companyId, emails: ['ivan@почта.рф'] });
    await page.goto('/clients');
    await page.getByTestId('client-search').fill('7710140679');
    await waitUntil(async () => (await page.getByTestId('companies-table').locator('tbody tr').allInnerTexts()).join('|').includes('ООО «Альфа Север»') && (await page.getByTestId('companies-table').locator('tbody tr').count()) === 1, 'the search by ИНН finds one company');
    await page.getByTestId('client-search').fill('ivan@xn--80a1acny.xn--p1ai');
    await page.getByRole('tab', { name: 'Контакты' }).click();
    await page.getByTestId('contacts-table').getByText('Иван Сидоров').waitFor();
    await page.getByTestId('contacts-table').getByText('Иван Сидоров').click();
    await page.getByTestId('contact-name').filter({ hasText: 'Иван Сидоров' }).waitFor();
    await page.getByRole('link', { name: 'ООО «Альфа Север»' }).click();

    // Hand-over with a reason: the owner history says who, when and why.
    await page.getByTestId('company-name').filter({ hasText: 'ООО «Альфа Север»' }).waitFor();
    await page.getByRole('button', { name: 'Сменить владельца' }).click();
    const dialog = page.getByRole('dialog', { name: 'Сменить владельца' });
    await choose(dialog, 'Новый владелец', 'Анна Петрова');
    await dialog.getByRole('textbox', { name: /^Причина/ }).fill('Борис в отпуске');
    await dialog.getByRole('button', { name: 'Передать' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitUntil(async () => (await page.getByTestId('client-owner').innerText()) === 'Анна Петрова', 'the new owner is shown');
    const history = page.getByTestId('owner-history');
    await history.getByText('Борис в отпуске', { exact: false }).waitFor();
    await history.getByText(/^Анна Петрова — с /).waitFor();
    await history.getByText(/^Борис Орлов — с /).waitFor();

    // A duplicate with a lead of its own is merged in: its lead now shows on this card.
    const dup = await suite.app.api<{ id: string }>('POST', '/api/v1/companies', { name: 'Альфа-Север (дубль)', phones: ['+7 495 100-20-30'] });
    const dupLead = await suite.app.api<{ lead: { id: string; companyId: string } }>('POST', '/api/v1/leads', { name: 'Звонок в дубль', companyName: 'Альфа-Север (дубль)' });
    expect(dupLead.lead.companyId).toBe(dup.id);
    await page.getByRole('button', { name: 'Объединить с дублем' }).click();
    const merge = page.getByRole('dialog', { name: /^Объединить с дублем/ });
    await merge.getByTestId('merge-search').fill('дубль');
    await merge.getByText('Альфа-Север (дубль)').click();
    await merge.getByRole('button', { name: 'Объединить' }).click();
    await page.getByText('Объединено: перенесён 1 лид').waitFor();
    await page.getByTestId('client-leads').getByText('Звонок в дубль').waitFor();
    await page.getByText('+74951002030').waitFor();
    await page.getByRole('tab', { name: 'История' }).click();
    await page.getByTestId('client-timeline').getByText('Объединена с дублем «Альфа-Север (дубль)»').waitFor();
  });

  it('a manager reads the base without change buttons', async () => {
    const page = await actors.signIn(anna, '/clients');
    // The first column names the company; the holding column of its subsidiary names it too.
    await page.getByTestId('companies-table').locator('tbody td:first-child', { hasText: 'Холдинг «Альфа»' }).click();
    await page.getByTestId('company-name').waitFor();
    await page.getByTestId('subsidiaries').getByText('ООО «Альфа Север»').waitFor();
    expect(await page.getByRole('button', { name: 'Сменить владельца' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Объединить с дублем' }).count()).toBe(0);
  });

  it('on a phone the base is a list of cards that fits the screen, with the owner on each', async () => {
    const page = await actors.signIn(anna, '/clients');
    await page.setViewportSize({ width: 390, height: 844 });
    // The subsidiary's card names the holding too: the holding's own card is the one titled by it.
    const card = page.getByTestId('company-card').filter({ has: page.getByText('Холдинг «Альфа»', { exact: true }) });
    await card.waitFor();
    expect(await card.innerText()).toContain('Анна Петрова');
    expect(await card.innerText()).toContain('ИНН 7736207543');
    expect(await page.getByTestId('companies-table').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await card.click();
    await page.getByTestId('company-name').waitFor();
  });
});
