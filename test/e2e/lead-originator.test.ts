import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Actors, choose, launchBrowser, waitUntil } from '../support/browser.js';
import { addManager, addTeam, addUser, getLead, publishRuleSet, rulesBySource, startE2eApp, type E2eApp, type E2ePerson } from '../support/e2e-app.js';

/**
 * Who brought the client in, in a real browser: a manager types in a client they found through
 * «Новый лид» and the lead is theirs, «Привёл» themselves (every other lead goes to a colleague,
 * so it stayed because she registered it); the head corrects «Привёл» with a reason.
 */
describe.each(['sqlite', 'postgres'] as const)('the originator of a lead on %s', (kind) => {
  let app: E2eApp;
  let browser: Browser;
  let anna: E2ePerson;
  let head: E2ePerson;
  const actors = new Actors(() => browser, () => app.url);

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startE2eApp(kind), launchBrowser()]);
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;
    await addTeam(app, 'sales', 'Отдел продаж');
    anna = await addManager(app, { id: 'anna', teamId: 'sales', name: 'Анна Смирнова', email: 'anna@e2e.test' });
    await addManager(app, { id: 'boris', teamId: 'sales', name: 'Борис Орлов', email: 'boris@e2e.test' });
    head = await addUser(app, { role: 'head', teamId: 'sales', email: 'head@e2e.test', name: 'Игорь Белов' });
    // By the rules every lead goes to Boris.
    await publishRuleSet(app, { ...rulesBySource({}), fallback: { kind: 'manager', managerId: 'boris' } });
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      const shots = await actors.screenshots(`lead-originator-${kind}-${context.task.name}`);
      console.error(`screenshots: ${shots.join(', ')}\nbrowser: ${actors.diagnostics()}\nserver: ${app?.server.output().slice(-4000)}`);
    }
    await actors.closeAll();
  });

  afterAll(async () => {
    await actors.closeAll();
    await browser?.close();
    await app?.stop();
  }, 30_000);

  it('a manager registers a client through «Новый лид» and it is hers; the head corrects «Привёл» with a reason', async () => {
    const page = await actors.signIn(anna, '/leads');
    await page.getByRole('button', { name: 'Новый лид' }).click();
    const form = page.getByTestId('new-lead-form');
    const submit = form.getByRole('button', { name: 'Создать лид' });
    // Nothing to call or write to yet: the form waits for a contact.
    expect(await submit.isDisabled()).toBe(true);
    await form.getByLabel(/^Имя клиента/).fill('Сергей Орлов');
    await form.getByLabel(/^Телефон/).fill('+7 916 700-11-22');
    await form.getByLabel(/^Компания/).fill('ООО «СтройМонтаж»');
    await choose(form, 'Источник', 'Рекомендация');
    await form.getByLabel(/^Комментарий/).fill('Познакомились на конференции');
    await submit.click();

    // The card of the new lead opens: hers, brought in by her, kept without routing.
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    const leadId = page.url().split('/').pop() as string;
    await page.getByTestId('lead-title').filter({ hasText: 'Сергей Орлов' }).waitFor();
    const header = page.getByTestId('lead-originator');
    await waitUntil(async () => (await header.innerText()).includes('Привёл: Анна Смирнова'), '«Привёл» is not Anna');
    expect(await page.getByText('Менеджер: Анна Смирнова').count()).toBe(1);
    expect(await page.getByTestId('decision-headline').innerText()).toContain('Клиента нашёл менеджер Анна Смирнова');
    // A manager does not correct it.
    expect(await page.getByTestId('change-originator').count()).toBe(0);
    const stored = (await getLead(app, leadId)) as unknown as { lead: { ownerId: string; originatorId: string; source: string } };
    expect(stored.lead).toMatchObject({ ownerId: 'anna', originatorId: 'anna', source: 'referral' });

    // The head says Boris brought the client in, with a reason.
    const headPage = await actors.signInByApi(head, `/leads/${leadId}`);
    await headPage.getByTestId('change-originator').click();
    const change = headPage.getByTestId('change-person-form');
    await choose(change, 'Привёл', 'Борис Орлов');
    const save = change.getByRole('button', { name: 'Сохранить' });
    expect(await save.isDisabled()).toBe(true);
    await change.getByLabel(/^Причина изменения/).fill('Клиента привёл Борис с выставки');
    await save.click();
    await change.waitFor({ state: 'detached' });
    await waitUntil(async () => (await headPage.getByTestId('lead-originator').innerText()).includes('Привёл: Борис Орлов'), '«Привёл» did not change to Boris');
    // The history tells who changed it and why; the owner stays.
    await headPage.getByText('«Привёл» изменён: Борис Орлов').waitFor();
    await headPage.getByText('Клиента привёл Борис с выставки').waitFor();
    expect(await headPage.getByText('Менеджер: Анна Смирнова').count()).toBe(1);
    const audit = await app.api<{ items: Array<{ action: string; entityId: string; after: { originatorId: string; reason: string } }> }>('GET', `/api/v1/audit?entity=lead&entityId=${leadId}`);
    expect(audit.items.find((e) => e.action === 'lead.originator_changed')?.after).toMatchObject({ originatorId: 'boris', reason: 'Клиента привёл Борис с выставки' });
  });
});
