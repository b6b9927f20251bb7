import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';
import type { RuleSetComparison } from '../../src/app/routing/compare-rule-sets.js';
import type { SimulationReport } from '../../src/app/routing/simulate-routing.js';

const OWNERSHIP = { enabled: true, whenOwnerUnavailable: 'next_rule' };

/** Published: conditions on a number, a custom text, a custom date and a region, so each kind of cell matters. */
const PUBLISHED = {
  ownership: OWNERSHIP,
  rules: [
    { id: 'big', name: 'Big deals', when: { field: 'dealValue', op: 'gte', value: 1_000_000 }, target: { kind: 'person', managerId: 'kam' } },
    { id: 'enterprise', name: 'Enterprise', when: { field: 'custom.segment', op: 'eq', value: 'enterprise' }, target: { kind: 'person', managerId: 'kam' } },
    { id: 'november', name: 'Signed up on 1 November', when: { field: 'custom.since', op: 'eq', value: '2026-11-01' }, target: { kind: 'person', managerId: 'ivan' } },
    { id: 'kazan', name: 'Kazan', when: { field: 'region', op: 'eq', value: 'Казань' }, target: { kind: 'person', managerId: 'ivan' } },
    { id: 'rest', name: 'Everyone else', target: { kind: 'group', managers: ['anna', 'ivan'], strategy: 'round_robin' } },
  ],
  fallback: { kind: 'pool' },
};

/** The draft: big deals from 500,000. */
const DRAFT = { ...PUBLISHED, rules: PUBLISHED.rules.map((r) => (r.id === 'big' ? { ...r, when: { field: 'dealValue', op: 'gte', value: 500_000 } } : r)) };

type Report = SimulationReport & { rejected: Array<{ row: number; issues: Array<{ path: string; code: string; message: string }> }>; ignoredColumns: string[] };
type ErrorBody = { error: { code: string; message: string; details?: Array<{ path: string; code: string; message: string }> } };

/** An .xlsx workbook as a spreadsheet program would save it, base64-encoded; `undefined` rows are left empty. */
async function workbook(rows: Array<ExcelJS.CellValue[] | undefined>, extraSheetFirst = false): Promise<string> {
  const book = new ExcelJS.Workbook();
  if (extraSheetFirst) book.addWorksheet('Notes').addRow(['nothing here']);
  const sheet = book.addWorksheet('Leads');
  rows.forEach((cells, i) => {
    if (cells) sheet.getRow(i + 1).values = cells;
  });
  return Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
}

/** The same leads twice: as a spreadsheet holds them (numbers, a date, rich text, a formula) and as the equivalent CSV. */
const HEADER = ['name', 'phone', 'region', 'dealValue', 'companySize', 'custom.segment', 'custom.since', 'productInterest', 'crm_id'];
const SHEET_ROWS: ExcelJS.CellValue[][] = [
  HEADER,
  ['Acme', '+7 916 123-45-67', 'Москва', 1_500_000, 40, 'smb', null, 'crm;telephony', 101],
  [{ richText: [{ text: 'Beta ' }, { font: { bold: true }, text: 'Ltd' }] }, null, 'Казань', 250_000.5, null, null, null, null, 102],
  [null, 79161234567, 'Тверь', { formula: '300000*2', result: 600_000 }, 10, 'smb', new Date(Date.UTC(2026, 10, 1)), 'crm', 103],
  ['Delta', null, 'Москва', null, 800, 'enterprise', null, null, 104],
  ['Epsilon', null, 'Москва', 90_000, null, null, new Date(Date.UTC(2026, 10, 2, 9, 30)), null, 105],
  ['Zeta', null, 'Москва', 120_000, null, null, null, null, 106],
];
const CSV = [
  HEADER.join(','),
  'Acme,+7 916 123-45-67,Москва,1500000,40,smb,,crm;telephony,101',
  'Beta Ltd,,Казань,"250000,5",,,,,102',
  ',79161234567,Тверь,600000,10,smb,2026-11-01,crm,103',
  'Delta,,Москва,,800,enterprise,,,104',
  'Epsilon,,Москва,90000,,,2026-11-02T09:30:00Z,,105',
  'Zeta,,Москва,120000,,,,,106',
].join('\n');

