import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoutingSnapshotLoader } from '../../src/app/routing/routing-snapshot.js';
import { sweepSla } from '../../src/app/sla/sweep-sla.js';
import type { WeeklyHours } from '../../src/core/routing/manager-profile.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

/**
 * One working Monday (2 March 2026, Moscow = UTC+3) built through the API with a fixed clock;
 * every figure below is counted by hand from this story (times UTC):
 *
 * 09:30 L1 web/camp-a → anna   (weighted 2:1, anna first)
 * 09:32 L2 web/camp-a → boris
 * 09:34 L3 web/camp-b → anna
 * 09:36 L6 web/camp-b → anna
 * 09:38 L4 expo       → sergey (person rule)
 * 09:45 sergey marks L4 junk (spam); 09:50 anna marks L6 junk (spam)
 * 11:00 L5 cold       → pool (rule "cold")
 * 11:10 anna reaches L1 (100 min wall clock; 40 in her hours: lunch 13–14 MSK)
 * 11:15 L1 → qualified; 11:20 converted, deal 1000; 11:25 deal won
 * 11:30 anna claims L5 (30 min in the pool); 11:35 asks to hand it to boris (overloaded); 11:40 the head approves
 * 11:45 boris reaches L2 (deadline 11:32 passed: a late first contact, one breach)
 * 12:40 the SLA sweep: L3's deadline (12:34) lapsed → breach, reassigned to boris
 * 12:50 boris reaches L3
 * 13:00 the reports are read. SLA policy: first contact in 120 business minutes, one reassignment.
 */
const LUNCH_BREAK: WeeklyHours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '13:00'], ['14:00', '18:00']]])) as WeeklyHours;
const RULES = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [
    { id: 'sib', name: 'Expo to Sergey', when: { field: 'source', op: 'eq', value: 'expo' }, target: { kind: 'person', managerId: 'sergey' } },
    { id: 'cold', name: 'Cold base', when: { field: 'source', op: 'eq', value: 'cold' }, target: { kind: 'pool' } },
    { id: 'sales', name: 'Sales', target: { kind: 'group', managers: ['anna', 'boris'], strategy: 'weighted' } },
  ],
  fallback: { kind: 'pool' },
};
const PERIOD = 'from=2026-03-02&to=2026-03-02';

