import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Actors, launchBrowser, waitUntil } from '../support/browser.js';
import { addManager, addTeam, addUser, publishRuleSet, sendLead, startE2eApp, type E2eApp, type E2ePerson } from '../support/e2e-app.js';

/**
 * «Бонусы» in a real browser against a real server (SQLite; the figures, scope, close and
 * adjustments are checked on both databases in test/http/bonuses.test.ts): the head opens last
 * month, sees who earned what on a deal Anna brought in and Boris closed, and closes the month.
 */
describe('the bonus page', () => {
  let app: E2eApp;
  let browser: Browser;
  let head: E2ePerson;
  let dir: string;
  const actors = new Actors(() => browser, () => app.url);
  // Last month in Moscow: the deal is moved there after it is won (the server runs on the real clock).
  const lastMonth = DateTime.now().setZone('Europe/Moscow').startOf('month').minus({ months: 1 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadrouter-bonus-e2e-'));
    const file = join(dir, 'bonus.sqlite');
    const [started, launched] = await Promise.allSettled([startE2eApp('sqlite', { DATABASE_URL: `sqlite:${file}` }), launchBrowser()]);
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;
    await addTeam(app, 'sales', 'Отдел продаж');
    await addManager(app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@bonus.test' });
    await addManager(app, { id: 'boris', teamId: 'sales', name: 'Борис Орлов', email: 'boris@bonus.test' });
    head = await addUser(app, { role: 'head', email: 'head@bonus.test', name: 'Ольга Смирнова', teamId: 'sales' });
    await publishRuleSet(app, { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [], fallback: { kind: 'pool' } });
    await app.api('PUT', '/api/v1/bonuses/settings?team=sales', { originatorSharePercent: 20, controlPointWeights: { presentation: 5, proposal: 0, contract: 0 }, bonusRatePercent: 10 });

    // Anna registers the client, presents, hands the deal to Boris, who wins it: 150 000 ₽.
    const { lead } = await sendLead(app, { name: 'Клиент Анны', originatorId: 'anna' });
    const converted = await app.api<{ deal: { id: string } }>('POST', `/api/v1/leads/${lead.id}/convert`, { deal: { title: 'Ромашка: CRM', amount: 150000, currency: 'RUB' } });
    const dealId = converted.deal.id;
    await app.api('PATCH', `/api/v1/deals/${dealId}`, { controlPoints: { presentation: new Date().toISOString() } });
    await app.api('PUT', `/api/v1/deals/${dealId}/owner`, { managerId: 'boris', reason: 'Ведёт эксперт' });
    await app.api('PATCH', `/api/v1/deals/${dealId}`, { closed: 'won' });
    const wonAt = lastMonth.plus({ days: 14, hours: 12 }).toUTC().toISO();
    const db = new BetterSqlite3(file);
    try {
      db.prepare('update deals set closed_at = ? where id = ?').run(wonAt, dealId);
    } finally {
      db.close();
    }
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      const shots = await actors.screenshots(`bonuses-${context.task.name}`);
      console.error(`screenshots: ${shots.join(', ')}\nbrowser: ${actors.diagnostics()}\nserver: ${app?.server.output().slice(-4000)}`);
    }
    await actors.closeAll();
  });

  afterAll(async () => {
    await actors.closeAll();
    await browser?.close();
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('a head opens Бонусы, sees who earned what on last month’s deal, and closes the month', async () => {
    const page = await actors.signIn(head, '/bonuses');
    await page.getByRole('heading', { name: 'Бонусы' }).waitFor();
    await page.getByRole('button', { name: 'Предыдущий месяц' }).click();
    await page.getByTestId('bonus-table').waitFor();

    // 150 000 ₽: Anna 20% for bringing the client in and 5% for the presentation, Boris the other 75%.
    const row = async (id: string) => (await page.getByTestId(`bonus-manager-${id}`).innerText()).replace(/\s+/g, ' ');
    expect(await row('anna')).toContain('37 500,00 ₽');
    expect(await row('boris')).toContain('112 500,00 ₽');
    await page.getByRole('button', { name: 'Показать сделки: Анна Петрова' }).click();
    const lines = (await page.getByTestId('bonus-lines').innerText()).replace(/\s+/g, ' ');
    expect(lines).toContain('Привлечение клиента');
    expect(lines).toContain('20% — доля за привлечение, команда Отдел продаж');
    expect(lines).toContain('Контрольная точка «Презентация»');
    await page.getByText('Месяц открыт').waitFor();

    await page.getByRole('button', { name: 'Закрыть период' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Цифры месяца будут заморожены').waitFor();
    await dialog.getByRole('button', { name: 'Закрыть и заморозить' }).click();
    await page.getByText('Месяц закрыт').waitFor();
    await page.getByText('Ольга Смирнова', { exact: false }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Закрыть период' }).count()).toBe(0);

    const report = await waitUntil(async () => {
      const r = await app.api<{ teams: Array<{ closed: { closedBy: string } | null }> }>('GET', `/api/v1/bonuses?period=${lastMonth.toFormat('yyyy-MM')}&team=sales`);
      return r.teams[0]?.closed ? r : undefined;
    }, 'the month closed in the API');
    expect(report.teams[0]?.closed?.closedBy).toBe('Ольга Смирнова');
  });
});
