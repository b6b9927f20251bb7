import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

describe.each(DATABASE_KINDS)('edges found in review, on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }, { id: 'south', name: 'South' }],
      managers: [manager('n1', { teamId: 'north' }), manager('n2', { teamId: 'north' }), manager('s1', { teamId: 'south' })],
      ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'north', name: 'North', target: { kind: 'group', managers: ['n1', 'n2'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } },
    });
  });
  afterEach(async () => await t.close());

  it('a forged inbox cursor is a 400, not a database error', async () => {
    const person = await t.signIn({ role: 'manager', managerId: 'n1' });
    for (const forged of [['1', 'x'], ['2026-11-23T10:00:00.000Z', 'a\u0000b'], 'text']) {
      const cursor = Buffer.from(JSON.stringify(forged)).toString('base64url');
      const res = await person.request({ method: 'GET', url: `/api/v1/notifications?cursor=${cursor}` });
      expect(res.statusCode, JSON.stringify(forged)).toBe(400);
      expect(res.json().error.code).toBe('LR_ERR_INVALID_CURSOR');
    }
  });

  it('a head approves a transfer only to a manager of the own team', async () => {
    const lead = (await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'A', phone: '+79990000001' } })).json().lead as { id: string; ownerId: string };
    const owner = await t.signIn({ role: 'manager', managerId: lead.ownerId });
    const head = await t.signIn({ role: 'head', teamId: 'north' });
    await t.store.db.insertInto('reasons').values({ id: 'r-manual', kind: 'transfer', key: 'manual_test', label: 'Manual', auto_approve: 0, active: 1, created_at: new Date().toISOString() }).execute();
    const requested = await owner.request({ method: 'POST', url: `/api/v1/leads/${lead.id}/transfers`, payload: { reason: 'manual_test', toManagerId: 's1' } });
    expect(requested.statusCode, requested.body).toBe(201);
    const id = requested.json().transfer.id as string;
    const refused = await head.request({ method: 'POST', url: `/api/v1/transfers/${id}/approve`, payload: { override: { reason: 'just because' } } });
    expect(refused.statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: `/api/v1/leads/${lead.id}` })).json().lead.ownerId).toBe(lead.ownerId);
    const admin = await t.signIn({ role: 'admin' });
    expect((await admin.request({ method: 'POST', url: `/api/v1/transfers/${id}/approve`, payload: {} })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: `/api/v1/leads/${lead.id}` })).json().lead.ownerId).toBe('s1');
  });

  it('a manager cannot change the task of a colleague on a lead released to the pool', async () => {
    const lead = (await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'A', phone: '+79990000002' } })).json().lead as { id: string; ownerId: string };
    const owner = await t.signIn({ role: 'manager', managerId: lead.ownerId });
    const colleague = await t.signIn({ role: 'manager', managerId: lead.ownerId === 'n1' ? 'n2' : 'n1' });
    const task = await owner.request({ method: 'POST', url: `/api/v1/leads/${lead.id}/tasks`, payload: { title: 'Send the offer', dueAt: '2030-01-01T10:00:00.000Z' } });
    expect(task.statusCode, task.body).toBe(201);
    expect((await owner.request({ method: 'POST', url: `/api/v1/leads/${lead.id}/release`, payload: { reason: 'wrong region' } })).statusCode).toBe(200);
    const res = await colleague.request({ method: 'PATCH', url: `/api/v1/tasks/${task.json().id}`, payload: { done: true } });
    expect(res.statusCode).toBe(404);
  });
});
