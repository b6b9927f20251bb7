import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importLeadStream, type ImportProgress } from '../../src/app/imports/stream-import.js';
import { LeadIntake } from '../../src/app/intake/lead-intake.js';
import { readJson } from '../../src/store/json.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const ROUND_ROBIN = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'all', name: 'All', target: { kind: 'group', managers: ['anna', 'boris'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

/** A multipart/form-data body with one file in the field `file`. */
function multipart(fileName: string, bytes: Buffer, field = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----leadrouter-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, bytes, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
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
    else throw new Error(`no cp1251 byte for ${ch}`);
  }
  return Buffer.from(out);
}

type Job = { id: string; status: string; mapping: Record<string, string | null>; csv: { encoding: string; delimiter: string } | null; header: string[]; progress: { created: number; alreadyImported: number; rejected: number; rowsRead: number; fraction: number; managersTold: number } };

describe.each(DATABASE_KINDS)('file imports in the web app on %s', (kind) => {
  let t: TestApp;
  afterEach(async () => await t.close());

  const upload = async (fileName: string, bytes: Buffer): Promise<Job> => {
    const res = await t.request({ method: 'POST', url: '/api/v1/imports', ...multipart(fileName, bytes) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Job>();
  };
  const runToEnd = async (id: string, body: Record<string, unknown> = {}): Promise<Job> => {
    const started = await t.request({ method: 'POST', url: `/api/v1/imports/${id}/start`, payload: body });
    expect(started.statusCode, started.body).toBe(202);
    for (let i = 0; i < 500; i++) {
      const job = (await t.request({ method: 'GET', url: `/api/v1/imports/${id}` })).json<Job>();
      if (job.status !== 'running') return job;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the import did not end');
  };
  const leadNames = async () => (await t.store.db.selectFrom('leads').select(['name', 'region', 'phone']).orderBy('name').execute()).map((l) => l.name);

  it('reads a Windows-1251 CSV with «;» and Russian headers, with correct Cyrillic; a dry run writes nothing; a re-run adds nothing; the error report lists the bad rows', async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, { managers: [manager('anna'), manager('boris')], ruleSet: ROUND_ROBIN });
    const csv = cp1251('Имя;Телефон;Регион;Бюджет\nИван Петров;+7 916 000-00-01;Москва;100000\nОльга Смирнова;+7 916 000-00-02;Казань;\n;;;\nСломанный;;Тверь;много\nИван Петров;+7 916 000-00-01;Москва;\nЁлка;+7 916 000-00-03;Якутск;5\n');
    const job = await upload('база.csv', csv);
    expect(job).toMatchObject({ status: 'uploaded', csv: { encoding: 'windows-1251', delimiter: ';' }, header: ['Имя', 'Телефон', 'Регион', 'Бюджет'] });
    expect(job.mapping).toEqual({ Имя: 'name', Телефон: 'phone', Регион: 'region', Бюджет: 'dealValue' });

    const dry = await t.request({ method: 'POST', url: `/api/v1/imports/${job.id}/dry-run`, payload: {} });
    expect(dry.statusCode, dry.body).toBe(200);
    const report = dry.json<{ rows: Array<{ row: number; status: string; label: string | null; issues: Array<{ path: string }>; duplicateOf: { row: number | null } | null; managerId: string | null }>; totals: Record<string, unknown> }>();
    expect(report.totals).toMatchObject({ rows: 5, valid: 4, errors: 1, duplicates: 1, assigned: 4, pool: 0 });
    expect(report.rows.map((r) => [r.row, r.status, r.label])).toEqual([
      [2, 'valid', 'Иван Петров'],
      [3, 'valid', 'Ольга Смирнова'],
      [5, 'error', 'Сломанный'],
      [6, 'duplicate', 'Иван Петров'],
      [7, 'valid', 'Ёлка'],
    ]);
    expect(report.rows[2]?.issues.map((i) => i.path)).toEqual(['dealValue']);
    expect(report.rows[3]?.duplicateOf).toMatchObject({ row: 2 });
    expect(report.rows.filter((r) => r.managerId).map((r) => r.managerId)).toEqual(['anna', 'boris', 'anna', 'boris']);
    expect(await leadNames()).toEqual([]);

    const done = await runToEnd(job.id);
    expect(done).toMatchObject({ status: 'done', progress: { created: 4, rejected: 1, alreadyImported: 0, rowsRead: 5, fraction: 1, managersTold: 2 } });
    expect(await leadNames()).toEqual(['Ёлка', 'Иван Петров', 'Иван Петров', 'Ольга Смирнова']);
    const regions = (await t.store.db.selectFrom('leads').select('region').orderBy('region').execute()).map((r) => r.region);
    expect(regions).toEqual(['Казань', 'Москва', 'Москва', 'Якутск']);
    // One digest per manager, no message per lead, no SLA clock.
    const topics = (await t.store.db.selectFrom('outbox').select(['topic', 'payload']).execute()).map((m) => ({ topic: m.topic, payload: readJson<{ file?: string }>(String(m.payload), {}) }));
    expect(topics.filter((m) => m.topic.startsWith('lead'))).toEqual([
      expect.objectContaining({ topic: 'leads.imported', payload: expect.objectContaining({ file: 'база.csv' }) }),
      expect.objectContaining({ topic: 'leads.imported', payload: expect.objectContaining({ file: 'база.csv' }) }),
    ]);
    expect((await t.store.db.selectFrom('leads').select('sla_due_at').execute()).every((l) => l.sla_due_at === null)).toBe(true);

    const errors = await t.request({ method: 'GET', url: `/api/v1/imports/${job.id}/errors.csv` });
    expect(errors.statusCode).toBe(200);
    expect(errors.headers['content-type']).toContain('text/csv');
    expect(errors.body.replace('\uFEFF', '').trim().split('\r\n')).toEqual(['row,field,code,message', expect.stringMatching(/^5,dealValue,invalid_type,/)]);

    // The same file again, as another job: nothing is added twice.
    const again = await upload('база (копия).csv', csv);
    expect(await runToEnd(again.id)).toMatchObject({ status: 'done', progress: { created: 0, alreadyImported: 4, rejected: 1 } });
    expect((await leadNames()).length).toBe(4);
    // A finished job does not run again.
    expect((await t.request({ method: 'POST', url: `/api/v1/imports/${job.id}/start`, payload: {} })).statusCode).toBe(409);
  });

  it('imports an .xlsx workbook with a mapping the user adjusted and saved as a preset, and starts SLA clocks only when asked', async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, { managers: [manager('anna'), manager('boris')], ruleSet: ROUND_ROBIN });
    expect((await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { name: 'Inbound', firstContactMinutes: 30, maxReassignments: 2, onExhausted: 'head' } })).statusCode).toBe(201);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Клиенты');
    sheet.addRow(['Компания', 'ИНН', 'Контакт', 'Тел.', 'Заметка']);
    sheet.addRow(['ООО «Ромашка»', '7707083893', 'Анна', 79160000011, 'тёплый']);
    sheet.addRow(['АО Лютик', '7736207543', 'Борис', 79160000012, '']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const job = await upload('клиенты.xlsx', bytes);
    expect(job.mapping).toMatchObject({ Компания: 'companyName', ИНН: 'taxId', Контакт: 'name', Заметка: null });

    // «Тел.» is not known by name: the user maps it, and keeps the note as a custom field.
    const mapping = { ...job.mapping, 'Тел.': 'phone', Заметка: 'custom.note' };
    const bad = await t.request({ method: 'PUT', url: `/api/v1/imports/${job.id}/mapping`, payload: { mapping: { ...mapping, Контакт: 'phone' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string; details: Array<{ path: string; code: string }> } }>().error.details).toEqual([expect.objectContaining({ code: 'field_taken' })]);
    expect((await t.request({ method: 'PUT', url: `/api/v1/imports/${job.id}/mapping`, payload: { mapping: { ...mapping, Нет: 'name' } } })).statusCode).toBe(400);
    const set = await t.request({ method: 'PUT', url: `/api/v1/imports/${job.id}/mapping`, payload: { mapping } });
    expect(set.statusCode, set.body).toBe(200);
    const preset = await t.request({ method: 'POST', url: '/api/v1/import-presets', payload: { name: 'Выгрузка 1С', mapping } });
    expect(preset.statusCode, preset.body).toBe(201);
    expect((await t.request({ method: 'GET', url: '/api/v1/import-presets' })).json<{ items: Array<{ name: string; mapping: unknown }> }>().items).toEqual([expect.objectContaining({ name: 'Выгрузка 1С', mapping })]);

    const done = await runToEnd(job.id, { slaClocks: true });
    expect(done).toMatchObject({ status: 'done', progress: { created: 2, rejected: 0 } });
    const leads = await t.store.db.selectFrom('leads').select(['company_name', 'phone', 'custom', 'sla_due_at']).orderBy('company_name').execute();
    expect(leads.map((l) => [l.company_name, l.phone])).toEqual([
      ['АО Лютик', '+79160000012'],
      ['ООО «Ромашка»', '+79160000011'],
    ]);
    expect(readJson<Record<string, unknown>>(String(leads[1]?.custom), {})).toEqual({ note: 'тёплый' });
    expect(leads.every((l) => l.sla_due_at !== null)).toBe(true);
  });

  it('shows a run the server lost in a restart as interrupted, and resumes it to the end', async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, { managers: [manager('anna'), manager('boris')], ruleSet: ROUND_ROBIN });
    const job = await upload('restart.csv', Buffer.from('name,phone\nA,+79160000001\nB,+79160000002\n'));
    // As a server that died mid-run leaves it: running, its progress not moved for long.
    await t.store.db.updateTable('import_jobs').set({ status: 'running', updated_at: '2026-01-01T00:00:00.000Z' }).where('id', '=', job.id).execute();
    expect((await t.request({ method: 'GET', url: `/api/v1/imports/${job.id}` })).json<Job>().status).toBe('interrupted');
    expect(await runToEnd(job.id)).toMatchObject({ status: 'done', progress: { created: 2 } });
  });

  it('refuses what is not an import: no file, an unreadable workbook, another head’s job', async () => {
    t = await startTestApp(kind);
    const noFile = await t.request({ method: 'POST', url: '/api/v1/imports', ...multipart('a.csv', Buffer.from('x'), 'other') });
    expect(noFile.statusCode).toBe(400);
    const json = await t.request({ method: 'POST', url: '/api/v1/imports', payload: { file: 'a' } });
    expect(json.statusCode).toBe(415);
    const notXlsx = await t.request({ method: 'POST', url: '/api/v1/imports', ...multipart('a.xlsx', Buffer.from('name,phone\nA,1\n')) });
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json<{ error: { details: Array<{ path: string }> } }>().error.details[0]?.path).toBe('file');
    const empty = await t.request({ method: 'POST', url: '/api/v1/imports', ...multipart('a.csv', Buffer.alloc(0)) });
    expect(empty.statusCode).toBe(400);

    await setUpRouting(t, { teams: [{ id: 'north', name: 'North' }, { id: 'south', name: 'South' }], managers: [manager('anna'), manager('boris')], ruleSet: ROUND_ROBIN });
    const head = await t.signIn({ role: 'head', teamId: 'north' });
    const other = await t.signIn({ role: 'head', teamId: 'south' });
    const res = await head.request({ method: 'POST', url: '/api/v1/imports', ...multipart('h.csv', Buffer.from('name,phone\nA,+79160000001\n')) });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<Job>().id;
    expect((await other.request({ method: 'GET', url: `/api/v1/imports/${id}` })).statusCode).toBe(404);
    expect((await head.request({ method: 'GET', url: `/api/v1/imports/${id}` })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: `/api/v1/imports/${id}` })).statusCode).toBe(200);
    expect((await other.request({ method: 'GET', url: '/api/v1/imports' })).json<{ items: unknown[] }>().items).toEqual([]);
    expect((await t.request({ method: 'GET', url: '/api/v1/imports/nope' })).statusCode).toBe(404);
  });
});

