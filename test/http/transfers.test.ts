import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJson } from '../../src/store/json.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const ROUND_ROBIN_NORTH = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'north', name: 'North', target: { kind: 'group', managers: ['anna', 'boris'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

const PEOPLE = {
  anna: { role: 'manager', managerId: 'anna', teamId: 'north' },
  boris: { role: 'manager', managerId: 'boris', teamId: 'north' },
  carl: { role: 'manager', managerId: 'carl', teamId: 'south' },
  northHead: { role: 'head', teamId: 'north' },
  southHead: { role: 'head', teamId: 'south' },
} as const;

describe.each(DATABASE_KINDS)('transfers and head reassignment on %s', (kind) => {
  let t: TestApp;
  let clock: Date;
  let signedIn: Map<string, TestUser>;
  /** People are signed in on first use: each sign-in costs two password hashes. */
  const as = async (who: keyof typeof PEOPLE): Promise<TestUser> => {
    const known = signedIn.get(who);
    if (known) return known;
    const user = await t.signIn(PEOPLE[who]);
    signedIn.set(who, user);
    return user;
  };

  beforeEach(async () => {
    // Wednesday, midday in Moscow: everyone is on duty.
    clock = new Date('2026-11-25T09:00:00.000Z');
    t = await startTestApp(kind, { now: () => clock });
    await setUpRouting(t, {
      teams: [
        { id: 'north', name: 'North' },
        { id: 'south', name: 'South' },
      ],
      managers: [manager('anna', { teamId: 'north', name: 'Anna' }), manager('boris', { teamId: 'north', name: 'Boris' }), manager('carl', { teamId: 'south', name: 'Carl' })],
      ruleSet: ROUND_ROBIN_NORTH,
    });
    await t.store.db
      .insertInto('reasons')
      .values([
        { id: 'r-manual', kind: 'transfer', key: 'test_manual', label: 'Client moved region', auto_approve: 0, active: 1, created_at: clock.toISOString() },
        { id: 'r-auto', kind: 'transfer', key: 'test_auto', label: 'Going on leave', auto_approve: 1, active: 1, created_at: clock.toISOString() },
      ])
      .execute();
    signedIn = new Map();
  });
  afterEach(async () => await t.close());

  /** A lead the round robin gives to the requested manager (leads in between go to the other). */
  const leadOf = async (owner: 'anna' | 'boris'): Promise<string> => {
    for (;;) {
      const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: `Client of ${owner}`, phone: '+7 999 000-00-00', source: 'web' } });
      expect(res.statusCode).toBe(201);
      if (res.json().lead.ownerId === owner) return res.json().lead.id as string;
    }
  };
  const openLeads = async (id: string): Promise<number> => (await t.store.db.selectFrom('managers').select('open_leads').where('id', '=', id).executeTakeFirstOrThrow()).open_leads;
  const outbox = async (topic: string) =>
    (await t.store.db.selectFrom('outbox').select(['topic', 'payload']).where('topic', '=', topic).orderBy('id').execute()).map((r) => readJson<Record<string, unknown>>(r.payload, {}));
  const setMaxOpen = async (id: string, maxOpen: number | null) => expect((await t.request({ method: 'PATCH', url: `/api/v1/managers/${id}`, payload: { maxOpen } })).statusCode).toBe(200);

  it('hands a lead over on the head’s approval: owner, counters, tasks, both managers told, briefing for the new one', async () => {
    const at = clock.toISOString();
    await t.store.db
      .insertInto('sla_policies')
      .values({ id: 'sla-all', name: 'Everyone', position: 1, match: '{}', first_contact_minutes: 60, next_step_minutes: null, warn_before_minutes: null, max_reassignments: 1, on_exhausted: 'head', active: 1, created_at: at, updated_at: at })
      .execute();
    const leadId = await leadOf('anna');
    const borisBefore = await openLeads('boris');
    await t.store.db
      .insertInto('activities')
      .values({ id: 'act-1', lead_id: leadId, kind: 'call', outcome: 'no_answer', note: 'called twice', manager_id: 'anna', actor: 'user:anna', occurred_at: at, created_at: at })
      .execute();
    await t.store.db
      .insertInto('tasks')
      .values([
        { id: 'task-open', lead_id: leadId, assignee_id: 'anna', title: 'Send the offer', offer: 'Basic', due_at: '2026-11-26T09:00:00.000Z', done_at: null, created_by: 'user:anna', created_at: at, updated_at: at },
        { id: 'task-done', lead_id: leadId, assignee_id: 'anna', title: 'First call', offer: null, due_at: at, done_at: at, created_by: 'user:anna', created_at: at, updated_at: at },
      ])
      .execute();

    const asked = await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${leadId}/transfers`, payload: { reason: 'test_manual', comment: 'The client moved to Boris’s region', toManagerId: 'boris' } });
    expect(asked.statusCode).toBe(201);
    const transfer = asked.json().transfer;
    expect(transfer).toMatchObject({ status: 'requested', fromManagerId: 'anna', toManagerId: 'boris', reason: 'test_manual', reasonLabel: 'Client moved region' });
    expect((await outbox('transfer.requested'))[0]).toMatchObject({ leadId, audience: { headsOf: ['anna'] }, transferId: transfer.id });

    const again = await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${leadId}/transfers`, payload: { reason: 'test_manual' } });
    expect(again.statusCode).toBe(409);

    // Managers cannot decide; a head of another team does not even see the request.
    expect((await (await as('boris')).request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/approve`, payload: {} })).statusCode).toBe(403);
    expect((await (await as('southHead')).request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/approve`, payload: {} })).statusCode).toBe(404);

    const approved = await (await as('northHead')).request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/approve`, payload: { comment: 'Fine' } });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', toManagerId: 'boris', decisionComment: 'Fine', decidedBy: `user:${(await as('northHead')).id}` });

    const lead = (await t.request({ method: 'GET', url: `/api/v1/leads/${leadId}` })).json();
    expect(lead.lead.ownerId).toBe('boris');
    expect(lead.lead.status).toBe('new');
    expect(await openLeads('anna')).toBe(0);
    expect(await openLeads('boris')).toBe(borisBefore + 1);
    const tasks = await t.store.db.selectFrom('tasks').select(['id', 'assignee_id']).where('lead_id', '=', leadId).orderBy('id').execute();
    expect(tasks).toEqual([
      { id: 'task-done', assignee_id: 'anna' },
      { id: 'task-open', assignee_id: 'boris' },
    ]);

    const [decided] = await outbox('transfer.decided');
    expect(decided).toMatchObject({ leadId, decision: 'approved', managerId: 'boris', fromManagerId: 'anna', transferId: transfer.id, comment: 'The client moved to Boris’s region' });
    expect((decided?.audience as { managers: string[] }).managers.sort()).toEqual(['anna', 'boris']);
    expect(decided?.briefing).toMatchObject({
      lastContacts: [{ id: 'act-1', kind: 'call', note: 'called twice' }],
      openTasks: [{ id: 'task-open', title: 'Send the offer', assigneeId: 'boris' }],
      transfer: { reason: 'test_manual', reasonLabel: 'Client moved region', comment: 'The client moved to Boris’s region' },
    });
    // The briefing already shows the new owner's first-contact deadline, the one the lead now runs on.
    const armed = await t.store.db.selectFrom('leads').select(['sla_due_at', 'sla_kind']).where('id', '=', leadId).executeTakeFirstOrThrow();
    expect(armed.sla_due_at).not.toBeNull();
    expect(decided?.briefing).toMatchObject({ sla: { kind: 'first_contact', dueAt: armed.sla_due_at } });

    // The activity stays with the lead, and the new owner (not the old one) reads the briefing.
    const briefing = await (await as('boris')).request({ method: 'GET', url: `/api/v1/leads/${leadId}/briefing` });
    expect(briefing.statusCode).toBe(200);
    expect(briefing.json()).toMatchObject({ leadId, lastContacts: [{ id: 'act-1' }], openTasks: [{ id: 'task-open' }], transfer: { status: 'approved', reason: 'test_manual' } });
    expect((await (await as('anna')).request({ method: 'GET', url: `/api/v1/leads/${leadId}/briefing` })).statusCode).toBe(404);

    const timeline = (await t.request({ method: 'GET', url: `/api/v1/leads/${leadId}/events` })).json().items.map((e: { type: string }) => e.type);
    expect(timeline).toEqual(expect.arrayContaining(['lead.created', 'lead.assigned', 'transfer.requested', 'transfer.decided']));
    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'actor']).where('entity_id', '=', transfer.id).orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'transfer.requested', actor: `user:${(await as('anna')).id}` },
      { action: 'transfer.approved', actor: `user:${(await as('northHead')).id}` },
    ]);

    expect((await (await as('northHead')).request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/approve`, payload: {} })).json().error.code).toBe('LR_ERR_CONFLICT');
    expect((await (await as('northHead')).request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/reject`, payload: { comment: 'late' } })).statusCode).toBe(409);
  });

  it('a rejection leaves the lead where it is and tells the manager who asked', async () => {
    const leadId = await leadOf('anna');
    const transfer = (await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${leadId}/transfers`, payload: { reason: 'test_manual', comment: 'too far' } })).json().transfer;
    const rejected = await (await as('northHead')).request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/reject`, payload: { comment: 'Call them once more' } });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionComment: 'Call them once more' });
    expect((await t.request({ method: 'GET', url: `/api/v1/leads/${leadId}` })).json().lead.ownerId).toBe('anna');
    expect((await outbox('transfer.decided'))[0]).toMatchObject({ leadId, decision: 'rejected', audience: { managers: ['anna'], users: [(await as('anna')).id] } });
    // A new request may follow once the first is decided.
    expect((await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${leadId}/transfers`, payload: { reason: 'test_manual' } })).statusCode).toBe(201);
  });

  it('a reason marked auto-approve hands the lead to whom the rules choose, the owner left out', async () => {
    const leadId = await leadOf('anna');
    const asked = await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${leadId}/transfers`, payload: { reason: 'test_auto', comment: 'Two weeks off' } });
    expect(asked.statusCode).toBe(201);
    expect(asked.json()).toMatchObject({ transfer: { status: 'approved', toManagerId: 'boris', decidedBy: 'system:auto-approve' }, autoApproveSkipped: null });
    expect((await t.request({ method: 'GET', url: `/api/v1/leads/${leadId}` })).json().lead.ownerId).toBe('boris');
    expect(await outbox('transfer.requested')).toEqual([]);
    expect((await outbox('transfer.decided'))[0]).toMatchObject({ decision: 'approved', audience: { headsOf: ['anna'] } });
  });

  it('an auto-approve reason waits for the head when the recipient cannot take the lead', async () => {
    const leadId = await leadOf('anna');
    expect((await t.request({ method: 'PATCH', url: '/api/v1/managers/boris', payload: { paused: true } })).statusCode).toBe(200);
    const asked = await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${leadId}/transfers`, payload: { reason: 'test_auto', toManagerId: 'boris' } });
    expect(asked.json().transfer.status).toBe('requested');
    expect(asked.json().autoApproveSkipped).toContain('paused');
    expect((await t.request({ method: 'GET', url: `/api/v1/leads/${leadId}` })).json().lead.ownerId).toBe('anna');
  });

  it('refuses a recipient at the cap with 422 naming the check, and hands over on an override with a reason, recorded', async () => {
    const leadId = await leadOf('anna');
    await leadOf('boris');
    const borisOpen = await openLeads('boris');
    await setMaxOpen('boris', borisOpen);
    const transfer = (await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${leadId}/transfers`, payload: { reason: 'test_manual', toManagerId: 'boris' } })).json().transfer;

    const refused = await (await as('northHead')).request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/approve`, payload: {} });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'LR_ERR_UNPROCESSABLE', details: [{ path: 'toManagerId', code: 'open_cap' }] });
    expect((await t.request({ method: 'GET', url: `/api/v1/leads/${leadId}` })).json().lead.ownerId).toBe('anna');

    const overridden = await (await as('northHead')).request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/approve`, payload: { override: { reason: 'Boris knows this client' } } });
    expect(overridden.statusCode).toBe(200);
    expect(overridden.json()).toMatchObject({ status: 'approved', overrideReason: 'Boris knows this client' });
    expect(await openLeads('boris')).toBe(borisOpen + 1);
    const audit = await t.store.db.selectFrom('audit_log').select('after').where('action', '=', 'transfer.approved').executeTakeFirstOrThrow();
    expect(readJson(audit.after, {})).toMatchObject({ override: { reason: 'Boris knows this client', failedCheck: { kind: 'open_cap', open: borisOpen, max: borisOpen } } });
  });

  it('keeps requests to their people: no transfer of another’s lead, no cancelling another’s request, lists by involvement', async () => {
    const annas = await leadOf('anna');
    const boriss = await leadOf('boris');
    expect((await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${boriss}/transfers`, payload: { reason: 'test_manual' } })).statusCode).toBe(404);
    const unknown = await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${annas}/transfers`, payload: { reason: 'no_such_reason' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].path).toBe('reason');

    const transfer = (await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${annas}/transfers`, payload: { reason: 'test_manual', toManagerId: 'boris' } })).json().transfer;
    const ids = async (u: TestUser) => (await u.request({ method: 'GET', url: '/api/v1/transfers' })).json().items.map((x: { id: string }) => x.id);
    expect(await ids(await as('anna'))).toEqual([transfer.id]);
    expect(await ids(await as('boris'))).toEqual([transfer.id]);
    expect(await ids(await as('carl'))).toEqual([]);
    expect(await ids(await as('northHead'))).toEqual([transfer.id]);
    expect(await ids(await as('southHead'))).toEqual([]);

    expect((await (await as('boris')).request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/cancel` })).statusCode).toBe(403);
    const cancelled = await (await as('anna')).request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/cancel` });
    expect(cancelled.json().status).toBe('cancelled');
    expect((await (await as('northHead')).request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/approve`, payload: {} })).statusCode).toBe(409);
  });

  it('reassigns leads in bulk all or nothing, within the head’s team, counting the whole batch against the cap', async () => {
    const a1 = await leadOf('anna');
    const a2 = await leadOf('anna');
    const pending = (await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${a1}/transfers`, payload: { reason: 'test_manual' } })).json().transfer;

    const mixed = await (await as('northHead')).request({ method: 'POST', url: '/api/v1/leads/reassign', payload: { leadIds: [a1, 'ghost', a2], toManagerId: 'boris', reason: 'Rebalance' } });
    expect(mixed.statusCode).toBe(422);
    expect(mixed.json().error.details).toEqual([{ path: 'leadIds[1]', code: 'not_found', message: 'no lead with id ghost' }]);
    expect(await openLeads('anna')).toBe(2);

    expect((await (await as('northHead')).request({ method: 'POST', url: '/api/v1/leads/reassign', payload: { leadIds: [a1, a2], toManagerId: 'carl', reason: 'x' } })).statusCode).toBe(403);

    // Room for one more lead: the batch of two does not fit.
    const borisOpen = await openLeads('boris');
    await setMaxOpen('boris', borisOpen + 1);
    const over = await (await as('northHead')).request({ method: 'POST', url: '/api/v1/leads/reassign', payload: { leadIds: [a1, a2], toManagerId: 'boris', reason: 'Rebalance' } });
    expect(over.statusCode).toBe(422);
    expect(over.json().error.details[0].code).toBe('open_cap');

    const done = await (await as('northHead')).request({ method: 'POST', url: '/api/v1/leads/reassign', payload: { leadIds: [a1, a2], toManagerId: 'boris', reason: 'Rebalance', override: { reason: 'Anna is ill' } } });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ toManagerId: 'boris', overriddenCheck: 'open_cap', items: [{ leadId: a1, fromManagerId: 'anna' }, { leadId: a2, fromManagerId: 'anna' }] });
    expect(await openLeads('anna')).toBe(0);
    expect(await openLeads('boris')).toBe(borisOpen + 2);
    const reassigned = await outbox('lead.reassigned');
    expect(reassigned.map((p) => p.leadId)).toEqual([a1, a2]);
    expect(reassigned[0]).toMatchObject({ audience: { managers: ['boris', 'anna'] }, reason: 'Rebalance' });
    // The waiting request would move the lead twice; it is closed.
    expect((await t.request({ method: 'GET', url: `/api/v1/transfers?leadId=${a1}` })).json().items[0]).toMatchObject({ id: pending.id, status: 'cancelled' });

    // One lead: a lead of another team is not found for the head; admin reassigns anywhere.
    const single = await (await as('southHead')).request({ method: 'POST', url: `/api/v1/leads/${a1}/reassign`, payload: { toManagerId: 'carl', reason: 'mine now' } });
    expect(single.statusCode).toBe(404);
    const byAdmin = await t.request({ method: 'POST', url: `/api/v1/leads/${a1}/reassign`, payload: { toManagerId: 'carl', reason: 'Moved to the south' } });
    expect(byAdmin.statusCode).toBe(200);
    expect((await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${a2}/reassign`, payload: { toManagerId: 'anna', reason: 'mine' } })).statusCode).toBe(403);
  });

  it('reports transfers by reason, by who gave the lead up and who took it, with outcomes', async () => {
    const l1 = await leadOf('anna');
    const l2 = await leadOf('anna');
    const l3 = await leadOf('boris');
    const ask = async (u: TestUser, leadId: string, reason: string, toManagerId?: string) =>
      (await u.request({ method: 'POST', url: `/api/v1/leads/${leadId}/transfers`, payload: { reason, ...(toManagerId ? { toManagerId } : {}) } })).json().transfer;
    const t1 = await ask(await as('anna'), l1, 'test_manual', 'boris');
    await (await as('northHead')).request({ method: 'POST', url: `/api/v1/transfers/${t1.id}/approve`, payload: {} });
    const t2 = await ask(await as('anna'), l2, 'test_manual');
    await (await as('northHead')).request({ method: 'POST', url: `/api/v1/transfers/${t2.id}/reject`, payload: { comment: 'no' } });
    await ask(await as('boris'), l3, 'test_auto');
    await ask(await as('anna'), l2, 'test_manual');

    // A manager reads the own transfers (given up or asked for); the colleague on the other side stays unnamed by default.
    const own = (await (await as('anna')).request({ method: 'GET', url: '/api/v1/reports/transfers?from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z' })).json();
    expect(own.totals).toEqual({ total: 4, pending: 1, approved: 2, rejected: 1, cancelled: 0, approvalRate: 0.6667 });
    expect(own.byToManager).toEqual(
      expect.arrayContaining([expect.objectContaining({ managerId: null, name: '#1', anonymous: true, total: 1 }), expect.objectContaining({ managerId: 'anna', self: true, total: 1 })]),
    );
    const report = (await (await as('northHead')).request({ method: 'GET', url: '/api/v1/reports/transfers?from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z' })).json();
    expect(report.totals).toEqual({ total: 4, pending: 1, approved: 2, rejected: 1, cancelled: 0, approvalRate: 0.6667 });
    expect(report.byReason).toEqual([
      { reason: 'test_manual', label: 'Client moved region', total: 3, pending: 1, approved: 1, rejected: 1, cancelled: 0, approvalRate: 0.5 },
      { reason: 'test_auto', label: 'Going on leave', total: 1, pending: 0, approved: 1, rejected: 0, cancelled: 0, approvalRate: 1 },
    ]);
    expect(report.byFromManager).toEqual([
      { managerId: 'anna', name: 'Anna', teamId: 'north', self: false, anonymous: false, total: 3, pending: 1, approved: 1, rejected: 1, cancelled: 0, approvalRate: 0.5 },
      { managerId: 'boris', name: 'Boris', teamId: 'north', self: false, anonymous: false, total: 1, pending: 0, approved: 1, rejected: 0, cancelled: 0, approvalRate: 1 },
    ]);
    expect(report.byToManager).toEqual(
      expect.arrayContaining([
        { managerId: 'boris', name: 'Boris', teamId: 'north', self: false, anonymous: false, total: 1, pending: 0, approved: 1, rejected: 0, cancelled: 0, approvalRate: 1 },
        { managerId: 'anna', name: 'Anna', teamId: 'north', self: false, anonymous: false, total: 1, pending: 0, approved: 1, rejected: 0, cancelled: 0, approvalRate: 1 },
        { managerId: null, name: null, teamId: null, self: false, anonymous: false, total: 2, pending: 1, approved: 0, rejected: 1, cancelled: 0, approvalRate: 0 },
      ]),
    );
    expect((await (await as('southHead')).request({ method: 'GET', url: '/api/v1/reports/transfers' })).json().totals.total).toBe(0);
    const empty = (await t.request({ method: 'GET', url: '/api/v1/reports/transfers?from=2026-12-01T00:00:00Z' })).json();
    expect(empty.totals.total).toBe(0);
  });
});
