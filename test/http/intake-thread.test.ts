import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareLead } from '../../src/app/intake/prepare-lead.js';
import { findLead } from '../../src/store/lead-queries.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { countRows, manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * `serve` runs intake transactions on a thread of their own, with its own connection (an SQLite
 * file or a PostgreSQL database). Everything a caller relies on must hold there as it does in
 * the request thread: answers after the commit, idempotency, errors, the app's clock, settings
 * changed a moment ago, fairness, and other writes going on at the same time.
 */
describe.each(DATABASE_KINDS)('intake on its own thread on %s', (kind) => {
  let t: TestApp;
  // Behind the real time on purpose: the thread must decide by the app's clock, not its own.
  const clock = { now: new Date('2025-03-03T09:00:00.000Z') };

  beforeEach(async () => {
    clock.now = new Date('2025-03-03T09:00:00.000Z');
    t = await startTestApp(kind, { intakeThread: true, now: () => clock.now });
    await setUpRouting(t, {
      managers: [manager('anna'), manager('ivan')],
      ruleSet: {
        ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
        rules: [{ id: 'all', name: 'Everyone', target: { kind: 'group', managers: ['anna', 'ivan'], strategy: 'round_robin' } }],
        fallback: { kind: 'pool' },
      },
    });
  }, 120_000);
  afterEach(async () => await t.close());

  it('answers with the stored lead, its owner and the trace, decided at the time of the app clock', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Ivan Petrov', phone: '8 (916) 123-45-67', source: 'Website' } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.lead).toMatchObject({ name: 'Ivan Petrov', phone: '+79161234567', source: 'website', status: 'new', createdAt: '2025-03-03T09:00:00.000Z' });
    expect(body.owner?.id).toMatch(/^(anna|ivan)$/);
    expect(body.decision).toMatchObject({ outcome: 'assigned', via: 'rule', ruleId: 'all', strategy: 'round_robin', decidedAt: '2025-03-03T09:00:00.000Z' });
    expect(body.decision.trace.summary).toEqual(expect.any(String));
    // Committed before the answer, and visible through the request thread's own connection.
    expect((await findLead(t.store.db, body.lead.id))?.ownerId).toBe(body.owner.id);
    const read = await t.request({ method: 'GET', url: `/api/v1/leads/${body.lead.id}` });
    expect(read.json().decision.trace).toEqual(body.decision.trace);
  });

  it('replays a retried request, and refuses a changed one with the documented error', async () => {
    const batch = { leads: [{ name: 'A', phone: '+7 999 100-00-01' }, { name: 'B', phone: '+7 999 100-00-02' }] };
    const first = await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: batch, headers: { 'idempotency-key': 'k-1' } });
    expect(first.statusCode, first.body).toBe(201);
    const retried = await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: batch, headers: { 'idempotency-key': 'k-1' } });
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.json().items.map((i: { lead: { id: string } }) => i.lead.id)).toEqual(first.json().items.map((i: { lead: { id: string } }) => i.lead.id));
    const changed = await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: { leads: [{ name: 'A changed' }, { name: 'B' }] }, headers: { 'idempotency-key': 'k-1' } });
    expect(changed.statusCode).toBe(422);
    expect(changed.json().error.code).toBe('LR_ERR_IDEMPOTENCY_MISMATCH');
    expect(await countRows(t.store, 'leads')).toBe(2);
  });

  it('applies a setting changed through the API to the very next lead', async () => {
    const on = await t.request({ method: 'PUT', url: '/api/v1/settings/qualification', payload: { enabled: true } });
    expect(on.statusCode, on.body).toBe(200);
    const held = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Held' } });
    expect(held.json().lead.status).toBe('qualification');
    expect((await t.request({ method: 'PUT', url: '/api/v1/settings/qualification', payload: { enabled: false } })).statusCode).toBe(200);
    const routed = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Routed' } });
    expect(routed.json().lead.status).toBe('new');
  });

  it('decides leads sent at once fairly, while other writes go on in the request thread', async () => {
    const leads = Array.from({ length: 60 }, (_, i) => t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: `Lead ${i}`, phone: `+7 999 200-${String(1000 + i).slice(1)}` } }));
    // Transactions of the request thread that read before they write, interleaved with intake's.
    const settings = Array.from({ length: 10 }, (_, i) => t.request({ method: 'PUT', url: '/api/v1/settings/qualification', payload: { enabled: false, sources: [`s${i}`] } }));
    const answers = await Promise.all(leads);
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 201));
    expect((await Promise.all(settings)).map((s) => s.statusCode)).toEqual(settings.map(() => 200));
    const owners = answers.map((a) => a.json().owner.id as string);
    const anna = owners.filter((o) => o === 'anna').length;
    expect(Math.abs(anna - (owners.length - anna))).toBeLessThanOrEqual(1);
    expect(await countRows(t.store, 'leads')).toBe(60);
    expect(await countRows(t.store, 'outbox')).toBe(60);
  });

  it('answers every request it was handed before it closes', async () => {
    const thread = t.intakeThread;
    if (!thread) throw new Error('no intake thread');
    const sent = ['One', 'Two', 'Three'].map((name) => thread.submit({ leads: [prepareLead({ name }, 'RU')], apiKeyId: null, idempotencyKey: null, actor: 'test' }, clock.now));
    await thread.close();
    const answers = await Promise.all(sent);
    expect(answers.map((a) => a.ok && a.items[0]?.lead.name)).toEqual(['One', 'Two', 'Three']);
    expect(await countRows(t.store, 'leads')).toBe(3);
    await expect(thread.submit({ leads: [prepareLead({ name: 'Late' }, 'RU')], apiKeyId: null, idempotencyKey: null, actor: 'test' }, clock.now)).rejects.toThrow(/closed/);
  });

  it('starts the thread again after it died, and goes on accepting leads', async () => {
    expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Before' } })).statusCode).toBe(201);
    // Reaching into the thread is the only way to make it die from a test.
    const thread = t.intakeThread as unknown as { worker: { terminate(): Promise<number> } | null };
    expect(thread.worker).not.toBeNull();
    await thread.worker?.terminate();
    const after = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'After' } });
    expect(after.statusCode, after.body).toBe(201);
    expect(await countRows(t.store, 'leads')).toBe(2);
  });
});
