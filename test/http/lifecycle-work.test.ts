import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markFirstContact } from '../../src/store/activity-queries.js';
import { findLead } from '../../src/store/lead-queries.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startLifecycleWorld, type LifecycleWorld } from '../support/lifecycle-world.js';

describe.each(DATABASE_KINDS)('activities, tasks and the timeline on %s', (kind) => {
  let w: LifecycleWorld;
  beforeEach(async () => {
    w = await startLifecycleWorld(kind);
  });
  afterEach(async () => await w.t.close());

  it('records the first real contact once; attempts and later contacts only move the last activity', async () => {
    const anna = await w.as('anna');
    const id = await w.lead('anna');
    const log = async (body: Record<string, unknown>) => await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/activities`, payload: body });

    w.clock.now = new Date('2026-11-25T09:05:00.000Z');
    const attempt = await log({ kind: 'call', outcome: 'no_answer' });
    expect(attempt.statusCode, attempt.body).toBe(201);
    expect(attempt.json()).toMatchObject({ firstContact: false, activity: { kind: 'call', outcome: 'no_answer', managerId: 'anna', actor: `user:${anna.id}` } });
    let lead = await findLead(w.t.store.db, id);
    expect(lead?.work).toMatchObject({ firstContactAt: null, lastActivityAt: '2026-11-25T09:05:00.000Z' });

    w.clock.now = new Date('2026-11-25T09:20:00.000Z');
    const reached = await log({ kind: 'call', outcome: 'reached', note: 'Wants a proposal', occurredAt: '2026-11-25T12:15:00+03:00' });
    expect(reached.json()).toMatchObject({ firstContact: true, activity: { occurredAt: '2026-11-25T09:15:00.000Z' } });
    w.clock.now = new Date('2026-11-25T09:40:00.000Z');
    const meeting = await log({ kind: 'meeting', outcome: 'held' });
    expect(meeting.json().firstContact).toBe(false);
    lead = await findLead(w.t.store.db, id);
    // The clock stopped when the contact was logged; the call itself keeps the time it happened.
    expect(lead?.work).toMatchObject({ firstContactAt: '2026-11-25T09:20:00.000Z', lastActivityAt: '2026-11-25T09:40:00.000Z' });
    // A back-dated note does not move the last activity backwards.
    await log({ kind: 'note', outcome: 'none', note: 'Forgot to say: prefers e-mail', occurredAt: '2026-11-25T09:10:00.000Z' });
    expect((await findLead(w.t.store.db, id))?.work.lastActivityAt).toBe('2026-11-25T09:40:00.000Z');

    const list = (await anna.request({ method: 'GET', url: `/api/v1/leads/${id}/activities` })).json().items;
    expect(list.map((a: { kind: string; outcome: string }) => `${a.kind}:${a.outcome}`)).toEqual(['call:no_answer', 'note:none', 'call:reached', 'meeting:held']);
    const events = await w.t.store.db.selectFrom('events').select('id').where('lead_id', '=', id).where('type', '=', 'activity.logged').execute();
    expect(events).toHaveLength(4);
  });

  it('a call back-dated to before a missed first-contact deadline does not make the contact on time', async () => {
    const policy = await w.t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { name: 'Inbound', firstContactMinutes: 30, maxReassignments: 2, onExhausted: 'head' } });
    expect(policy.statusCode, policy.body).toBe(201);
    const anna = await w.as('anna');
    const id = await w.lead('anna');
    expect((await findLead(w.t.store.db, id))?.work.slaDueAt).toBe('2026-11-25T09:30:00.000Z');

    // The deadline passed before the sweeper came by; the call is logged late, claiming 09:20.
    w.clock.now = new Date('2026-11-25T09:45:00.000Z');
    const logged = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/activities`, payload: { kind: 'call', outcome: 'reached', occurredAt: '2026-11-25T09:20:00.000Z' } });
    expect(logged.statusCode, logged.body).toBe(201);
    expect(logged.json()).toMatchObject({ firstContact: true, activity: { occurredAt: '2026-11-25T09:20:00.000Z' } });
    const lead = await findLead(w.t.store.db, id);
    expect(lead?.work).toMatchObject({ firstContactAt: '2026-11-25T09:45:00.000Z', slaBreaches: 1 });
    expect(lead?.ownerId).toBe('anna');

    const items = (await anna.request({ method: 'GET', url: `/api/v1/leads/${id}/timeline` })).json().items as Array<{ at: string; type: string; details: Record<string, unknown> }>;
    expect(items.find((i) => i.type === 'activity.call')?.at).toBe('2026-11-25T09:20:00.000Z');
    expect(items.find((i) => i.type === 'sla.breached')).toMatchObject({ at: '2026-11-25T09:45:00.000Z', details: { kind: 'first_contact', dueAt: '2026-11-25T09:30:00.000Z', breaches: 1 } });
  });

  it("a contact made by an owner who lost the lead meanwhile does not stop the new owner's clock", async () => {
    const id = await w.lead('anna');
    // The SLA sweeper handed the lead to Ivan while Anna's call was being logged (on PostgreSQL
    // her update waits for the sweeper's row lock, then finds the lead no longer hers).
    await w.t.store.db.updateTable('leads').set({ owner_id: 'ivan' }).where('id', '=', id).execute();
    expect(await markFirstContact(w.t.store.db, id, 'anna', '2026-11-25T09:10:00.000Z')).toBe(false);
    expect((await findLead(w.t.store.db, id))?.work.firstContactAt).toBeNull();
    expect(await markFirstContact(w.t.store.db, id, 'ivan', '2026-11-25T09:12:00.000Z')).toBe(true);
    expect((await findLead(w.t.store.db, id))?.work.firstContactAt).toBe('2026-11-25T09:12:00.000Z');
  });

  it('refuses outcomes of another kind, future times and times before the lead, and hides other managers\' leads', async () => {
    const anna = await w.as('anna');
    const id = await w.lead('anna');
    const wrong = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/activities`, payload: { kind: 'email', outcome: 'reached' } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.details[0].path).toBe('outcome');
    const future = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/activities`, payload: { kind: 'call', outcome: 'reached', occurredAt: '2026-11-25T10:00:00.000Z' } });
    expect(future.statusCode).toBe(422);
    const past = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/activities`, payload: { kind: 'call', outcome: 'reached', occurredAt: '2026-11-24T10:00:00.000Z' } });
    expect(past.statusCode).toBe(422);
    expect((await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/activities`, payload: { kind: 'fax', outcome: 'sent' } })).statusCode).toBe(400);
    const ivan = await w.as('ivan');
    expect((await ivan.request({ method: 'POST', url: `/api/v1/leads/${id}/activities`, payload: { kind: 'call', outcome: 'reached' } })).statusCode).toBe(404);
    expect((await ivan.request({ method: 'GET', url: `/api/v1/leads/${id}/activities` })).statusCode).toBe(404);
    expect((await findLead(w.t.store.db, id))?.work.lastActivityAt).toBeNull();
  });

  it('builds a call list: whom, when, with which offer, soonest first, each manager seeing their own', async () => {
    const anna = await w.as('anna');
    const first = await w.lead('anna', { name: 'Olga', companyName: 'Romashka LLC' });
    const second = await w.lead('anna', { name: 'Petr' });
    const ivans = await w.lead('ivan', { name: 'Ivan client' });
    const task = async (who: typeof anna, lead: string, body: Record<string, unknown>) => {
      const res = await who.request({ method: 'POST', url: `/api/v1/leads/${lead}/tasks`, payload: body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    const late = await task(anna, first, { title: 'Call back', dueAt: '2026-11-25T15:00:00.000Z', offer: 'Annual plan -10%' });
    const soon = await task(anna, second, { title: 'Send the proposal', dueAt: '2026-11-25T10:00:00.000Z' });
    const overdue = await task(anna, second, { title: 'Missed call', dueAt: '2026-11-25T08:00:00.000Z' });
    const tomorrow = await task(anna, first, { title: 'Follow up', dueAt: '2026-11-26T07:00:00.000Z' });
    const ivan = await w.as('ivan');
    await task(ivan, ivans, { title: "Ivan's call", dueAt: '2026-11-25T09:30:00.000Z' });
    expect(late.assigneeId).toBe('anna');

    const mine = (await anna.request({ method: 'GET', url: '/api/v1/tasks' })).json().items;
    expect(mine.map((i: { id: string }) => i.id)).toEqual([overdue.id, soon.id, late.id, tomorrow.id]);
    expect(mine[2]).toMatchObject({ title: 'Call back', offer: 'Annual plan -10%', overdue: false, assigneeName: 'Anna', lead: { id: first, name: 'Olga', phone: expect.stringMatching(/^\+7999/), companyName: 'Romashka LLC' } });
    expect(mine[0].overdue).toBe(true);

    const overdueOnly = (await anna.request({ method: 'GET', url: '/api/v1/tasks?due=overdue' })).json().items;
    expect(overdueOnly.map((i: { id: string }) => i.id)).toEqual([overdue.id]);
    // Today ends at midnight in Moscow (21:00 UTC), so tomorrow's task is not on today's list.
    const today = (await anna.request({ method: 'GET', url: '/api/v1/tasks?due=today' })).json().items;
    expect(today.map((i: { id: string }) => i.id)).toEqual([overdue.id, soon.id, late.id]);

    expect((await anna.request({ method: 'GET', url: '/api/v1/tasks?assignee=ivan' })).statusCode).toBe(403);
    const head = await w.as('head');
    const team = (await head.request({ method: 'GET', url: '/api/v1/tasks' })).json().items;
    expect(team).toHaveLength(5);
    expect((await head.request({ method: 'GET', url: '/api/v1/tasks?assignee=ivan' })).json().items.map((i: { title: string }) => i.title)).toEqual(["Ivan's call"]);
    const carl = await w.as('carl');
    expect((await carl.request({ method: 'GET', url: '/api/v1/tasks' })).json().items).toEqual([]);

    // Done tasks leave the list; the change is the assignee's or the lead's people's to make.
    expect((await ivan.request({ method: 'PATCH', url: `/api/v1/tasks/${soon.id}`, payload: { done: true } })).statusCode).toBe(404);
    const done = await anna.request({ method: 'PATCH', url: `/api/v1/tasks/${soon.id}`, payload: { done: true } });
    expect(done.json().doneAt).toBe('2026-11-25T09:00:00.000Z');
    const moved = await anna.request({ method: 'PATCH', url: `/api/v1/tasks/${overdue.id}`, payload: { dueAt: '2026-11-25T18:00:00+03:00', offer: 'Free onboarding' } });
    expect(moved.json()).toMatchObject({ dueAt: '2026-11-25T15:00:00.000Z', offer: 'Free onboarding' });
    const after = (await anna.request({ method: 'GET', url: '/api/v1/tasks' })).json().items;
    expect(after.map((i: { title: string }) => i.title)).toEqual(['Call back', 'Missed call', 'Follow up']);
    expect((await anna.request({ method: 'GET', url: '/api/v1/tasks?done=true' })).json().items.map((i: { id: string }) => i.id)).toEqual([soon.id]);
  });

  it('refuses tasks for other people or on hidden leads', async () => {
    const anna = await w.as('anna');
    const id = await w.lead('anna');
    expect((await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/tasks`, payload: { title: 'For Ivan', dueAt: '2026-11-26T07:00:00.000Z', assigneeId: 'ivan' } })).statusCode).toBe(403);
    const ivan = await w.as('ivan');
    expect((await ivan.request({ method: 'POST', url: `/api/v1/leads/${id}/tasks`, payload: { title: 'Mine now', dueAt: '2026-11-26T07:00:00.000Z' } })).statusCode).toBe(404);
    const head = await w.as('head');
    const delegated = await head.request({ method: 'POST', url: `/api/v1/leads/${id}/tasks`, payload: { title: 'Help Anna', dueAt: '2026-11-26T07:00:00.000Z', assigneeId: 'ivan' } });
    expect(delegated.statusCode).toBe(201);
    // The assignee sees the task given to them even on a lead they do not own.
    expect((await ivan.request({ method: 'GET', url: '/api/v1/tasks' })).json().items.map((i: { title: string }) => i.title)).toEqual(['Help Anna']);
    expect((await head.request({ method: 'POST', url: `/api/v1/leads/${id}/tasks`, payload: { title: 'Carl?', dueAt: '2026-11-26T07:00:00.000Z', assigneeId: 'carl' } })).statusCode).toBe(403);
    expect((await w.t.request({ method: 'POST', url: `/api/v1/leads/${id}/tasks`, payload: { title: 'Ghost', dueAt: '2026-11-26T07:00:00.000Z', assigneeId: 'ghost' } })).statusCode).toBe(422);
    const pooled = await w.lead('pool');
    expect((await w.t.request({ method: 'POST', url: `/api/v1/leads/${pooled}/tasks`, payload: { title: 'Nobody', dueAt: '2026-11-26T07:00:00.000Z' } })).statusCode).toBe(422);
  });

  it('tells the whole story of a lead in one timeline, oldest first', async () => {
    const anna = await w.as('anna');
    const id = await w.lead('anna', { name: 'Olga' });
    const step = async (minute: number, request: Parameters<typeof anna.request>[0]) => {
      w.clock.now = new Date(Date.UTC(2026, 10, 25, 9, minute));
      const res = await anna.request(request);
      expect(res.statusCode, res.body).toBeLessThan(300);
    };
    await step(5, { method: 'POST', url: `/api/v1/leads/${id}/activities`, payload: { kind: 'call', outcome: 'reached', note: 'Interested' } });
    await step(6, { method: 'POST', url: `/api/v1/leads/${id}/tasks`, payload: { title: 'Send proposal', dueAt: '2026-11-26T09:00:00.000Z', offer: 'Pro plan' } });
    await step(7, { method: 'POST', url: `/api/v1/leads/${id}/status`, payload: { status: 'proposal' } });
    await step(8, { method: 'POST', url: `/api/v1/leads/${id}/convert`, payload: { deal: { title: 'Pro plan for Olga', amount: 120000, currency: 'rub' } } });

    const res = await anna.request({ method: 'GET', url: `/api/v1/leads/${id}/timeline` });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ at: string; type: string; actor: string | null; summary: string }>;
    expect(items.map((i) => i.type)).toEqual(['lead.created', 'assignment', 'activity.call', 'task.created', 'lead.status_changed', 'deal.created', 'lead.converted']);
    expect(items[1]?.summary).toMatch(/^Assigned to Anna \(rule\)/);
    expect(items[2]).toMatchObject({ actor: `user:${anna.id}`, summary: 'Call: reached — Interested' });
    expect(items[5]?.summary).toBe('Deal "Pro plan for Olga" for 120000 RUB registered by Anna');
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort());

    const ivan = await w.as('ivan');
    expect((await ivan.request({ method: 'GET', url: `/api/v1/leads/${id}/timeline` })).statusCode).toBe(404);
    const head = await w.as('head');
    expect((await head.request({ method: 'GET', url: `/api/v1/leads/${id}/timeline` })).json().items).toHaveLength(items.length);
  });
});
