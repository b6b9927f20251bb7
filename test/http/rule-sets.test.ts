import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { insertManagers, insertTeam } from '../../src/store/manager-queries.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { countRows, manager, startTestApp, type TestApp } from '../support/test-app.js';

const OWNERSHIP = { enabled: true, whenOwnerUnavailable: 'next_rule' };

/** Everyone goes to one person: makes it obvious which version routed a lead. */
const toPerson = (managerId: string, ruleId = 'all') => ({
  ownership: OWNERSHIP,
  rules: [{ id: ruleId, name: `All to ${managerId}`, target: { kind: 'person', managerId } }],
  fallback: { kind: 'pool' },
});

const VALID = {
  ownership: OWNERSHIP,
  rules: [
    { id: 'moscow', name: 'Moscow', when: { field: 'region', op: 'eq', value: 'Moscow' }, target: { kind: 'group', managers: ['anna', 'ivan'], strategy: 'round_robin' } },
    { id: 'big', name: 'Big companies', when: { field: 'companySize', op: 'gt', value: 500 }, target: { kind: 'group', teams: ['sales'], strategy: 'least_loaded' } },
    { id: 'rest', name: 'Everything else', target: { kind: 'group', strategy: 'weighted' } },
  ],
  fallback: { kind: 'manager', managerId: 'olga' },
};

/** Four mistakes, one per kind, in three rules. */
const WITH_MISTAKES = {
  ownership: OWNERSHIP,
  rules: [
    { id: 'moscow', name: 'Moscow', when: { field: 'regoin', op: 'eq', value: 'Moscow' }, target: { kind: 'group', managers: ['anna', 'ivan'], strategy: 'round_robin' } },
    { id: 'north', name: 'North', when: { field: 'region', op: 'gt', value: 5 }, target: { kind: 'group', managers: ['anna', 'ghost'], strategy: 'round_robin' } },
    { id: 'moscow', name: 'Moscow again', target: { kind: 'pool' } },
  ],
  fallback: { kind: 'pool' },
};

interface Issue {
  path: string;
  code: string;
  message: string;
}

