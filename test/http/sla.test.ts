import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoutingSnapshotLoader } from '../../src/app/routing/routing-snapshot.js';
import { sweepSla } from '../../src/app/sla/sweep-sla.js';
import type { WeeklyHours } from '../../src/core/routing/manager-profile.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const OFFICE: WeeklyHours = { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] };
const ROUND_ROBIN = (managers: string[]) => ({
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'sales', name: 'Sales', target: { kind: 'group', managers, strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
});
const POLICY = { name: 'Inbound', firstContactMinutes: 30, maxReassignments: 2, onExhausted: 'head' };

describe.each(DATABASE_KINDS)('SLA on %s', (kind) => {
  let t: TestApp;
  // Friday 2026-03-06 17:50 in Moscow.
  let now = new Date('2026-03-06T14:50:00Z');
  const snapshots = new RoutingSnapshotLoader();
  const sweep = () => sweepSla(t.ctx, snapshots);
  const minutesLater = (minutes: number) => {
    now = new Date(now.getTime() + minutes * 60_000);
  };

  beforeEach(async () => {
    now = new Date('2026-03-06T14:50:00Z');
    t = await startTestApp(kind, { now: () => now });
  });
  afterEach(async () => {
    await t.close();
  });

  const createLead = async (payload: Record<string, unknown> = { name: 'Иван', source: 'web' }) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload });
    expect(res.statusCode).toBe(201);
    return res.json().lead as { id: string; ownerId: string | null; sla: { kind: string; dueAt: string } | null };
  };
  const readLead = async (id: string) => (await t.request({ method: 'GET', url: `/api/v1/leads/${id}` })).json().lead;
  const slaAssignments = async (leadId: string) =>
    await t.store.db.selectFrom('assignments').select(['manager_id', 'via']).where('lead_id', '=', leadId).orderBy('created_at').orderBy('id').execute();
  const outbox = async (topic: string) => await t.store.db.selectFrom('outbox').select(['payload']).where('topic', '=', topic).execute();

  it('lets an administrator manage policies and holidays, refuses bad input with the field named, and audits every change', async () => {
    const bad = [
      { ...POLICY, firstContactMinutes: 0 },
      { ...POLICY, firstContactMinutes: 12.5 },
      { ...POLICY, onExhausted: 'boss' },
      { ...POLICY, maxReassignments: 21 },
      { ...POLICY, maxReassignments: -1 },
      { ...POLICY, warnBeforeMinutes: -5 },
      { ...POLICY, match: { sources: 'web' } },
      { ...POLICY, extra: true },
      { firstContactMinutes: 30 },
    ];
    for (const payload of bad) {
      const res = await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('LR_ERR_VALIDATION');
    }
    const unknownTeam = await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { ...POLICY, match: { teamIds: ['nope'] } } });
    expect(unknownTeam.statusCode).toBe(400);
    expect(unknownTeam.json().error.message).toContain('nope');

    const created = await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { ...POLICY, match: { sources: ['web'] }, warnBeforeMinutes: 10 } });
    expect(created.statusCode).toBe(201);
    const policy = created.json();
    expect(policy).toMatchObject({ name: 'Inbound', position: 0, match: { sources: ['web'] }, firstContactMinutes: 30, nextStepMinutes: null, warnBeforeMinutes: 10, maxReassignments: 2, onExhausted: 'head', active: true });

    expect((await t.request({ method: 'PATCH', url: `/api/v1/sla/policies/${policy.id}`, payload: {} })).statusCode).toBe(400);
    expect((await t.request({ method: 'PATCH', url: `/api/v1/sla/policies/${policy.id}`, payload: { maxReassignments: 50 } })).statusCode).toBe(400);
    expect((await t.request({ method: 'PATCH', url: '/api/v1/sla/policies/missing', payload: { name: 'x' } })).statusCode).toBe(404);
    const patched = await t.request({ method: 'PATCH', url: `/api/v1/sla/policies/${policy.id}`, payload: { nextStepMinutes: 240, onExhausted: 'pool' } });
    expect(patched.json()).toMatchObject({ nextStepMinutes: 240, onExhausted: 'pool', firstContactMinutes: 30 });
    expect((await t.request({ method: 'GET', url: '/api/v1/sla/policies' })).json().items).toHaveLength(1);

    expect((await t.request({ method: 'POST', url: '/api/v1/sla/holidays', payload: { day: '2026-02-30', name: 'x' } })).statusCode).toBe(400);
    expect((await t.request({ method: 'POST', url: '/api/v1/sla/holidays', payload: { day: '2026-03-09', name: '' } })).statusCode).toBe(400);
    const holiday = await t.request({ method: 'POST', url: '/api/v1/sla/holidays', payload: { day: '2026-03-09', name: 'Выходной' } });
    expect(holiday.statusCode).toBe(201);
    const again = await t.request({ method: 'POST', url: '/api/v1/sla/holidays', payload: { day: '2026-03-09', name: 'Again' } });
    expect(again.statusCode).toBe(409);
    expect((await t.request({ method: 'GET', url: '/api/v1/sla/holidays' })).json().items).toMatchObject([{ day: '2026-03-09', name: 'Выходной', teamId: null }]);
    expect((await t.request({ method: 'DELETE', url: '/api/v1/sla/holidays/missing' })).statusCode).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/sla/holidays/${holiday.json().id}` })).statusCode).toBe(204);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/sla/policies/${policy.id}` })).statusCode).toBe(204);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/sla/policies/${policy.id}` })).statusCode).toBe(404);

    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'actor']).orderBy('at').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['sla_policy.created', 'sla_policy.changed', 'holiday.created', 'holiday.deleted', 'sla_policy.deleted']);
    expect(audit.every((a) => a.actor.startsWith('api-key:'))).toBe(true);
  });

  it('lets managers read the policies but only an administrator change them', async () => {
    await setUpRouting(t, { teams: [{ id: 'sales', name: 'Sales' }], managers: [manager('anna', { teamId: 'sales' })], ruleSet: ROUND_ROBIN(['anna']) });
    const anna = await t.signIn({ role: 'manager', managerId: 'anna', teamId: 'sales' });
    expect((await anna.request({ method: 'GET', url: '/api/v1/sla/policies' })).statusCode).toBe(200);
    expect((await anna.request({ method: 'GET', url: '/api/v1/sla/holidays' })).statusCode).toBe(200);
    expect((await anna.request({ method: 'POST', url: '/api/v1/sla/policies', payload: POLICY })).statusCode).toBe(403);
    expect((await anna.request({ method: 'POST', url: '/api/v1/sla/holidays', payload: { day: '2026-03-09', name: 'x' } })).statusCode).toBe(403);
    const head = await t.signIn({ role: 'head', teamId: 'sales' });
    expect((await head.request({ method: 'POST', url: '/api/v1/sla/policies', payload: POLICY })).statusCode).toBe(403);
    const admin = await t.signIn({ role: 'admin' });
    expect((await admin.request({ method: 'POST', url: '/api/v1/sla/policies', payload: POLICY })).statusCode).toBe(201);
    expect((await t.request({ method: 'GET', url: '/api/v1/sla/policies', key: null })).statusCode).toBe(401);
  });

  it("a lead assigned at 17:50 on Friday with a 30-minute policy is due at 09:20 on Monday in the owner's calendar, and skips a holiday", async () => {
    await setUpRouting(t, { managers: [manager('anna', { workingHours: OFFICE })], ruleSet: ROUND_ROBIN(['anna']) });
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: POLICY });
    const lead = await createLead();
    expect(lead.ownerId).toBe('anna');
    expect(lead.sla).toEqual({ kind: 'first_contact', dueAt: '2026-03-09T06:20:00.000Z', warnedAt: null, breaches: 0, reassignments: 0, escalatedAt: null });
    expect((await readLead(lead.id)).sla).toMatchObject({ kind: 'first_contact', dueAt: '2026-03-09T06:20:00.000Z' });

    // A holiday added on Monday moves the running clock to Tuesday.
    expect((await t.request({ method: 'POST', url: '/api/v1/sla/holidays', payload: { day: '2026-03-09', name: 'Выходной' } })).statusCode).toBe(201);
    expect((await readLead(lead.id)).sla.dueAt).toBe('2026-03-10T06:20:00.000Z');
    expect((await createLead()).sla?.dueAt).toBe('2026-03-10T06:20:00.000Z');
  });

  it('runs no clock without a matching policy, and picks the first fitting policy by position', async () => {
    await setUpRouting(t, { managers: [manager('anna')], ruleSet: ROUND_ROBIN(['anna']) });
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { ...POLICY, name: 'Calls', position: 5, match: { sources: ['call'] }, firstContactMinutes: 5 } });
    expect((await createLead({ name: 'web lead', source: 'web' })).sla).toBeNull();
    const call = await createLead({ name: 'call lead', source: 'Call' });
    expect(call.sla?.dueAt).toBe('2026-03-06T14:55:00.000Z');
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { ...POLICY, name: 'Urgent', position: 0, match: { priorities: ['urgent'] }, firstContactMinutes: 2 } });
    expect((await createLead({ name: 'urgent call', source: 'call', priority: 'urgent' })).sla?.dueAt).toBe('2026-03-06T14:52:00.000Z');
  });

  it('reassigns a breached lead to another manager of the same rule, never back, then escalates to the head after N reassignments', async () => {
    await setUpRouting(t, {
      teams: [{ id: 'sales', name: 'Sales' }],
      managers: ['anna', 'boris', 'vera', 'hanna', 'outsider'].map((id) => manager(id, { teamId: id === 'outsider' ? null : 'sales' })),
      ruleSet: {
        ...ROUND_ROBIN(['anna', 'boris', 'vera']),
        rules: [
          { id: 'sales', name: 'Sales', when: { field: 'source', op: 'eq', value: 'web' }, target: { kind: 'group', managers: ['anna', 'boris', 'vera'], strategy: 'round_robin' } },
          { id: 'others', name: 'Others', target: { kind: 'group', managers: ['outsider'], strategy: 'round_robin' } },
        ],
      },
    });
    await t.signIn({ role: 'head', teamId: 'sales', managerId: 'hanna' });
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: POLICY });
    const lead = await createLead();
    const owners = [lead.ownerId];

    for (let round = 1; round <= 2; round++) {
      minutesLater(31);
      const report = await sweep();
      expect(report).toMatchObject({ breached: 1, reassigned: 1, escalated: 0 });
      const current = await readLead(lead.id);
      expect(['anna', 'boris', 'vera']).toContain(current.ownerId);
      expect(owners).not.toContain(current.ownerId);
      owners.push(current.ownerId);
      expect(current.sla).toMatchObject({ kind: 'first_contact', breaches: round, reassignments: round, escalatedAt: null });
      expect(Date.parse(current.sla.dueAt)).toBe(now.getTime() + 30 * 60_000);
    }
    // The same sweep again finds nothing to do.
    expect(await sweep()).toMatchObject({ breached: 0 });

    minutesLater(31);
    expect(await sweep()).toMatchObject({ breached: 1, reassigned: 0, escalated: 1 });
    const escalated = await readLead(lead.id);
    expect(escalated.ownerId).toBe('hanna');
    expect(escalated.sla).toMatchObject({ breaches: 3, reassignments: 2, escalatedAt: now.toISOString() });

    const journal = await slaAssignments(lead.id);
    expect(journal.map((a) => `${a.via}:${a.manager_id}`)).toEqual(['rule:' + owners[0], 'sla:' + owners[1], 'sla:' + owners[2], 'escalation:hanna']);
    expect((await outbox('sla.breached')).length).toBe(3);
    const reassigned = (await outbox('lead.reassigned')).map((m) => JSON.parse(m.payload));
    expect(reassigned[0].audience).toMatchObject({ headsOf: [owners[0]] });
    expect((await outbox('lead.escalated')).length).toBe(1);
    const managers = await t.store.db.selectFrom('managers').select(['id', 'open_leads']).orderBy('id').execute();
    expect(Object.fromEntries(managers.map((m) => [m.id, m.open_leads]))).toEqual({ anna: 0, boris: 0, vera: 0, hanna: 1, outsider: 0 });

    // The head lets it lapse too: told again, and the clock stops instead of bouncing the lead around.
    minutesLater(31);
    expect(await sweep()).toMatchObject({ breached: 1, reassigned: 0, escalated: 0 });
    expect((await readLead(lead.id)).sla).toMatchObject({ dueAt: null, breaches: 4 });
    expect((await outbox('sla.breached')).length).toBe(4);
  });

  it('escalates to the pool when routing finds nobody new, or when the policy says so', async () => {
    await setUpRouting(t, { managers: [manager('anna'), manager('boris')], ruleSet: ROUND_ROBIN(['anna', 'boris']) });
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { ...POLICY, maxReassignments: 5, onExhausted: 'pool' } });
    const lead = await createLead();
    minutesLater(31);
    expect(await sweep()).toMatchObject({ reassigned: 1 });
    minutesLater(31);
    expect(await sweep()).toMatchObject({ reassigned: 0, escalated: 1 });
    const pooled = await readLead(lead.id);
    expect(pooled).toMatchObject({ ownerId: null, status: 'pool' });
    expect(pooled.sla).toMatchObject({ dueAt: null, breaches: 2, reassignments: 1, escalatedAt: now.toISOString() });
  });

  it('escalates to the pool when the team has no head with a profile', async () => {
    await setUpRouting(t, { teams: [{ id: 'sales', name: 'Sales' }], managers: [manager('anna', { teamId: 'sales' })], ruleSet: ROUND_ROBIN(['anna']) });
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { ...POLICY, maxReassignments: 0 } });
    const lead = await createLead();
    minutesLater(31);
    expect(await sweep()).toMatchObject({ escalated: 1 });
    expect(await readLead(lead.id)).toMatchObject({ ownerId: null, status: 'pool' });
  });

  it('warns the owner once before the deadline', async () => {
    await setUpRouting(t, { managers: [manager('anna')], ruleSet: ROUND_ROBIN(['anna']) });
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { ...POLICY, warnBeforeMinutes: 10 } });
    const lead = await createLead();
    minutesLater(15);
    expect(await sweep()).toMatchObject({ warned: 0, breached: 0 });
    minutesLater(6);
    expect(await sweep()).toMatchObject({ warned: 1, breached: 0 });
    minutesLater(1);
    expect(await sweep()).toMatchObject({ warned: 0, breached: 0 });
    const warnings = (await outbox('sla.warning')).map((m) => JSON.parse(m.payload));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ leadId: lead.id, audience: { managers: ['anna'] }, kind: 'first_contact' });
    expect((await readLead(lead.id)).sla.warnedAt).toBe(new Date(now.getTime() - 60_000).toISOString());
  });

  it('warns a lead whose warning is due even behind hundreds of clocks that need nothing yet', async () => {
    await setUpRouting(t, { managers: [manager('anna')], ruleSet: ROUND_ROBIN(['anna']) });
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { ...POLICY, name: 'Calls', match: { sources: ['call'] }, firstContactMinutes: 30, warnBeforeMinutes: 5 } });
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { ...POLICY, name: 'Web', match: { sources: ['web'] }, firstContactMinutes: 60, warnBeforeMinutes: 45 } });
    // Due sooner than the web lead, so they sort first, but their own warning is 5 minutes before.
    const calls = Array.from({ length: 260 }, (_, i) => ({ name: `Caller ${i}`, source: 'call' }));
    expect((await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: { leads: calls } })).statusCode).toBe(201);
    const web = await createLead({ name: 'Web client', source: 'web' });
    minutesLater(16);
    expect(await sweep()).toMatchObject({ warned: 1, breached: 0 });
    expect((await outbox('sla.warning')).map((m) => JSON.parse(m.payload).leadId)).toEqual([web.id]);
    minutesLater(10);
    expect(await sweep()).toMatchObject({ warned: 260, breached: 0 });
  });

  it('handles every lapsed clock in one sweep, page after page, and says when it stopped at its page limit', async () => {
    await setUpRouting(t, { managers: [manager('anna')], ruleSet: ROUND_ROBIN(['anna']) });
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { ...POLICY, maxReassignments: 0, onExhausted: 'pool' } });
    for (let i = 0; i < 5; i++) await createLead({ name: `Client ${i}`, source: 'web' });
    minutesLater(31);
    expect(await sweepSla(t.ctx, snapshots, { batchSize: 2, maxPages: 2 })).toMatchObject({ breached: 4, escalated: 4, more: true });
    expect(await sweepSla(t.ctx, snapshots, { batchSize: 2 })).toMatchObject({ breached: 1, escalated: 1, more: false });
    expect(await t.store.db.selectFrom('leads').select('id').where('status', '=', 'pool').execute()).toHaveLength(5);
  });

  it('a manager sees the deadline of an own lead but not of another manager’s', async () => {
    await setUpRouting(t, { managers: [manager('anna'), manager('boris')], ruleSet: ROUND_ROBIN(['anna', 'boris']) });
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: POLICY });
    const first = await createLead();
    const second = await createLead();
    const mine = first.ownerId === 'anna' ? first : second;
    const theirs = first.ownerId === 'anna' ? second : first;
    const anna = await t.signIn({ role: 'manager', managerId: 'anna' });
    const res = await anna.request({ method: 'GET', url: `/api/v1/leads/${mine.id}` });
    expect(res.json().lead.sla).toMatchObject({ kind: 'first_contact', dueAt: '2026-03-06T15:20:00.000Z' });
    expect((await anna.request({ method: 'GET', url: `/api/v1/leads/${theirs.id}` })).statusCode).toBe(404);
  });
});