describe.each(DATABASE_KINDS)('reports on %s', (kind) => {
  let t: TestApp;
  let now = new Date('2026-03-02T09:30:00Z');
  const at = (hhmm: string) => {
    now = new Date(`2026-03-02T${hhmm}:00Z`);
  };
  const people: Record<string, TestUser> = {};
  const leads: Record<string, string> = {};
  let dealId = '';

  const ok = async (user: TestUser | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) => {
    const res = user ? await user.request({ method, url, ...(payload ? { payload } : {}) }) : await t.request({ method, url, ...(payload ? { payload } : {}) });
    expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
    return res.json();
  };
  const create = async (name: string, hhmm: string, payload: Record<string, unknown>, owner: string | null) => {
    at(hhmm);
    const lead = (await ok(null, 'POST', '/api/v1/leads', { name, ...payload })).lead;
    expect(lead.ownerId, name).toBe(owner);
    leads[name] = lead.id;
  };

  beforeAll(async () => {
    t = await startTestApp(kind, { now: () => now });
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }, { id: 'south', name: 'South' }],
      managers: [
        manager('anna', { name: 'Anna', teamId: 'north', weight: 2, workingHours: LUNCH_BREAK }),
        manager('boris', { name: 'Boris', teamId: 'north', weight: 1 }),
        manager('sergey', { name: 'Sergey', teamId: 'south', timeZone: 'Asia/Novosibirsk' }),
      ],
      ruleSet: RULES,
    });
    await ok(null, 'PATCH', '/api/v1/teams/south', { timeZone: 'Asia/Novosibirsk' });
    await ok(null, 'POST', '/api/v1/sla/policies', { name: 'Inbound', firstContactMinutes: 120, maxReassignments: 1, onExhausted: 'head' });
    people.anna = await t.signIn({ role: 'manager', managerId: 'anna', teamId: 'north' });
    people.boris = await t.signIn({ role: 'manager', managerId: 'boris', teamId: 'north' });
    people.sergey = await t.signIn({ role: 'manager', managerId: 'sergey', teamId: 'south' });
    people.northHead = await t.signIn({ role: 'head', teamId: 'north' });
    people.southHead = await t.signIn({ role: 'head', teamId: 'south' });
    people.admin = await t.signIn({ role: 'admin' });
    people.qualifier = await t.signIn({ role: 'qualifier' });
    const [anna, boris, sergey, northHead] = [people.anna, people.boris, people.sergey, people.northHead] as [TestUser, TestUser, TestUser, TestUser];

    await create('L1', '09:30', { source: 'web', campaign: 'camp-a' }, 'anna');
    await create('L2', '09:32', { source: 'web', campaign: 'camp-a' }, 'boris');
    await create('L3', '09:34', { source: 'web', campaign: 'camp-b' }, 'anna');
    await create('L6', '09:36', { source: 'web', campaign: 'camp-b' }, 'anna');
    await create('L4', '09:38', { source: 'expo' }, 'sergey');
    at('09:45');
    await ok(sergey, 'POST', `/api/v1/leads/${leads.L4}/status`, { status: 'junk', junkReason: 'spam' });
    at('09:50');
    await ok(anna, 'POST', `/api/v1/leads/${leads.L6}/status`, { status: 'junk', junkReason: 'spam' });
    await create('L5', '11:00', { source: 'cold' }, null);
    at('11:10');
    await ok(anna, 'POST', `/api/v1/leads/${leads.L1}/activities`, { kind: 'call', outcome: 'reached' });
    at('11:15');
    await ok(anna, 'POST', `/api/v1/leads/${leads.L1}/status`, { status: 'qualified' });
    at('11:20');
    dealId = (await ok(anna, 'POST', `/api/v1/leads/${leads.L1}/convert`, { deal: { title: 'Deal', amount: 1000, currency: 'RUB' } })).deal.id;
    at('11:25');
    await ok(anna, 'PATCH', `/api/v1/deals/${dealId}`, { closed: 'won' });
    at('11:30');
    await ok(anna, 'POST', `/api/v1/pool/${leads.L5}/claim`);
    at('11:35');
    const transfer = (await ok(anna, 'POST', `/api/v1/leads/${leads.L5}/transfers`, { reason: 'overloaded', toManagerId: 'boris' })).transfer;
    at('11:40');
    await ok(northHead, 'POST', `/api/v1/transfers/${transfer.id}/approve`, {});
    at('11:45');
    await ok(boris, 'POST', `/api/v1/leads/${leads.L2}/activities`, { kind: 'call', outcome: 'reached' });
    at('12:40');
    const sweep = await sweepSla(t.ctx, new RoutingSnapshotLoader());
    expect(sweep).toMatchObject({ breached: 1, reassigned: 1 });
    at('12:50');
    await ok(boris, 'POST', `/api/v1/leads/${leads.L3}/activities`, { kind: 'call', outcome: 'reached' });
    at('13:00');
  }, 120_000);
  afterAll(async () => await t.close());

  const get = async (user: TestUser | null, url: string) => await ok(user, 'GET', url);

  it('distribution: leads per manager against the weighted target, per rule, with the pooled lead and its reason', async () => {
    const r = await get(null, `/api/v1/reports/distribution?${PERIOD}`);
    expect(r.period).toEqual({ from: '2026-03-01T21:00:00.000Z', to: '2026-03-02T21:00:00.000Z', timeZone: 'Europe/Moscow', grouping: 'day' });
    expect(r.totals).toEqual({ decisions: 6, assigned: 5, pooled: 1, fairShareDecisions: 4, ownership: 0, person: 1, fallbackAssigned: 0 });
    const row = (rows: Array<{ managerId: string }>, id: string) => rows.find((m) => m.managerId === id);
    // Four fair-share decisions between anna (weight 2) and boris (1): targets 8/3 and 4/3.
    expect(row(r.byManager, 'anna')).toMatchObject({ name: 'Anna', assigned: 3, fairShareLeads: 3, expectedLeads: 2.6667, actualShare: 0.75, targetShare: 0.6667, deviationLeads: 0.3333, deviationPp: 8.33 });
    expect(row(r.byManager, 'boris')).toMatchObject({ assigned: 1, fairShareLeads: 1, expectedLeads: 1.3333, actualShare: 0.25, targetShare: 0.3333, deviationLeads: -0.3333, deviationPp: -8.33 });
    expect(row(r.byManager, 'sergey')).toMatchObject({ assigned: 1, fairShareLeads: 0, expectedLeads: 0 });
    expect(r.byRule.map((x: { ruleId: string; decisions: number }) => [x.ruleId, x.decisions])).toEqual([['sales', 4], ['cold', 1], ['sib', 1]]);
    expect(r.byRule[0]).toMatchObject({ ruleName: 'Sales', fairShareDecisions: 4 });
    expect(r.pooledReasons).toEqual([{ reason: 'rule_target_pool', count: 1 }]);
    expect(r.fallbacks).toEqual([]);
    expect(r.series).toEqual([{ bucket: '2026-03-02', start: '2026-03-01T21:00:00.000Z', end: '2026-03-02T21:00:00.000Z', decisions: 6, assigned: 5, pooled: 1, fallbacks: 0 }]);
    // Load at 13:00 (the day is still running): L2, L3 and L5 are open with boris; L1 converted, L4 and L6 junk.
    expect(r.load).toEqual([
      { bucket: '2026-03-02', start: '2026-03-01T21:00:00.000Z', end: '2026-03-02T21:00:00.000Z', at: '2026-03-02T13:00:00.000Z', managers: [{ managerId: 'boris', name: 'Boris', teamId: 'north', self: false, anonymous: false, openLeads: 3, maxOpen: null, loadRatio: null }] },
    ]);
    // Counted back from now: at the end of 1 March nobody had a lead yet; a lead arriving later does not count before it.
    const twoDays = await get(null, '/api/v1/reports/distribution?from=2026-03-01&to=2026-03-02');
    expect(twoDays.load.map((b: { at: string; managers: Array<{ managerId: string; openLeads: number }> }) => [b.at, b.managers.map((m) => [m.managerId, m.openLeads])])).toEqual([
      ['2026-03-01T21:00:00.000Z', []],
      ['2026-03-02T13:00:00.000Z', [['boris', 3]]],
    ]);
    const morning = await get(null, '/api/v1/reports/distribution?from=2026-03-02T09:00:00Z&to=2026-03-02T09:40:00Z');
    // At 09:40: L1, L2, L3, L6 with their owners (L6 junked only at 09:50), L4 with sergey (junked at 09:45).
    expect(morning.load[0].managers.map((m: { managerId: string; openLeads: number }) => [m.managerId, m.openLeads])).toEqual([['anna', 3], ['boris', 1], ['sergey', 1]]);
    const head = await get(people.northHead as TestUser, `/api/v1/reports/distribution?${PERIOD}&grouping=week`);
    expect(head.load[0].managers.map((m: { managerId: string; openLeads: number }) => [m.managerId, m.openLeads])).toEqual([['boris', 3], ['anna', 0]]);
    expect(head.totals).toMatchObject({ decisions: 4, fairShareDecisions: 4, pooled: 0, person: 0 });
  });

  it('speed to lead: arrival to the first real contact, wall clock and in the owner’s hours, by manager, source and hour', async () => {
    const r = await get(null, `/api/v1/reports/speed-to-lead?${PERIOD}`);
    // L1 100 min (40 in anna's hours), L2 133, L3 196; L5 not contacted yet (120 min waiting); L4 and L6 junk without a call.
    expect(r.totals).toEqual({
      leads: 4, contacted: 3, medianMinutes: 133, p90Minutes: 183.4, within5Share: 0, within15Share: 0, within60Share: 0,
      businessMedianMinutes: 133, businessP90Minutes: 183.4, businessWithin5Share: 0, businessWithin15Share: 0, businessWithin60Share: 0.25,
    });
    const anna = r.byManager.find((m: { managerId: string }) => m.managerId === 'anna');
    expect(anna).toMatchObject({ name: 'Anna', leads: 1, contacted: 1, medianMinutes: 100, businessMedianMinutes: 40, businessWithin60Share: 1, within60Share: 0 });
    const boris = r.byManager.find((m: { managerId: string }) => m.managerId === 'boris');
    expect(boris).toMatchObject({ leads: 3, contacted: 2, medianMinutes: 164.5, p90Minutes: 189.7 });
    expect(r.bySource.map((s: { source: string; leads: number; contacted: number }) => [s.source, s.leads, s.contacted])).toEqual([['web', 3, 3], ['cold', 1, 0]]);
    expect(r.byTeam).toEqual([expect.objectContaining({ teamId: 'north', teamName: 'North', leads: 4 })]);
    expect(r.byHourOfDay).toHaveLength(24);
    expect(r.byHourOfDay.filter((h: { leads: number }) => h.leads > 0).map((h: { hour: number; leads: number }) => [h.hour, h.leads])).toEqual([[12, 3], [14, 1]]);
  });

  it('SLA: met ÷ leads whose first-contact deadline passed, breaches, reassignments, by manager, source and policy', async () => {
    const r = await get(null, `/api/v1/reports/sla?${PERIOD}`);
    // L1 met; L2 breached (late contact, boris); L3 breached (sweep, anna) and reassigned; L5 pending with boris; L4, L6 junk before their deadline.
    const figures = { leads: 4, due: 3, met: 1, breached: 2, pending: 1, compliance: 0.3333, breaches: 2, firstContactBreaches: 2, nextStepBreaches: 0, reassignments: 1, escalations: 0 };
    expect(r.totals).toEqual(figures);
    const row = (id: string) => r.byManager.find((m: { managerId: string }) => m.managerId === id);
    expect(row('anna')).toMatchObject({ leads: 2, due: 2, met: 1, breached: 1, pending: 0, compliance: 0.5, breaches: 1, reassignments: 1 });
    expect(row('boris')).toMatchObject({ leads: 2, due: 1, met: 0, breached: 1, pending: 1, compliance: 0, breaches: 1, reassignments: 0 });
    expect(r.bySource).toEqual([
      { source: 'web', ...figures, leads: 3, due: 3, pending: 0 },
      { source: 'cold', leads: 1, due: 0, met: 0, breached: 0, pending: 1, compliance: null, breaches: 0, firstContactBreaches: 0, nextStepBreaches: 0, reassignments: 0, escalations: 0 },
    ]);
    expect(r.byPolicy).toEqual([{ policyId: expect.any(String), policyName: 'Inbound', ...figures }]);
    expect(r.byTeam).toEqual([{ teamId: 'north', teamName: 'North', ...figures }]);
  });

  it('funnel: lead → qualified → deal → won with rates, value and time between stages, by source, campaign, manager and rule', async () => {
    const r = await get(null, `/api/v1/reports/funnel?${PERIOD}`);
    const none = { qualified: 0, deals: 0, won: 0, qualifiedRate: 0, dealRate: 0, dealFromQualifiedRate: null, winRate: null, leadToWonRate: 0, dealValue: 0, wonValue: 0, medianMinutesToQualified: null, medianMinutesQualifiedToDeal: null, medianMinutesDealToWon: null };
    // L1 qualified at 11:15 (105 min after arrival), converted at 11:20 (deal 1000), won at 11:25.
    const l1 = { qualified: 1, deals: 1, won: 1, dealFromQualifiedRate: 1, winRate: 1, dealValue: 1000, wonValue: 1000, medianMinutesToQualified: 105, medianMinutesQualifiedToDeal: 5, medianMinutesDealToWon: 5 };
    expect(r.totals).toEqual({ leads: 6, ...l1, qualifiedRate: 0.1667, dealRate: 0.1667, leadToWonRate: 0.1667 });
    expect(r.bySource).toEqual([
      { source: 'web', leads: 4, ...l1, qualifiedRate: 0.25, dealRate: 0.25, leadToWonRate: 0.25 },
      // Ties in alphabetical order.
      { source: 'cold', leads: 1, ...none },
      { source: 'expo', leads: 1, ...none },
    ]);
    expect(r.byCampaign.map((c: { campaign: string | null; leads: number; won: number }) => [c.campaign, c.leads, c.won])).toEqual([['camp-a', 2, 1], ['camp-b', 2, 0], [null, 2, 0]]);
    expect(r.byManager.map((m: { managerId: string; leads: number; won: number }) => [m.managerId, m.leads, m.won])).toEqual([['boris', 3, 0], ['anna', 2, 1], ['sergey', 1, 0]]);
    expect(r.byRule.map((m: { ruleId: string; leads: number; won: number }) => [m.ruleId, m.leads, m.won])).toEqual([['sales', 4, 1], ['cold', 1, 0], ['sib', 1, 0]]);
  });

  it('junk: rate by source and campaign with reasons, and who marked leads junk', async () => {
    const r = await get(null, `/api/v1/reports/junk?${PERIOD}`);
    const spam = (count: number) => [{ reason: 'spam', label: 'Spam or a bot', count }];
    expect(r.totals).toEqual({ leads: 6, junk: 2, junkRate: 0.3333 });
    expect(r.reasons).toEqual(spam(2));
    expect(r.bySource).toEqual([
      { source: 'expo', leads: 1, junk: 1, junkRate: 1, standsOut: false, reasons: spam(1) },
      { source: 'web', leads: 4, junk: 1, junkRate: 0.25, standsOut: false, reasons: spam(1) },
      { source: 'cold', leads: 1, junk: 0, junkRate: 0, standsOut: false, reasons: [] },
    ]);
    expect(r.byCampaign.map((c: { campaign: string | null; junkRate: number }) => [c.campaign, c.junkRate])).toEqual([['camp-b', 0.5], [null, 0.5], ['camp-a', 0]]);
    expect(r.byMarker).toHaveLength(2);
    expect(r.byMarker).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ managerId: 'anna', name: 'Anna', actorName: expect.stringContaining('manager'), marked: 1, markedRate: 0.5, reasons: spam(1) }),
        expect.objectContaining({ managerId: 'sergey', name: 'Sergey', marked: 1, markedRate: 1 }),
      ]),
    );
  });

  it('transfers and pool: requests by reason with the approval rate, givers and takers, pool waiting time and claims', async () => {
    const r = await get(null, `/api/v1/reports/transfers?${PERIOD}`);
    const one = { total: 1, pending: 0, approved: 1, rejected: 0, cancelled: 0, approvalRate: 1 };
    expect(r.totals).toEqual(one);
    expect(r.byReason).toEqual([{ reason: 'overloaded', label: 'Too many open leads', ...one }]);
    expect(r.byFromManager).toEqual([{ managerId: 'anna', name: 'Anna', teamId: 'north', self: false, anonymous: false, ...one }]);
    expect(r.byToManager).toEqual([{ managerId: 'boris', name: 'Boris', teamId: 'north', self: false, anonymous: false, ...one }]);
    // L5 waited in the pool from 11:00 until anna claimed it at 11:30.
    expect(r.pool).toEqual({ entered: 1, claimed: 1, leftOtherwise: 0, stillWaiting: 0, medianWaitMinutes: 30, p90WaitMinutes: 30 });
    expect(r.claims).toEqual([{ managerId: 'anna', name: 'Anna', teamId: 'north', self: false, anonymous: false, claims: 1 }]);
    expect(r.series).toEqual([expect.objectContaining({ bucket: '2026-03-02', requests: 1, approved: 1, pooled: 1, claims: 1 })]);
  });

  it('scopes every report: a manager sees own figures with colleagues anonymised (or named by the setting), a head the team, others refused', async () => {
    const [anna, northHead, southHead, qualifier, admin] = [people.anna, people.northHead, people.southHead, people.qualifier, people.admin] as TestUser[];
    const annaSpeed = await get(anna as TestUser, `/api/v1/reports/speed-to-lead?${PERIOD}`);
    expect(annaSpeed.scope).toEqual({ kind: 'self', teamId: 'north', managerId: 'anna' });
    expect(annaSpeed.totals).toMatchObject({ leads: 1, contacted: 1, medianMinutes: 100 });
    expect(annaSpeed.byManager).toEqual([
      expect.objectContaining({ managerId: null, name: '#1', anonymous: true, self: false, leads: 3 }),
      expect.objectContaining({ managerId: 'anna', name: 'Anna', self: true, anonymous: false, leads: 1 }),
    ]);
    expect(JSON.stringify(annaSpeed)).not.toContain('Boris');
    expect(JSON.stringify(annaSpeed)).not.toContain('Sergey');
    const annaSla = await get(anna as TestUser, `/api/v1/reports/sla?${PERIOD}`);
    expect(annaSla.totals).toMatchObject({ due: 2, met: 1, breached: 1, compliance: 0.5 });
    const annaFunnel = await get(anna as TestUser, `/api/v1/reports/funnel?${PERIOD}`);
    expect(annaFunnel.totals).toMatchObject({ leads: 2, won: 1, wonValue: 1000 });
    const annaDistribution = await get(anna as TestUser, `/api/v1/reports/distribution?${PERIOD}`);
    expect(annaDistribution.byManager.map((m: { self: boolean; anonymous: boolean }) => [m.self, m.anonymous])).toEqual([[true, false], [false, true]]);
    // Her totals: the four decisions she was a candidate in (she won three); the whole team's table beside them.
    expect(annaDistribution.totals).toMatchObject({ decisions: 4, assigned: 4, fairShareDecisions: 4, pooled: 0 });

    // The setting names colleagues; only an administrator changes it.
    expect((await (anna as TestUser).request({ method: 'PUT', url: '/api/v1/settings/reports', payload: { teamFiguresNamed: true } })).statusCode).toBe(403);
    expect(await ok(admin as TestUser, 'PUT', '/api/v1/settings/reports', { teamFiguresNamed: true })).toEqual({ timeZone: 'Europe/Moscow', teamFiguresNamed: true });
    const named = await get(anna as TestUser, `/api/v1/reports/speed-to-lead?${PERIOD}`);
    expect(named.byManager.map((m: { name: string }) => m.name)).toEqual(['Boris', 'Anna']);
    expect(await ok(admin as TestUser, 'PUT', '/api/v1/settings/reports', { teamFiguresNamed: false })).toMatchObject({ teamFiguresNamed: false });

    // A manager may not look at a colleague or another team.
    for (const url of ['/api/v1/reports/sla?manager=boris', '/api/v1/reports/sla?team=south']) {
      const res = await (anna as TestUser).request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('LR_ERR_FORBIDDEN');
    }
    // The head of north sees north's figures; south's head sees Sergey's, in the team's zone; neither the other team.
    const north = await get(northHead as TestUser, `/api/v1/reports/junk?${PERIOD}`);
    expect(north.scope).toEqual({ kind: 'team', teamId: 'north', managerId: null });
    expect(north.totals).toEqual({ leads: 5, junk: 1, junkRate: 0.2 });
    const south = await get(southHead as TestUser, `/api/v1/reports/junk?${PERIOD}`);
    expect(south.totals).toEqual({ leads: 1, junk: 1, junkRate: 1 });
    expect(south.period.timeZone).toBe('Asia/Novosibirsk');
    expect((await (northHead as TestUser).request({ method: 'GET', url: '/api/v1/reports/junk?team=south' })).statusCode).toBe(403);
    expect((await (northHead as TestUser).request({ method: 'GET', url: '/api/v1/reports/junk?manager=sergey' })).statusCode).toBe(403);
    // An admin narrows by team, manager, source or rule.
    expect((await get(null, `/api/v1/reports/funnel?${PERIOD}&team=north`)).totals.leads).toBe(5);
    expect((await get(null, `/api/v1/reports/funnel?${PERIOD}&manager=boris`)).totals.leads).toBe(3);
    expect((await get(null, `/api/v1/reports/funnel?${PERIOD}&source=WEB`)).totals.leads).toBe(4);
    expect((await get(null, `/api/v1/reports/funnel?${PERIOD}&rule=sales`)).totals.leads).toBe(4);
    expect((await get(null, `/api/v1/reports/distribution?${PERIOD}&rule=sales`)).totals).toMatchObject({ decisions: 4, fairShareDecisions: 4, pooled: 0 });
    // Qualifiers have no reports; an integration needs leads:manage.
    expect((await (qualifier as TestUser).request({ method: 'GET', url: '/api/v1/reports/funnel' })).statusCode).toBe(403);
    const reader = await t.keyWithScopes(['leads:read', 'team:read']);
    expect((await t.request({ method: 'GET', url: '/api/v1/reports/funnel', key: reader })).statusCode).toBe(403);
    const leadsManager = await t.keyWithScopes(['leads:manage']);
    expect((await t.request({ method: 'GET', url: `/api/v1/reports/funnel?${PERIOD}`, key: leadsManager })).json().totals.leads).toBe(6);
  });

  it('answers only fields that docs/reports.md defines', async () => {
    const doc = readFileSync(new URL('../../docs/reports.md', import.meta.url), 'utf8');
    const defined = new Set([...doc.matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)].map((m) => m[1]));
    const keys = (value: unknown, into: Set<string>): Set<string> => {
      if (Array.isArray(value)) for (const v of value) keys(v, into);
      else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) keys(v, into.add(k));
      return into;
    };
    for (const report of ['distribution', 'speed-to-lead', 'sla', 'funnel', 'junk', 'transfers']) {
      for (const user of [null, people.anna as TestUser]) {
        const fields = keys(await get(user, `/api/v1/reports/${report}?${PERIOD}`), new Set());
        expect([...fields].filter((f) => !defined.has(f)), report).toEqual([]);
      }
    }
  });

  it('refuses bad input with 400 and the field named', async () => {
    const cases: Array<[string, string, string]> = [
      ['from=2026-03-05&to=2026-03-01', 'from', 'from_after_to'],
      ['from=2026-03-02T10:00:00Z&to=2026-03-02T09:00:00Z', 'from', 'from_after_to'],
      ['grouping=year', 'grouping', 'invalid_grouping'],
      ['tz=Mars/Olympus', 'tz', 'invalid_time_zone'],
      ['from=2026-02-30', 'from', 'invalid_date'],
      ['from=yesterday', 'from', 'invalid_date'],
      ['to=2026-03-02T10:00:00', 'to', 'invalid_date'],
      ['to=9999-12-31&tz=America/New_York', 'to', 'invalid_date'],
      ['from=0001-01-01', 'from', 'invalid_date'],
      ['from=2020-01-01&to=2026-03-01&grouping=day', 'grouping', 'too_many_buckets'],
      ['team=nowhere', 'team', 'unknown_team'],
      ['manager=ghost', 'manager', 'unknown_manager'],
    ];
    for (const report of ['distribution', 'speed-to-lead', 'sla', 'funnel', 'junk', 'transfers']) {
      for (const [query, path, code] of cases) {
        const res = await t.request({ method: 'GET', url: `/api/v1/reports/${report}?${query}` });
        expect(res.statusCode, `${report}?${query}: ${res.body}`).toBe(400);
        expect(res.json().error.code).toBe('LR_ERR_VALIDATION');
        expect(res.json().error.details).toEqual([expect.objectContaining({ path, code })]);
      }
    }
    for (const query of ['format=pdf', 'colour=red']) expect((await t.request({ method: 'GET', url: `/api/v1/reports/sla?${query}` })).statusCode).toBe(400);
    const section = await t.request({ method: 'GET', url: '/api/v1/reports/sla?format=csv&section=nope' });
    expect(section.statusCode).toBe(400);
    expect(section.json().error.message).toContain('byManager');
    expect((await t.request({ method: 'PUT', url: '/api/v1/settings/reports', payload: { timeZone: 'Nowhere/City' } })).statusCode).toBe(400);
  });

  it('reads periods in the zone asked for, with week and month buckets and DST-long days', async () => {
    const weeks = await get(null, '/api/v1/reports/funnel?from=2026-02-23&to=2026-03-08&grouping=week');
    expect(weeks.series.map((b: { bucket: string; leads: number }) => [b.bucket, b.leads])).toEqual([['2026-W09', 0], ['2026-W10', 6]]);
    const months = await get(null, '/api/v1/reports/funnel?from=2026-02-15&to=2026-03-31&grouping=month');
    expect(months.series.map((b: { bucket: string; start: string; end: string }) => [b.bucket, b.start, b.end])).toEqual([
      ['2026-02', '2026-02-14T21:00:00.000Z', '2026-02-28T21:00:00.000Z'],
      ['2026-03', '2026-02-28T21:00:00.000Z', '2026-03-31T21:00:00.000Z'],
    ]);
    // Berlin moves its clocks on 29 March 2026: that day is 23 hours long.
    const berlin = await get(null, '/api/v1/reports/sla?from=2026-03-28&to=2026-03-30&tz=Europe/Berlin');
    expect(berlin.series.map((b: { bucket: string; start: string; end: string }) => [b.bucket, b.start, b.end])).toEqual([
      ['2026-03-28', '2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z'],
      ['2026-03-29', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
      ['2026-03-30', '2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z'],
    ]);
    // Instants are taken as they are: the morning's leads only.
    expect((await get(null, '/api/v1/reports/funnel?from=2026-03-02T09:00:00Z&to=2026-03-02T10:00:00Z')).totals.leads).toBe(5);
    // The default period is the last 30 local days up to now.
    expect((await get(null, '/api/v1/reports/funnel')).period).toMatchObject({ from: '2026-01-31T21:00:00.000Z', to: '2026-03-02T13:00:00.000Z' });
  });

  it('exports any table of a report as CSV: UTF-8 with a BOM, a header row, one row per line', async () => {
    const body = (text: string) => text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    const res = await t.request({ method: 'GET', url: `/api/v1/reports/speed-to-lead?${PERIOD}&format=csv` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="speed-to-lead-byManager-2026-03-02-2026-03-02.csv"');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body(res.body);
    expect(lines[0]).toBe('managerId,name,teamId,self,anonymous,leads,contacted,medianMinutes,p90Minutes,within5Share,within15Share,within60Share,businessMedianMinutes,businessP90Minutes,businessWithin5Share,businessWithin15Share,businessWithin60Share');
    expect(lines).toContain('anna,Anna,north,false,false,1,1,100,100,0,0,0,40,40,0,0,1');
    const rules = body((await t.request({ method: 'GET', url: `/api/v1/reports/distribution?${PERIOD}&format=csv&section=byRule` })).body);
    expect(rules[0]?.startsWith('rule.ruleId,rule.ruleName,rule.decisions,rule.fairShareDecisions,managerId,name')).toBe(true);
    expect(rules.filter((l) => l.startsWith('sales,'))).toHaveLength(2);
    // Cyrillic survives; a cell that a spreadsheet would run as a formula is written as text.
    await ok(null, 'POST', '/api/v1/leads', { name: 'Пётр', source: 'expo', campaign: '=Весна, "акция"' });
    const campaigns = await t.request({ method: 'GET', url: '/api/v1/reports/junk?from=2026-03-02&to=2026-03-02&format=csv&section=byCampaign' });
    expect(campaigns.body).toContain(`"'=Весна, ""акция"""`);
  });
});

describe.each(DATABASE_KINDS)('reports with a qualifier in front of routing, on %s', (kind) => {
  let t: TestApp;
  let now = new Date('2026-03-02T09:00:00Z');
  beforeAll(async () => {
    t = await startTestApp(kind, { now: () => now });
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }],
      managers: [manager('anna', { name: 'Anna', teamId: 'north' }), manager('boris', { name: 'Boris', teamId: 'north' })],
      ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'sales', name: 'Sales', target: { kind: 'group', managers: ['anna', 'boris'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } },
    });
    expect((await t.request({ method: 'PUT', url: '/api/v1/settings/qualification', payload: { enabled: true } })).statusCode).toBe(200);
  }, 120_000);
  afterAll(async () => await t.close());

  it('counts the qualifier’s pass as the routing decision, not the hold, and the wait in speed to lead', async () => {
    const qualifier = await t.signIn({ role: 'qualifier' });
    const anna = await t.signIn({ role: 'manager', managerId: 'anna', teamId: 'north' });
    const lead = (await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Held', source: 'form' } })).json().lead;
    expect(lead.ownerId).toBeNull();
    now = new Date('2026-03-02T09:20:00Z');
    expect((await qualifier.request({ method: 'POST', url: `/api/v1/leads/${lead.id}/qualify`, payload: { decision: 'qualified' } })).statusCode).toBe(200);
    now = new Date('2026-03-02T09:30:00Z');
    expect((await anna.request({ method: 'POST', url: `/api/v1/leads/${lead.id}/activities`, payload: { kind: 'call', outcome: 'reached' } })).statusCode).toBe(201);
    now = new Date('2026-03-02T10:00:00Z');
    const query = 'from=2026-03-02&to=2026-03-02';
    const distribution = (await t.request({ method: 'GET', url: `/api/v1/reports/distribution?${query}` })).json();
    expect(distribution.totals).toMatchObject({ decisions: 1, assigned: 1, pooled: 0, fairShareDecisions: 1 });
    expect(distribution.byManager[0]).toMatchObject({ managerId: 'anna', fairShareLeads: 1, expectedLeads: 0.5 });
    const transfers = (await t.request({ method: 'GET', url: `/api/v1/reports/transfers?${query}` })).json();
    expect(transfers.pool).toMatchObject({ entered: 0 });
    // The client waited 30 minutes: 20 for the qualifier, 10 for Anna.
    const speed = (await t.request({ method: 'GET', url: `/api/v1/reports/speed-to-lead?${query}` })).json();
    expect(speed.totals).toMatchObject({ leads: 1, contacted: 1, medianMinutes: 30, within15Share: 0, within60Share: 1 });
    const funnel = (await t.request({ method: 'GET', url: `/api/v1/reports/funnel?${query}` })).json();
    expect(funnel.totals).toMatchObject({ leads: 1, qualified: 1, medianMinutesToQualified: 20 });
    expect(funnel.byRule).toEqual([expect.objectContaining({ ruleId: 'sales', leads: 1 })]);
  });
});
