import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Actors, launchBrowser, signInOn } from '../support/browser.js';
import { startE2eApp, type E2eApp } from '../support/e2e-app.js';

/**
 * The first start of an empty installation in a real browser against a real server: the sign-in
 * page points to the setup page, which takes the one-time token the server logged and creates
 * the administrator once; then that person signs in and the setup page says it is done.
 */
describe('the first administrator in the browser', () => {
  let app: E2eApp;
  let browser: Browser;
  const actors = new Actors(() => browser, () => app.url);

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startE2eApp('sqlite'), launchBrowser()]);
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      const shots = await actors.screenshots(`setup-${context.task.name}`);
      console.error(`screenshots: ${shots.join(', ')}\nbrowser: ${actors.diagnostics()}\nserver: ${app?.server.output().slice(-4000)}`);
    }
    await actors.closeAll();
  });

  afterAll(async () => {
    await actors.closeAll();
    await browser?.close();
    await app?.stop();
  }, 30_000);

  it('creates the administrator with the token from the server log, once, and that person signs in', async () => {
    const token = /setup token (lr_setup_[\w-]+)/.exec(app.server.output())?.[1];
    expect(token, app.server.output()).toBeDefined();
    const page = await actors.open('owner');
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Первый запуск? Создайте администратора' }).click();
    await page.waitForURL('**/setup');

    const fill = async (code: string) => {
      await page.getByLabel(/^Код установки/).fill(code);
      await page.getByLabel(/^Имя/).fill('Ольга Смирнова');
      await page.getByLabel(/^Эл\. почта/).fill('owner@setup.test');
      await page.getByLabel(/^Пароль/).fill('a long first password');
      await page.getByRole('button', { name: 'Создать администратора' }).click();
    };
    await fill('lr_setup_wrong');
    await page.getByText('Код установки не подходит').waitFor();
    await fill(token as string);
    await page.getByText('Администратор создан').waitFor();

    await page.goto('/setup');
    await page.getByText('Установка уже выполнена').waitFor();
    await page.goto('/sign-in');
    expect(await page.getByRole('link', { name: 'Первый запуск? Создайте администратора' }).count()).toBe(0);
    await signInOn(page, { userId: '', email: 'owner@setup.test', name: 'Ольга Смирнова', password: 'a long first password', managerId: null });
    await page.getByTestId('current-user').waitFor();
    expect(await page.getByTestId('current-user').innerText()).toContain('Ольга Смирнова');
  });
});
