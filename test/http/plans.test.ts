import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { insertManagers } from '../../src/store/manager-queries.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

/** Plans: who sets them, what is accepted, closed months, copying, the audit log. Clock: 15 November 2026, Moscow. */
describe.each(DATABASE_KINDS)('plans on %s', (kind) => {
  let t: TestApp;
  let now = new Date('2026-11-15T09:00:00Z');
  let head: TestUser;
  let southHead: TestUser;
  let anna: TestUser;

  beforeAll(async () => {
    t = await startTestApp(kind, { now: () => now });
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }, { id: 'south', name: 'South' }],
      managers: [manager('anna', { name: 'Anna', teamId: 'north' }), manager('boris', { name: 'Boris', teamId: 'north' }), manager('sergey', { name: 'Sergey', teamId: 'south' })],
      ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [], fallback: { kind: 'pool' } },
    });
    head = await t.signIn({ role: 'head', teamId: 'north' });
    southHead = await t.signIn({ role: 'head', teamId: 'south' });
    anna = await t.signIn({ role: 'manager', managerId: 'anna', teamId: 'north' });
  }, 120_000);
  afterAll(async () => await t.close());

  const put = async (user: TestUser | null, period: string, body: object) =>
    user ? await user.request({ method: 'PUT', url: `/api/v1/plans/${period}`, payload: body }) : await t.request({ method: 'PUT', url: `/api/v1/plans/${period}`, payload: body });

  it('a head sets the team’s targets, changes and removes one; the audit log has each change', async () => {
    const res = await put(head, '2026-11', {
      targets: [
        { manager: 'anna', metric: 'conversions', target: 5 },
        { manager: 'anna', metric: 'calls', target: 12.5 },
        { manager: 'boris', metric: 'wonValue', target: 250000.5 },
        { manager: null, metric: 'leadsWorked', target: 200 },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const plan = res.json();
    expect(plan).toMatchObject({ teamId: 'north', teamName: 'North', timeZone: 'Europe/Moscow', closed: false, editable: true, team: { targets: { leadsWorked: 200, conversions: null } } });
    const byId = Object.fromEntries(plan.managers.map((m: { managerId: string; targets: object }) => [m.managerId, m.targets]));
    expect(byId.anna).toEqual({ leadsWorked: null, firstContacts: null, conversions: 5, wonValue: null, calls: 12.5, emails: null, meetings: null });
    expect(byId.boris).toMatchObject({ wonValue: 250000.5 });

    expect((await put(head, '2026-11', { targets: [{ manager: 'anna', metric: 'conversions', target: 6 }, { manager: 'anna', metric: 'calls', target: null }] })).statusCode).toBe(200);
    const read = (await head.request({ method: 'GET', url: '/api/v1/plans?period=2026-11' })).json();
    expect(read.period).toBe('2026-11');
    expect(read.metrics.map((m: { key: string }) => m.key)).toEqual(['leadsWorked', 'firstContacts', 'conversions', 'wonValue', 'calls', 'emails', 'meetings']);
    expect(read.teams).toHaveLength(1);
    expect(read.teams[0].managers.find((m: { managerId: string }) => m.managerId === 'anna').targets).toMatchObject({ conversions: 6, calls: null });

    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'entity_id', 'before', 'after']).where('entity', '=', 'plan').orderBy('at').execute();
    expect(audit.map((a) => [a.action, a.entity_id])).toEqual([['plan.changed', 'north/2026-11'], ['plan.changed', 'north/2026-11']]);
    const last = audit[1] as { before: unknown; after: unknown };
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    expect(json(last.before)).toEqual({ 'anna.conversions': 5, 'anna.calls': 12.5 });
    expect(json(last.after)).toEqual({ 'anna.conversions': 6, 'anna.calls': null });
    // Saving the same again changes nothing and writes no audit entry.
    expect((await put(head, '2026-11', { targets: [{ manager: 'anna', metric: 'conversions', target: 6 }] })).statusCode).toBe(200);
    expect(await t.store.db.selectFrom('audit_log').select('id').where('entity', '=', 'plan').execute()).toHaveLength(2);
  });

  it('a manager reads the own plan and the team’s, and may not write', async () => {
    const read = (await anna.request({ method: 'GET', url: '/api/v1/plans?period=2026-11' })).json();
    expect(read.teams[0]).toMatchObject({ teamId: 'north', editable: false, team: { targets: { leadsWorked: 200 } } });
    expect(read.teams[0].managers.map((m: { managerId: string }) => m.managerId)).toEqual(['anna']);
    const write = await put(anna, '2026-11', { targets: [{ manager: 'anna', metric: 'conversions', target: 1 }] });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('LR_ERR_FORBIDDEN');
    expect((await anna.request({ method: 'GET', url: '/api/v1/plans?team=south' })).statusCode).toBe(403);
    // A manager without a team sees no team's plan (not every team's).
    await insertManagers(t.store.db, [manager('loner', { name: 'Loner' })], now.toISOString());
    const loner = await t.signIn({ role: 'manager', managerId: 'loner' });
    expect((await loner.request({ method: 'GET', url: '/api/v1/plans?period=2026-11' })).json().teams).toEqual([]);
  });

  it('a head may not set another team’s plan; an administrator names the team', async () => {
    expect((await put(southHead, '2026-11', { team: 'north', targets: [{ manager: 'anna', metric: 'conversions', target: 1 }] })).statusCode).toBe(403);
    // The own team, but a manager of another one.
    const foreign = await put(southHead, '2026-11', { targets: [{ manager: 'anna', metric: 'conversions', target: 1 }] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.details[0]).toMatchObject({ path: 'targets.0.manager', code: 'unknown_manager' });
    const noTeam = await put(null, '2026-11', { targets: [] });
    expect(noTeam.statusCode).toBe(400);
    expect(noTeam.json().error.details[0]).toMatchObject({ path: 'team', code: 'team_required' });
    expect((await put(null, '2026-11', { team: 'south', targets: [{ manager: 'sergey', metric: 'meetings', target: 2 }] })).statusCode).toBe(200);
    const all = (await t.request({ method: 'GET', url: '/api/v1/plans?period=2026-11' })).json();
    expect(all.teams.map((x: { teamId: string }) => x.teamId)).toEqual(['north', 'south']);
  });

  it('refuses bad targets with a code per field, and nothing is saved', async () => {
    const res = await put(head, '2026-11', {
      targets: [
        { manager: 'anna', metric: 'smiles', target: 1 },
        { manager: 'anna', metric: 'leadsWorked', target: -1 },
        { manager: 'anna', metric: 'conversions', target: 1.5 },
        { manager: 'ghost', metric: 'calls', target: 3 },
        { manager: 'boris', metric: 'wonValue', target: 1e13 },
        { manager: 'boris', metric: 'calls', target: 1 },
        { manager: 'boris', metric: 'calls', target: 2 },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('LR_ERR_VALIDATION');
    expect(res.json().error.details.map((d: { path: string; code: string }) => `${d.path} ${d.code}`)).toEqual([
      'targets.0.metric unknown_metric',
      'targets.1.target negative',
      'targets.2.target not_whole',
      'targets.3.manager unknown_manager',
      'targets.4.target too_large',
      'targets.6 duplicate_target',
    ]);
    const text = await put(head, '2026-11', { targets: [{ manager: 'anna', metric: 'calls', target: 'many' }] });
    expect(text.statusCode).toBe(400);
    for (const period of ['2026-13', '26-11', 'november']) {
      const bad = await put(head, period, { targets: [] });
      expect(bad.statusCode, period).toBe(400);
      expect(bad.json().error.details[0]).toMatchObject({ path: 'period', code: 'invalid_period' });
    }
    const read = (await head.request({ method: 'GET', url: '/api/v1/plans?period=2026-11' })).json();
    expect(read.teams[0].managers.find((m: { managerId: string }) => m.managerId === 'boris').targets.calls).toBeNull();
  });

  it('two saves of the same new target at once: each is saved or told to reload, never a 500', async () => {
    const body = (target: number) => ({ targets: [{ manager: 'boris', metric: 'firstContacts', target }] });
    const answers = await Promise.all([put(head, '2027-02', body(30)), put(null, '2027-02', { team: 'north', ...body(31) })]);
    for (const res of answers) expect([200, 409], res.body).toContain(res.statusCode);
    expect(answers.some((r) => r.statusCode === 200)).toBe(true);
  });

  it('copies last month into the next, filling only empty cells; a month that has ended stays as it was', async () => {
    expect((await put(head, '2026-12', { targets: [{ manager: 'anna', metric: 'conversions', target: 9 }] })).statusCode).toBe(200);
    now = new Date('2026-12-01T08:00:00Z');
    // Two weeks later; the head's session stays open (it would lapse after 12 idle hours).
    await t.store.db.updateTable('sessions').set({ expires_at: '2099-01-01T00:00:00.000Z' }).execute();
    const copy = await head.request({ method: 'POST', url: '/api/v1/plans/2026-12/copy', payload: {} });
    expect(copy.statusCode, copy.body).toBe(200);
    const copied = copy.json();
    // anna.conversions stays 9; boris.wonValue and the team's leadsWorked come over.
    expect(copied.copied).toBe(2);
    expect(copied.team.targets.leadsWorked).toBe(200);
    const byId = Object.fromEntries(copied.managers.map((m: { managerId: string; targets: Record<string, number | null> }) => [m.managerId, m.targets]));
    expect(byId.anna.conversions).toBe(9);
    expect(byId.boris.wonValue).toBe(250000.5);
    const overwrite = (await head.request({ method: 'POST', url: '/api/v1/plans/2026-12/copy', payload: { from: '2026-11', overwrite: true } })).json();
    expect(overwrite.managers.find((m: { managerId: string }) => m.managerId === 'anna').targets.conversions).toBe(6);

    const closed = await put(head, '2026-11', { targets: [{ manager: 'anna', metric: 'conversions', target: 1 }] });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.details[0]).toMatchObject({ path: 'period', code: 'period_closed' });
    expect((await head.request({ method: 'GET', url: '/api/v1/plans?period=2026-11' })).json().teams[0]).toMatchObject({ closed: true, editable: false });
    expect((await head.request({ method: 'POST', url: '/api/v1/plans/2026-11/copy', payload: {} })).statusCode).toBe(409);
    const actions = await t.store.db.selectFrom('audit_log').select('action').where('entity', '=', 'plan').execute();
    expect(actions.filter((a) => a.action === 'plan.copied')).toHaveLength(2);
  });
});
