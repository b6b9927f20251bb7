import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeeklyHours } from '../../src/core/routing/manager-profile.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

/**
 * December 2026 in Moscow (UTC+3, no daylight saving), read on Monday 7 December at 12:00 MSK.
 * Company holiday 31 December. Anna works Mon–Fri 09:00–18:00 and is away 21–22 December;
 * Boris has no working hours (Monday to Friday, whole days). Every figure is counted by hand
 * from this story (times UTC):
 *
 * 11-30 20:00 L1 (source a) → anna
 * 11-30 20:59 anna calls L1, no answer          (23:59 MSK: November, not counted)
 * 11-30 21:00 anna reaches L1                   (00:00 MSK 1 Dec: a December call and first contact)
 * 12-01 07:00 L2 (a) → anna, L3 (b) → boris, L4 (c) → sergey (team south)
 * 12-01 08:00 anna e-mails L2 (sent) and writes a note on it
 * 12-01 09:00 boris calls L3, no answer; 09:10 reaches L3
 * 12-02 10:00 anna converts L1 (1000); 10:30 won
 * 12-02 11:00 boris converts L3 (500); 11:30 won
 * 12-03 09:00 sergey reaches L4, holds a meeting
 * 12-04 08:00 the head reassigns L2 to boris; 08:30 boris reaches L2 (his first contact, not anna's)
 *
 * Anna: calls 1, emails 1, leadsWorked 2 (L1, L2), firstContacts 1, conversions 1, wonValue 1000.
 * Boris: calls 3, leadsWorked 2 (L3, L2), firstContacts 2, conversions 1, wonValue 500.
 * Working days: anna 23 weekdays − 31 Dec − 21, 22 Dec = 20; boris and the team 22.
 * Elapsed at 12:00 MSK on the 7th: 4 days (1–4 Dec) + anna 3 of 9 hours, boris and the team half a day.
 */
const OFFICE: WeeklyHours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])) as WeeklyHours;
const RULES = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [
    { id: 'a', name: 'A', when: { field: 'source', op: 'eq', value: 'a' }, target: { kind: 'person', managerId: 'anna' } },
    { id: 'b', name: 'B', when: { field: 'source', op: 'eq', value: 'b' }, target: { kind: 'person', managerId: 'boris' } },
    { id: 'c', name: 'C', when: { field: 'source', op: 'eq', value: 'c' }, target: { kind: 'person', managerId: 'sergey' } },
  ],
  fallback: { kind: 'pool' },
};

