import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Actors, choose, launchBrowser, waitUntil } from '../support/browser.js';
import { addUser, publishRuleSet, sendLead, startE2eApp, type E2eApp, type E2ePerson } from '../support/e2e-app.js';

/**
 * The people console in a real browser: the admin sets up a team and three managers with hours,
 * weights and an absence, and leads sent through the API are routed honouring them. The server's
 * clock is the real one, so the hours are chosen to hold at any moment: "around the clock", or a
 * week without intervals on yesterday, today and tomorrow (Moscow, the managers' zone).
 */

interface ManagerView { id: string; name: string; teamId: string | null; weight: number; workingHours: Record<string, Array<[string, string]>> | null }
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WEEKDAY_NAMES: Record<string, string> = { mon: 'Понедельник', tue: 'Вторник', wed: 'Среда', thu: 'Четверг', fri: 'Пятница', sat: 'Суббота', sun: 'Воскресенье' };

/** The local date in Moscow `offset` days from now, as YYYY-MM-DD. */
function moscowDate(offset: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date(Date.now() + offset * 86_400_000));
}
function weekdayOf(date: string): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()] as (typeof WEEKDAYS)[number];
}

describe.each(['sqlite', 'postgres'] as const)('the people console on %s', (kind) => {
  let app: E2eApp;
  let browser: Browser;
  let admin: E2ePerson;
  const actors = new Actors(() => browser, () => app.url);

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startE2eApp(kind), launchBrowser()]);
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;
    admin = await addUser(app, { role: 'admin', email: 'admin@e2e.test', name: 'Администратор' });
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      const shots = await actors.screenshots(`people-${kind}-${context.task.name}`);
      console.error(`screenshots: ${shots.join(', ')}\nbrowser: ${actors.diagnostics()}\nserver: ${app?.server.output().slice(-4000)}`);
    }
    await actors.closeAll();
  });

  afterAll(async () => {
    await actors.closeAll();
    await browser?.close();
    await app?.stop();
  }, 30_000);

  const managers = async (): Promise<ManagerView[]> => (await app.api<{ items: ManagerView[] }>('GET', '/api/v1/managers')).items;
  const byName = async (name: string): Promise<ManagerView> => {
    const found = (await managers()).find((m) => m.name === name);
    if (!found) throw new Error(`no manager ${name}`);
    return found;
  };
  const owners = async (count: number, tag: string): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) ids.push((await sendLead(app, { name: `${tag} ${i}`, source: 'website' })).owner?.id ?? 'pool');
    return ids;
  };

  /** Fills the manager drawer's common fields and submits; `hours` sets the week in the editor. */
  async function addManager(page: Page, name: string, weight: number, hours: (form: ReturnType<Page['getByTestId']>) => Promise<void>): Promise<void> {
    await page.getByRole('button', { name: 'Добавить менеджера' }).click();
    const form = page.getByTestId('manager-form');
    await form.getByLabel(/^Имя/).fill(name);
    await form.getByLabel('Вес').fill(String(weight));
    await hours(form);
    await form.getByRole('button', { name: 'Создать менеджера' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByTestId('manager-row').filter({ hasText: name }).waitFor();
  }

  it('sets up a team and managers with hours, weights and an absence, and routing honours them', async () => {
    const page = await actors.signIn(admin, '/settings/people?tab=teams');

    // A team, in the browser.
    await page.getByRole('button', { name: 'Новая команда' }).click();
    const teamForm = page.getByTestId('team-form');
    await teamForm.getByLabel(/^Название/).fill('Отдел e2e');
    await teamForm.getByRole('button', { name: 'Создать команду' }).click();
    await page.getByTestId('team-row').filter({ hasText: 'Отдел e2e' }).waitFor();
    const team = (await app.api<{ items: Array<{ id: string; name: string; timeZone: string }> }>('GET', '/api/v1/teams')).items.find((t) => t.name === 'Отдел e2e');
    expect(team?.timeZone).toBe('Europe/Moscow');

    // Three managers: Anna and Vera around the clock, Boris on weekdays with a lunch break but
    // off yesterday, today and tomorrow.
    await page.getByRole('tab', { name: /^Менеджеры/ }).click();
    const aroundTheClock = async (form: ReturnType<Page['getByTestId']>) => {
      await form.getByRole('switch', { name: 'Круглосуточно' }).check();
      await form.getByTestId('hours-mon').waitFor({ state: 'detached' });
    };
    await addManager(page, 'Анна Ветрова', 3, aroundTheClock);
    const offDays = [...new Set([moscowDate(-1), moscowDate(0), moscowDate(1)].map(weekdayOf))];
    const longDay = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).find((d) => !offDays.includes(d)) as string;
    await addManager(page, 'Борис Клёнов', 1, async (form) => {
      for (const day of offDays) {
        const remove = form.getByRole('button', { name: `Убрать интервал 1 (${WEEKDAY_NAMES[day]})` });
        if ((await remove.count()) > 0) await remove.click();
        await form.getByTestId(`hours-${day}`).getByText('Выходной').waitFor();
      }
      // A longer day, typed the short way ("1830" reads as 18:30).
      const end = form.getByRole('textbox', { name: `${WEEKDAY_NAMES[longDay]}, интервал 1: конец` });
      await end.fill('1830');
      await end.press('Tab');
      await waitUntil(async () => (await end.inputValue()) === '18:30', 'the end reads 18:30');
      await form.getByRole('button', { name: 'Добавить обед во все дни' }).click();
    });
    await addManager(page, 'Вера Листова', 1, aroundTheClock);

    const [anna, boris, vera] = [await byName('Анна Ветрова'), await byName('Борис Клёнов'), await byName('Вера Листова')];
    expect([anna.teamId, boris.teamId, vera.teamId]).toEqual([team?.id, team?.id, team?.id]);
    expect([anna.weight, boris.weight, vera.weight]).toEqual([3, 1, 1]);
    expect(anna.workingHours).toBeNull();
    const lunchDay: Array<[string, string]> = [['09:00', '13:00'], ['14:00', '18:00']];
    const expectedBoris = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].filter((d) => !offDays.includes(d as (typeof WEEKDAYS)[number])).map((d) => [d, lunchDay]));
    expectedBoris[longDay] = [['09:00', '13:00'], ['14:00', '18:30']];
    expect(boris.workingHours).toEqual(expectedBoris);

    // Vera is on sick leave from yesterday to tomorrow, set in the absence calendar.
    await page.getByRole('tab', { name: 'Календарь отсутствий' }).click();
    await page.getByTestId('absence-calendar').getByRole('button', { name: 'Добавить отсутствие', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await choose(dialog, 'Менеджер', 'Вера Листова');
    await dialog.getByText('Больничный').click();
    await dialog.getByLabel('С', { exact: true }).fill(moscowDate(-1));
    await dialog.getByLabel('По', { exact: true }).fill(moscowDate(1));
    await dialog.getByRole('button', { name: 'Добавить отсутствие', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const veraRow = page.locator(`[data-testid="absence-row"][data-manager-id="${vera.id}"]`);
    await veraRow.locator(`[data-testid="absence-cell"][data-kind="sick"][data-day="${moscowDate(0)}"]`).waitFor();

    await publishRuleSet(app, {
      ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
      rules: [{ id: 'team', name: 'Отдел e2e по весу', target: { kind: 'group', teams: [team?.id], strategy: 'weighted' } }],
      fallback: { kind: 'pool' },
    });

    // Boris is off today and Vera is away: every lead goes to Anna.
    expect(await owners(5, 'Первый')).toEqual(Array(5).fill(anna.id));

    // Boris goes around the clock (in the editor): he takes leads again, Vera still does not.
    await page.getByRole('tab', { name: /^Менеджеры/ }).click();
    await page.locator(`[data-testid="manager-row"][data-manager-id="${boris.id}"]`).getByRole('button', { name: 'Изменить' }).click();
    const form = page.getByTestId('manager-form');
    await aroundTheClock(form);
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await form.waitFor({ state: 'detached' });
    await waitUntil(async () => (await byName('Борис Клёнов')).workingHours === null, 'Boris is around the clock');
    const second = await owners(8, 'Второй');
    expect(second).toContain(boris.id);
    expect(second).not.toContain(vera.id);
    expect(new Set(second)).toEqual(new Set([anna.id, boris.id]));

    // Vera's sick leave is deleted in the calendar: she takes leads from the next one on.
    await page.getByRole('tab', { name: 'Календарь отсутствий' }).click();
    await veraRow.locator(`[data-testid="absence-cell"][data-day="${moscowDate(0)}"]`).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Удалить отсутствие' }).click();
    await waitUntil(async () => (await veraRow.locator('[data-testid="absence-cell"]').count()) === 0, 'the absence left the calendar');
    expect(await owners(10, 'Третий')).toContain(vera.id);
  }, 120_000);
});