async function ruleSetRows(store: Store): Promise<number> {
  const row = await store.db.selectFrom('rule_sets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

function expectError(res: LightMyRequestResponse, status: number, code: string): { code: string; message: string; details?: Issue[] } {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json<{ error: { code: string; message: string; details?: Issue[] } }>();
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

describe.each(DATABASE_KINDS)('rule set versions on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind);
    const at = t.ctx.now().toISOString();
    await insertTeam(t.store.db, { id: 'sales', name: 'Sales' }, at);
    await insertManagers(t.store.db, [manager('anna', { teamId: 'sales' }), manager('ivan', { teamId: 'sales' }), manager('olga', { name: 'Olga' })], at);
  });
  afterEach(async () => {
    await t.close();
  });

  const saveDraft = (definition: unknown, comment?: string, key?: string) =>
    t.request({ method: 'POST', url: '/api/v1/rule-sets', payload: { definition, ...(comment !== undefined ? { comment } : {}) } as object, ...(key ? { key } : {}) });
  const putDraft = (version: number, definition: unknown, comment?: string, key?: string) =>
    t.request({ method: 'PUT', url: `/api/v1/rule-sets/${version}`, payload: { definition, ...(comment !== undefined ? { comment } : {}) } as object, ...(key ? { key } : {}) });
  const publish = (version: number, key?: string) => t.request({ method: 'POST', url: `/api/v1/rule-sets/${version}/publish`, ...(key ? { key } : {}) });
  const getVersion = (version: number | string) => t.request({ method: 'GET', url: `/api/v1/rule-sets/${version}` });
  const postLead = (name: string) => t.request({ method: 'POST', url: '/api/v1/leads', payload: { name } });
  const adminKeyId = async (): Promise<string> => {
    const keys = await t.store.db.selectFrom('api_keys').select(['id', 'name']).execute();
    return keys.find((k) => k.name === 'test admin')?.id ?? '';
  };

  it('saves a valid draft as the next version, reports it valid and keeps it as sent', async () => {
    const res = await saveDraft(VALID, 'first try');
    expect(res.statusCode, res.body).toBe(201);
    const { ruleSet, validation } = res.json();
    expect(validation).toEqual({ ok: true, issues: [] });
    expect(ruleSet).toMatchObject({ version: 1, status: 'draft', comment: 'first try', author: `api-key:${await adminKeyId()}`, publishedAt: null, publishedBy: null, publishedByName: null });
    expect(ruleSet.authorName).toBe('test admin');
    expect(ruleSet.definition).toEqual(VALID);
    expect(Date.parse(ruleSet.createdAt)).not.toBeNaN();

    const second = await saveDraft(VALID);
    expect(second.json().ruleSet).toMatchObject({ version: 2, comment: null });
    const stored = await getVersion(1);
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toEqual(ruleSet);
  });

  it('refuses to overwrite a draft someone else saved since you loaded it (409), and accepts a save of the revision you loaded', async () => {
    const created = (await saveDraft(VALID, 'first')).json();
    const loaded = created.ruleSet.revision as string;
    expect(loaded).toMatch(/^[0-9a-f]{16}$/);
    const put = (comment: string, revision: string) => t.request({ method: 'PUT', url: `/api/v1/rule-sets/${created.ruleSet.version}`, payload: { definition: VALID, comment, revision } });
    // Two editors opened the same draft: the first save wins, the second is told instead of overwriting it.
    const first = await put('Анна: исправила вес', loaded);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().ruleSet.revision).not.toBe(loaded);
    const second = await put('Борис: другое', loaded);
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toMatchObject({ code: 'LR_ERR_CONFLICT', details: [{ path: 'revision', code: 'stale_revision' }] });
    const stored = (await t.request({ method: 'GET', url: `/api/v1/rule-sets/${created.ruleSet.version}` })).json();
    expect(stored.comment).toBe('Анна: исправила вес');
    expect(stored.revision).toBe(first.json().ruleSet.revision);
    // Without a revision a PUT replaces the draft as before (scripts that own their drafts).
    expect((await t.request({ method: 'PUT', url: `/api/v1/rule-sets/${created.ruleSet.version}`, payload: { definition: VALID, comment: 'script' } })).statusCode).toBe(200);
  });

  it('keeps a draft with mistakes and lists every mistake with its exact path and the rule it belongs to', async () => {
    const res = await saveDraft(WITH_MISTAKES, 'work in progress');
    expect(res.statusCode, res.body).toBe(201);
    const { ruleSet, validation } = res.json<{ ruleSet: { version: number; status: string }; validation: { ok: boolean; issues: Issue[] } }>();
    expect(ruleSet).toMatchObject({ version: 1, status: 'draft' });
    expect(validation.ok).toBe(false);
    expect(validation.issues.map((i) => [i.path, i.code])).toEqual([
      ['rules[0].when.field', 'unknown_field'],
      ['rules[1].when.op', 'operator_not_valid_for_field'],
      ['rules[1].target.managers[1]', 'unknown_manager'],
      ['rules[2].id', 'duplicate_rule_id'],
    ]);
    const [field, op, ghost, duplicate] = validation.issues;
    expect(field?.message).toMatch(/^Rule "moscow": field "regoin" is not a lead field \(did you mean "region"\?\)/);
    expect(op?.message).toMatch(/^Rule "north": operator "gt" does not apply to text field "region"/);
    expect(ghost?.message).toMatch(/^Rule "north": manager "ghost"/);
    expect(duplicate?.message).toMatch(/^Rule "moscow": id "moscow" is already used by rule #1/);
    expect(await ruleSetRows(t.store)).toBe(1);
    expect((await getVersion(1)).json().definition).toEqual(WITH_MISTAKES);
  });

  it('refuses to publish a draft with mistakes, naming each one, and leaves it a draft', async () => {
    await saveDraft(WITH_MISTAKES);
    const e = expectError(await publish(1), 422, 'LR_ERR_RULE_SET_INVALID');
    expect(e.details?.map((d) => d.path)).toEqual(['rules[0].when.field', 'rules[1].when.op', 'rules[1].target.managers[1]', 'rules[2].id']);
    expect(e.message).toMatch(/regoin.*\(and 3 more\)$/);
    expect((await getVersion(1)).json()).toMatchObject({ status: 'draft', publishedAt: null, publishedBy: null });

    // Nothing was published, so a lead still finds no rules.
    const lead = await postLead('Before any rules');
    expect(lead.json().decision).toMatchObject({ outcome: 'pool', via: 'fallback', ruleSetVersion: 0 });
  });

  it('publishes a draft once it is fixed with PUT, recording who published it and when', async () => {
    await saveDraft(WITH_MISTAKES, 'wip');
    const fixed = await putDraft(1, VALID, 'fixed the typos');
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().validation).toEqual({ ok: true, issues: [] });
    expect(fixed.json().ruleSet).toMatchObject({ version: 1, status: 'draft', comment: 'fixed the typos' });
    expect(fixed.json().ruleSet.definition).toEqual(VALID);

    const res = await publish(1);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 1, status: 'published', publishedBy: `api-key:${await adminKeyId()}` });
    expect(Date.parse(res.json().publishedAt)).not.toBeNaN();
    expect(await ruleSetRows(t.store)).toBe(1);
  });

  it('reports the mistakes of a PUT and keeps the edit as a draft', async () => {
    await saveDraft(VALID);
    const res = await putDraft(1, WITH_MISTAKES);
    expect(res.statusCode).toBe(200);
    expect(res.json().validation.ok).toBe(false);
    expect(res.json().validation.issues).toHaveLength(4);
    expect((await getVersion(1)).json().definition).toEqual(WITH_MISTAKES);
  });

  it('supersedes the previously published version when a new one is published', async () => {
    await saveDraft(toPerson('anna'));
    await publish(1);
    await saveDraft(toPerson('ivan'));
    const res = await publish(2);
    expect(res.json()).toMatchObject({ version: 2, status: 'published' });
    expect((await getVersion(1)).json()).toMatchObject({ version: 1, status: 'superseded' });
    // The superseded version keeps the record of its own publication.
    expect((await getVersion(1)).json().publishedBy).toMatch(/^api-key:/);
    const list = (await t.request({ method: 'GET', url: '/api/v1/rule-sets' })).json().items;
    expect(list.filter((r: { status: string }) => r.status === 'published')).toHaveLength(1);
  });

  it('refuses to edit or re-publish a published or superseded version with 409, changing nothing', async () => {
    await saveDraft(toPerson('anna'));
    await publish(1);
    const edit = expectError(await putDraft(1, toPerson('ivan')), 409, 'LR_ERR_CONFLICT');
    expect(edit.message).toMatch(/published.*Save a new draft/);
    const again = expectError(await publish(1), 409, 'LR_ERR_CONFLICT');
    expect(again.message).toMatch(/version 1 is published/);

    await saveDraft(toPerson('ivan'));
    await publish(2);
    expectError(await putDraft(1, toPerson('olga')), 409, 'LR_ERR_CONFLICT');
    expectError(await publish(1), 409, 'LR_ERR_CONFLICT');

    expect((await getVersion(1)).json()).toMatchObject({ status: 'superseded', definition: toPerson('anna') });
    expect((await getVersion(2)).json()).toMatchObject({ status: 'published', definition: toPerson('ivan') });
    expect(await ruleSetRows(t.store)).toBe(2);
  });

  it('lists every version newest first: drafts, the published one and history', async () => {
    for (const who of ['anna', 'ivan', 'olga', 'anna']) await saveDraft(toPerson(who));
    await publish(1);
    await publish(3);
    const res = await t.request({ method: 'GET', url: '/api/v1/rule-sets' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((r: { version: number; status: string }) => [r.version, r.status])).toEqual([
      [4, 'draft'],
      [3, 'published'],
      [2, 'draft'],
      [1, 'superseded'],
    ]);
  });

  it('answers an empty list before any rule set exists', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/rule-sets' });
    expect(res.json()).toEqual({ items: [] });
  });

  it('answers 404 for a version that does not exist, whatever the action', async () => {
    await saveDraft(VALID);
    for (const res of [
      await getVersion(99),
      await putDraft(99, VALID),
      await publish(99),
      await t.request({ method: 'POST', url: '/api/v1/rule-sets/99/validate' }),
    ]) {
      const e = expectError(res, 404, 'LR_ERR_NOT_FOUND');
      expect(e.message).toContain('99');
    }
    expect(await ruleSetRows(t.store)).toBe(1);
  });

  it('answers 400 for a version that is not a positive whole number', async () => {
    for (const v of ['abc', '0', '-1', '1.5']) {
      const e = expectError(await getVersion(v), 400, 'LR_ERR_VALIDATION');
      expect(e.details?.map((d) => d.path)).toEqual(['params.version']);
    }
  });

  it('refuses a draft body that is not a definition, naming the field, and saves nothing', async () => {
    const notObject = expectError(await saveDraft('rules please'), 400, 'LR_ERR_VALIDATION');
    expect(notObject.details?.map((d) => d.path)).toEqual(['definition']);
    const extra = expectError(await t.request({ method: 'POST', url: '/api/v1/rule-sets', payload: { definition: VALID, publish: true } }), 400, 'LR_ERR_VALIDATION');
    expect(extra.details?.map((d) => d.path)).toEqual(['publish']);
    const longComment = expectError(await saveDraft(VALID, 'x'.repeat(2001)), 400, 'LR_ERR_VALIDATION');
    expect(longComment.details?.map((d) => d.path)).toEqual(['comment']);
    const missing = expectError(await t.request({ method: 'POST', url: '/api/v1/rule-sets', payload: {} }), 400, 'LR_ERR_VALIDATION');
    expect(missing.details?.map((d) => d.path)).toEqual(['definition']);
    expect(await ruleSetRows(t.store)).toBe(0);
  });

  it('refuses a rule name with a NUL character with a 400, on every database', async () => {
    const definition = { ...toPerson('anna'), rules: [{ id: 'all', name: 'All\u0000', target: { kind: 'person', managerId: 'anna' } }] };
    const e = expectError(await saveDraft(definition), 400, 'LR_ERR_VALIDATION');
    expect(e.details?.map((d) => d.path)).toEqual(['definition.rules[0].name']);
    expect(await ruleSetRows(t.store)).toBe(0);
  });

  it('validates deeply nested conditions up to the nesting limit and refuses deeper ones with a 400', async () => {
    const nest = (levels: number): unknown => {
      let condition: unknown = { field: 'score', op: 'gte', value: 50 };
      for (let i = 0; i < levels; i++) condition = { not: condition };
      return { ...toPerson('anna'), rules: [{ id: 'deep', name: 'Deep', when: condition, target: { kind: 'person', managerId: 'anna' } }] };
    };
    // body → definition → rules → [0] → when: the comparison sits 4 levels plus one per `not` down.
    const deepest = await t.request({ method: 'POST', url: '/api/v1/rule-sets/validate', payload: { definition: nest(59) } });
    expect(deepest.statusCode, deepest.body).toBe(200);
    expect(deepest.json()).toEqual({ ok: true, issues: [] });
    const tooDeep = expectError(await t.request({ method: 'POST', url: '/api/v1/rule-sets/validate', payload: { definition: nest(60) } }), 400, 'LR_ERR_VALIDATION');
    expect(tooDeep.details?.[0]?.code).toBe('too_deep');
    expect(tooDeep.details?.[0]?.path).toMatch(/^definition\.rules\[0\]\.when(\.not)+$/);
    expectError(await saveDraft(nest(200)), 400, 'LR_ERR_VALIDATION');
    expect(await ruleSetRows(t.store)).toBe(0);
  });

  it('validates a definition without saving it', async () => {
    const bad = await t.request({ method: 'POST', url: '/api/v1/rule-sets/validate', payload: { definition: WITH_MISTAKES } });
    expect(bad.statusCode).toBe(200);
    expect(bad.json().ok).toBe(false);
    expect(bad.json().issues.map((i: Issue) => i.path)).toEqual(['rules[0].when.field', 'rules[1].when.op', 'rules[1].target.managers[1]', 'rules[2].id']);

    const good = await t.request({ method: 'POST', url: '/api/v1/rule-sets/validate', payload: { definition: VALID } });
    expect(good.json()).toEqual({ ok: true, issues: [] });

    const notAnObject = await t.request({ method: 'POST', url: '/api/v1/rule-sets/validate', payload: { definition: 42 } });
    expect(notAnObject.statusCode).toBe(200);
    expect(notAnObject.json()).toMatchObject({ ok: false, issues: [{ path: '', code: 'invalid_type' }] });

    expectError(await t.request({ method: 'POST', url: '/api/v1/rule-sets/validate', payload: {} }), 400, 'LR_ERR_VALIDATION');
    expect(await ruleSetRows(t.store)).toBe(0);
  });

  it('re-validates a stored version against the managers of today', async () => {
    await saveDraft(VALID);
    const now = await t.request({ method: 'POST', url: '/api/v1/rule-sets/1/validate' });
    expect(now.json()).toEqual({ ok: true, issues: [] });
    await saveDraft(WITH_MISTAKES);
    const stored = await t.request({ method: 'POST', url: '/api/v1/rule-sets/2/validate' });
    expect(stored.json().issues).toHaveLength(4);
  });

  it('lets a rules:read key read and validate rule sets but not write them', async () => {
    await saveDraft(VALID);
    const reader = await t.keyWithScopes(['rules:read']);
    expect((await t.request({ method: 'GET', url: '/api/v1/rule-sets', key: reader })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/api/v1/rule-sets/1', key: reader })).statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: '/api/v1/rule-sets/validate', payload: { definition: VALID }, key: reader })).statusCode).toBe(200);

    const create = expectError(await saveDraft(VALID, undefined, reader), 403, 'LR_ERR_FORBIDDEN');
    expect(create.message).toContain('rules:write');
    expectError(await putDraft(1, toPerson('anna'), undefined, reader), 403, 'LR_ERR_FORBIDDEN');
    expectError(await publish(1, reader), 403, 'LR_ERR_FORBIDDEN');

    expect(await ruleSetRows(t.store)).toBe(1);
    expect((await getVersion(1)).json()).toMatchObject({ status: 'draft', definition: VALID });
  });

  it('keeps rule sets from a key scoped only for leads, and from callers without a key', async () => {
    const leadsOnly = await t.keyWithScopes(['leads:write', 'leads:read']);
    expectError(await t.request({ method: 'GET', url: '/api/v1/rule-sets', key: leadsOnly }), 403, 'LR_ERR_FORBIDDEN');
    expectError(await saveDraft(VALID, undefined, leadsOnly), 403, 'LR_ERR_FORBIDDEN');
    expectError(await t.request({ method: 'GET', url: '/api/v1/rule-sets', key: null }), 401, 'LR_ERR_UNAUTHORIZED');
    expectError(await t.request({ method: 'POST', url: '/api/v1/rule-sets', payload: { definition: VALID }, key: null }), 401, 'LR_ERR_UNAUTHORIZED');
    expect(await ruleSetRows(t.store)).toBe(0);
  });

  it('routes new leads by the version just published, and leaves earlier decisions as they were', async () => {
    await saveDraft(toPerson('anna'));
    await publish(1);
    const first = (await postLead('First')).json();
    expect(first.decision).toMatchObject({ ruleSetVersion: 1, ruleId: 'all', via: 'rule' });
    expect(first.owner.id).toBe('anna');

    // A saved but unpublished draft changes nothing.
    await saveDraft(toPerson('ivan', 'to-ivan'));
    const second = (await postLead('Second')).json();
    expect(second.decision.ruleSetVersion).toBe(1);
    expect(second.owner.id).toBe('anna');

    await publish(2);
    const third = (await postLead('Third')).json();
    expect(third.decision).toMatchObject({ ruleSetVersion: 2, ruleId: 'to-ivan' });
    expect(third.owner.id).toBe('ivan');

    const before = (await t.request({ method: 'GET', url: `/api/v1/leads/${first.lead.id}` })).json();
    expect(before.decision.ruleSetVersion).toBe(1);
    expect(before.owner.id).toBe('anna');
    expect(await countRows(t.store, 'assignments')).toBe(3);
  });
});
