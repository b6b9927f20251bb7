import { describe, expect, it } from 'vitest';
import { signInOn } from '../support/browser.js';
import { browserSuite } from '../support/browser-suite.js';

/**
 * The first start of an empty installation in a real browser against a real server: the sign-in
 * page points to the setup page, which takes the one-time token the server logged and creates
 * the administrator once; then that person signs in and the setup page says it is done.
 */
describe('the first administrator in the browser', () => {
  const suite = browserSuite('setup');
  const { actors } = suite;

  it('creates the administrator with the token from the server log, once, and that person signs in', async () => {
    const token = /setup token (lr_setup_[\w-]+)/.exec(suite.app.server.output())?.[1];
    expect(token, suite.app.server.output()).toBeDefined();
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
