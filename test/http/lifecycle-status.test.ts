import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moveLeadStatus } from '../../src/app/lifecycle/move-lead-status.js';
import { SYSTEM } from '../../src/app/access/principal.js';
import { findLead } from '../../src/store/lead-queries.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startLifecycleWorld, type LifecycleWorld } from '../support/lifecycle-world.js';

describe.each(DATABASE_KINDS)('lead status changes on %s', (kind) => {
  let w: LifecycleWorld;
  beforeEach(async () => {
    w = await startLifecycleWorld(kind);
  });
  afterEach(async () => await w.t.close());

  const outboxTopics = async (leadId: string): Promise<string[]> =>
    (await w.t.store.db.selectFrom('outbox').select(['topic', 'payload']).orderBy('created_at').orderBy('id').execute())
      .filter((r) => JSON.parse(r.payload).leadId === leadId)
      .map((r) => r.topic);

  it('moves an own lead along the pipeline with a comment, recorded in events and the audit log', async () => {
    const anna = await w.as('anna');
    const id = await w.lead('anna');
    const res = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/status`, payload: { status: 'in_progress', comment: 'Called, wants a demo' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().lead).toMatchObject({ id, status: 'in_progress', lifecycle: { closedAt: null, junkReason: null } });
    const events = await w.t.store.db.selectFrom('events').select(['type', 'actor', 'payload']).where('lead_id', '=', id).where('type', '=', 'lead.status_changed').execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.actor).toBe(`user:${anna.id}`);
    expect(JSON.parse(events[0]?.payload ?? '{}')).toMatchObject({ from: 'new', to: 'in_progress', comment: 'Called, wants a demo' });
    const audit = await w.t.store.db.selectFrom('audit_log').select(['action', 'actor']).where('entity_id', '=', id).execute();
    expect(audit).toEqual([{ action: 'lead.status_changed', actor: `user:${anna.id}` }]);
    // Open stages are not worth a notification; closing ones are.
    expect(await outboxTopics(id)).toEqual(['lead.assigned']);
    expect(await w.openLeads('anna')).toBe(1);
  });

  it('marks junk only with an active reason from the catalogue, closing the lead and freeing capacity', async () => {
    const anna = await w.as('anna');
    const id = await w.lead('anna');
    expect(await w.openLeads('anna')).toBe(1);

    const missing = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/status`, payload: { status: 'junk' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toBe('junkReason');
    const unknown = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/status`, payload: { status: 'junk', junkReason: 'ugly' } });
    expect(unknown.statusCode).toBe(422);
    expect((await findLead(w.t.store.db, id))?.status).toBe('new');

    w.clock.now = new Date('2026-11-25T09:30:00.000Z');
    const junk = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/status`, payload: { status: 'junk', junkReason: 'spam' } });
    expect(junk.statusCode, junk.body).toBe(200);
    expect(junk.json().lead).toMatchObject({ status: 'junk', lifecycle: { junkReason: 'spam', closedAt: '2026-11-25T09:30:00.000Z' } });
    expect(await w.openLeads('anna')).toBe(0);
    expect(await outboxTopics(id)).toEqual(['lead.assigned', 'lead.status_changed']);
    const message = await w.t.store.db.selectFrom('outbox').select('payload').where('topic', '=', 'lead.status_changed').executeTakeFirstOrThrow();
    expect(JSON.parse(message.payload).audience).toEqual({ headsOf: ['anna'] });

    const again = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/status`, payload: { status: 'in_progress' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/does not reopen/);
    expect(await w.openLeads('anna')).toBe(0);
  });

  it('answers 422 for a stage the pipeline lacks and 409 for converting without the conversion endpoint', async () => {
    const anna = await w.as('anna');
    const id = await w.lead('anna');
    const bad = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/status`, payload: { status: 'negotiation' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details[0]).toMatchObject({ path: 'status', code: 'unknown_stage' });
    const pool = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/status`, payload: { status: 'pool' } });
    expect(pool.statusCode).toBe(422);
    const converted = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/status`, payload: { status: 'converted' } });
    expect(converted.statusCode).toBe(409);
    expect(converted.json().error.message).toMatch(/convert/);
  });

  it("hides another manager's lead (404) and keeps a manager off pool leads until claimed", async () => {
    const ivan = await w.as('ivan');
    const annas = await w.lead('anna');
    const res = await ivan.request({ method: 'POST', url: `/api/v1/leads/${annas}/status`, payload: { status: 'junk', junkReason: 'spam' } });
    expect(res.statusCode).toBe(404);
    const carl = await w.as('carl');
    expect((await carl.request({ method: 'POST', url: `/api/v1/leads/${annas}/status`, payload: { status: 'in_progress' } })).statusCode).toBe(404);
    expect((await findLead(w.t.store.db, annas))?.status).toBe('new');

    const pooled = await w.lead('pool');
    const fromPool = await ivan.request({ method: 'POST', url: `/api/v1/leads/${pooled}/status`, payload: { status: 'junk', junkReason: 'spam' } });
    expect(fromPool.statusCode).toBe(409);
    expect(fromPool.json().error.message).toMatch(/claim/);
    expect((await w.t.request({ method: 'POST', url: '/api/v1/leads/ghost/status', payload: { status: 'in_progress' } })).statusCode).toBe(404);
  });

  it("lets a head work the team's leads and junk pool leads, but not move a pool lead along the pipeline", async () => {
    const head = await w.as('head');
    const annas = await w.lead('anna');
    expect((await head.request({ method: 'POST', url: `/api/v1/leads/${annas}/status`, payload: { status: 'qualified' } })).statusCode).toBe(200);
    const carls = await w.lead('carl');
    expect((await head.request({ method: 'POST', url: `/api/v1/leads/${carls}/status`, payload: { status: 'qualified' } })).statusCode).toBe(404);
    const pooled = await w.lead('pool');
    expect((await head.request({ method: 'POST', url: `/api/v1/leads/${pooled}/status`, payload: { status: 'in_progress' } })).statusCode).toBe(409);
    const junk = await head.request({ method: 'POST', url: `/api/v1/leads/${pooled}/status`, payload: { status: 'junk', junkReason: 'duplicate' } });
    expect(junk.statusCode).toBe(200);
    expect(junk.json().lead.status).toBe('junk');
  });

  it('lets one of two simultaneous changes through and refuses the stale one with 409, counting capacity once', async () => {
    const id = await w.lead('anna');
    const stale = await findLead(w.t.store.db, id);
    if (!stale) throw new Error('lead missing');
    const close = async () =>
      await w.t.store.db.transaction().execute(async (trx) => await moveLeadStatus(w.t.ctx, trx, SYSTEM('test'), { lead: stale, to: 'junk', kind: 'junk', junkReason: 'spam', topic: 'lead.status_changed' }));
    await close();
    await expect(close()).rejects.toMatchObject({ code: 'LR_ERR_CONFLICT' });
    expect(await w.openLeads('anna')).toBe(0);
    const closed = await w.t.store.db.selectFrom('events').select('id').where('lead_id', '=', id).where('type', '=', 'lead.status_changed').execute();
    expect(closed).toHaveLength(1);

    const ivan = await w.as('ivan');
    const target = await w.lead('ivan');
    await w.lead('ivan');
    const results = await Promise.all([
      ivan.request({ method: 'POST', url: `/api/v1/leads/${target}/status`, payload: { status: 'junk', junkReason: 'spam' } }),
      ivan.request({ method: 'POST', url: `/api/v1/leads/${target}/status`, payload: { status: 'junk', junkReason: 'test' } }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await w.openLeads('ivan')).toBe(1);
  });
});
