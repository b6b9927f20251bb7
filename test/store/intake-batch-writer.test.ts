import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLead } from '../../src/store/lead-queries.js';
import { latestAssignments, listLeadEvents } from '../../src/store/journal-queries.js';
import { writeIntakeBatch, type IntakeBatch } from '../../src/store/intake-batch-writer.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * PostgreSQL writes a batch in one statement (rows as JSON), SQLite in multi-row inserts whose
 * text is built by hand; batches with traces too large for one JSON value go through the query
 * builder, one statement per table. Both paths must store the same rows.
 */
describe.each(DATABASE_KINDS)('the intake batch writer on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, {
      managers: [manager('anna')],
      ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'All', target: { kind: 'group', managers: ['anna'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } },
    });
  }, 120_000);
  afterAll(async () => await t.close());

  it('stores the same rows by the quick path and through the query builder', async () => {
    const sent = await t.request({
      method: 'POST',
      url: '/api/v1/leads',
      payload: { name: 'Ivan «Ёлка»', phone: '+7 999 000-00-01', email: 'ivan@example.com', utm: { source: 'ya' }, custom: { note: '{"looks":"like json"}', n: 0.1, flag: true }, dealValue: 1.5e6 },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const original = await findLead(t.store.db, sent.json().lead.id as string);
    if (!original) throw new Error('the lead was not stored');
    const assignment = (await latestAssignments(t.store.db, [original.id])).get(original.id);
    if (!assignment) throw new Error('the decision was not stored');
    const events = await listLeadEvents(t.store.db, original.id);

    const copyAs = (suffix: string): IntakeBatch => {
      const id = `${original.id}-${suffix}`;
      return {
        leads: [{ ...original, id, idempotencyKey: null, idempotencyIndex: null, requestHash: null }],
        leadKeys: [{ kind: 'phone', value: `+7999000000${suffix.length}`, leadId: id }],
        assignments: [{ ...assignment, id: `${assignment.id}-${suffix}`, leadId: id, traceJson: JSON.stringify(assignment.trace) }],
        events: events.map((e) => ({ ...e, id: `${e.id}-${suffix}`, leadId: id })),
        outbox: [{ id: `outbox-${suffix}`, topic: 'lead.assigned', payload: { leadId: id, text: 'Новый лид', audience: { managers: ['anna'] } }, createdAt: original.createdAt }],
        states: [],
        loads: [],
        decidedAt: original.createdAt,
      };
    };
    await t.store.db.transaction().execute(async (trx) => {
      await writeIntakeBatch(trx, kind, copyAs('one'));
      await writeIntakeBatch(trx, kind, copyAs('tables'), 0);
    });

    const [one, tables] = [await findLead(t.store.db, `${original.id}-one`), await findLead(t.store.db, `${original.id}-tables`)];
    expect(one).toEqual({ ...original, id: `${original.id}-one`, idempotencyKey: null, idempotencyIndex: null, requestHash: null });
    expect(tables).toEqual({ ...one, id: `${original.id}-tables` });
    const decisions = await latestAssignments(t.store.db, [`${original.id}-one`, `${original.id}-tables`]);
    expect(decisions.get(`${original.id}-one`)?.trace).toEqual(assignment.trace);
    expect(decisions.get(`${original.id}-tables`)?.trace).toEqual(assignment.trace);
    expect((await listLeadEvents(t.store.db, `${original.id}-tables`)).map((e) => e.payload)).toEqual(events.map((e) => e.payload));
    const outbox = await t.store.db.selectFrom('outbox').select(['id', 'payload']).where('id', 'in', ['outbox-one', 'outbox-tables']).orderBy('id').execute();
    expect(outbox.map((o) => JSON.parse(o.payload))).toEqual([0, 1].map(() => ({ leadId: expect.any(String), text: 'Новый лид', audience: { managers: ['anna'] } })));
  });
});
