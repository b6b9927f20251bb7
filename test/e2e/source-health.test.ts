import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Actors, launchBrowser, waitUntil } from '../support/browser.js';
import { addTeam, addUser, sendLead, startE2eApp, type E2eApp, type E2ePerson } from '../support/e2e-app.js';

/** The head reads source health on the dashboard and sets a source's thresholds in the browser. */
describe.each(['sqlite', 'postgres'] as const)('source health in the browser on %s', (kind) => {
  let app: E2eApp;
  let browser: Browser;
  let head: E2ePerson;
  const actors = new Actors(() => browser, () => app.url);

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startE2eApp(kind, { SOURCE_HEALTH_INTERVAL_MS: '200' }), launchBrowser()]);
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;
    await addTeam(app, 'sales', 'Отдел продаж');
    head = await addUser(app, { role: 'head', teamId: 'sales', email: 'head@sources.test', name: 'Ольга Смирнова' });
    await sendLead(app, { name: 'Иван', phone: '+79161234567', source: 'website' });
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      const shots = await actors.screenshots(`source-health-${kind}-${context.task.name}`);
      console.error(`screenshots: ${shots.join(', ')}\nbrowser: ${actors.diagnostics()}\nserver: ${app?.server.output().slice(-4000)}`);
    }
    await actors.closeAll();
  });

  afterAll(async () => {
    await actors.closeAll();
    await browser?.close();
    await app?.stop();
  }, 30_000);

  it('a new source shows as learning; the head gives it its own silence threshold, the server refusing a bad zone next to the field', async () => {
    const page = await actors.signIn(head, '/reports?tab=sources&preset=today');
    const table = page.getByTestId('source-health-table');
    await table.getByRole('row', { name: /website/ }).getByText('Собираем историю').waitFor();
    // The server's check runs on its own: the last check time appears.
    await waitUntil(async () => (await page.getByText('Последняя проверка').locator('..').textContent())?.match(/\d\d:\d\d/) !== null || (await page.reload(), false), 'no check ran');

    await page.getByRole('button', { name: 'Пороги' }).click();
    const dialog = page.getByRole('dialog', { name: 'Пороги уведомлений' });
    await dialog.getByRole('textbox', { name: 'website: Молчание, ч' }).fill('5');
    await dialog.getByRole('textbox', { name: 'Часовой пояс компании' }).fill('Марс/Олимп');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.getByText('IANA', { exact: false }).waitFor();
    await dialog.getByRole('textbox', { name: 'Часовой пояс компании' }).fill('Asia/Novosibirsk');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Пороги сохранены').waitFor();

    const saved = await app.api<{ timeZone: string; sources: Record<string, unknown>; knownSources: Array<{ source: string; own: boolean }> }>('GET', '/api/v1/source-health/settings');
    expect(saved.timeZone).toBe('Asia/Novosibirsk');
    expect(saved.sources).toEqual({ website: { silenceHours: 5 } });
    expect(saved.knownSources).toEqual([expect.objectContaining({ source: 'website', own: true })]);
  });
});
