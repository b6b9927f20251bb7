import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM, type Principal } from '../../src/app/access/principal.js';
import { RoutingSnapshotLoader } from '../../src/app/routing/routing-snapshot.js';
import { sweepSla } from '../../src/app/sla/sweep-sla.js';
import type { WeeklyHours } from '../../src/core/routing/manager-profile.js';
import { distributionReport } from '../../src/app/reports/distribution-report.js';
import { funnelReport } from '../../src/app/reports/funnel-report.js';
import { junkReport } from '../../src/app/reports/junk-report.js';
import { slaReport } from '../../src/app/reports/sla-report.js';
import { speedReport } from '../../src/app/reports/speed-report.js';
import { transfersReport } from '../../src/app/reports/transfers-report.js';
import type { ReportQuery } from '../../src/app/reports/report-context.js';
import { rebuildRollups, refreshRollups } from '../../src/app/reports/rollups/refresh-rollups.js';
import { chooseCellSource, readCellsFrom, rollupTotalsBefore, RollupsWentStale, withRawFallback, type ReportCellsOptions } from '../../src/app/reports/rollups/report-cells-source.js';
import { resetRollups } from '../../src/store/report-rollup-queries.js';
import { reportContext } from '../../src/app/reports/report-context.js';
import { sql } from 'kysely';
import { pickOne, seededRandom } from '../../src/core/seeded-random.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app.js';

/**
 * Rollups equal a recount: after random sequences of intake, contacts, status changes, junk
 * marks, conversions, won and lost deals, transfers and pool claims — spread over days around a
 * DST change and read in two zones — every rollup report answers exactly what the same report
 * computed from the raw rows answers, for the whole company, a team, a manager reading their
 * own figures, a source, a rule, and day / week / month buckets. The rollups are refreshed as
 * reports are read in between (incrementally), and once rebuilt from scratch.
 */
const RULES = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [
    { id: 'expo', name: 'Expo to Sergey', when: { field: 'source', op: 'eq', value: 'expo' }, target: { kind: 'person', managerId: 'sergey' } },
    { id: 'cold', name: 'Cold base', when: { field: 'source', op: 'eq', value: 'cold' }, target: { kind: 'pool' } },
    { id: 'sales', name: 'Sales', target: { kind: 'group', managers: ['anna', 'boris'], strategy: 'round_robin' } },
  ],
  fallback: { kind: 'pool' },
};
const SOURCES = ['web', 'web', 'expo', 'cold', 'tilda'];
// Anna's office hours, so that business minutes and the night's wait count differently from the wall clock.
const OFFICE_HOURS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '13:00'], ['14:00', '18:00']]])) as WeeklyHours;
const CAMPAIGNS = ['spring', 'autumn', null];
const JUNK_REASONS = ['spam', 'wrong_contact', 'no_need'];

const REPORTS = { funnel: funnelReport, junk: junkReport, distribution: distributionReport, speed: speedReport, sla: slaReport, transfers: transfersReport };

