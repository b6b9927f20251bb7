import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const RULES = {
  ownership: { enabled: true, whenOwnerUnavailable: 'wait' },
  rules: [{ id: 'all', name: 'All', target: { kind: 'group', managers: ['anna', 'boris', 'sergey'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

/** A 10-digit ИНН with a valid checksum, from a 9-digit body. */
export function taxIdOf(n: number): string {
  const body = String(770000000 + n * 7);
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (weights[i] as number), 0);
  return body + String((sum % 11) % 10);
}

/** Text written the way Russian Excel saves a CSV: Windows-1251. */
function cp1251(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) out.push(code);
    else if (code >= 0x410 && code <= 0x44f) out.push(code - 0x410 + 0xc0);
    else if (code === 0x401) out.push(0xa8);
    else if (code === 0x451) out.push(0xb8);
    else if (code === 0xab) out.push(0xab);
    else if (code === 0xbb) out.push(0xbb);
    else throw new Error(`no cp1251 byte for ${ch}`);
  }
  return Buffer.from(out);
}

function multipart(fileName: string, bytes: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----leadrouter-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return { payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

// Names start with every letter but Ъ Ы Ь; А–К (Ё read as Е) goes to Анна, Л–Я to Борис.
const LETTERS = 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ';
const FIRST_HALF = 'АБВГДЕЁЖЗИЙК';

/** A base of 500 companies: row 1 is «ООО "Ёлка"», 5 are owned by Сергей already, one names its holding by ИНН. */
export function baseCsv(): { csv: string; expected: { anna: number; boris: number } } {
  const lines = ['Наименование;ИНН;Сайт;Телефон;Регион;Сотрудники;Ответственный;Холдинг;Контактное лицо;Почта'];
  const expected = { anna: 0, boris: 0 };
  lines.push(`"ООО ""Ёлка""";${taxIdOf(0)};elka.ru;+7 495 100-00-00;Москва;250;;;Ольга Ёлкина;olga@elka.ru`);
  expected.anna++;
  for (let i = 1; i < 500; i++) {
    const letter = LETTERS[i % LETTERS.length] as string;
    const owned = i <= 5;
    const name = `${i % 3 === 0 ? 'АО ' : ''}«${letter}${'абвгдежз'[i % 8]}ком ${i}»`;
    lines.push([name, taxIdOf(i), `site${i}.ru`, '', i % 2 ? 'Москва' : 'Казань', String(i), owned ? 'sergey@example.test' : '', i === 7 ? taxIdOf(0) : '', '', ''].join(';'));
    if (!owned) expected[FIRST_HALF.includes(letter) ? 'anna' : 'boris']++;
  }
  return { csv: `${lines.join('\r\n')}\r\n`, expected };
}

type Job = { id: string; kind: string; status: string; mapping: Record<string, string | null>; csv: { encoding: string; delimiter: string } | null; progress: { created: number; alreadyImported: number; rejected: number; assigned: number; contactsCreated?: number; parentsLinked?: number } };

describe.each(DATABASE_KINDS)('client base import and split on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let head: TestUser;
  let importId: string;
  let expected: { anna: number; boris: number };

  const upload = async (as: TestUser, name: string, bytes: Buffer): Promise<Job> => {
    const res = await as.request({ method: 'POST', url: '/api/v1/imports?kind=companies', ...multipart(name, bytes) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Job>();
  };
  const runToEnd = async (as: TestUser, id: string): Promise<Job> => {
    const started = await as.request({ method: 'POST', url: `/api/v1/imports/${id}/start`, payload: {} });
    expect(started.statusCode, started.body).toBe(202);
    for (let i = 0; i < 1000; i++) {
      const job = (await as.request({ method: 'GET', url: `/api/v1/imports/${id}` })).json<Job>();
      if (job.status !== 'running') return job;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the import did not end');
  };
  const owners = async () => {
    const rows = await t.store.db.selectFrom('companies').select(['owner_id']).execute();
    const out: Record<string, number> = {};
    for (const r of rows) out[r.owner_id ?? 'none'] = (out[r.owner_id ?? 'none'] ?? 0) + 1;
    return out;
  };
  const alphabet = { kind: 'alphabet', ranges: [{ letters: 'А-К', managerId: 'anna' }, { letters: 'Л-Я', managerId: 'boris' }] };

  beforeAll(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }, { id: 'south', name: 'South' }],
      managers: [
        manager('anna', { teamId: 'north', name: 'Анна', email: 'anna@example.test' }),
        manager('boris', { teamId: 'north', name: 'Борис', email: 'boris@example.test' }),
        manager('sergey', { teamId: 'south', name: 'Сергей', email: 'sergey@example.test' }),
      ],
      ruleSet: RULES,
    });
    admin = await t.signIn({ role: 'admin' });
    head = await t.signIn({ role: 'head', teamId: 'north' });
  }, 120_000);
  afterAll(async () => await t.close());

  it('imports 500 companies from a Windows-1251 CSV with Russian headers: a dry run first, owners by e-mail, the holding by ИНН; a re-run adds nothing', async () => {
    const base = baseCsv();
    expected = base.expected;
    const job = await upload(admin, 'база клиентов.csv', cp1251(base.csv));
    expect(job).toMatchObject({ kind: 'companies', status: 'uploaded', csv: { encoding: 'windows-1251', delimiter: ';' } });
    expect(job.mapping).toEqual({ Наименование: 'name', ИНН: 'taxId', Сайт: 'domain', Телефон: 'phone', Регион: 'region', Сотрудники: 'size', Ответственный: 'owner', Холдинг: 'parent', 'Контактное лицо': 'contactName', Почта: 'contactEmail' });

    const dry = await admin.request({ method: 'POST', url: `/api/v1/imports/${job.id}/dry-run`, payload: { limit: 3 } });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().totals).toMatchObject({ rows: 500, valid: 500, errors: 0, duplicates: 0, assigned: 5 });
    expect(dry.json().rows[0]).toMatchObject({ row: 2, status: 'valid', label: 'ООО "Ёлка"' });
    expect(await t.store.db.selectFrom('companies').select('id').execute()).toHaveLength(0);

    const done = await runToEnd(admin, job.id);
    expect(done.status).toBe('done');
    expect(done.progress).toMatchObject({ created: 500, alreadyImported: 0, rejected: 0, assigned: 5, contactsCreated: 1, parentsLinked: 1 });
    importId = job.id;
    const elka = await t.store.db.selectFrom('companies').selectAll().where('tax_id', '=', taxIdOf(0)).executeTakeFirstOrThrow();
    expect(elka).toMatchObject({ name: 'ООО "Ёлка"', domain: 'elka.ru', region: 'Москва', size: 250, owner_id: null });
    const sub = await t.store.db.selectFrom('companies').select(['parent_id']).where('tax_id', '=', taxIdOf(7)).executeTakeFirstOrThrow();
    expect(sub.parent_id).toBe(elka.id);
    const olga = await t.store.db.selectFrom('contacts').selectAll().where('company_id', '=', elka.id).executeTakeFirstOrThrow();
    expect(olga.name).toBe('Ольга Ёлкина');
    expect(await owners()).toEqual({ none: 495, sergey: 5 });

    // The same file again: every company is found by its ИНН, nothing is added twice.
    const again = await runToEnd(admin, (await upload(admin, 'база клиентов (2).csv', cp1251(base.csv))).id);
    expect(again.progress).toMatchObject({ created: 0, alreadyImported: 500, rejected: 0, contactsCreated: 0 });
    expect(await t.store.db.selectFrom('companies').select('id').execute()).toHaveLength(500);
    expect(await t.store.db.selectFrom('contacts').select('id').execute()).toHaveLength(1);
  });

  it('a row with a bad ИНН or an unknown owner is refused with the field named; a company mapping needs a name', async () => {
    const job = await upload(admin, 'bad.csv', Buffer.from(`Компания,ИНН,Менеджер\nПлохой ИНН,1234567890,\nЧужой,,nobody@example.test\n`));
    const dry = (await admin.request({ method: 'POST', url: `/api/v1/imports/${job.id}/dry-run`, payload: {} })).json();
    expect(dry.totals).toMatchObject({ rows: 2, valid: 0, errors: 2 });
    expect(dry.rows.map((r: { issues: Array<{ path: string }> }) => r.issues[0]?.path)).toEqual(['taxId', 'owner']);
    const bad = await admin.request({ method: 'PUT', url: `/api/v1/imports/${job.id}/mapping`, payload: { mapping: { Компания: null, ИНН: 'taxId' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ path: 'mapping', code: 'no_name_field' });
  });

  it('splits the 500 alphabetically between two managers: preview, apply, undo; «ООО "Ёлка"» falls in А–К', async () => {
    const input = { selection: { kind: 'import', importId }, managerIds: ['anna', 'boris'], method: alphabet, existing: 'keep' };
    const preview = await admin.request({ method: 'POST', url: '/api/v1/client-splits/preview', payload: input });
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(p).toMatchObject({ total: 500, changes: 495, unchanged: 5, outOfScope: 0, fallback: 0 });
    expect(p.perManager.map((m: { managerId: string; newCount: number }) => [m.managerId, m.newCount])).toEqual([
      ['anna', expected.anna],
      ['boris', expected.boris],
    ]);
    expect(expected.anna + expected.boris).toBe(495);
    expect(p.conflicts).toMatchObject({ count: 5, kept: true });
    expect(p.conflicts.examples[0]).toMatchObject({ ownerId: 'sergey', ownerName: 'Сергей' });
    const elkaRow = p.rows.find((r: { name: string }) => r.name === 'ООО "Ёлка"');
    expect(elkaRow).toMatchObject({ managerId: 'anna', reason: 'А-К', change: true });
    // A preview writes nothing.
    expect(await owners()).toEqual({ none: 495, sergey: 5 });

    const applied = await admin.request({ method: 'POST', url: '/api/v1/client-splits', payload: input });
    expect(applied.statusCode, applied.body).toBe(201);
    const split = applied.json();
    expect(split).toMatchObject({ method: 'alphabet', status: 'applied', companyCount: 500, changedCount: 495 });
    expect(await owners()).toEqual({ anna: expected.anna, boris: expected.boris, sergey: 5 });
    const elka = await t.store.db.selectFrom('companies').select(['id', 'owner_id']).where('tax_id', '=', taxIdOf(0)).executeTakeFirstOrThrow();
    expect(elka.owner_id).toBe('anna');
    const card = (await admin.request({ method: 'GET', url: `/api/v1/companies/${elka.id}` })).json();
    expect(card.ownerHistory[0]).toMatchObject({ owner: { id: 'anna' }, previousOwner: null, reason: `split ${split.id}` });
    const audit = await t.store.db.selectFrom('audit_log').select(['action']).where('entity', '=', 'client_split').where('entity_id', '=', split.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['client_split.applied']);

    // Nothing left to change: a second apply is refused.
    expect((await admin.request({ method: 'POST', url: '/api/v1/client-splits', payload: input })).statusCode).toBe(409);

    const list = (await admin.request({ method: 'GET', url: '/api/v1/client-splits' })).json();
    expect(list.items[0]).toMatchObject({ id: split.id, status: 'applied' });
    expect(list.items[0].perManager).toEqual([
      { managerId: 'anna', name: 'Анна', count: expected.anna },
      { managerId: 'boris', name: 'Борис', count: expected.boris },
    ]);

    // Someone hands one company over after the split: undo leaves it with its new owner.
    const moved = await t.store.db.selectFrom('companies').select('id').where('owner_id', '=', 'boris').executeTakeFirstOrThrow();
    expect((await admin.request({ method: 'PUT', url: `/api/v1/companies/${moved.id}/owner`, payload: { ownerId: 'sergey', reason: 'просил' } })).statusCode).toBe(200);
    const undone = await admin.request({ method: 'POST', url: `/api/v1/client-splits/${split.id}/undo` });
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json()).toMatchObject({ restored: 494, skipped: 1, split: { status: 'undone', restoredCount: 494 } });
    expect(await owners()).toEqual({ none: 494, sergey: 6 });
    expect((await admin.request({ method: 'POST', url: `/api/v1/client-splits/${split.id}/undo` })).statusCode).toBe(409);
    const history = (await admin.request({ method: 'GET', url: `/api/v1/companies/${elka.id}` })).json().ownerHistory;
    expect(history[0]).toMatchObject({ owner: null, previousOwner: { id: 'anna' }, reason: `split ${split.id} undone` });

    // Applied again, the base stays split; the next lead from a company follows its owner.
    expect((await admin.request({ method: 'POST', url: '/api/v1/client-splits', payload: input })).statusCode).toBe(201);
    expect(await owners()).toEqual({ anna: expected.anna, boris: expected.boris - 1, sergey: 6 });
  });

  it('a later lead from a split company goes to its owner, matched by ИНН or by the domain of an e-mail', async () => {
    const borisCompany = await t.store.db.selectFrom('companies').select(['id', 'tax_id']).where('owner_id', '=', 'boris').orderBy('name').executeTakeFirstOrThrow();
    for (let i = 0; i < 3; i++) {
      const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: `Звонок ${i}`, phone: `+7 916 555-00-0${i}`, taxId: borisCompany.tax_id } });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ lead: { ownerId: 'boris', companyId: borisCompany.id }, decision: { via: 'ownership' } });
    }
    const byDomain = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Пётр', email: 'petr@elka.ru' } });
    expect(byDomain.statusCode, byDomain.body).toBe(201);
    expect(byDomain.json()).toMatchObject({ lead: { ownerId: 'anna' }, decision: { via: 'ownership' } });
  });

  it('an .xlsx base imports (revenue as numbers, a holding by name); the value tier and territory preview by them', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('База');
    sheet.addRow(['Компания', 'ИНН', 'Регион', 'Выручка', 'Холдинг', 'Контактное лицо', 'Телефон контакта']);
    sheet.addRow(['Холдинг «Север»', taxIdOf(900), 'Тверь', 9_000_000_000, '', '', '']);
    sheet.addRow(['Дочка Севера', taxIdOf(901), 'Москва', 2_000_000_000, 'Холдинг «Север»', 'Иван Петров', '+7 916 700-00-01']);
    sheet.addRow(['Малая', taxIdOf(902), 'Казань', 1_000_000, '', '', '']);
    const job = await upload(admin, 'база.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(job.mapping).toMatchObject({ Компания: 'name', ИНН: 'taxId', Регион: 'region', Выручка: 'revenue', Холдинг: 'parent', 'Контактное лицо': 'contactName', 'Телефон контакта': 'contactPhone' });
    const done = await runToEnd(admin, job.id);
    expect(done.progress).toMatchObject({ created: 3, rejected: 0, contactsCreated: 1, parentsLinked: 1 });
    const north = await t.store.db.selectFrom('companies').select(['id', 'revenue']).where('tax_id', '=', taxIdOf(900)).executeTakeFirstOrThrow();
    expect(Number(north.revenue)).toBe(9_000_000_000);
    expect((await t.store.db.selectFrom('companies').select('parent_id').where('tax_id', '=', taxIdOf(901)).executeTakeFirstOrThrow()).parent_id).toBe(north.id);

    const tier = (await admin.request({ method: 'POST', url: '/api/v1/client-splits/preview', payload: { selection: { kind: 'import', importId: job.id }, managerIds: ['anna', 'boris'], method: { kind: 'tier', by: 'revenue', threshold: 1_000_000_000, vipManagerIds: ['anna'] } } })).json();
    expect(Object.fromEntries(tier.rows.map((r: { name: string; managerId: string }) => [r.name, r.managerId]))).toEqual({ 'Холдинг «Север»': 'anna', 'Дочка Севера': 'anna', Малая: 'boris' });
    const territory = (await admin.request({ method: 'POST', url: '/api/v1/client-splits/preview', payload: { selection: { kind: 'import', importId: job.id }, managerIds: ['anna', 'boris'], method: { kind: 'territory', regions: [{ region: 'москва', managerId: 'boris' }, { region: 'Казань', managerId: 'anna' }] } } })).json();
    expect(territory).toMatchObject({ total: 3, fallback: 1 });
    expect(Object.fromEntries(territory.rows.map((r: { name: string; reason: string }) => [r.name, r.reason]))).toEqual({ 'Холдинг «Север»': 'fallback', 'Дочка Севера': 'москва', Малая: 'Казань' });
    // A lead import is no company import.
    const leadJob = (await admin.request({ method: 'POST', url: '/api/v1/imports', ...multipart('leads.csv', Buffer.from('name,phone\nИван,+79160000000\n')) })).json<Job>();
    const wrong = await admin.request({ method: 'POST', url: '/api/v1/client-splits/preview', payload: { selection: { kind: 'import', importId: leadJob.id }, managerIds: ['anna'], method: { kind: 'even' } } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0]).toMatchObject({ path: 'selection.importId', code: 'not_a_company_import' });
  });

  it('a head splits the own team only: other teams’ managers are refused, other teams’ companies left out; sees own splits', async () => {
    const other = await head.request({ method: 'POST', url: '/api/v1/client-splits/preview', payload: { selection: { kind: 'unowned' }, managerIds: ['anna', 'sergey'], method: { kind: 'even' } } });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.details[0]).toMatchObject({ path: 'managerIds.1', code: 'other_team' });

    const companies = await t.store.db.selectFrom('companies').select('id').where('owner_id', 'in', ['sergey', 'anna']).execute();
    const ids = companies.map((c) => c.id);
    const preview = (await head.request({ method: 'POST', url: '/api/v1/client-splits/preview', payload: { selection: { kind: 'ids', ids }, managerIds: ['anna', 'boris'], method: { kind: 'even' }, existing: 'overwrite' } })).json();
    expect(preview.outOfScope).toBe(6);
    expect(preview.total).toBe(ids.length);
    const counts = preview.perManager.map((m: { count: number }) => m.count);
    expect(Math.abs((counts[0] as number) - (counts[1] as number))).toBeLessThanOrEqual(1);

    const bad = await head.request({ method: 'POST', url: '/api/v1/client-splits/preview', payload: { selection: { kind: 'unowned' }, managerIds: ['anna'], method: { kind: 'alphabet', ranges: [{ letters: 'А-Z', managerId: 'anna' }] } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ path: 'method.ranges.0.letters', code: 'mixed_alphabet_range' });

    const applied = await head.request({ method: 'POST', url: '/api/v1/client-splits', payload: { selection: { kind: 'ids', ids }, managerIds: ['anna', 'boris'], method: { kind: 'even' }, existing: 'overwrite' } });
    expect(applied.statusCode, applied.body).toBe(201);
    const mine = (await head.request({ method: 'GET', url: '/api/v1/client-splits' })).json().items;
    expect(mine.map((s: { id: string }) => s.id)).toEqual([applied.json().id]);
    expect((await head.request({ method: 'POST', url: `/api/v1/client-splits/${(await admin.request({ method: 'GET', url: '/api/v1/client-splits' })).json().items[1].id}/undo` })).statusCode).toBe(404);
    expect(await t.store.db.selectFrom('companies').select('id').where('owner_id', '=', 'sergey').execute()).toHaveLength(6);
  });
});
