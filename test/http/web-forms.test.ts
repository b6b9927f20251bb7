import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { smartCaptcha } from '../../src/app/forms/captcha.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startSmartCaptchaFake, type SmartCaptchaFake } from '../support/smartcaptcha-fake.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface FormView {
  id: string;
  publicKey: string;
  endpointPath: string;
  embedPath: string;
}

interface StoredLead {
  id: string;
  status: string;
  owner_id: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  source: string | null;
  channel: string | null;
  campaign: string | null;
  junk_reason: string | null;
  utm: unknown;
  custom: unknown;
}

const CAPTCHA_SECRET = 'ysc2_server_key_for_tests';
const urlencoded = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

describe.each(DATABASE_KINDS)('web forms on %s', (kind) => {
  let t: TestApp;
  let captcha: SmartCaptchaFake;
  let clock = Date.parse('2026-12-07T10:00:00Z');
  beforeAll(async () => {
    captcha = await startSmartCaptchaFake(CAPTCHA_SECRET);
  });
  afterAll(async () => await captcha.close());
  afterEach(async () => await t.close());

  const start = async (): Promise<void> => {
    clock = Date.parse('2026-12-07T10:00:00Z');
    t = await startTestApp(kind, { now: () => new Date(clock), prepare: async () => ({ captcha: smartCaptcha(captcha.url) }) });
  };
  const createForm = async (body: Record<string, unknown>): Promise<FormView> => {
    const res = await t.request({ method: 'POST', url: '/api/v1/form-sources', payload: { name: 'Лендинг', source: 'website', ...body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<FormView>();
  };
  const post = async (form: FormView, payload: string | Record<string, unknown>, headers: Record<string, string> = {}) =>
    await t.app.inject({
      method: 'POST',
      url: form.endpointPath,
      payload,
      headers: typeof payload === 'string' ? { 'content-type': 'application/x-www-form-urlencoded', ...headers } : headers,
    });
  const leads = async (): Promise<StoredLead[]> => (await t.store.db.selectFrom('leads').selectAll().orderBy('created_at').execute()) as unknown as StoredLead[];

  it("takes Tilda's webhook: the connection test makes no lead, a submission makes one, its retry makes no second", async () => {
    await start();
    const form = await createForm({ fieldMap: { COMMENTS: 'comment' } });
    const test = await post(form, urlencoded({ test: 'test' }));
    expect(test.statusCode).toBe(200);
    expect(test.json()).toEqual({ status: 'ok' });
    expect(await leads()).toHaveLength(0);

    const submission = urlencoded({ Name: 'Пётр Иванов', Phone: '+7 (916) 123-45-67', Email: 'petr@romashka.ru', COMMENTS: 'Перезвоните после обеда', tariff: 'Бизнес', utm_source: 'yandex', utm_campaign: 'winter', tranid: '1111111:6161583731', formid: 'form123' });
    const first = await post(form, submission);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'received' });
    const again = await post(form, submission);
    expect(again.statusCode).toBe(200);

    const stored = await leads();
    expect(stored).toHaveLength(1);
    const lead = stored[0] as StoredLead;
    expect(lead).toMatchObject({ name: 'Пётр Иванов', phone: '+79161234567', email: 'petr@romashka.ru', source: 'website', channel: 'form', campaign: 'winter', status: 'pool', junk_reason: null });
    const custom = typeof lead.custom === 'string' ? (JSON.parse(lead.custom) as Record<string, unknown>) : lead.custom;
    expect(custom).toMatchObject({ tariff: 'Бизнес' });
    expect(JSON.stringify(lead.utm)).toContain('yandex');
  });

  it('answers a script from an allowed site with CORS and refuses other sites; a plain browser post goes on to the thank-you page', async () => {
    await start();
    const form = await createForm({ allowedOrigins: ['https://shop.example'], thankYouUrl: 'https://shop.example/spasibo' });
    const fromShop = await post(form, { name: 'Анна', phone: '89161112233' }, { origin: 'https://shop.example', accept: 'application/json' });
    expect(fromShop.statusCode).toBe(200);
    expect(fromShop.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(fromShop.json()).toEqual({ status: 'received', thankYouUrl: 'https://shop.example/spasibo' });

    const preflight = await t.app.inject({ method: 'OPTIONS', url: form.endpointPath, headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('POST');

    const elsewhere = await post(form, { name: 'Чужой', phone: '89160000000' }, { origin: 'https://evil.example' });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json()).toMatchObject({ error: { code: 'LR_ERR_FORBIDDEN', message: expect.stringContaining('https://evil.example') } });

    const browser = await post(form, urlencoded({ name: 'Борис', phone: '89162223344' }), { origin: 'https://shop.example', accept: 'text/html,application/xhtml+xml' });
    expect(browser.statusCode).toBe(303);
    expect(browser.headers.location).toBe('https://shop.example/spasibo');
    expect((await leads()).map((l) => l.name)).toEqual(['Анна', 'Борис']);
  });

  it('reads multipart forms and drops the files they attach', async () => {
    await start();
    const form = await createForm({});
    const boundary = '----lr-test-boundary';
    const body = [
      `--${boundary}\r\nContent-Disposition: form-data; name="your-name"\r\n\r\nВера\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="your-phone"\r\n\r\n+79163334455\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="brief"; filename="brief.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 not really\r\n`,
      `--${boundary}--\r\n`,
    ].join('');
    const res = await t.app.inject({ method: 'POST', url: form.endpointPath, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await leads()).toMatchObject([{ name: 'Вера', phone: '+79163334455' }]);
  });

  it('keeps spam as junk with the reason spam, never routed: a filled honeypot and a form sent too fast', async () => {
    await start();
    const form = await createForm({ minSeconds: 5 });
    expect((await post(form, urlencoded({ name: 'Bot', phone: '+79990000001', _lr_hp: 'http://spam.example' }))).json()).toEqual({ status: 'received', thankYouUrl: null });
    expect((await post(form, urlencoded({ name: 'Fast bot', phone: '+79990000002', _lr_elapsed: '1000' }))).statusCode).toBe(200);
    expect((await post(form, urlencoded({ name: 'Человек', phone: '+79990000003', _lr_elapsed: '20000' }))).statusCode).toBe(200);
    const stored = await leads();
    expect(stored.map((l) => [l.name, l.status, l.junk_reason, l.owner_id])).toEqual([
      ['Bot', 'junk', 'spam', null],
      ['Fast bot', 'junk', 'spam', null],
      ['Человек', 'pool', null, null],
    ]);
    // Nobody is told about spam.
    const announced = await t.store.db.selectFrom('outbox').select('payload').execute();
    expect(announced.map((o) => String(o.payload)).filter((p) => p.includes('Bot'))).toEqual([]);
  });

  it('limits submissions per address and per form with 429 and Retry-After, and starts again the next minute', async () => {
    await start();
    const form = await createForm({ perIpPerMinute: 2, perFormPerMinute: 100 });
    for (const i of [1, 2]) expect((await post(form, { name: `Клиент ${i}`, phone: `+7916000000${i}` })).statusCode).toBe(200);
    const limited = await post(form, { name: 'Клиент 3', phone: '+79160000003' });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ error: { code: 'LR_ERR_RATE_LIMITED' } });
    clock += 60_000;
    expect((await post(form, { name: 'Клиент 3', phone: '+79160000003' })).statusCode).toBe(200);
  });

  it('behind a trusted proxy (TRUST_PROXY), limits each visitor by their own address and gives the embed script the public https address', async () => {
    clock = Date.parse('2026-12-07T10:00:00Z');
    t = await startTestApp(kind, { now: () => new Date(clock), prepare: async () => ({ captcha: smartCaptcha(captcha.url), trustProxy: ['127.0.0.1'] }) });
    const form = await createForm({ perIpPerMinute: 1 });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    expect((await post(form, { name: 'Первый', phone: '+79160000011' }, from('203.0.113.1'))).statusCode).toBe(200);
    expect((await post(form, { name: 'Второй', phone: '+79160000012' }, from('203.0.113.2'))).statusCode).toBe(200);
    expect((await post(form, { name: 'Снова первый', phone: '+79160000013' }, from('203.0.113.1'))).statusCode).toBe(429);
    const script = await t.app.inject({ method: 'GET', url: form.embedPath, headers: { host: '127.0.0.1:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'leads.example.ru' } });
    expect(script.body).toContain(`https://leads.example.ru${form.endpointPath}`);
  });

  it('checks SmartCaptcha tokens with the service: none or a refused one is spam, an accepted one a lead', async () => {
    await start();
    const form = await createForm({ captchaSecret: CAPTCHA_SECRET });
    captcha.issue('token-for-a-person');
    await post(form, { name: 'Без капчи', phone: '+79165550001' });
    await post(form, { name: 'Чужой токен', phone: '+79165550002', 'smart-token': 'forged' });
    await post(form, { name: 'Человек', phone: '+79165550003', 'smart-token': 'token-for-a-person' });
    expect((await leads()).map((l) => [l.name, l.status])).toEqual([
      ['Без капчи', 'junk'],
      ['Чужой токен', 'junk'],
      ['Человек', 'pool'],
    ]);
    expect(captcha.checks.map((c) => [c.secret, c.token])).toEqual([
      [CAPTCHA_SECRET, 'forged'],
      [CAPTCHA_SECRET, 'token-for-a-person'],
    ]);
  });

  it('keeps a submission intake refuses in the quarantine, where an admin fixes and replays it or discards it', async () => {
    await start();
    const form = await createForm({});
    expect((await post(form, urlencoded({ budget: 'много', message: 'Позвоните' }))).statusCode).toBe(200);
    expect((await post(form, urlencoded({ name: 'Ирина', budget: 'пятьсот' }))).statusCode).toBe(200);
    expect(await leads()).toHaveLength(0);

    const list = await t.request({ method: 'GET', url: '/api/v1/form-submissions/quarantine?status=waiting' });
    const items = list.json<{ items: Array<{ id: string; fields: Record<string, string>; input: Record<string, unknown>; issues: Array<{ path: string }> }> }>().items;
    expect(items).toHaveLength(2);
    const irina = items.find((i) => i.fields.name === 'Ирина');
    expect(irina?.issues.map((i) => i.path)).toContain('dealValue');

    const fixed = await t.request({ method: 'POST', url: `/api/v1/form-submissions/quarantine/${irina?.id}/replay`, payload: { input: { ...irina?.input, dealValue: 500 } } });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ status: 'replayed', leadId: expect.any(String) });
    expect(await leads()).toMatchObject([{ name: 'Ирина', source: 'website' }]);
    expect((await t.request({ method: 'POST', url: `/api/v1/form-submissions/quarantine/${irina?.id}/replay`, payload: {} })).statusCode).toBe(409);

    const other = items.find((i) => i.id !== irina?.id);
    const stillBad = await t.request({ method: 'POST', url: `/api/v1/form-submissions/quarantine/${other?.id}/replay`, payload: {} });
    expect(stillBad.statusCode).toBe(400);
    expect((await t.request({ method: 'POST', url: `/api/v1/form-submissions/quarantine/${other?.id}/discard` })).json()).toMatchObject({ status: 'discarded' });
  });

  it('serves the embed script for any site, and answers an unknown or switched-off form with 404', async () => {
    await start();
    const form = await createForm({});
    const script = await t.app.inject({ method: 'GET', url: form.embedPath, headers: { host: 'leads.example.ru' } });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(script.body).toContain(`http://leads.example.ru${form.endpointPath}`);

    expect((await t.app.inject({ method: 'POST', url: '/f/lrf_no_such_form', payload: { name: 'x' } })).statusCode).toBe(404);
    await t.request({ method: 'PATCH', url: `/api/v1/form-sources/${form.id}`, payload: { active: false } });
    const off = await post(form, { name: 'Поздно', phone: '+79160001122' });
    expect(off.statusCode).toBe(404);
    expect(off.json()).toMatchObject({ error: { message: expect.stringMatching(/switched off/) } });
  });

  it('lets only an admin set forms up, with clear refusals for bad settings', async () => {
    await start();
    const head = await t.signIn({ role: 'qualifier' });
    expect((await head.request({ method: 'GET', url: '/api/v1/form-sources' })).statusCode).toBe(403);
    // The key row behind a form is no integration's: the API keys screen does not list it.
    await createForm({});
    const keys = (await t.request({ method: 'GET', url: '/api/v1/api-keys' })).json<{ items: Array<{ name: string }> }>().items;
    expect(keys.map((k) => k.name)).not.toContain('web form: Лендинг');
    const bad = await t.request({ method: 'POST', url: '/api/v1/form-sources', payload: { name: 'X', fieldMap: { tel: 'telephone' }, allowedOrigins: ['shop.example/path'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { details: Array<{ path: string }> } }>().error.details.map((d) => d.path).sort()).toEqual(['allowedOrigins[0]', 'fieldMap.tel']);
  });
});
