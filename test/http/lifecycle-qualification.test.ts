import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findLead } from '../../src/store/lead-queries.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startLifecycleWorld, type LifecycleWorld } from '../support/lifecycle-world.js';

describe.each(DATABASE_KINDS)('the qualification stage on %s', (kind) => {
  let w: LifecycleWorld;
  beforeEach(async () => {
    w = await startLifecycleWorld(kind);
  });
  afterEach(async () => await w.t.close());

  const enable = async (setting: { enabled: boolean; sources?: string[] }): Promise<void> => {
    const res = await w.t.request({ method: 'PUT', url: '/api/v1/settings/qualification', payload: setting });
    expect(res.statusCode, res.body).toBe(200);
  };

  it('holds new leads for a qualifier instead of routing them, then routes a qualified one by the rules', async () => {
    await enable({ enabled: true });
    expect((await w.t.request({ method: 'GET', url: '/api/v1/settings/qualification' })).json()).toEqual({ enabled: true });
    const intake = await w.t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Raw lead', phone: '+7 999 555-00-01', source: 'anna' } });
    expect(intake.statusCode).toBe(201);
    const { lead, decision, owner } = intake.json();
    expect(lead.status).toBe('qualification');
    expect(owner).toBeNull();
    expect(decision).toMatchObject({ outcome: 'pool', via: 'qualification' });
    expect(await w.openLeads('anna')).toBe(0);
    expect(lead.sla).toBeNull();

    // The qualifier sees it; the manager it would go to does not yet.
    const qualifier = await w.as('qualifier');
    expect((await qualifier.request({ method: 'GET', url: `/api/v1/leads/${lead.id}` })).statusCode).toBe(200);
    const anna = await w.as('anna');
    expect((await anna.request({ method: 'GET', url: `/api/v1/leads/${lead.id}` })).statusCode).toBe(404);

    w.clock.now = new Date('2026-11-25T09:10:00.000Z');
    const qualified = await qualifier.request({ method: 'POST', url: `/api/v1/leads/${lead.id}/qualify`, payload: { decision: 'qualified', comment: 'Real company, needs 20 seats' } });
    expect(qualified.statusCode, qualified.body).toBe(200);
    expect(qualified.json().lead).toMatchObject({ status: 'new', ownerId: 'anna', lifecycle: { qualifiedAt: '2026-11-25T09:10:00.000Z', qualifiedBy: `user:${qualifier.id}` } });
    // The qualifier is told where the lead went and why, though the lead is no longer theirs to open.
    expect(qualified.json().owner).toMatchObject({ id: 'anna' });
    expect(qualified.json().decision).toMatchObject({ outcome: 'assigned', via: 'qualification', ruleId: 'to-anna', trace: { winner: { managerId: 'anna' } } });
    expect(await w.openLeads('anna')).toBe(1);
    const decisions = await w.t.store.db.selectFrom('assignments').select(['outcome', 'via', 'manager_id', 'rule_id']).where('lead_id', '=', lead.id).orderBy('created_at').execute();
    expect(decisions).toEqual([
      { outcome: 'pool', via: 'qualification', manager_id: null, rule_id: null },
      { outcome: 'assigned', via: 'qualification', manager_id: 'anna', rule_id: 'to-anna' },
    ]);
    const told = await w.t.store.db.selectFrom('outbox').select('payload').where('topic', '=', 'lead.assigned').execute();
    expect(told.map((m) => JSON.parse(m.payload).audience.managers)).toEqual([['anna']]);

    // Now it is Anna's, and no longer the qualifier's.
    expect((await anna.request({ method: 'GET', url: `/api/v1/leads/${lead.id}` })).statusCode).toBe(200);
    expect((await qualifier.request({ method: 'GET', url: `/api/v1/leads/${lead.id}` })).statusCode).toBe(404);
    expect((await qualifier.request({ method: 'POST', url: `/api/v1/leads/${lead.id}/qualify`, payload: { decision: 'qualified' } })).statusCode).toBe(404);
    expect((await w.t.request({ method: 'POST', url: `/api/v1/leads/${lead.id}/qualify`, payload: { decision: 'qualified' } })).statusCode).toBe(409);
  });

  it('closes junk with a reason from the catalogue, and never routes it', async () => {
    await enable({ enabled: true });
    const id = await w.lead('anna');
    const qualifier = await w.as('qualifier');
    const noReason = await qualifier.request({ method: 'POST', url: `/api/v1/leads/${id}/qualify`, payload: { decision: 'junk' } });
    expect(noReason.statusCode).toBe(400);
    const junk = await qualifier.request({ method: 'POST', url: `/api/v1/leads/${id}/qualify`, payload: { decision: 'junk', junkReason: 'wrong_contact', comment: 'Number does not exist' } });
    expect(junk.statusCode, junk.body).toBe(200);
    expect(junk.json().lead).toMatchObject({ status: 'junk', ownerId: null, lifecycle: { junkReason: 'wrong_contact', closedAt: '2026-11-25T09:00:00.000Z' } });
    expect(junk.json()).toMatchObject({ owner: null, decision: null });
    expect(await w.openLeads('anna')).toBe(0);
    const decisions = await w.t.store.db.selectFrom('assignments').select('via').where('lead_id', '=', id).execute();
    expect(decisions).toEqual([{ via: 'qualification' }]);
  });

  it('lets heads and admins qualify, refuses managers, and holds only the listed sources', async () => {
    await enable({ enabled: true, sources: ['Purchased_DB'] });
    expect((await w.t.request({ method: 'GET', url: '/api/v1/settings/qualification' })).json()).toEqual({ enabled: true, sources: ['purchased_db'] });
    const routed = await w.lead('anna');
    expect((await findLead(w.t.store.db, routed))?.status).toBe('new');

    const held = await w.lead('ivan', { source: 'purchased_db' });
    expect((await findLead(w.t.store.db, held))?.status).toBe('qualification');
    const ivan = await w.as('ivan');
    expect((await ivan.request({ method: 'POST', url: `/api/v1/leads/${held}/qualify`, payload: { decision: 'qualified' } })).statusCode).toBe(403);
    const head = await w.as('head');
    // No rule takes this source, so the qualified lead goes to the pool.
    const res = await head.request({ method: 'POST', url: `/api/v1/leads/${held}/qualify`, payload: { decision: 'qualified' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().lead).toMatchObject({ status: 'pool', ownerId: null });

    const qualifier = await w.as('qualifier');
    expect((await qualifier.request({ method: 'POST', url: `/api/v1/leads/${routed}/qualify`, payload: { decision: 'junk', junkReason: 'spam' } })).statusCode).toBe(404);
    // Waiting leads are qualified, not moved along a pipeline.
    const another = await w.lead('anna', { source: 'purchased_db' });
    expect((await w.t.request({ method: 'POST', url: `/api/v1/leads/${another}/status`, payload: { status: 'junk', junkReason: 'spam' } })).statusCode).toBe(409);

    await enable({ enabled: false });
    expect((await findLead(w.t.store.db, await w.lead('anna', { source: 'purchased_db' })))?.status).toBe('pool');
  });
});