describe.each(DATABASE_KINDS)('report rollups on %s', (kind) => {
  let t: TestApp;
  // Late March: Moscow keeps UTC+3 while the south team's Berlin moves its clocks on the 29th (a 23-hour day).
  let now = new Date('2026-03-20T06:00:00Z');
  const users: Record<string, TestUser> = {};
  const principals: Record<string, Principal> = {};
  const random = seededRandom(kind === 'sqlite' ? 7 : 11);

  const ok = async (user: TestUser | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const res = user ? await user.request({ method, url, ...(payload ? { payload } : {}) }) : await t.request({ method, url, ...(payload ? { payload } : {}) });
    expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
    return res.json();
  };
  const SIGN_IN: Record<string, Parameters<TestApp['signIn']>[0]> = {
    anna: { role: 'manager', managerId: 'anna', teamId: 'north' },
    boris: { role: 'manager', managerId: 'boris', teamId: 'north' },
    sergey: { role: 'manager', managerId: 'sergey', teamId: 'south' },
    head: { role: 'head', teamId: 'north' },
  };
  /** As a person; days pass in this story, so a session that expired is opened again. */
  const attempt = async (who: string, method: 'POST' | 'PATCH', url: string, payload?: object) => {
    let res = await (users[who] as TestUser).request({ method, url, ...(payload ? { payload } : {}) });
    if (res.statusCode === 401) {
      users[who] = await signInAgain(users[who] as TestUser);
      res = await (users[who] as TestUser).request({ method, url, ...(payload ? { payload } : {}) });
    }
    return res;
  };

  const signInAgain = async (user: TestUser): Promise<TestUser> => {
    const res = await t.request({ key: null, method: 'POST', url: '/api/v1/session', payload: { email: user.email, password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const csrfToken = res.json<{ csrfToken: string }>().csrfToken;
    const cookie = `lr_session=${res.cookies.find((c) => c.name === 'lr_session')?.value}`;
    return { ...user, csrfToken, cookie, request: async ({ headers, ...rest }) => await t.app.inject({ ...rest, headers: { cookie, 'x-csrf-token': csrfToken, ...(headers ?? {}) } }) };
  };

  const leads: Array<{ id: string; owner: string | null }> = [];
  const deals: string[] = [];

  /** One random thing a sales floor does, an hour or so after the previous one. */
  async function step(): Promise<void> {
    now = new Date(now.getTime() + Math.floor(random() * 180) * 60_000);
    const roll = random();
    const lead = leads.length > 0 ? pickOne(random, leads) : null;
    const owner = lead?.owner ?? null;
    if (roll < 0.4 || !lead) {
      const campaign = pickOne(random, CAMPAIGNS);
      const created = (await ok(null, 'POST', '/api/v1/leads', { name: `Lead ${leads.length}`, phone: `+7999${String(1_000_000 + leads.length)}`, source: pickOne(random, SOURCES), ...(campaign ? { campaign } : {}) })).lead;
      leads.push({ id: created.id, owner: created.ownerId });
    } else if (!owner) {
      const claimer = pickOne(random, ['anna', 'boris']);
      const res = await attempt(claimer, 'POST', `/api/v1/pool/${lead.id}/claim`);
      if (res.statusCode < 300) lead.owner = claimer;
    } else if (roll < 0.47) {
      // The SLA sweeper's pass: breaches, reassignments, escalations.
      await sweepSla(t.ctx, new RoutingSnapshotLoader());
    } else if (roll < 0.55) {
      await attempt(owner, 'POST', `/api/v1/leads/${lead.id}/activities`, { kind: 'call', outcome: 'reached' });
    } else if (roll < 0.65) {
      await attempt(owner, 'POST', `/api/v1/leads/${lead.id}/status`, { status: 'junk', junkReason: pickOne(random, JUNK_REASONS) });
    } else if (roll < 0.72) {
      await attempt(owner, 'POST', `/api/v1/leads/${lead.id}/status`, { status: 'qualified' });
    } else if (roll < 0.82) {
      const res = await attempt(owner, 'POST', `/api/v1/leads/${lead.id}/convert`, { deal: { title: 'Deal', amount: Math.floor(random() * 100_000) / 100, currency: 'RUB' } });
      if (res.statusCode < 300) deals.push(res.json().deal.id);
    } else if (roll < 0.9 && deals.length > 0) {
      const deal = pickOne(random, deals);
      await attempt('head', 'PATCH', `/api/v1/deals/${deal}`, { closed: random() < 0.6 ? 'won' : 'lost' });
    } else {
      const to = lead.owner === 'anna' ? 'boris' : 'anna';
      const res = await attempt(owner, 'POST', `/api/v1/leads/${lead.id}/transfers`, { reason: 'overloaded', toManagerId: to });
      if (res.statusCode < 300) {
        const approved = await attempt('head', 'POST', `/api/v1/transfers/${res.json().transfer.id}/approve`, {});
        if (approved.statusCode < 300) lead.owner = to;
      }
    }
  }

  const QUERIES: Array<{ who: string; query: ReportQuery }> = [
    { who: 'admin', query: { from: '2026-03-18', to: '2026-04-10', grouping: 'day' } },
    { who: 'admin', query: { from: '2026-03-23', to: '2026-03-29', grouping: 'day', tz: 'Europe/Berlin' } },
    { who: 'admin', query: { from: '2026-03-01', to: '2026-04-30', grouping: 'month', source: 'web' } },
    { who: 'admin', query: { from: '2026-03-18', to: '2026-04-10', rule: 'sales', team: 'north' } },
    { who: 'head', query: { from: '2026-03-18', to: '2026-04-10', grouping: 'week' } },
    { who: 'anna', query: { from: '2026-03-18', to: '2026-04-10' } },
    { who: 'sergey', query: { from: '2026-03-20', to: '2026-03-31', grouping: 'week' } },
    // The rows per team answer a team filter; with a source, the rows that keep it.
    { who: 'admin', query: { from: '2026-03-18', to: '2026-04-10', team: 'north' } },
    { who: 'head', query: { from: '2026-03-18', to: '2026-04-10', source: 'web', grouping: 'month' } },
    { who: 'admin', query: { from: '2026-03-18', to: '2026-04-10', manager: 'anna', rule: 'sales', grouping: 'week' } },
    { who: 'admin', query: { from: '2026-03-23', to: '2026-03-30', tz: 'Europe/Berlin', team: 'north', grouping: 'week' } },
  ];

  async function expectRollupsEqualRecount(): Promise<void> {
    for (const [name, report] of Object.entries(REPORTS)) {
      for (const { who, query } of QUERIES) {
        const read = async (options: ReportCellsOptions) => await report(t.ctx, principals[who] as Principal, query, options);
        expect(await read({ path: 'rollup' }), `${name} for ${who}: ${JSON.stringify(query)}`).toEqual(await read({ path: 'raw' }));
      }
    }
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { now: () => now });
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }, { id: 'south', name: 'South' }],
      managers: [manager('anna', { name: 'Anna', teamId: 'north', workingHours: OFFICE_HOURS }), manager('boris', { name: 'Boris', teamId: 'north' }), manager('sergey', { name: 'Sergey', teamId: 'south', timeZone: 'Europe/Berlin' })],
      ruleSet: RULES,
    });
    await ok(null, 'PATCH', '/api/v1/teams/south', { timeZone: 'Europe/Berlin' });
    await ok(null, 'POST', '/api/v1/sla/policies', { name: 'Inbound', firstContactMinutes: 120, maxReassignments: 1, onExhausted: 'head' });
    for (const [who, as] of Object.entries(SIGN_IN)) users[who] = await t.signIn(as);
    principals.admin = SYSTEM('test');
    principals.head = { kind: 'user', userId: 'head', name: 'Head', role: 'head', teamId: 'north', managerId: null };
    principals.anna = { kind: 'user', userId: 'anna-user', name: 'Anna', role: 'manager', teamId: 'north', managerId: 'anna' };
    principals.sergey = { kind: 'user', userId: 'sergey-user', name: 'Sergey', role: 'manager', teamId: 'south', managerId: 'sergey' };
  }, 120_000);
  afterAll(async () => await t.close());

  it('keeps every rollup equal to a recount from the raw rows while leads arrive and change', async () => {
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 40; i++) await step();
      // A changed calendar recomputes every lead's facts (business minutes, policies).
      if (round === 3) await ok(null, 'PATCH', '/api/v1/managers/boris', { workingHours: OFFICE_HOURS });
      // Reading a report refreshes the rollups first: the comparison runs on incremental updates.
      await expectRollupsEqualRecount();
    }
    expect(leads.length).toBeGreaterThan(60);
    // The story has every kind of change in it, so the equality above covers them.
    const funnel = await funnelReport(t.ctx, principals.admin as Principal, QUERIES[0]?.query as ReportQuery, { path: 'rollup' });
    expect(funnel.totals.qualified).toBeGreaterThan(0);
    expect(funnel.totals.deals).toBeGreaterThan(1);
    expect(funnel.totals.won).toBeGreaterThan(0);
    const sla = await slaReport(t.ctx, principals.admin as Principal, QUERIES[0]?.query as ReportQuery, { path: 'rollup' });
    expect(sla.totals.breaches).toBeGreaterThan(0);
    expect(sla.totals.met).toBeGreaterThan(0);
    const moved = await transfersReport(t.ctx, principals.admin as Principal, QUERIES[0]?.query as ReportQuery, { path: 'rollup' });
    expect(moved.totals.total).toBeGreaterThan(2);
    expect(moved.pool.claimed).toBeGreaterThan(0);
    const junk = await junkReport(t.ctx, principals.admin as Principal, QUERIES[0]?.query as ReportQuery, { path: 'rollup' });
    expect(junk.totals.junk).toBeGreaterThan(1);
    expect(junk.byMarker.length).toBeGreaterThan(0);
  }, 300_000);

  it('rebuilds the rollups from scratch to the same figures', async () => {
    const refreshed = await rebuildRollups(t.ctx);
    expect(refreshed).toBe(leads.length);
    await expectRollupsEqualRecount();
  }, 120_000);

  it('stays equal to a recount when refreshes run at once while leads change (two connections on PostgreSQL)', async () => {
    for (let round = 0; round < 8; round++) {
      // Three refreshers and the sales floor at the same time; a refresh that computed from an older state must not win.
      await Promise.all([refreshRollups(t.ctx, { batch: 7 }), refreshRollups(t.ctx, { batch: 5 }), (async () => {
        for (let i = 0; i < 6; i++) await step();
      })(), refreshRollups(t.ctx, { batch: 3 })]);
    }
    await expectRollupsEqualRecount();
  }, 300_000);

  it('builds the rollups of a zone added later from the stored facts', async () => {
    await ok(null, 'PATCH', '/api/v1/teams/south', { timeZone: 'Asia/Vladivostok' });
    await refreshRollups(t.ctx);
    const query: ReportQuery = { from: '2026-03-18', to: '2026-04-10', team: 'south' };
    for (const report of Object.values(REPORTS)) {
      expect(await report(t.ctx, principals.admin as Principal, query, { path: 'rollup' })).toEqual(await report(t.ctx, principals.admin as Principal, query, { path: 'raw' }));
    }
  }, 120_000);

  it('answers from the raw rows when the rollups are reset while a report reads them', async () => {
    await refreshRollups(t.ctx);
    const query = QUERIES[0]?.query as ReportQuery;
    const rc = await reportContext(t.ctx, principals.admin as Principal, query);
    // What a calendar change does between a report choosing the rollups and reading them.
    await sql`UPDATE report_rollup_state SET config_version = config_version + 1 WHERE id = 1`.execute(t.store.db);
    await expect(readCellsFrom(t.ctx, rc, 'funnel', 'rollup', { projection: 'manager' })).rejects.toBeInstanceOf(RollupsWentStale);
    const tried: ReportCellsOptions[] = [];
    const figures = await withRawFallback(async (options) => {
      tried.push(options);
      // The first attempt had chosen the rollups before the reset: its read finds them gone.
      if (tried.length === 1) await readCellsFrom(t.ctx, rc, 'funnel', 'rollup', { projection: 'manager' });
      return await funnelReport(t.ctx, principals.admin as Principal, query, options);
    });
    expect(tried).toEqual([{}, { path: 'raw' }]);
    await refreshRollups(t.ctx);
    expect(figures).toEqual(await funnelReport(t.ctx, principals.admin as Principal, query, { path: 'rollup' }));

    // A rebuild beginning after the report chose the rollups: they answer again at once (empty,
    // every lead waiting), so only the count of resets tells the report they are not its own.
    const chosen = await reportContext(t.ctx, principals.admin as Principal, query);
    expect(await chooseCellSource(t.ctx, chosen, 'funnel')).toBe('rollup');
    await t.store.db.transaction().execute(async (trx) => await resetRollups(trx));
    await refreshRollups(t.ctx, { maxLeads: 0 });
    await expect(readCellsFrom(t.ctx, chosen, 'funnel', 'rollup', { projection: 'manager' })).rejects.toBeInstanceOf(RollupsWentStale);
    await expect(rollupTotalsBefore(t.ctx, chosen, 'load', 'manager')).rejects.toBeInstanceOf(RollupsWentStale);
    await refreshRollups(t.ctx);
    expect(await funnelReport(t.ctx, principals.admin as Principal, query, { path: 'rollup' })).toEqual(figures);
  }, 120_000);
});
