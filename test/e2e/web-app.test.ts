import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Actors, choose, dismissToasts, gotoWithLiveStream, launchBrowser, STEP_TIMEOUT_MS, visibleStrings, waitUntil } from '../support/browser.js';
import { addManager, addTeam, addUser, getLead, publishRuleSet, rulesBySource, sendLead, startE2eApp, type E2eApp, type E2ePerson } from '../support/e2e-app.js';

/**
 * The web app in a real browser (Debian's chromium) against a real `leadrouter serve` process,
 * one server per database for the whole file; every scenario's people and leads are made over
 * the HTTP API with an admin key. On PostgreSQL the live board and the pool race run again.
 */

interface World {
  anna: E2ePerson;
  boris: E2ePerson;
  vlad: E2ePerson;
  // The rest exists on SQLite only.
  olga: E2ePerson;
  petr: E2ePerson;
  maria: E2ePerson;
  head: E2ePerson;
  qualifier: E2ePerson;
  emily: E2ePerson;
}

/** Managers are always on duty (no working hours), so nothing depends on the clock. */
async function setUpWorld(app: E2eApp, full: boolean): Promise<World> {
  const world: Partial<World> = {};
  // The sales floor: a live board and a shared pool.
  await addTeam(app, 'floor', 'Торговый зал');
  world.anna = await addManager(app, { id: 'anna', teamId: 'floor', name: 'Анна Петрова', email: 'anna@e2e.test' });
  world.boris = await addManager(app, { id: 'boris', teamId: 'floor', name: 'Борис Орлов', email: 'boris@e2e.test' });
  world.vlad = await addManager(app, { id: 'vlad', teamId: 'floor', name: 'Влад Ким', email: 'vlad@e2e.test' });
  await app.api('PUT', '/api/v1/pool/settings?teamId=floor', { mode: 'pick', order: 'oldest', claimsPerHour: 10 });
  const routes: Record<string, string> = { website: 'anna', cold: 'pool' };
  if (full) {
    // A team working leads: SLA, transfers with their head, qualification before routing.
    await addTeam(app, 'sales', 'Отдел продаж');
    world.olga = await addManager(app, { id: 'olga', teamId: 'sales', name: 'Ольга Смирнова', email: 'olga@e2e.test' });
    world.petr = await addManager(app, { id: 'petr', teamId: 'sales', name: 'Пётр Волков', email: 'petr@e2e.test' });
    world.maria = await addManager(app, { id: 'maria', teamId: 'sales', name: 'Мария Иванова', email: 'maria@e2e.test' });
    await addManager(app, { id: 'vera', teamId: 'sales', name: 'Вера Кузнецова', email: 'vera@e2e.test' });
    world.head = await addUser(app, { role: 'head', teamId: 'sales', email: 'head@e2e.test', name: 'Игорь Белов' });
    world.qualifier = await addUser(app, { role: 'qualifier', email: 'kira@e2e.test', name: 'Кира Лаптева' });
    // An English-speaking desk whose data is all Latin.
    await addTeam(app, 'intl', 'International desk');
    world.emily = await addManager(app, { id: 'emily', teamId: 'intl', name: 'Emily Clark', email: 'emily@e2e.test' });
    Object.assign(routes, { sla: 'olga', transfer: 'petr', qualify: 'vera', 'web-en': 'emily' });
    // First-contact clocks for two sources only.
    await app.api('POST', '/api/v1/sla/policies', { name: 'Первый звонок за 2 часа', match: { sources: ['sla'] }, firstContactMinutes: 120 });
    await app.api('POST', '/api/v1/sla/policies', { name: 'First call', match: { sources: ['web-en'] }, firstContactMinutes: 240 });
    // Leads of one source wait for a qualifier; set before any lead arrives (intake caches it).
    await app.api('PUT', '/api/v1/settings/qualification', { enabled: true, sources: ['qualify'] });
  }
  await publishRuleSet(app, rulesBySource(routes));
  return world as World;
}

