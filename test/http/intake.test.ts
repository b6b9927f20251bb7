import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertCompanies, insertContacts } from '../../src/store/client-queries.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { countRows, manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const ROUND_ROBIN = {
  ownership: { enabled: true, whenOwnerUnavailable: 'next_rule' },
  rules: [
    { id: 'vip', name: 'Big deals', when: { field: 'dealValue', op: 'gte', value: 1_000_000 }, target: { kind: 'group', managers: ['kam'], strategy: 'round_robin' } },
    { id: 'everyone', name: 'Everyone else', target: { kind: 'group', managers: ['anna', 'ivan', 'olga'], strategy: 'round_robin' } },
  ],
  fallback: { kind: 'pool' },
};

describe.each(DATABASE_KINDS)('lead intake on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, {
      managers: [manager('anna', { name: 'Анна' }), manager('ivan'), manager('olga'), manager('kam', { name: 'Key accounts' })],
      ruleSet: ROUND_ROBIN,
    });
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) => t.request({ method: 'POST', url: '/api/v1/leads', payload: body as object, headers });

  it('answers 201 with the stored lead, its owner and the trace of the decision', async () => {
    const res = await post({ name: 'Пётр', phone: '8 (916) 123-45-67', email: ' Petr@Example.RU ', source: 'Website', dealValue: 2_000_000 });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.lead).toMatchObject({ name: 'Пётр', phone: '+79161234567', phoneRaw: '8 (916) 123-45-67', email: 'petr@example.ru', source: 'website', status: 'new', ownerId: 'kam' });
    expect(body.owner).toEqual({ id: 'kam', name: 'Key accounts' });
    expect(body.decision).toMatchObject({ outcome: 'assigned', via: 'rule', ruleId: 'vip', strategy: 'round_robin', ruleSetVersion: 1 });
    expect(body.decision.trace.steps[0]).toMatchObject({ ruleId: 'vip', matched: true });
    expect(body.decision.trace.summary).toMatch(/Big deals/);

    const stored = await t.request({ method: 'GET', url: `/api/v1/leads/${body.lead.id}` });
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toEqual(body);
    expect(await countRows(t.store, 'assignments')).toBe(1);
    expect(await countRows(t.store, 'outbox')).toBe(1);
  });

  it('rotates leads evenly between the managers of a round-robin rule', async () => {
    const owners: string[] = [];
    for (let i = 0; i < 9; i++) owners.push((await post({ name: `Lead ${i}` })).json().lead.ownerId);
    const counts = owners.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o]: (acc[o] ?? 0) + 1 }), {});
    expect(counts).toEqual({ anna: 3, ivan: 3, olga: 3 });
  });

  it('keeps a phone number it cannot parse, and says so, rather than losing the lead', async () => {
    const res = await post({ name: 'Someone', phone: '12' });
    expect(res.statusCode).toBe(201);
    expect(res.json().lead).toMatchObject({ phone: null, phoneRaw: '12' });
    expect(res.json().lead.problems).toEqual([expect.objectContaining({ field: 'phones' })]);
  });

  it('returns the same lead for a retry with the same Idempotency-Key and never stores a second one', async () => {
    const body = { name: 'Retry me', phone: '+7 916 000-00-01' };
    const first = await post(body, { 'idempotency-key': 'form-42' });
    const again = await post(body, { 'idempotency-key': 'form-42' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().lead.id).toBe(first.json().lead.id);
    expect(again.json().owner).toEqual(first.json().owner);
    expect(await countRows(t.store, 'leads')).toBe(1);
  });

  it('refuses a different body under an Idempotency-Key already used', async () => {
    await post({ name: 'One' }, { 'idempotency-key': 'k1' });
    const res = await post({ name: 'Two' }, { 'idempotency-key': 'k1' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('LR_ERR_IDEMPOTENCY_MISMATCH');
    expect(await countRows(t.store, 'leads')).toBe(1);
  });

  it('refuses a batch under a key first used for a single lead, and a retry that changes the batch', async () => {
    await post({ name: 'Single' }, { 'idempotency-key': 'k-shape' });
    const asBatch = await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: { leads: [{ name: 'Single' }, { name: 'Extra' }] }, headers: { 'idempotency-key': 'k-shape' } });
    expect(asBatch.statusCode).toBe(422);
    const batch = { leads: [{ name: 'A' }, { name: 'B' }] };
    expect((await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: batch, headers: { 'idempotency-key': 'k-batch' } })).statusCode).toBe(201);
    const shrunk = await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: { leads: [{ name: 'A' }] }, headers: { 'idempotency-key': 'k-batch' } });
    expect(shrunk.statusCode).toBe(422);
    const retried = await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: batch, headers: { 'idempotency-key': 'k-batch' } });
    expect(retried.json().items.map((i: { lead: { name: string } }) => i.lead.name)).toEqual(['A', 'B']);
    expect(await countRows(t.store, 'leads')).toBe(3);
  });

  it('stores concurrent retries of one request once', async () => {
    const body = { name: 'Double click', email: 'dc@example.com' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(body, { 'idempotency-key': 'double' })));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().lead.id)).size).toBe(1);
    expect(await countRows(t.store, 'leads')).toBe(1);
  });

  it('accepts a batch all together and answers each lead with its decision', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: { leads: [{ name: 'a' }, { name: 'b' }, { name: 'c', dealValue: 5e6 }] } });
    expect(res.statusCode).toBe(201);
    const items = res.json().items;
    expect(items.map((i: { lead: { name: string } }) => i.lead.name)).toEqual(['a', 'b', 'c']);
    expect(items[2].owner.id).toBe('kam');
    expect(new Set(items.slice(0, 2).map((i: { owner: { id: string } }) => i.owner.id)).size).toBe(2);
  });

  it('rejects a whole batch when one lead is invalid, naming the lead and the field, and stores nothing', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: { leads: [{ name: 'ok' }, { name: 'bad', score: 'high' }] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('LR_ERR_VALIDATION');
    expect(res.json().error.details[0].path).toBe('leads[1].score');
    expect(await countRows(t.store, 'leads')).toBe(0);
  });

  it('refuses a batch over 1,000 leads with its own error', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: { leads: Array.from({ length: 1001 }, (_, i) => ({ name: `n${i}` })) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('LR_ERR_BATCH_TOO_LARGE');
    expect(await countRows(t.store, 'leads')).toBe(0);
  });

  it('sends a returning client to the manager who owns the contact', async () => {
    const at = t.ctx.now().toISOString();
    await insertContacts(t.store.db, [{ id: 'c1', name: 'Old client', companyId: null, ownerId: 'olga', phones: ['+79161112233'], emails: [] }], at);
    const res = await post({ name: 'Old client again', phone: '89161112233' });
    expect(res.json().lead).toMatchObject({ ownerId: 'olga', contactId: 'c1' });
    expect(res.json().decision).toMatchObject({ via: 'ownership' });
  });

  it('links a lead to a subsidiary company and routes it to the owner of the parent company', async () => {
    const at = t.ctx.now().toISOString();
    await insertCompanies(
      t.store.db,
      [
        { id: 'parent', name: 'Холдинг', nameKey: 'холдинг', taxId: null, domain: null, parentId: null, size: null, industry: null, region: null, ownerId: 'ivan' },
        { id: 'child', name: 'ООО «Дочка»', nameKey: 'дочка', taxId: '7707083893', domain: null, parentId: 'parent', size: null, industry: null, region: null, ownerId: null },
      ],
      at,
    );
    const res = await post({ name: 'From the subsidiary', companyName: 'Дочка', taxId: '7707083893' });
    expect(res.json().lead).toMatchObject({ companyId: 'child', ownerId: 'ivan' });
    expect(res.json().lead.match).toMatchObject({ parentCompanyId: 'parent', ownerVia: 'parent_company' });
  });

  it('flags a lead that repeats an open lead and gives it to the same manager', async () => {
    const first = (await post({ name: 'First', phone: '+79160000077' })).json();
    const second = (await post({ name: 'Second', phone: '8 916 000 00 77' })).json();
    expect(second.lead.duplicateOf).toBe(first.lead.id);
    expect(second.lead.ownerId).toBe(first.lead.ownerId);
    expect(await countRows(t.store, 'leads')).toBe(2);
  });

  it('points a repeat of a repeat at the original lead, whichever key it shares', async () => {
    const original = (await post({ name: 'A', phone: '+79160000101' })).json().lead;
    const repeat = (await post({ name: 'B', phone: '+79160000101', email: 'new@example.com' })).json().lead;
    const third = (await post({ name: 'C', email: 'new@example.com' })).json().lead;
    expect(repeat.duplicateOf).toBe(original.id);
    expect(third.duplicateOf).toBe(original.id);
    expect(third.ownerId).toBe(original.ownerId);
  });

  it('recognises a repeat by any phone the original came with, not only the first', async () => {
    const original = (await post({ name: 'Two phones', phone: '+79160000201', phones: ['+79160000202'] })).json().lead;
    const repeat = (await post({ name: 'Calls from the office', phone: '8 916 000 02 02' })).json().lead;
    expect(repeat.duplicateOf).toBe(original.id);
    expect(repeat.ownerId).toBe(original.ownerId);
  });

  it('lists leads newest first, page by page, without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) await post({ name: `L${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.request({ method: 'GET', url: `/api/v1/leads?limit=3${cursor ? `&cursor=${cursor}` : ''}` });
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((i: { lead: { name: string } }) => i.lead.name));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const filtered = await t.request({ method: 'GET', url: '/api/v1/leads?ownerId=anna' });
    expect(filtered.json().items.every((i: { lead: { ownerId: string } }) => i.lead.ownerId === 'anna')).toBe(true);
  });

  it('answers a clear 400 for a cursor it did not issue and 404 for an unknown lead', async () => {
    const bad = await t.request({ method: 'GET', url: '/api/v1/leads?cursor=garbage' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('LR_ERR_INVALID_CURSOR');
    const missing = await t.request({ method: 'GET', url: '/api/v1/leads/no-such-id' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('LR_ERR_NOT_FOUND');
  });

  it('records the lead timeline: created, then assigned', async () => {
    const lead = (await post({ name: 'Timeline' })).json().lead;
    const res = await t.request({ method: 'GET', url: `/api/v1/leads/${lead.id}/events` });
    expect(res.json().items.map((e: { type: string }) => e.type)).toEqual(['lead.created', 'lead.assigned']);
  });
});
