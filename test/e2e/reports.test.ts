import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/browser.js';
import { addManager, addTeam, addUser, publishRuleSet, sendLead, type E2ePerson } from '../support/e2e-app.js';
import { browserSuite } from '../support/browser-suite.js';

/**
 * The head's analytics in a real browser against a real server (SQLite; the report figures are
 * checked on both databases in test/http): what the team did today reads the same on the
 * dashboard as in the API, and a table downloads as a CSV Excel opens in Russian.
 */
describe('the analytics dashboard', () => {
  let head: E2ePerson;
  const suite = browserSuite('reports', {
    setUp: async () => {
      await addTeam(suite.app, 'sales', 'Отдел продаж');
      await addManager(suite.app, { id: 'anna', teamId: 'sales', name: 'Анна Петрова', email: 'anna@reports.test' });
      await addManager(suite.app, { id: 'boris', teamId: 'sales', name: 'Борис Орлов', email: 'boris@reports.test' });
      head = await addUser(suite.app, { role: 'head', email: 'head@reports.test', name: 'Ольга Смирнова', teamId: 'sales' });
      // Anna is owed three leads for each of Boris's.
      await publishRuleSet(suite.app, {
        ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
        rules: [{ id: 'team', name: 'Отдел по весу', target: { kind: 'group', managers: ['anna', 'boris'], strategy: 'weighted', weights: { anna: 3, boris: 1 } } }],
        fallback: { kind: 'pool' },
      });
      const leads: string[] = [];
      for (let i = 0; i < 5; i++) leads.push((await sendLead(suite.app, { name: `Сайт ${i + 1}`, source: 'website' })).lead.id);
      for (let i = 0; i < 3; i++) leads.push((await sendLead(suite.app, { name: `База ${i + 1}`, source: 'purchased-base' })).lead.id);
      // Three website leads reached by phone; every purchased lead was junk.
      for (const id of leads.slice(0, 3)) await suite.app.api('POST', `/api/v1/leads/${id}/activities`, { kind: 'call', outcome: 'reached' });
      for (const id of leads.slice(5)) await suite.app.api('POST', `/api/v1/leads/${id}/status`, { status: 'junk', junkReason: 'no_need' });
    },
  });
  const { actors } = suite;

  /** Intl writes '37,5 %' with a no-break space; compare words, not space characters. */
  const spaced = (text: string) => text.replace(/\s+/g, ' ');
  const rowsOf = async (page: Page, testId: string) =>
    await page.getByTestId(testId).locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => Array.from((r as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll('td')).map((c) => (c.textContent ?? '').trim())),
    );

  it('a head reads this week’s distribution, speed, junk and funnel for the team as the API gives them, and downloads a table as CSV', async () => {
    const page = await actors.signIn(head, '/reports?preset=last7');
    await page.getByRole('heading', { name: 'Аналитика' }).waitFor();

    // Distribution: 8 decisions, 6 to Anna and 2 to Boris, exactly as owed.
    await waitUntil(async () => (await page.getByTestId('distribution-decisions').innerText()) === '8', 'eight decisions');
    const shares = await rowsOf(page, 'distribution-table');
    expect(shares.map((r) => r.slice(0, 4))).toEqual([
      ['Анна Петрова', '6', '6', '0'],
      ['Борис Орлов', '2', '2', '0'],
    ]);
    await page.getByTestId('distribution-chart').locator('canvas').waitFor();
    const api = await suite.app.api<{ totals: { decisions: number }; byManager: Array<{ name: string; fairShareLeads: number }> }>('GET', '/api/v1/reports/distribution?team=sales');
    expect(api.totals.decisions).toBe(8);

    // Speed to lead: three of the five website leads reached (junk leads are left out, docs/reports.md).
    await page.getByRole('tab', { name: 'Скорость реакции' }).click();
    await page.getByTestId('speed-table').waitFor();
    await page.getByText('3 / 5').waitFor();

    // Junk: the purchased base stands out.
    await page.getByRole('tab', { name: 'Некачественные' }).click();
    await waitUntil(async () => spaced(await page.getByTestId('junk-rate').innerText()) === '37,5 %', 'three of eight leads were junk');
    const sources = await rowsOf(page, 'junk-sources');
    expect(sources[0]?.slice(0, 4).map(spaced)).toEqual(['purchased-base', '3', '3', '100 %выделяется']);
    expect(sources[0]?.[4]).toContain('Нет потребности (3)');

    // The junk table by source, as CSV with a BOM for Excel (the workbook's content is checked in test/http).
    await page.getByRole('button', { name: 'Скачать' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Источник — CSV' }).click()]);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('purchased-base');
    await page.getByRole('button', { name: 'Скачать' }).click();
    const [workbook] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Источник — Excel' }).click()]);
    expect(workbook.suggestedFilename()).toMatch(/^junk-bySource-.*\.xlsx$/);

    // The funnel follows the same eight leads.
    await page.getByRole('tab', { name: 'Воронка' }).click();
    await page.getByTestId('funnel-sources').waitFor();
    expect((await rowsOf(page, 'funnel-sources')).map((r) => r.slice(0, 2))).toEqual([
      ['website', '5'],
      ['purchased-base', '3'],
    ]);
    // The view is in the address: a reload keeps the tab and the period.
    await page.reload();
    await page.getByTestId('funnel-sources').waitFor();
    expect(new URL(page.url()).searchParams.get('tab')).toBe('funnel');
  });
});
