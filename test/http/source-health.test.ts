import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../src/app/app-context.js';
import { fanOut } from '../../src/app/notifications/fan-out.js';
import { BaselineCache } from '../../src/app/source-health/assess-sources.js';
import { checkSourceHealth } from '../../src/app/source-health/check-source-health.js';
import { chunkForInsert } from '../../src/store/chunk.js';
import { openStore, type Store } from '../../src/store/database.js';
import { readJson } from '../../src/store/json.js';
import { createPostgresDatabase, DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { startSourceHealthChecker } from '../../src/workers/source-health-checker.js';

const HOUR = 3_600_000;
const ROUND_ROBIN = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'sales', name: 'Sales', target: { kind: 'group', managers: ['anna'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};
/** Tuesday 8 December 2026, 00:00 in Moscow (UTC+3): "today" of these tests. */
const TODAY = Date.parse('2026-12-07T21:00:00Z');
/** A Moscow time today, e.g. local('12:41'). */
const local = (hhmm: string, day = 0): Date => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return new Date(TODAY + day * 24 * HOUR + h * HOUR + m * 60_000);
};

let seq = 0;
/** Leads written straight into the table: the weeks of history a source has before today. */
async function seedLeads(store: Store, leads: Array<{ source: string; at: number; junk?: boolean }>): Promise<void> {
  const rows = leads.map((l) => {
    seq += 1;
    const at = new Date(l.at).toISOString();
    return {
      id: `seed-${seq}`, status: l.junk ? 'junk' : 'new', source: l.source, product_interest: '[]', custom: '{}', created_at: at, updated_at: at,
      ...(l.junk ? { junk_reason: 'spam', closed_at: at } : {}),
    };
  });
  for (const chunk of chunkForInsert(rows)) await store.db.insertInto('leads').values(chunk).execute();
}

/** `perHour` leads an hour, 09:00–18:00 Moscow time, Monday to Friday, for the six weeks before today; every `junkEvery`-th junk. */
function officeHistory(source: string, perHour: number, junkEvery = 0): Array<{ source: string; at: number; junk?: boolean }> {
  const leads: Array<{ source: string; at: number; junk?: boolean }> = [];
  let n = 0;
  for (let day = -42; day < 0; day++) {
    const start = TODAY + day * 24 * HOUR;
    const weekday = new Date(start + 3 * HOUR).getUTCDay(); // the Moscow date's weekday
    if (weekday === 0 || weekday === 6) continue;
    for (let h = 9; h < 18; h++) {
      for (let i = 0; i < perHour; i++) {
        n += 1;
        leads.push({ source, at: start + h * HOUR + (i * HOUR) / perHour + 60_000, junk: junkEvery > 0 && n % junkEvery === 0 });
      }
    }
  }
  return leads;
}

interface OutboxRow {
  topic: string;
  payload: { text: string; source: string; audience: { users: string[] }; locale: string; incidentKind: string };
}
async function sourceMessages(store: Store): Promise<OutboxRow[]> {
  const rows = await store.db.selectFrom('outbox').select(['topic', 'payload']).where('topic', 'like', 'source.%').orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ topic: r.topic, payload: readJson(r.payload, {} as OutboxRow['payload']) }));
}