describe.each(DATABASE_KINDS)('plan / fact and the leaderboard on %s', (kind) => {
  let t: TestApp;
  let now = new Date('2026-11-30T20:00:00Z');
  // The story spans a week; the sessions stay open through it (they would lapse after 12 idle hours).
  const at = async (iso: string) => {
    now = new Date(iso);
    await t.store.db.updateTable('sessions').set({ expires_at: '2099-01-01T00:00:00.000Z' }).execute();
  };
  const people: Record<string, TestUser> = {};
  const leads: Record<string, string> = {};

  const call = async (user: TestUser | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) =>
    user ? await user.request({ method, url, ...(payload ? { payload } : {}) }) : await t.request({ method, url, ...(payload ? { payload } : {}) });
  const ok = async (user: TestUser | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) => {
    const res = await call(user, method, url, payload);
    expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
    return res.json();
  };
  const create = async (name: string, source: string, owner: string) => {
    const lead = (await ok(null, 'POST', '/api/v1/leads', { name, source })).lead;
    expect(lead.ownerId, name).toBe(owner);
    leads[name] = lead.id;
  };
  const activity = async (who: string, lead: string, kind: string, outcome: string) => await ok(people[who] as TestUser, 'POST', `/api/v1/leads/${leads[lead]}/activities`, { kind, outcome });

  beforeAll(async () => {
    t = await startTestApp(kind, { now: () => now });
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }, { id: 'south', name: 'South' }],
      managers: [
        manager('anna', { name: 'Anna', teamId: 'north', workingHours: OFFICE }),
        manager('boris', { name: 'Boris', teamId: 'north' }),
        manager('sergey', { name: 'Sergey', teamId: 'south' }),
      ],
      ruleSet: RULES,
    });
    people.anna = await t.signIn({ role: 'manager', managerId: 'anna', teamId: 'north' });
    people.boris = await t.signIn({ role: 'manager', managerId: 'boris', teamId: 'north' });
    people.sergey = await t.signIn({ role: 'manager', managerId: 'sergey', teamId: 'south' });
    people.head = await t.signIn({ role: 'head', teamId: 'north' });
    people.admin = await t.signIn({ role: 'admin' });
    await ok(null, 'POST', '/api/v1/sla/holidays', { day: '2026-12-31', name: 'New Year’s Eve' });
    await ok(null, 'POST', '/api/v1/managers/anna/absences', { from: '2026-12-21', to: '2026-12-22', kind: 'vacation' });

    await create('L1', 'a', 'anna');
    await at('2026-11-30T20:59:00Z');
    await activity('anna', 'L1', 'call', 'no_answer');
    await at('2026-11-30T21:00:00Z');
    await activity('anna', 'L1', 'call', 'reached');
    await at('2026-12-01T07:00:00Z');
    await create('L2', 'a', 'anna');
    await create('L3', 'b', 'boris');
    await create('L4', 'c', 'sergey');
    await at('2026-12-01T08:00:00Z');
    await activity('anna', 'L2', 'email', 'sent');
    await activity('anna', 'L2', 'note', 'none');
    await at('2026-12-01T09:00:00Z');
    await activity('boris', 'L3', 'call', 'no_answer');
    await at('2026-12-01T09:10:00Z');
    await activity('boris', 'L3', 'call', 'reached');
    await at('2026-12-02T10:00:00Z');
    const d1 = (await ok(people.anna as TestUser, 'POST', `/api/v1/leads/${leads.L1}/convert`, { deal: { title: 'L1 deal', amount: 1000, currency: 'RUB' } })).deal.id;
    await at('2026-12-02T10:30:00Z');
    await ok(people.anna as TestUser, 'PATCH', `/api/v1/deals/${d1}`, { closed: 'won' });
    await at('2026-12-02T11:00:00Z');
    const d2 = (await ok(people.boris as TestUser, 'POST', `/api/v1/leads/${leads.L3}/convert`, { deal: { title: 'L3 deal', amount: 500, currency: 'RUB' } })).deal.id;
    await at('2026-12-02T11:30:00Z');
    await ok(people.boris as TestUser, 'PATCH', `/api/v1/deals/${d2}`, { closed: 'won' });
    await at('2026-12-03T09:00:00Z');
    await activity('sergey', 'L4', 'call', 'reached');
    await activity('sergey', 'L4', 'meeting', 'held');
    await at('2026-12-04T08:00:00Z');
    await ok(people.head as TestUser, 'POST', `/api/v1/leads/${leads.L2}/reassign`, { toManagerId: 'boris', reason: 'Anna is on the expo' });
    await at('2026-12-04T08:30:00Z');
    await activity('boris', 'L2', 'call', 'reached');

    await at('2026-12-07T09:00:00Z');
    await ok(people.head as TestUser, 'PUT', '/api/v1/plans/2026-12', {
      targets: [
        { manager: 'anna', metric: 'conversions', target: 4 },
        { manager: 'anna', metric: 'calls', target: 2 },
        { manager: 'anna', metric: 'wonValue', target: 10000 },
        { manager: 'boris', metric: 'conversions', target: 2 },
        { manager: null, metric: 'conversions', target: 10 },
      ],
    });
  }, 180_000);
  afterAll(async () => await t.close());

  const metricOf = (row: { metrics: Array<{ metric: string }> }, metric: string) => row.metrics.find((m) => m.metric === metric) as Record<string, unknown>;

  it('counts each manager’s facts by hand and sets them against the plan', async () => {
    const view = await ok(people.head as TestUser, 'GET', '/api/v1/motivation/plan-fact?period=2026-12');
    expect(view).toMatchObject({ period: '2026-12', from: '2026-11-30T21:00:00.000Z', to: '2026-12-31T21:00:00.000Z', timeZone: 'Europe/Moscow', teamId: 'north', scope: { kind: 'team', teamId: 'north' } });
    const byName = Object.fromEntries(view.managers.map((m: { name: string }) => [m.name, m]));
    expect(Object.keys(byName).sort()).toEqual(['Anna', 'Boris']);
    const facts = (row: { metrics: Array<{ metric: string; fact: number }> }) => Object.fromEntries(row.metrics.map((m) => [m.metric, m.fact]));
    expect(facts(byName.Anna)).toEqual({ leadsWorked: 2, firstContacts: 1, conversions: 1, wonValue: 1000, calls: 1, emails: 1, meetings: 0 });
    expect(facts(byName.Boris)).toEqual({ leadsWorked: 2, firstContacts: 2, conversions: 1, wonValue: 500, calls: 3, emails: 0, meetings: 0 });
    expect(byName.Anna).toMatchObject({ workingDays: 20, elapsedDays: 4.33 });
    expect(byName.Boris).toMatchObject({ workingDays: 22, elapsedDays: 4.5 });
    expect(metricOf(byName.Anna, 'conversions')).toMatchObject({ target: 4, fact: 1, done: 0.25, remaining: 3, remainingDays: 15.6667, pacePerDay: 0.19, forecast: 4.62, state: 'ahead' });
    expect(metricOf(byName.Anna, 'calls')).toMatchObject({ per: 'workingDay', norm: 2, target: 40, fact: 1, factPerDay: 0.23, pacePerDay: 2.49, forecast: 4.62, state: 'behind' });
    expect(metricOf(byName.Anna, 'wonValue')).toMatchObject({ unit: 'money', target: 10000, fact: 1000, done: 0.1 });
    expect(metricOf(byName.Boris, 'leadsWorked')).toMatchObject({ target: null, done: null, pacePerDay: null, forecast: 9.78, state: 'none' });
    expect(view.team).toMatchObject({ workingDays: 22, elapsedDays: 4.5 });
    expect(metricOf(view.team, 'conversions')).toMatchObject({ targetFrom: 'team', target: 10, fact: 2, pacePerDay: 0.46, forecast: 9.78, state: 'behind' });
    expect(metricOf(view.team, 'wonValue')).toMatchObject({ targetFrom: 'managers', target: 10000, fact: 1500 });
    expect(metricOf(view.team, 'calls')).toMatchObject({ targetFrom: 'managers', target: 40, fact: 4 });
    expect(metricOf(view.team, 'meetings')).toMatchObject({ targetFrom: 'none', target: null, fact: 0 });
  });

  it('a past month reads whole: November has the no-answer call and nothing after midnight Moscow time', async () => {
    const view = await ok(null, 'GET', '/api/v1/motivation/plan-fact?period=2026-11&team=north');
    const anna = view.managers.find((m: { managerId: string }) => m.managerId === 'anna');
    expect(metricOf(anna, 'calls')).toMatchObject({ fact: 1, remainingDays: 0, forecast: 1 });
    expect(metricOf(anna, 'firstContacts')).toMatchObject({ fact: 0 });
  });

  it('a manager sees the own row and the team total, and nobody else’s', async () => {
    const view = await ok(people.anna as TestUser, 'GET', '/api/v1/motivation/plan-fact?period=2026-12');
    expect(view.scope).toEqual({ kind: 'self', teamId: 'north', managerId: 'anna' });
    expect(view.managers.map((m: { managerId: string; self: boolean }) => [m.managerId, m.self])).toEqual([['anna', true]]);
    expect(metricOf(view.team, 'conversions')).toMatchObject({ fact: 2 });
    expect((await call(people.anna as TestUser, 'GET', '/api/v1/motivation/plan-fact?manager=boris')).statusCode).toBe(403);
    const other = await call(people.sergey as TestUser, 'GET', '/api/v1/motivation/plan-fact?team=north');
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('LR_ERR_FORBIDDEN');
    expect((await call(people.sergey as TestUser, 'GET', '/api/v1/motivation/leaderboard?team=north')).statusCode).toBe(403);
  });

  it('ranks the team, ties sharing a place, with the share of plan', async () => {
    const conv = await ok(people.head as TestUser, 'GET', '/api/v1/motivation/leaderboard?period=2026-12&metric=conversions');
    expect(conv.rows.map((r: { rank: number; name: string; fact: number; target: number | null; done: number | null }) => [r.rank, r.name, r.fact, r.target, r.done])).toEqual([
      [1, 'Anna', 1, 4, 0.25],
      [1, 'Boris', 1, 2, 0.5],
    ]);
    const won = await ok(null, 'GET', '/api/v1/motivation/leaderboard?period=2026-12&team=north');
    expect(won).toMatchObject({ metric: 'wonValue', unit: 'money' });
    expect(won.rows.map((r: { rank: number; managerId: string }) => [r.rank, r.managerId])).toEqual([[1, 'anna'], [2, 'boris']]);
    const calls = await ok(people.head as TestUser, 'GET', '/api/v1/motivation/leaderboard?period=2026-12&metric=calls');
    expect(calls.rows.map((r: { name: string; fact: number; target: number | null }) => [r.name, r.fact, r.target])).toEqual([['Boris', 3, null], ['Anna', 1, 40]]);
  });

  it('a manager sees colleagues anonymised unless the reports setting names them, and always the own rank', async () => {
    const board = await ok(people.boris as TestUser, 'GET', '/api/v1/motivation/leaderboard?period=2026-12&metric=wonValue');
    expect(board.rows).toEqual([
      { rank: 1, managerId: null, name: '#1', self: false, anonymous: true, fact: 1000, target: 10000, done: 0.1 },
      { rank: 2, managerId: 'boris', name: 'Boris', self: true, anonymous: false, fact: 500, target: null, done: null },
    ]);
    await ok(null, 'PUT', '/api/v1/settings/reports', { teamFiguresNamed: true });
    const named = await ok(people.boris as TestUser, 'GET', '/api/v1/motivation/leaderboard?period=2026-12&metric=wonValue');
    expect(named.rows.map((r: { name: string; anonymous: boolean }) => [r.name, r.anonymous])).toEqual([['Anna', false], ['Boris', false]]);
    await ok(null, 'PUT', '/api/v1/settings/reports', { teamFiguresNamed: false });
  });

  it('refuses bad questions with a code', async () => {
    const cases: Array<[string, string, string]> = [
      ['/api/v1/motivation/plan-fact?period=2026-13&team=north', 'period', 'invalid_period'],
      ['/api/v1/motivation/plan-fact?period=2026-12', 'team', 'team_required'],
      ['/api/v1/motivation/plan-fact?team=east', 'team', 'unknown_team'],
      ['/api/v1/motivation/plan-fact?team=north&manager=sergey', 'manager', 'unknown_manager'],
      ['/api/v1/motivation/leaderboard?team=north&metric=smiles', 'metric', 'unknown_metric'],
    ];
    for (const [url, path, code] of cases) {
      const res = await call(null, 'GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.details[0], url).toMatchObject({ path, code });
    }
  });
});
