import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/browser.js';
import { startBitrix24Fake, type Bitrix24Fake } from '../support/bitrix24-fake.js';
import { browserSuite } from '../support/browser-suite.js';
import { addManager, addTeam, addUser, publishRuleSet, rulesBySource, type E2ePerson } from '../support/e2e-app.js';

/**
 * «Интеграции» → «Битрикс24» in a real browser against a real server process and a fake Bitrix24
 * on 127.0.0.1: a wrong webhook is refused next to its field, the right one connects; the
 * manager is matched to the Bitrix24 user by e-mail; an event sent to the handler address shown
 * on the screen makes a lead, whose owner the portal then gets, and the status counts it.
 */
describe('the Bitrix24 connector in the console', () => {
  let admin: E2ePerson;
  let fake: Bitrix24Fake;
  beforeAll(async () => {
    fake = await startBitrix24Fake();
    fake.users.push({ ID: '31', NAME: 'Анна', LAST_NAME: 'Петрова', EMAIL: 'anna@crm.test', ACTIVE: true });
  });
  afterAll(async () => await fake?.close());
  const suite = browserSuite('crm-integrations', {
    setUp: async (app) => {
      await addTeam(app, 'sales', 'Отдел продаж');
      await addManager(app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@crm.test' });
      await publishRuleSet(app, rulesBySource({ web: 'anna' }));
      admin = await addUser(app, { role: 'admin', email: 'olga@crm.test', name: 'Ольга Смирнова' });
    },
  });
  const { actors } = suite;

  it('an admin connects Bitrix24, matches the manager by e-mail, and a lead from the portal comes in and goes back assigned', async () => {
    const page = await actors.signIn(admin, '/settings/integrations');
    await page.getByRole('heading', { name: 'Интеграции' }).waitFor();
    const form = page.getByRole('form', { name: 'Подключить Битрикс24' });
    const webhook = form.getByLabel(/^Входящий вебхук/);
    await webhook.fill(fake.wrongWebhookUrl);
    await form.getByRole('button', { name: 'Подключить' }).click();
    await waitUntil(async () => (await webhook.getAttribute('aria-invalid')) === 'true', 'the refused webhook is not marked');
    expect(await form.innerText()).toContain('NO_AUTH_FOUND');

    await webhook.fill(fake.webhookUrl);
    await form.getByLabel(/^Токен приложения/).fill('b24-e2e-application-token');
    await form.getByRole('button', { name: 'Подключить' }).click();
    await page.getByTestId('connector-health').getByText('работает').waitFor();
    const handler = (await page.getByTestId('handler-address').innerText()).trim();
    expect(handler).toMatch(/\/crm\/bitrix24\/lrc_[A-Za-z0-9_-]+\/events$/);

    await page.getByTestId('match-by-email').click();
    await page.getByText('Сопоставлен 1 менеджер').waitFor();
    await waitUntil(async () => (await page.getByRole('textbox', { name: 'Пользователь Битрикс24 для Анна Петрова' }).or(page.getByRole('combobox', { name: 'Пользователь Битрикс24 для Анна Петрова' })).first().inputValue()) === 'Анна Петрова · anna@crm.test', 'the matched user is not shown');

    const crmId = fake.addLead({ NAME: 'Глеб', LAST_NAME: 'Титов', SOURCE_ID: 'WEB', PHONE: [{ VALUE: '+79161234567', VALUE_TYPE: 'WORK' }] });
    const res = await fetch(handler, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fake.eventBody(crmId, 'b24-e2e-application-token') });
    expect(res.status).toBe(200);
    await waitUntil(async () => fake.leads.get(crmId)?.ASSIGNED_BY_ID === 31, 'the portal did not get the owner');
    expect(fake.comments.at(-1)?.COMMENT).toMatch(/^leadrouter: Правило .* сработало; .*Анна Петрова/);
    await page.reload();
    await waitUntil(async () => (await page.getByTestId('status-leads-in').innerText()) === '1', 'the status does not count the lead');
  });
});