describe.each(DATABASE_KINDS)('leads from an .xlsx workbook on %s', (kind) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await startTestApp(kind, { now: () => new Date('2026-11-30T07:00:00Z') });
    await setUpRouting(t, { managers: [manager('anna', { name: 'Анна' }), manager('ivan', { name: 'Ivan' }), manager('kam', { name: 'Key accounts' })], ruleSet: PUBLISHED });
  });
  afterEach(async () => {
    await t.close();
  });

  const simulate = (body: object) => t.request({ method: 'POST', url: '/api/v1/routing/simulate', payload: body });
  const compare = (body: object) => t.request({ method: 'POST', url: '/api/v1/routing/compare', payload: body });
  const ok = <T>(res: LightMyRequestResponse): T => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const refused = (res: LightMyRequestResponse): ErrorBody['error'] => {
    expect(res.statusCode, res.body).toBe(400);
    const { error } = res.json<ErrorBody>();
    expect(error.code).toBe('LR_ERR_VALIDATION');
    return error;
  };

  it('gives the same report and comparison as the equivalent CSV', async () => {
    const xlsx = await workbook(SHEET_ROWS);
    const at = '2026-11-30T08:00:00Z';
    const fromSheet = ok<Report>(await simulate({ xlsx, at }));
    const fromCsv = ok<Report>(await simulate({ csv: CSV, at }));
    expect(fromSheet).toEqual(fromCsv);
    // Each kind of cell reached its rule: a number (big), a custom text (enterprise), a date (november), a rich-text row (kazan).
    expect(fromSheet).toMatchObject({ leads: 6, rejected: [], byRule: { big: 1, enterprise: 1, november: 1, kazan: 1, rest: 2 } });
    expect(fromSheet.ignoredColumns).toEqual(['crm_id']);

    const sheetComparison = ok<RuleSetComparison>(await compare({ candidate: { definition: DRAFT }, xlsx, at }));
    expect(sheetComparison).toEqual(ok<RuleSetComparison>(await compare({ candidate: { definition: DRAFT }, csv: CSV, at })));
    // The 600,000 deal (a formula's result, the row with only a phone typed as a number) goes to key accounts under the draft;
    // it is row 4 of the sheet (the header is row 1), and so of the CSV.
    expect(sheetComparison.changed.items.map((i) => [i.index, i.label, i.before.ruleId, i.after.ruleId])).toEqual([[4, '79161234567', 'november', 'big']]);
  });

  it('reads the first sheet and accepts a data: URL', async () => {
    const r = ok<Report>(await simulate({ xlsx: `data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,${await workbook([['name'], ['Acme']])}` }));
    expect(r.leads).toBe(1);
    const other = ok<Report>(await simulate({ xlsx: await workbook([['name'], ['Acme'], ['Beta']], true) }));
    // The first sheet holds one row of notes and no lead field: nothing to route, the column named.
    expect(other).toMatchObject({ leads: 0, ignoredColumns: [] });
  });

  it('rejects a row with text in a number column by its spreadsheet row number, counting empty rows', async () => {
    const xlsx = await workbook([['name', 'dealValue', 'companySize'], ['Acme', 100_000, 5], undefined, ['Beta', 'lots', 5], ['Gamma', '1 500,50', 'about fifty'], ['Delta', 2000, 10]]);
    const r = ok<Report>(await simulate({ xlsx }));
    expect(r.leads).toBe(2);
    expect(r.rejected.map((x) => [x.row, x.issues.map((i) => i.path)])).toEqual([
      [4, ['dealValue']],
      [5, ['companySize']],
    ]);
    expect(r.rejected[0]?.issues[0]?.message).toMatch(/number/);
  });

  it('answers 400 for text that is not base64, for bytes that are not a workbook, and for two sources', async () => {
    for (const xlsx of ['not base64 at all!', 'QUJD=', 'data:text/plain;base64,%%%']) {
      expect(refused(await simulate({ xlsx })).details?.map((d) => d.path)).toEqual(['xlsx']);
    }
    for (const bytes of [Buffer.from('name,phone\nAcme,+79161234567\n'), Buffer.from('PK\u0003\u0004 not really a zip'), Buffer.alloc(0)]) {
      const e = refused(await compare({ candidate: { definition: DRAFT }, xlsx: bytes.toString('base64') }));
      expect(e.details).toEqual([expect.objectContaining({ path: 'xlsx', code: 'unreadable' })]);
      expect(e.message).toMatch(/not an \.xlsx workbook/);
    }
    expect(refused(await simulate({ xlsx: await workbook([]) })).message).toMatch(/first sheet is empty/);
    expect(refused(await simulate({ xlsx: await workbook([['name'], ['a']]), csv: 'name\nb' })).message).toMatch(/exactly one of period, leads, csv or xlsx/);
  });
});