describe.each(DATABASE_KINDS)('source health on %s', (kind) => {
  let t: TestApp;
  let now = local('09:00');
  let head: TestUser;
  const check = () => checkSourceHealth(t.ctx);

  beforeEach(async () => {
    now = local('09:00');
    t = await startTestApp(kind, { now: () => now });
    await setUpRouting(t, { teams: [{ id: 'sales', name: 'Sales' }], managers: [manager('anna', { teamId: 'sales' })], ruleSet: ROUND_ROBIN });
    head = await t.signIn({ role: 'head', teamId: 'sales' });
    await t.signIn({ role: 'admin' });
  });
  afterEach(async () => await t.close());

  const sendLead = async (source: string) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Иван', phone: `+7916${String(1_000_000 + (seq += 1)).slice(-7)}`, source } });
    expect(res.statusCode, res.body).toBe(201);
  };

  it('a source sending two leads an hour that falls silent for three of its hours alerts the heads once, and tells them once when it sends again', async () => {
    await seedLeads(t.store, [...officeHistory('web', 2), { source: 'web', at: local('09:10').getTime() }, { source: 'web', at: local('09:40').getTime() }]);

    now = local('11:00');
    expect(await check()).toMatchObject({ opened: 0, resolved: 0 });
    now = local('12:39');
    expect((await check()).opened).toBe(0);
    expect(await sourceMessages(t.store)).toEqual([]);

    now = local('12:41');
    expect(await check()).toMatchObject({ opened: 1, resolved: 0 });
    let messages = await sourceMessages(t.store);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ topic: 'source.silent', payload: { source: 'web', incidentKind: 'silence', locale: 'ru', audience: { users: [head.id] } } });
    // In Russian, the reader's language (a head who chose none reads Russian).
    expect(messages[0]?.payload.text).toBe('Источник «web» молчит: нет лидов 3 ч (последний в 09:40), хотя в эти часы обычно ~2 в час');

    // Still silent: no second alert, however long it lasts.
    for (const hhmm of ['12:45', '14:00', '17:30']) {
      now = local(hhmm);
      expect(await check()).toMatchObject({ opened: 0, resolved: 0 });
    }
    expect(await sourceMessages(t.store)).toHaveLength(1);

    const report = (await head.request({ method: 'GET', url: '/api/v1/reports/source-health' })).json();
    const web = report.sources.find((s: { source: string }) => s.source === 'web');
    expect(web).toMatchObject({ state: 'silent', ownHourNow: true, usualPerHourNow: 2, lastLeadAt: local('09:40').toISOString() });
    expect(web.openIncidents).toHaveLength(1);
    expect(web.silence.probability).toBeLessThan(1e-6);

    now = local('17:40');
    await sendLead('web');
    now = local('17:45');
    expect(await check()).toMatchObject({ opened: 0, resolved: 1 });
    messages = await sourceMessages(t.store);
    expect(messages.map((m) => m.topic)).toEqual(['source.silent', 'source.recovered']);
    expect(messages[1]?.payload.text).toBe('Источник «web» снова присылает лиды: первый в 17:40 после 8 ч тишины');
    now = local('17:50');
    expect(await check()).toMatchObject({ opened: 0, resolved: 0 });
    expect(await sourceMessages(t.store)).toHaveLength(2);

    const csv = await head.request({ method: 'GET', url: '/api/v1/reports/source-health?format=csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.split('\r\n');
    expect(lines[0]?.startsWith('\uFEFFsource,state,')).toBe(true);
    expect(lines[0]).toContain('hourStart,leads,usual');
    // A row per source and hour of the last 24 hours.
    expect(lines.filter((l) => l.startsWith('web,'))).toHaveLength(24);
    const incidentsCsv = await head.request({ method: 'GET', url: '/api/v1/reports/source-health?format=csv&section=incidents' });
    expect(incidentsCsv.body.split('\r\n')[1]).toMatch(/^[^,]+,web,silence,/);

    const after = (await head.request({ method: 'GET', url: '/api/v1/reports/source-health' })).json();
    expect(after.sources.find((s: { source: string }) => s.source === 'web')).toMatchObject({ state: 'ok', openIncidents: [] });
    expect(after.incidents).toMatchObject([{ source: 'web', kind: 'silence', resolvedAt: local('17:45').toISOString(), resolution: { firstLeadAt: local('17:40').toISOString() } }]);

    // The heads hear of it in the app and by e-mail (the default for these topics); the admin does not.
    await fanOut(t.ctx);
    const deliveries = await t.store.db.selectFrom('deliveries').select(['recipient', 'channel', 'topic']).where('topic', 'like', 'source.%').orderBy('topic').orderBy('channel').execute();
    expect(deliveries).toEqual([
      { recipient: head.id, channel: 'email', topic: 'source.recovered' },
      { recipient: head.id, channel: 'in_app', topic: 'source.recovered' },
      { recipient: head.id, channel: 'email', topic: 'source.silent' },
      { recipient: head.id, channel: 'in_app', topic: 'source.silent' },
    ]);
  });

  it('silence at night, outside the hours the source sends, alerts nobody', async () => {
    await seedLeads(t.store, [...officeHistory('web', 2), { source: 'web', at: local('17:50').getTime() }]);
    for (const hhmm of ['21:00', '23:59']) {
      now = local(hhmm);
      expect((await check()).opened).toBe(0);
    }
    for (const hhmm of ['03:00', '08:59', '10:00', '11:49']) {
      now = local(hhmm, 1);
      expect((await check()).opened).toBe(0);
    }
    expect(await sourceMessages(t.store)).toEqual([]);
    // (A day later the head's session has lapsed: the admin key reads it.)
    const report = (await t.request({ method: 'GET', url: '/api/v1/reports/source-health' })).json();
    expect(report.sources.find((s: { source: string }) => s.source === 'web')).toMatchObject({ state: 'ok', ownHourNow: true });
    // Three of its own hours without a lead (17:50–18:00 yesterday, 09:00–11:50 today): now it is unusual.
    now = local('11:50', 1);
    expect((await check()).opened).toBe(1);
  });

  it('a night check reports the source off its hours; a weekend source is judged by its own hours', async () => {
    await seedLeads(t.store, [...officeHistory('web', 2)]);
    now = local('03:00');
    const report = (await head.request({ method: 'GET', url: `/api/v1/reports/source-health?from=${encodeURIComponent(local('00:00', -1).toISOString())}&to=${encodeURIComponent(local('00:00').toISOString())}` })).json();
    const web = report.sources.find((s: { source: string }) => s.source === 'web');
    expect(web.state).toBe('off_hours');
    expect(web.hours).toHaveLength(24);
    // Monday 7 December: the usual is 2 an hour from 09:00 to 18:00 and nothing else.
    expect(web.hours.map((h: { usual: number }) => h.usual)).toEqual([...Array(9).fill(0), ...Array(9).fill(2), ...Array(6).fill(0)]);
    expect(web.period).toEqual({ leads: 18, usual: 18 });
    // The same day as a local date in the company's zone.
    const byDate = (await head.request({ method: 'GET', url: '/api/v1/reports/source-health?from=2026-12-07&to=2026-12-07' })).json();
    expect(byDate).toMatchObject({ from: local('00:00', -1).toISOString(), to: local('00:00').toISOString() });
    expect(byDate.sources.find((s: { source: string }) => s.source === 'web').period).toEqual({ leads: 18, usual: 18 });
  });

  it('a junk share that jumps well above the usual alerts once, and once more when it is back to usual', async () => {
    // partner: one lead an hour, every tenth junk.
    await seedLeads(t.store, officeHistory('partner', 1, 10));
    // Junk shares over the last three hours.
    const { knownSources: _known, ...settings } = (await head.request({ method: 'GET', url: '/api/v1/source-health/settings' })).json();
    expect((await head.request({ method: 'PUT', url: '/api/v1/source-health/settings', payload: { ...settings, junkWindowHours: 3 } })).statusCode).toBe(200);
    const today = (from: string, count: number, junk: number) =>
      Array.from({ length: count }, (_, i) => ({ source: 'partner', at: local(from).getTime() + i * 60_000, junk: i < junk }));
    await seedLeads(t.store, today('09:00', 20, 12));
    now = local('09:30');
    expect(await check()).toMatchObject({ opened: 1 });
    const messages = await sourceMessages(t.store);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ topic: 'source.junk_spike', payload: { source: 'partner', incidentKind: 'junk' } });
    expect(messages[0]?.payload.text).toBe('Источник «partner»: 60% мусора среди 20 лидов за 3 ч — обычно 10%');
    now = local('10:00');
    expect((await check()).opened).toBe(0);

    await seedLeads(t.store, today('10:01', 40, 0));
    now = local('10:45');
    expect(await check()).toMatchObject({ opened: 0, resolved: 1 });
    expect((await sourceMessages(t.store)).map((m) => m.topic)).toEqual(['source.junk_spike', 'source.recovered']);
    now = local('11:00');
    expect(await check()).toMatchObject({ opened: 0, resolved: 0 });
  });

  it('each head reads the alert in the language they chose; per-source thresholds change when it counts', async () => {
    const english = await t.signIn({ role: 'head', teamId: 'sales' });
    expect((await english.request({ method: 'PUT', url: '/api/v1/me/locale', payload: { locale: 'en' } })).statusCode).toBe(200);
    await seedLeads(t.store, [...officeHistory('web', 2), { source: 'web', at: local('09:40').getTime() }]);

    const settings = (await head.request({ method: 'GET', url: '/api/v1/source-health/settings' })).json();
    expect(settings).toMatchObject({ timeZone: 'Europe/Moscow', lookbackWeeks: 6, defaults: { silenceHours: 3, minExpectedPerHour: 1, alerts: true } });
    expect(settings.knownSources).toEqual([{ source: 'web', thresholds: settings.defaults, own: false }]);
    const { knownSources: _known, ...body } = settings;
    const put = await head.request({ method: 'PUT', url: '/api/v1/source-health/settings', payload: { ...body, sources: { web: { silenceHours: 5 } } } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().knownSources).toEqual([{ source: 'web', thresholds: { ...settings.defaults, silenceHours: 5 }, own: true }]);

    now = local('12:41');
    expect((await check()).opened).toBe(0);
    now = local('14:41');
    expect((await check()).opened).toBe(1);
    const messages = await sourceMessages(t.store);
    expect(messages.map((m) => [m.payload.locale, m.payload.audience.users])).toEqual([
      ['ru', [head.id]],
      ['en', [english.id]],
    ]);
    expect(messages[1]?.payload.text).toBe('Source "web" has gone silent: no leads for 5 h (the last at 09:40), though it usually sends ~2 an hour at this time');
  });

  it('refuses bad settings and periods with a 400 that names the field', async () => {
    const settings = (await head.request({ method: 'GET', url: '/api/v1/source-health/settings' })).json();
    const { knownSources: _known, ...body } = settings;
    const zone = await head.request({ method: 'PUT', url: '/api/v1/source-health/settings', payload: { ...body, timeZone: 'Mars/Olympus' } });
    expect(zone.statusCode).toBe(400);
    expect(zone.json().error.code).toBe('LR_ERR_VALIDATION');
    expect(zone.body).toContain('timeZone');
    const negative = await head.request({ method: 'PUT', url: '/api/v1/source-health/settings', payload: { ...body, sources: { web: { silenceHours: -1 } } } });
    expect(negative.statusCode).toBe(400);
    const long = await head.request({ method: 'GET', url: `/api/v1/reports/source-health?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z` });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.details[0]).toMatchObject({ path: 'to', code: 'period_too_long' });
    const backwards = await head.request({ method: 'GET', url: `/api/v1/reports/source-health?from=2026-03-01T00:00:00Z&to=2026-01-01T00:00:00Z` });
    expect(backwards.statusCode).toBe(400);
  });

  it('the server checks on its own, on the injected clock', async () => {
    await seedLeads(t.store, [...officeHistory('web', 2), { source: 'web', at: local('09:40').getTime() }]);
    now = local('13:00');
    const checker = startSourceHealthChecker(t.ctx, { intervalMs: 20 });
    try {
      await expect.poll(async () => (await sourceMessages(t.store)).map((m) => m.topic), { timeout: 10_000 }).toEqual(['source.silent']);
    } finally {
      await checker.stop();
    }
    // A check after stop() still runs on demand, and finds nothing new to say.
    expect(await checker.checkNow()).toMatchObject({ opened: 0 });
  });

  it('a source too new to have a usual does not alert', async () => {
    // Three days of history, the default needs seven.
    await seedLeads(t.store, officeHistory('fresh', 2).filter((l) => l.at >= TODAY - 3 * 24 * HOUR));
    now = local('15:00');
    expect((await check()).opened).toBe(0);
    const report = (await head.request({ method: 'GET', url: '/api/v1/reports/source-health' })).json();
    expect(report.sources.find((s: { source: string }) => s.source === 'fresh').state).toBe('learning');
  });
});

