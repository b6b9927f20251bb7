import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Actors, launchBrowser } from '../support/browser.js';
import { addManager, addTeam, addUser, publishRuleSet, sendLead, startE2eApp, type E2eApp, type E2ePerson } from '../support/e2e-app.js';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The local date in Moscow `offset` days from now, as YYYY-MM-DD. */
function moscowDate(offset: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date(Date.now() + offset * 86_400_000));
}

/**
 * A holiday added in the browser moves the deadline of the next real lead. The server's clock is
 * the real one, so the manager works on one weekday only, three days ahead: a lead arriving now
 * is due that day at 09:30 (Moscow) whatever the hour, and a holiday on that day moves the next
 * lead's deadline a week on. The preview's version of this runs in admin-console.test.ts.
 */
describe('a holiday and a lead’s SLA deadline', () => {
  let app: E2eApp;
  let browser: Browser;
  let admin: E2ePerson;
  const workday = moscowDate(3);
  const weekday = WEEKDAYS[new Date(`${workday}T12:00:00Z`).getUTCDay()] as string;
  const actors = new Actors(() => browser, () => app.url);

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startE2eApp('sqlite'), launchBrowser()]);
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;
    await addTeam(app, 'sales', 'Отдел продаж');
    await addManager(app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@holiday.test' });
    await app.api('PATCH', '/api/v1/managers/anna', { workingHours: { [weekday]: [['09:00', '18:00']] }, timeZone: 'Europe/Moscow' });
    await app.api('POST', '/api/v1/sla/policies', { name: 'Звонок за 30 минут', firstContactMinutes: 30 });
    await publishRuleSet(app, {
      ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
      // A dispatcher target: working hours do not stop the assignment, only the SLA clock.
      rules: [{ id: 'anna', name: 'Всё Анне', target: { kind: 'person', managerId: 'anna' } }],
      fallback: { kind: 'pool' },
    });
    admin = await addUser(app, { role: 'admin', email: 'admin@holiday.test', name: 'Алла Админова' });
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      const shots = await actors.screenshots(`holiday-${context.task.name}`);
      console.error(`screenshots: ${shots.join(', ')}\nbrowser: ${actors.diagnostics()}\nserver: ${app?.server.output().slice(-4000)}`);
    }
    await actors.closeAll();
  });

  afterAll(async () => {
    await actors.closeAll();
    await browser?.close();
    await app?.stop();
  }, 30_000);

  it('a lead arriving before the holiday is due on the working day; after the admin adds the holiday in the UI, the next lead is due a week later', async () => {
    const before = await sendLead(app, { name: 'До праздника' });
    expect(before.owner?.id).toBe('anna');
    expect(before.lead.sla?.dueAt).toBe(`${workday}T06:30:00.000Z`);

    const page = await actors.signIn(admin, '/settings/sla');
    await page.getByRole('tab', { name: 'Праздники' }).click();
    const form = page.getByRole('form', { name: 'Добавить праздник' });
    await form.getByLabel(/^Дата/).fill(workday);
    await form.getByLabel(/^Название/).fill('Корпоративный выходной');
    await form.getByRole('button', { name: 'Добавить' }).click();
    await page.getByRole('table', { name: 'Праздники' }).getByText('Корпоративный выходной').waitFor();

    const after = await sendLead(app, { name: 'После праздника' });
    expect(after.lead.sla?.dueAt).toBe(`${moscowDate(10)}T06:30:00.000Z`);
  });
});
