import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

describe.each(DATABASE_KINDS)('the lead list without decisions on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }],
      managers: [manager('m1', { teamId: 'north' })],
      ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'Everyone', target: { kind: 'group', managers: ['m1'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } },
    });
  });
  afterEach(async () => await t.close());

  it('leaves the decision out with decisions=false (a board needs no trace) and keeps it by default', async () => {
    for (const name of ['Анна', 'Борис']) expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name, phone: '+7 916 111-22-33' } })).statusCode).toBe(201);
    const full = (await t.request({ method: 'GET', url: '/api/v1/leads' })).json<{ items: Array<{ decision: { trace: object } | null; owner: { id: string } | null }> }>();
    const light = (await t.request({ method: 'GET', url: '/api/v1/leads?decisions=false' })).json<{ items: Array<{ decision: unknown; owner: { id: string } | null; lead: { name: string } }> }>();
    expect(full.items.map((i) => i.decision?.trace)).toEqual([expect.any(Object), expect.any(Object)]);
    expect(light.items.map((i) => [i.lead.name, i.decision, i.owner?.id])).toEqual([['Борис', null, 'm1'], ['Анна', null, 'm1']]);
    expect((await t.request({ method: 'GET', url: '/api/v1/leads?decisions=maybe' })).statusCode).toBe(400);
  });
});