describe.each(DATABASE_KINDS)('a streamed import interrupted half-way on %s', (kind) => {
  let t: TestApp;
  afterEach(async () => await t.close());

  it('resumes where it stopped and adds nothing twice', async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, { managers: [manager('anna'), manager('boris')], ruleSet: ROUND_ROBIN });
    const path = join(tmpdir(), `leadrouter-resume-${process.pid}-${kind}.csv`);
    const lines = ['name,phone'];
    for (let i = 0; i < 1300; i++) lines.push(i % 100 === 7 ? `,` : `Lead ${i},+7916${String(1_000_000 + i)}`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const intake = new LeadIntake(t.ctx);
    const input = { path, format: 'csv' as const, fileName: 'big.csv', actor: 'test', slaClocks: false };
    let saved: ImportProgress | null = null;
    const first = await importLeadStream(t.ctx, intake, { ...input, inFlight: 1, onProgress: (p) => void (saved = p), cancelled: () => (saved?.chunksDone ?? 0) >= 1 });
    expect(first).toMatchObject({ cancelled: true, chunksDone: 1, created: 500 });
    const stopped = saved as unknown as ImportProgress;
    const rejected: number[] = [];
    const second = await importLeadStream(t.ctx, intake, {
      ...input,
      resume: { chunksDone: stopped.chunksDone, lastRow: stopped.lastRow, counts: stopped },
      onRejected: (rows) => void rejected.push(...rows.map((r) => r.row)),
    });
    // Rows 9, 109, … are blank lines (skipped); none is counted twice.
    expect(second).toMatchObject({ cancelled: false, created: 1300 - 13, alreadyImported: 0, rows: 1300 - 13 });
    expect(rejected).toEqual([]);
    expect(await t.store.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 1287 });
    // The whole file again: every lead was there.
    expect(await importLeadStream(t.ctx, intake, input)).toMatchObject({ created: 0, alreadyImported: 1287 });
    await intake.close();
  });
});