describe('two checks at once on one PostgreSQL database', () => {
  let stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores) await s.close();
    stores = [];
  });

  it('alert once and tell the recovery once', async () => {
    const url = await createPostgresDatabase();
    stores = [openStore({ kind: 'postgres', url, poolSize: 4 }), openStore({ kind: 'postgres', url, poolSize: 4 })];
    const { error } = await migrateToLatest(stores[0] as Store);
    if (error) throw error;
    let now = local('12:41');
    const [a, b] = stores.map((store) => createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 }, { now: () => now })) as [AppContext, AppContext];
    const at = new Date().toISOString();
    for (const [i, locale] of [null, 'en'].entries()) {
      await a.store.db
        .insertInto('users')
        .values({ id: `head-${i}`, email: `head-${i}@example.test`, name: `Head ${i}`, password_hash: 'x', role: 'head', team_id: null, manager_id: null, active: 1, locale, telegram_chat_id: null, notification_prefs: null, created_at: at, updated_at: at })
        .execute();
    }
    await seedLeads(a.store, [...officeHistory('web', 2), ...officeHistory('crm', 3), { source: 'web', at: local('09:40').getTime() }, { source: 'crm', at: local('09:30').getTime() }]);
    // Separate caches, as in two processes.
    const cacheA = new BaselineCache();
    const cacheB = new BaselineCache();
    const both = async () => await Promise.all([checkSourceHealth(a, cacheA), checkSourceHealth(b, cacheB), checkSourceHealth(a, cacheA), checkSourceHealth(b, cacheB)]);

    const opened = await both();
    expect(opened.reduce((n, r) => n + r.opened, 0)).toBe(2);
    const messages = await sourceMessages(a.store);
    // Per source, one message per language read: one alert to each head.
    expect(messages.map((m) => `${m.topic} ${m.payload.source} ${m.payload.locale}`).sort()).toEqual(['source.silent crm en', 'source.silent crm ru', 'source.silent web en', 'source.silent web ru']);
    expect(await a.store.db.selectFrom('source_health_incidents').select('source').where('resolved_at', 'is', null).execute()).toHaveLength(2);

    await seedLeads(a.store, [{ source: 'web', at: local('12:50').getTime() }]);
    now = local('13:00');
    const resolved = await both();
    expect(resolved.reduce((n, r) => n + r.resolved, 0)).toBe(1);
    expect(resolved.reduce((n, r) => n + r.opened, 0)).toBe(0);
    const recoveries = (await sourceMessages(a.store)).filter((m) => m.topic === 'source.recovered');
    expect(recoveries.map((m) => `${m.payload.source} ${m.payload.locale}`).sort()).toEqual(['web en', 'web ru']);
  });
});