describe.each(['sqlite', 'postgres'] as const)('the web app on %s', (kind) => {
  let app: E2eApp;
  let browser: Browser;
  let world: World;
  const actors = new Actors(() => browser, () => app.url);

  beforeAll(async () => {
    // Both at once; whichever started is stopped in afterAll even if the other failed.
    const [started, launched] = await Promise.allSettled([startE2eApp(kind), launchBrowser()]);
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;
    world = await setUpWorld(app, kind === 'sqlite');
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      const shots = await actors.screenshots(`${kind}-${context.task.name}`);
      console.error(`screenshots: ${shots.join(', ')}\nbrowser: ${actors.diagnostics()}\nserver: ${app?.server.output().slice(-4000)}`);
    }
    await actors.closeAll();
  });

  afterAll(async () => {
    await actors.closeAll();
    await browser?.close();
    await app?.stop();
  }, 30_000);

  it("shows a lead sent through the API on its owner's board without a reload", async () => {
    const page = await actors.signIn(world.anna);
    await gotoWithLiveStream(page, '/leads');
    const board = page.getByTestId('lead-board');
    await board.waitFor();
    // Marks this page load: a reload or a navigation would drop the mark.
    await page.evaluate(() => ((globalThis as unknown as { e2eLoad: string }).e2eLoad = 'first'));

    const { lead, owner } = await sendLead(app, { name: 'Сергей Лебедев', companyName: 'ООО Рассвет', source: 'website', dealValue: 480_000 });
    expect(owner?.id).toBe('anna');

    const card = board.locator(`[data-testid="lead-card"][data-lead-id="${lead.id}"]`);
    await card.waitFor({ timeout: STEP_TIMEOUT_MS });
    await expect.poll(async () => await card.innerText()).toContain('Сергей Лебедев');
    await expect(page.evaluate(() => (globalThis as unknown as { e2eLoad?: string }).e2eLoad)).resolves.toBe('first');
    // It landed in the «Новый» column, and the card opens the lead.
    await page.getByTestId('board-column-new').locator(`[data-lead-id="${lead.id}"]`).waitFor();
    await card.click();
    await page.waitForURL(`**/leads/${lead.id}`);
    await expect.poll(async () => await page.getByTestId('lead-title').innerText()).toBe('Сергей Лебедев');
  }, 60_000);

  it('gives a pool lead to exactly one of two managers who click «Взять» at once; the other is told plainly', async () => {
    const { lead } = await sendLead(app, { name: 'Ирина Соколова', companyName: 'ЗАО Север', source: 'cold' });
    expect(lead.status).toBe('pool');
    expect(lead.ownerId).toBeNull();

    const [borisPage, vladPage] = await Promise.all([actors.signIn(world.boris, '/pool'), actors.signIn(world.vlad, '/pool')]);
    const claimButton = (page: Page) => page.locator(`[data-testid="pool-lead"][data-lead-id="${lead.id}"]`).getByRole('button', { name: 'Взять' });
    await Promise.all([claimButton(borisPage).waitFor(), claimButton(vladPage).waitFor()]);

    await Promise.all([claimButton(borisPage).click(), claimButton(vladPage).click()]);

    // Each page ends either on the lead card or with the message; wait for one of the two.
    const outcome = async (page: Page): Promise<'won' | 'lost'> => {
      const title = page.getByTestId('lead-title');
      const error = page.getByTestId('pool-error');
      await title.or(error).first().waitFor();
      return (await title.isVisible()) ? 'won' : 'lost';
    };
    const [borisOutcome, vladOutcome] = await Promise.all([outcome(borisPage), outcome(vladPage)]);
    expect([borisOutcome, vladOutcome].sort()).toEqual(['lost', 'won']);
    const [winner, winnerPage, loserPage] = borisOutcome === 'won' ? [world.boris, borisPage, vladPage] : [world.vlad, vladPage, borisPage];

    expect(new URL(winnerPage.url()).pathname).toBe(`/leads/${lead.id}`);
    await expect.poll(async () => await winnerPage.getByTestId('lead-title').innerText()).toBe('Ирина Соколова');
    expect(new URL(loserPage.url()).pathname).toBe('/pool');
    await expect.poll(async () => await loserPage.getByTestId('pool-error').innerText()).toContain('Этот лид уже взял коллега');

    // The server agrees: one owner, the winner, and one claim on the record.
    const stored = await getLead(app, lead.id);
    expect(stored.lead.ownerId).toBe(winner.managerId);
    expect(stored.lead.status).not.toBe('pool');
    const timeline = await app.api<{ items: Array<{ type: string; details: { via?: string; managerId?: string | null } | null }> }>('GET', `/api/v1/leads/${lead.id}/timeline`);
    const claims = timeline.items.filter((item) => item.type === 'assignment' && item.details?.via === 'claim');
    expect(claims.map((c) => c.details?.managerId), JSON.stringify(timeline.items)).toEqual([winner.managerId]);
  }, 60_000);

  if (kind !== 'sqlite') return;

  it('a call that reached the client turns the SLA countdown into «контакт есть»', async () => {
    const { lead } = await sendLead(app, { name: 'Денис Захаров', companyName: 'ООО Вектор', source: 'sla' });
    expect(lead.ownerId).toBe('olga');
    expect(lead.sla?.dueAt, 'the SLA policy gives the lead a deadline').toBeTruthy();

    const page = await actors.signInByApi(world.olga, `/leads/${lead.id}`);
    await expect.poll(async () => await page.getByTestId('lead-title').innerText()).toBe('Денис Захаров');
    const badge = page.locator('[data-sla]');
    await expect.poll(async () => await badge.getAttribute('data-sla')).toBe('running');
    // (textContent: a badge may show its text in capitals by CSS.)
    expect(await badge.textContent()).toMatch(/^осталось \d/);
    expect(await page.getByTestId('first-contact').count()).toBe(0);

    await page.getByRole('button', { name: 'Записать контакт' }).click();
    const dialog = page.getByRole('dialog', { name: 'Звонок, письмо, встреча или заметка' });
    await dialog.waitFor();
    await choose(dialog, 'Что было', 'Звонок');
    // An attempt would not stop the clock; the form says which is which.
    await choose(dialog, 'Результат', 'не ответил');
    await expect.poll(async () => await dialog.innerText()).toContain('Это попытка: таймер продолжит идти.');
    await choose(dialog, 'Результат', 'дозвонился');
    await expect.poll(async () => await dialog.innerText()).toContain('Это реальный контакт: таймер первого контакта остановится.');
    await dialog.getByRole('button', { name: 'Записать', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    await expect.poll(async () => await badge.getAttribute('data-sla')).toBe('contacted');
    expect(await badge.textContent()).toBe('контакт есть');
    const note = page.getByTestId('first-contact');
    await note.waitFor();
    expect(await note.innerText()).toMatch(/^Первый контакт .+ — таймер SLA остановлен\.$/);

    const stored = await getLead(app, lead.id);
    expect(stored.lead.lifecycle.firstContactAt).not.toBeNull();
  }, 60_000);

  it('a transfer requested by the manager and approved by the head reaches the new manager with a briefing', async () => {
    const { lead } = await sendLead(app, { name: 'Алексей Гусев', companyName: 'АО Меридиан', source: 'transfer' });
    expect(lead.ownerId).toBe('petr');

    // Пётр asks for the hand-over, naming Мария.
    const petrPage = await actors.signIn(world.petr, `/leads/${lead.id}`);
    await petrPage.getByTestId('lead-title').waitFor();
    await petrPage.getByRole('button', { name: 'Передать' }).click();
    const dialog = petrPage.getByRole('dialog', { name: 'Запросить передачу' });
    await dialog.waitFor();
    await choose(dialog, 'Причина', 'Перегружен');
    await dialog.getByLabel('Комментарий для РОПа').fill('Клиент ждёт звонка после обеда');
    await choose(dialog, 'Кому (необязательно)', 'Мария Иванова');
    await dialog.getByRole('button', { name: 'Отправить запрос' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The head, in a browser of their own, finds it under «Передачи» and approves it.
    const headPage = await actors.signInByApi(world.head, '/');
    await headPage.getByRole('link', { name: 'Передачи' }).click();
    await headPage.waitForURL('**/transfers');
    const transfer = headPage.getByTestId('transfer').filter({ has: headPage.locator(`a[href="/leads/${lead.id}"]`) });
    await transfer.waitFor();
    await expect.poll(async () => await transfer.innerText()).toContain('Перегружен — Клиент ждёт звонка после обеда');
    // (Names fill in once the managers are loaded.)
    await expect.poll(async () => await transfer.innerText()).toContain('Пётр Волков → Мария Иванова');
    await transfer.getByRole('button', { name: 'Одобрить' }).click();
    // Approved, it leaves the list of requests that wait for a decision.
    await transfer.waitFor({ state: 'detached' });
    expect((await getLead(app, lead.id)).lead.ownerId).toBe('maria');

    // Мария opens the lead from her board and reads why it came to her.
    const mariaPage = await actors.signInByApi(world.maria, '/leads');
    await mariaPage.locator(`[data-testid="lead-card"][data-lead-id="${lead.id}"]`).click();
    await mariaPage.waitForURL(`**/leads/${lead.id}`);
    const briefing = mariaPage.getByTestId('briefing');
    await briefing.waitFor();
    const text = await briefing.innerText();
    expect(text).toContain('Лид передан вам');
    expect(text).toContain('Причина передачи: Перегружен');
    expect(text).toContain('Клиент ждёт звонка после обеда');
    expect(await mariaPage.getByText('Менеджер: Мария Иванова').count()).toBe(1);
  }, 90_000);

  it('a qualifier passes a waiting lead on and sees which manager got it', async () => {
    const { lead } = await sendLead(app, { name: 'Глеб Миронов', companyName: 'ООО Квант', source: 'qualify' });
    expect(lead.status).toBe('qualification');
    expect(lead.ownerId).toBeNull();

    const page = await actors.signIn(world.qualifier);
    expect(new URL(page.url()).pathname).toBe('/qualification');
    const waiting = page.locator(`[data-testid="qualification-lead"][data-lead-id="${lead.id}"]`);
    await waiting.waitFor();
    expect(await waiting.innerText()).toContain('Глеб Миронов');
    await waiting.getByRole('button', { name: 'Квалифицировать' }).click();

    // The server routes it by the published rules…
    const stored = await waitUntil(async () => {
      const now = await getLead(app, lead.id);
      return now.lead.status !== 'qualification' && now;
    }, 'the lead left qualification');
    expect(stored.lead.ownerId).toBe('vera');
    expect(stored.lead.status).toBe('new');
    await waiting.waitFor({ state: 'detached' });
    // …and the qualifier's page says where it went.
    const routed = page.getByTestId('qualification-routed');
    await expect.poll(async () => await routed.isVisible(), { message: "the qualifier's page does not say where the lead went (qualification-routed)", timeout: 10_000 }).toBe(true);
    const said = await routed.innerText();
    expect(said).toContain('Лид Глеб Миронов квалифицирован: Вера Кузнецова.');
    // …and why, told as a qualified lead, not as one still waiting.
    expect(said).toContain('Квалифицирован и назначен: Вера Кузнецова');
    expect(said).not.toContain('ждёт квалификации');
  }, 60_000);

  describe('the language switch', () => {
    const CYRILLIC = /[\u0400-\u04FF]/;
    // Latin data, so whatever Cyrillic is left in English is the interface's own.
    const LEADS = [
      { name: 'John Smith', companyName: 'Acme Widgets', region: 'London', source: 'web-en', dealValue: 120_000 },
      { name: 'Mary Jones', companyName: 'Northwind Traders', region: 'Leeds', source: 'web-en' },
    ];
    const DATA = [...LEADS.flatMap((l) => [l.name, l.companyName, l.region]), 'Emily Clark'];
    const EN_NAVIGATION = ['My leads', 'Shared pool', 'Calls and tasks', 'Clients', 'My figures', 'Motivation', 'Bonuses', 'Transfers', 'Notifications'];
    const RU_NAVIGATION = ['Мои лиды', 'Общий пул', 'Звонки и задачи', 'Клиенты', 'Мои показатели', 'Мотивация', 'Бонусы', 'Передачи', 'Уведомления'];

    const navigation = async (page: Page, name: string): Promise<string> => (await page.getByRole('navigation', { name }).getByRole('link').allInnerTexts().catch(() => [])).join(' | ');

    /** Visible strings with Cyrillic in them, leaving out the data the test created. */
    const cyrillicLeft = async (page: Page): Promise<string[]> =>
      (await visibleStrings(page)).filter((line) => {
        let rest = line;
        for (const value of DATA) rest = rest.split(value).join('');
        return CYRILLIC.test(rest);
      });

    const switchTo = async (page: Page, currentLabel: 'Язык' | 'Language', language: 'RU' | 'EN'): Promise<void> => {
      await page.getByRole('radiogroup', { name: currentLabel }).getByText(language, { exact: true }).click();
    };

    const boardReady = async (page: Page): Promise<void> => {
      await page.getByTestId('lead-board').waitFor();
      await waitUntil(async () => (await page.getByTestId('lead-card').count()) === LEADS.length, 'both leads on the board');
      await waitUntil(async () => (await page.locator('[data-testid="lead-card"] [data-sla="running"]').count()) === LEADS.length, 'an SLA countdown on each card');
    };

    it('changes every string on /leads to English and back without a reload, and the choice stays the person\'s', async () => {
      const page = await actors.signIn(world.emily);
      await gotoWithLiveStream(page, '/leads');
      await page.getByTestId('lead-board').waitFor();
      // The leads arrive while the page listens, so their toasts come now (and are closed)
      // instead of over the controls in the middle of the checks.
      for (const lead of LEADS) await sendLead(app, lead);
      await boardReady(page);
      await waitUntil(async () => /\b2\b/.test((await page.getByTestId('notification-bell').getAttribute('aria-label')) ?? ''), 'two unread notifications');
      await dismissToasts(page);
      await page.evaluate(() => ((globalThis as unknown as { e2eLoad: string }).e2eLoad = 'first'));

      // Russian first: the page is full of Cyrillic that is not data.
      expect(await navigation(page, 'Разделы')).toBe(RU_NAVIGATION.join(' | '));
      expect(await cyrillicLeft(page)).toEqual(expect.arrayContaining(['Мои лиды', 'Новый']));

      await switchTo(page, 'Язык', 'EN');
      await waitUntil(async () => (await navigation(page, 'Sections')) === EN_NAVIGATION.join(' | '), 'the navigation in English');
      expect(await page.getByRole('heading', { level: 3 }).first().innerText()).toBe('My leads');
      expect(await cyrillicLeft(page), 'Russian text left on the board in English').toEqual([]);
      expect(await page.getByTestId('lead-card').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('John Smith'), expect.stringContaining('Mary Jones')]));
      // The list view of the same page: filters, column heads, rows.
      await page.getByRole('radiogroup').filter({ hasText: 'Board' }).getByText('List', { exact: true }).click();
      await waitUntil(async () => (await page.getByTestId('lead-row').count()) === LEADS.length, 'both leads in the list');
      expect(await cyrillicLeft(page), 'Russian text left in the list in English').toEqual([]);
      // And one lead's own page.
      await page.getByTestId('lead-row').filter({ hasText: 'John Smith' }).getByRole('link').first().click();
      await page.getByTestId('decision-panel').waitFor();
      expect(await cyrillicLeft(page), 'Russian text left on the lead page in English').toEqual([]);
      await page.goBack();
      await page.getByRole('radiogroup').filter({ hasText: 'List' }).getByText('Board', { exact: true }).click();
      await boardReady(page);

      await switchTo(page, 'Language', 'RU');
      await waitUntil(async () => (await navigation(page, 'Разделы')) === RU_NAVIGATION.join(' | '), 'the navigation in Russian again');
      expect(await page.getByRole('heading', { level: 3 }).first().innerText()).toBe('Мои лиды');
      expect(await cyrillicLeft(page)).toEqual(expect.arrayContaining(['Мои лиды', 'Новый']));
      // All of it without a reload.
      await expect(page.evaluate(() => (globalThis as unknown as { e2eLoad?: string }).e2eLoad)).resolves.toBe('first');

      // English again; the server keeps it as the person's choice.
      await switchTo(page, 'Язык', 'EN');
      await waitUntil(async () => (await app.api<{ locale: string | null }>('GET', `/api/v1/users/${world.emily.userId}`)).locale === 'en', 'the locale stored on the server as en');

      await page.reload();
      await boardReady(page);
      expect(await navigation(page, 'Sections')).toBe(EN_NAVIGATION.join(' | '));
      expect(await cyrillicLeft(page), 'Russian text on the board loaded in English').toEqual([]);

      // A new browser (nothing stored) signs in in Russian and then shows the person's English.
      const elsewhere = await actors.signIn(world.emily, '/leads');
      await waitUntil(async () => (await navigation(elsewhere, 'Sections')) === EN_NAVIGATION.join(' | '), 'English in a new browser after sign-in');
      await boardReady(elsewhere);
      expect(await cyrillicLeft(elsewhere), 'Russian text in a new browser in English').toEqual([]);
    }, 90_000);
  });
});
