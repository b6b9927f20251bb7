import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const definition = (strategy: string) => ({
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'all', name: 'All', target: { kind: 'group', managers: ['a', 'b'], strategy } }],
  fallback: { kind: 'pool' },
});

describe.each(DATABASE_KINDS)('rule sets under concurrent publishers on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, { managers: [manager('a'), manager('b')], ruleSet: definition('round_robin') });
  });
  afterEach(async () => {
    await t.close();
  });

  const draft = async (def: unknown): Promise<number> =>
    (await t.request({ method: 'POST', url: '/api/v1/rule-sets', payload: { definition: def as object } })).json().ruleSet.version;

  it('leaves exactly one published rule set when several drafts are published at once', async () => {
    const versions = await Promise.all([draft(definition('weighted')), draft(definition('least_loaded')), draft(definition('round_robin'))]);
    const answers = await Promise.all(versions.map((v) => t.request({ method: 'POST', url: `/api/v1/rule-sets/${v}/publish` })));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    const published = (await t.request({ method: 'GET', url: '/api/v1/rule-sets' })).json().items.filter((r: { status: string }) => r.status === 'published');
    expect(published).toHaveLength(1);
  });

  it('never publishes an edit that did not pass validation, even when it lands during the publish', async () => {
    const version = await draft(definition('weighted'));
    const [edit, publish] = await Promise.all([
      t.request({ method: 'PUT', url: `/api/v1/rule-sets/${version}`, payload: { definition: definition('bogus') } }),
      t.request({ method: 'POST', url: `/api/v1/rule-sets/${version}/publish` }),
    ]);
    const stored = (await t.request({ method: 'GET', url: `/api/v1/rule-sets/${version}` })).json();
    if (stored.status === 'published') {
      expect(stored.definition.rules[0].target.strategy).toBe('weighted');
      expect(edit.statusCode).toBe(409);
    } else {
      expect(publish.statusCode).toBe(422);
      expect(stored.definition.rules[0].target.strategy).toBe('bogus');
    }
  });
});

describe.each(DATABASE_KINDS)('input a database would refuse is answered 400, never 500, on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind);
  });
  afterEach(async () => {
    await t.close();
  });

  it.each([
    ['a version beyond 32 bits', 'GET', '/api/v1/rule-sets/3000000000', undefined],
    ['a year before 0001', 'GET', '/api/v1/leads?createdFrom=0000-01-01T00:00:00Z', undefined],
    ['a year after 9999 once in UTC', 'GET', `/api/v1/leads?createdFrom=${encodeURIComponent('9999-12-31T23:00:00-05:00')}`, undefined],
    ['a hand-made cursor', 'GET', `/api/v1/leads?cursor=${Buffer.from(JSON.stringify(['0', 'x'])).toString('base64url')}`, undefined],
    ['a cursor holding NUL', 'GET', `/api/v1/leads?cursor=${Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'a\u0000b'])).toString('base64url')}`, undefined],
    ['a lone surrogate in a custom field', 'POST', '/api/v1/leads', '{"name":"x","custom":{"k":"\\ud800"}}'],
    ['a lone surrogate in the source', 'POST', '/api/v1/leads', '{"name":"x","source":"web\\udc00"}'],
  ])('%s', async (_label, method, url, payload) => {
    const res = await t.request({ method: method as 'GET' | 'POST', url, ...(payload ? { payload, headers: { 'content-type': 'application/json' } } : {}) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toMatch(/^LR_ERR_/);
  });
});
