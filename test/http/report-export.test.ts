import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

/** A report table downloads as an Excel workbook: the same rows as the CSV, numbers as numbers. */
describe.each(DATABASE_KINDS)('report tables as XLSX on %s', (kind) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await startTestApp(kind, { now: () => new Date('2025-03-03T07:00:00Z') });
    await setUpRouting(t, {
      managers: [manager('anna', { name: 'Анна' })],
      ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'Всё Анне', target: { kind: 'person', managerId: 'anna' } }], fallback: { kind: 'pool' } },
    });
    for (const source of ['сайт', 'сайт', 'база']) expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Лид', source } })).statusCode).toBe(201);
  });
  afterEach(async () => {
    await t.close();
  });

  const period = 'from=2025-03-01&to=2025-03-05';

  it('gives the junk table by source as a workbook whose rows match the CSV, counts as numbers', async () => {
    const res = await t.request({ method: 'GET', url: `/api/v1/reports/junk?${period}&format=xlsx&section=bySource` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/filename="junk-bySource-2025-03-01-2025-03-05\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.name).toBe('bySource');
    const header = (sheet?.getRow(1).values as unknown[]).slice(1);
    const csv = (await t.request({ method: 'GET', url: `/api/v1/reports/junk?${period}&format=csv&section=bySource` })).body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(header.join(',')).toBe(csv[0]);
    const rows = [2, 3].map((n) => (sheet?.getRow(n).values as unknown[]).slice(1));
    const leadsColumn = header.indexOf('leads');
    expect(rows.map((r) => [r[header.indexOf('source')], r[leadsColumn]])).toEqual([
      ['сайт', 2],
      ['база', 1],
    ]);
    expect(sheet?.rowCount).toBe(csv.length);
  });

  it('refuses a table the report does not have, naming the ones it has', async () => {
    const res = await t.request({ method: 'GET', url: `/api/v1/reports/funnel?${period}&format=xlsx&section=nope` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ path: 'section', code: 'unknown_section' });
  });

  it('refuses a rule filter no rule set version ever had, and takes one that exists', async () => {
    const unknown = await t.request({ method: 'GET', url: `/api/v1/reports/funnel?${period}&rule=nope` });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0]).toMatchObject({ path: 'rule', code: 'unknown_rule' });
    const known = await t.request({ method: 'GET', url: `/api/v1/reports/funnel?${period}&rule=all` });
    expect(known.statusCode, known.body).toBe(200);
    expect(known.json().totals.leads).toBe(3);
  });
});
