import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { countRows, manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';
import type { RuleSetComparison } from '../../src/app/routing/compare-rule-sets.js';
import type { RoutingVocabulary } from '../../src/app/routing/routing-vocabulary.js';

const OWNERSHIP = { enabled: true, whenOwnerUnavailable: 'next_rule' };

/** Published: everyone in one round robin. */
const EVERYONE = {
  ownership: OWNERSHIP,
  rules: [{ id: 'all', name: 'Everyone', target: { kind: 'group', managers: ['anna', 'ivan'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

/** The draft: big deals to the key account manager first, the rest as before. */
const BIG_DEALS_TO_KAM = {
  ...EVERYONE,
  rules: [{ id: 'big', name: 'Big deals', when: { field: 'dealValue', op: 'gt', value: 1_000_000 }, target: { kind: 'person', managerId: 'kam' } }, ...EVERYONE.rules],
};

describe.each(DATABASE_KINDS)('comparing a draft with the published rule set on %s', (kind) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await startTestApp(kind, { now: () => new Date('2025-03-03T07:00:00Z') });
    await setUpRouting(t, {
      managers: [
        manager('anna', { name: 'Анна', skills: ['english', 'b2b'], regions: ['Москва'], industries: ['retail'] }),
        manager('ivan', { name: 'Ivan', skills: ['b2b'], languages: ['ru', 'en'] }),
        manager('kam', { name: 'Key accounts', regions: ['Казань'] }),
      ],
      ruleSet: EVERYONE,
    });
  });
  afterEach(async () => {
    await t.close();
  });

  const compare = (body: unknown) => t.request({ method: 'POST', url: '/api/v1/routing/compare', payload: body as object });

  it('lists each lead whose owner the draft would change, with both decisions, and writes nothing', async () => {
    const leads = [
      { name: 'Small 1', dealValue: 10_000 },
      { name: 'Big 1', dealValue: 5_000_000 },
      { name: 'Small 2' },
      { name: 'Big 2', dealValue: 2_000_000 },
    ];
    const before = { leads: await countRows(t.store, 'leads'), events: await countRows(t.store, 'events') };
    const res = await compare({ candidate: { definition: BIG_DEALS_TO_KAM }, leads });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json<RuleSetComparison>();
    expect(c.leads).toBe(4);
    expect(c.baseline.ruleSetVersion).toBe(1);
    expect(c.candidate.ruleSetVersion).toBeNull();
    expect(c.baseline.byRule).toEqual({ all: 4 });
    expect(c.candidate.byRule).toEqual({ big: 2, all: 2 });
    // Published: anna, ivan, anna, ivan. Draft: anna, kam, ivan, kam — three owners change.
    expect(c.changed.count).toBe(3);
    expect(c.changed.items.map((i) => [i.index, i.label, i.before.managerId, i.after.managerId])).toEqual([
      [2, 'Big 1', 'ivan', 'kam'],
      [3, 'Small 2', 'anna', 'ivan'],
      [4, 'Big 2', 'ivan', 'kam'],
    ]);
    const first = c.changed.items[0];
    expect(first?.after).toMatchObject({ outcome: 'assigned', managerName: 'Key accounts', ruleId: 'big', via: 'rule', strategy: 'person' });
    expect(first?.before).toMatchObject({ ruleId: 'all', strategy: 'round_robin', managerName: 'Ivan' });
    expect(first?.after.summary.length).toBeGreaterThan(0);
    expect({ leads: await countRows(t.store, 'leads'), events: await countRows(t.store, 'events') }).toEqual(before);
  });

  it('numbers a changed lead of a file by its spreadsheet row, even after a rejected row', async () => {
    const csv = ['name,dealValue', 'Small,100', 'Broken,lots', 'Big,5000000'].join('\n');
    const res = await compare({ candidate: { definition: BIG_DEALS_TO_KAM }, csv });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json<RuleSetComparison & { rejected: Array<{ row: number }> }>();
    expect(c.rejected.map((r) => r.row)).toEqual([3]);
    expect(c.changed.items.map((i) => [i.index, i.label])).toEqual([[4, 'Big']]);
  });

  it('counts every change but lists only as many as asked', async () => {
    const leads = Array.from({ length: 10 }, (_, i) => ({ name: `Big ${i + 1}`, dealValue: 2_000_000 }));
    const c = (await compare({ candidate: { definition: BIG_DEALS_TO_KAM }, leads, changedLimit: 3 })).json<RuleSetComparison>();
    expect(c.changed.count).toBe(10);
    expect(c.changed.items).toHaveLength(3);
  });

  it('compares a saved draft with any stored version, and names a stored lead by its id', async () => {
    expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Stored big', dealValue: 3_000_000 } })).statusCode).toBe(201);
    const draft = await t.request({ method: 'POST', url: '/api/v1/rule-sets', payload: { definition: BIG_DEALS_TO_KAM } });
    expect(draft.statusCode, draft.body).toBe(201);
    const res = await compare({ baseline: { version: 1 }, candidate: { version: 2 }, period: { from: '2025-03-03T00:00:00Z', to: '2025-03-04T00:00:00Z' } });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json<RuleSetComparison>();
    expect(c.candidate.ruleSetVersion).toBe(2);
    expect(c.changed.items).toHaveLength(1);
    expect(c.changed.items[0]?.leadId).toMatch(/.+/);
    expect(c.changed.items[0]?.label).toBe('Stored big');
  });

  it('refuses a comparison without a candidate, or with an invalid one, naming the mistake', async () => {
    const missing = await compare({ leads: [{ name: 'a' }] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('LR_ERR_VALIDATION');
    const invalid = await compare({ candidate: { definition: { ...EVERYONE, rules: [{ id: 'x', name: 'X', target: { kind: 'person', managerId: 'ghost' } }] } }, leads: [{ name: 'a' }] });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().error.details.map((d: { code: string }) => d.code)).toEqual(['unknown_manager']);
    expect((await compare({ candidate: { version: 99 }, leads: [{ name: 'a' }] })).statusCode).toBe(404);
  });

  it('offers the values recent leads and managers’ profiles hold, most frequent first', async () => {
    const send = async (payload: object) => expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload })).statusCode).toBe(201);
    await send({ name: 'a', source: 'site', region: 'Москва', utm: { campaign: 'spring' } });
    await send({ name: 'b', source: 'site', region: 'Казань' });
    await send({ name: 'c', source: 'avito', industry: 'retail' });
    const res = await t.request({ method: 'GET', url: '/api/v1/routing/vocabulary?days=30' });
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json<RoutingVocabulary>();
    expect(v.days).toBe(30);
    expect(v.leads.source).toEqual([{ value: 'site', leads: 2 }, { value: 'avito', leads: 1 }]);
    expect(v.leads.region.map((r) => r.value).sort()).toEqual(['Казань', 'Москва']);
    expect(v.leads.industry).toEqual([{ value: 'retail', leads: 1 }]);
    expect(v.profiles).toEqual({ skills: ['b2b', 'english'], regions: ['Казань', 'Москва'], languages: ['en', 'ru'], industries: ['retail'] });
    expect((await t.request({ method: 'GET', url: '/api/v1/routing/vocabulary?days=0' })).statusCode).toBe(400);
  });
});
