import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAmocrmFake, type AmocrmFake } from '../support/amocrm-fake.js';
import { browserSuite } from '../support/browser-suite.js';
import { addManager, addTeam, addUser, publishRuleSet, type E2ePerson } from '../support/e2e-app.js';

/**
 * The quarantine of CRM leads in a real browser against a real server process and a fake amoCRM
 * account on 127.0.0.1 (API v4 over HTTP with a long-lived token): a deal whose budget intake
 * refuses (10^15 ₽) arrives by the account's `leads[add]` webhook and makes no lead; the admin
 * finds it in «Веб-формы → Карантин» named by its connector («amoCRM: Ромашка»), fixes the budget
 * and sends it; the lead appears, assigned by the rules, and is linked to the amoCRM deal, so the
 * webhook repeated makes no second one.
 */
describe('CRM leads in the quarantine, in the console', () => {
  let admin: E2ePerson;
  let fake: AmocrmFake;
  let eventPath = '';
  beforeAll(async () => {
    fake = await startAmocrmFake();
  });
  afterAll(async () => await fake?.close());
  const suite = browserSuite('crm-quarantine', {
    setUp: async (app) => {
      await addTeam(app, 'sales', 'Отдел продаж');
      await addManager(app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@crm-quarantine.test' });
      await publishRuleSet(app, { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'Все', target: { kind: 'person', managerId: 'anna' } }], fallback: { kind: 'pool' } });
      admin = await addUser(app, { role: 'admin', email: 'olga@crm-quarantine.test', name: 'Ольга Смирнова' });
      const connector = await app.api<{ id: string; eventPath: string }>('POST', '/api/v1/crm-connectors/amocrm', { name: 'Ромашка', account: fake.baseUrl, token: fake.token });
      eventPath = connector.eventPath;
    },
  });
  const { actors } = suite;

  type WebhookAnswer = { leads?: Array<{ crmId: string; leadId: string | null; created: boolean }> };
  const postWebhook = async (ids: number[]): Promise<WebhookAnswer> => {
    const res = await fetch(`${suite.app.url}${eventPath}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fake.webhookBody(ids) });
    expect(res.status).toBe(200);
    return (await res.json()) as WebhookAnswer;
  };
  const leadsNamed = async (name: string) =>
    (await suite.app.api<{ items: Array<{ lead: { id: string; name: string | null; dealValue: number | null; ownerId: string | null } }> }>('GET', `/api/v1/leads?q=${encodeURIComponent(name)}`)).items.map((i) => i.lead);

  it('an amoCRM deal intake refuses waits in «Карантин» with its CRM; the admin fixes the budget, sends it, and the lead appears linked to the deal', async () => {
    const crmId = fake.addLead({ name: 'Поставка оборудования', price: 1e15, contact: { name: 'Нина Волкова', phones: ['+7 916 222-33-44'] } });
    expect((await postWebhook([crmId])).leads?.[0]).toMatchObject({ crmId: String(crmId), leadId: null, created: false });
    expect(await leadsNamed('Нина Волкова')).toEqual([]);

    const page = await actors.signIn(admin, '/settings/forms?tab=quarantine');
    const item = page.getByTestId('quarantine-item').filter({ hasText: 'amoCRM: Ромашка' });
    await item.waitFor();
    expect(await item.getByTestId('quarantine-fields').innerText()).toMatch(new RegExp(`^id\\s+${crmId}$`, 'm'));
    expect(await item.getByTestId('quarantine-issue').allInnerTexts()).toEqual([expect.stringMatching(/^Бюджет/)]);

    await item.getByRole('button', { name: 'Исправить и отправить' }).click();
    const fix = page.getByRole('dialog', { name: 'Исправить заявку' });
    expect(await fix.getByLabel('Имя').inputValue()).toBe('Нина Волкова');
    await fix.getByLabel('Бюджет').fill('250 000');
    await fix.getByRole('button', { name: 'Отправить' }).click();
    await fix.waitFor({ state: 'detached' });
    await item.waitFor({ state: 'detached' });
    await page.getByText('В карантине пусто', { exact: false }).waitFor();

    const [lead] = await leadsNamed('Нина Волкова');
    expect(lead).toMatchObject({ name: 'Нина Волкова', dealValue: 250000, ownerId: 'anna' });

    // The sent one stays under its filter, still named by its CRM, with the lead it made.
    await page.getByText('Отправлены', { exact: true }).click();
    const sent = page.getByTestId('quarantine-item').filter({ hasText: 'amoCRM: Ромашка' });
    await sent.getByText('Ольга Смирнова', { exact: false }).waitFor();
    await sent.getByRole('link', { name: 'Открыть лид' }).click();
    await page.waitForURL(`**/leads/${lead?.id}`);
    await page.getByText('Нина Волкова').first().waitFor();

    // Linked to the deal: amoCRM repeating its webhook finds the lead instead of quarantining again.
    expect((await postWebhook([crmId])).leads?.[0]).toMatchObject({ leadId: lead?.id, created: false });
    expect(await leadsNamed('Нина Волкова')).toHaveLength(1);
  });
});
