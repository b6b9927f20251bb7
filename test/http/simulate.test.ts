import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { countRows, manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';
import type { SimulationReport } from '../../src/app/routing/simulate-routing.js';

const OWNERSHIP = { enabled: true, whenOwnerUnavailable: 'next_rule' };

/** Published as version 1: anna carries twice ivan's share. */
const WEIGHTED = {
  ownership: OWNERSHIP,
  rules: [{ id: 'weighted', name: 'Weighted', target: { kind: 'group', managers: ['anna', 'ivan'], strategy: 'weighted' } }],
  fallback: { kind: 'pool' },
};

const toPerson = (managerId: string, ruleId = 'all') => ({
  ownership: OWNERSHIP,
  rules: [{ id: ruleId, name: `All to ${managerId}`, target: { kind: 'person', managerId } }],
  fallback: { kind: 'pool' },
});

/** Enterprise leads (a custom field) go to key accounts; the rest rotate. */
const BY_SEGMENT = {
  ownership: OWNERSHIP,
  rules: [
    { id: 'enterprise', name: 'Enterprise', when: { field: 'custom.segment', op: 'eq', value: 'enterprise' }, target: { kind: 'person', managerId: 'kam' } },
    { id: 'rest', name: 'Everyone else', target: { kind: 'group', managers: ['anna', 'ivan'], strategy: 'round_robin' } },
  ],
  fallback: { kind: 'pool' },
};

/** The answer of POST /api/v1/routing/simulate: the app's report plus what the file parser left out. */
type Report = SimulationReport & {
  rejected: Array<{ row: number; issues: Array<{ path: string; code: string; message: string }> }>;
  ignoredColumns: string[];
};

const leadsNamed = (n: number, extra: Record<string, unknown> = {}) => Array.from({ length: n }, (_, i) => ({ name: `Lead ${i + 1}`, ...extra }));

/** The report is internally consistent, whatever the input. */
function expectCoherent(report: Report): void {
  expect(report.assigned + report.pool).toBe(report.leads);
  expect(report.perManager.reduce((s, m) => s + m.count, 0)).toBe(report.assigned);
  expect(Object.values(report.byVia).reduce((s, n) => s + n, 0)).toBe(report.leads);
  if (report.assigned > 0) {
    expect(report.perManager.reduce((s, m) => s + m.share, 0)).toBeCloseTo(1, 9);
    expect(report.perManager.reduce((s, m) => s + m.targetShare, 0)).toBeCloseTo(1, 9);
  }
  for (const m of report.perManager) {
    expect(m.share).toBeCloseTo(m.count / report.assigned, 9);
    expect(m.maxDeviation).toBeGreaterThanOrEqual(0);
    expect(m.maxDeviation).toBeLessThanOrEqual(report.maxDeviation);
  }
  const counts = report.perManager.map((m) => m.count);
  expect(counts).toEqual([...counts].sort((a, b) => b - a));
}

function figuresOf(report: Report): Record<string, number> {
  return Object.fromEntries(report.perManager.map((m) => [m.managerId, m.count]));
}

function expectError(res: LightMyRequestResponse, status: number, code: string): { code: string; message: string; details?: Array<{ path: string; code: string; message: string }> } {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json<{ error: { code: string; message: string; details?: Array<{ path: string; code: string; message: string }> } }>();
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

describe.each(DATABASE_KINDS)('routing simulation on %s', (kind) => {
  let t: TestApp;
  let clock: number;

  beforeEach(async () => {
    clock = Date.parse('2025-03-03T07:00:00Z');
    t = await startTestApp(kind, { now: () => new Date(clock) });
    await setUpRouting(t, {
      managers: [
        manager('anna', { name: 'Анна', weight: 2 }),
        manager('ivan', { name: 'Ivan' }),
        manager('olga', { name: 'Olga', paused: true }),
        manager('kam', { name: 'Key accounts' }),
      ],
      ruleSet: WEIGHTED,
    });
  });
  afterEach(async () => {
    await t.close();
  });

  const simulate = (body: unknown, key?: string) => t.request({ method: 'POST', url: '/api/v1/routing/simulate', payload: body as object, ...(key ? { key } : {}) });
  const report = async (body: unknown): Promise<Report> => {
    const res = await simulate(body);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<Report>();
    expectCoherent(r);
    return r;
  };

  /** Everything a real routing decision would write. */
  async function storedState() {
    return {
      leads: await countRows(t.store, 'leads'),
      assignments: await countRows(t.store, 'assignments'),
      events: await countRows(t.store, 'events'),
      outbox: await countRows(t.store, 'outbox'),
      routingState: await t.store.db.selectFrom('routing_state').selectAll().orderBy('rule_id').orderBy('manager_id').execute(),
      managers: await t.store.db.selectFrom('managers').select(['id', 'open_leads', 'today_count', 'today_date', 'updated_at']).orderBy('id').execute(),
      ruleSets: await t.store.db.selectFrom('rule_sets').select(['version', 'status', 'published_at']).orderBy('version').execute(),
    };
  }

  it('splits leads sent as JSON by the published weights, 2:1 over 30 leads, and says how fair it was', async () => {
    const before = await storedState();
    const r = await report({ leads: leadsNamed(30) });
    expect(r).toMatchObject({ ruleSetVersion: 1, leads: 30, assigned: 30, pool: 0, byRule: { weighted: 30 }, byVia: { rule: 30 }, rejected: [] });
    expect(r.fallback).toEqual({ count: 0, reasons: {}, examples: [] });
    expect(r.perManager.map((m) => [m.managerId, m.name, m.count])).toEqual([
      ['anna', 'Анна', 20],
      ['ivan', 'Ivan', 10],
    ]);
    const [anna, ivan] = r.perManager;
    expect(anna?.share).toBeCloseTo(2 / 3, 3);
    expect(anna?.targetShare).toBeCloseTo(2 / 3, 3);
    expect(ivan?.share).toBeCloseTo(1 / 3, 3);
    expect(ivan?.targetShare).toBeCloseTo(1 / 3, 3);
    expect(r.maxDeviation).toBeLessThan(1);
    expect(await storedState()).toEqual(before);
  });

  it('reads a CSV file with a custom column and reports each bad row by its spreadsheet row number', async () => {
    const csv = [
      'name,phone,region,companySize,custom.segment', // row 1
      'Acme,+7 916 123-45-67,Moscow,1000,enterprise', // row 2
      'Beta,,Kazan,about fifty,smb', // row 3: companySize is not a number
      'Gamma,,Moscow,10,smb', // row 4
      '', // row 5: blank, skipped but still a row
      'Delta,+79160000000,,,enterprise', // row 6
      ',,Tver,,', // row 7: nobody to call
      '"Epsilon, Ltd",,,,', // row 8: a quoted comma
    ].join('\n');
    const before = await storedState();
    const r = await report({ definition: BY_SEGMENT, csv });
    expect(r).toMatchObject({ ruleSetVersion: null, leads: 4, assigned: 4, pool: 0, byRule: { enterprise: 2, rest: 2 } });
    expect(figuresOf(r)).toEqual({ kam: 2, anna: 1, ivan: 1 });
    expect(r.rejected.map((x) => [x.row, x.issues.map((i) => i.path)])).toEqual([
      [3, ['companySize']],
      [7, ['(row)']],
    ]);
    expect(r.rejected[1]?.issues[0]?.message).toMatch(/name, phone, email or companyName/);
    expect(await storedState()).toEqual(before);
  });

  it('leaves out a CSV column that is not an intake field (a CRM export’s own id) and names it once', async () => {
    const r = await report({ csv: 'crm_id,name,regoin\n17,Acme,Moscow\n18,Beta,Kazan\n' });
    expect(r.leads).toBe(2);
    expect(r.rejected).toEqual([]);
    expect(r.ignoredColumns.sort()).toEqual(['crm_id', 'regoin']);
  });

  it('names what was sent when a number column holds text', async () => {
    const r = await report({ csv: 'name,dealValue\nAcme,"1 500,50"\nBeta,lots\n' });
    expect(r.leads).toBe(1);
    expect(r.rejected).toEqual([{ row: 3, issues: [expect.objectContaining({ path: 'dealValue', message: expect.stringContaining('string') })] }]);
  });

  it('reports leads in JSON that do not validate by their position in the list, counting from 1, and routes the rest', async () => {
    const r = await report({ leads: [{ name: 'Fine' }, { name: 'Bad score', score: 'high' }, 42, { region: 'Moscow' }, { name: 'Also fine' }] });
    expect(r.leads).toBe(2);
    expect(r.rejected.map((x) => [x.row, x.issues.map((i) => i.path)])).toEqual([
      [2, ['score']],
      [3, ['(row)']],
      [4, ['(row)']],
    ]);
  });

  it('answers 400 for a CSV it cannot read', async () => {
    const e = expectError(await simulate({ csv: 'name,phone\n"Acme,+79161234567\n' }), 400, 'LR_ERR_VALIDATION');
    expect(e.details).toEqual([expect.objectContaining({ path: 'csv', code: 'unreadable' })]);
  });

  it('replays the stored leads of a period, oldest first, and only those', async () => {
    // Monday: 3 leads; Tuesday: 6 leads.
    for (let i = 0; i < 3; i++) {
      clock += 60_000;
      expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: `Mon ${i}` } })).statusCode).toBe(201);
    }
    clock = Date.parse('2025-03-04T07:00:00Z');
    for (let i = 0; i < 6; i++) {
      clock += 60_000;
      expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: `Tue ${i}`, region: 'Kazan' } })).statusCode).toBe(201);
    }
    expect((await t.store.db.selectFrom('routing_state').selectAll().execute()).length).toBeGreaterThan(0);
    const before = await storedState();

    const monday = await report({ period: { from: '2025-03-03T00:00:00Z', to: '2025-03-04T00:00:00Z' } });
    expect(monday).toMatchObject({ ruleSetVersion: 1, leads: 3, assigned: 3 });

    const both = await report({ period: { from: '2025-03-03T00:00:00+03:00', to: '2025-03-05T00:00:00+03:00' }, definition: toPerson('kam') });
    expect(both).toMatchObject({ ruleSetVersion: null, leads: 9, assigned: 9, byRule: { all: 9 } });
    expect(figuresOf(both)).toEqual({ kam: 9 });

    const regional = await report({
      period: { from: '2025-03-01T00:00:00Z', to: '2025-03-10T00:00:00Z' },
      definition: { ...BY_SEGMENT, rules: [{ id: 'kazan', name: 'Kazan', when: { field: 'region', op: 'eq', value: 'Kazan' }, target: { kind: 'person', managerId: 'ivan' } }] },
    });
    expect(regional).toMatchObject({ leads: 9, assigned: 6, pool: 3, byRule: { kazan: 6 }, fallback: { count: 3, reasons: { no_rule_matched: 3 } } });

    const empty = await report({ period: { from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' } });
    expect(empty).toMatchObject({ leads: 0, assigned: 0, pool: 0, perManager: [], maxDeviation: 0 });

    expect(await storedState()).toEqual(before);
  });

  it('refuses a period that ends before it starts or is not a timestamp', async () => {
    const reversed = expectError(await simulate({ period: { from: '2025-03-04T00:00:00Z', to: '2025-03-03T00:00:00Z' } }), 400, 'LR_ERR_VALIDATION');
    expect(reversed.details?.map((d) => d.path)).toEqual(['period']);
    const empty = expectError(await simulate({ period: { from: '2025-03-03T00:00:00Z', to: '2025-03-03T00:00:00Z' } }), 400, 'LR_ERR_VALIDATION');
    expect(empty.details?.map((d) => d.path)).toEqual(['period']);
    const notDate = expectError(await simulate({ period: { from: 'last monday', to: '2025-03-03T00:00:00Z' } }), 400, 'LR_ERR_VALIDATION');
    expect(notDate.details?.map((d) => d.path)).toEqual(['period.from']);
  });

  it('tries an unsaved definition without storing it or changing what is published', async () => {
    const before = await storedState();
    const r = await report({ definition: toPerson('ivan', 'try-ivan'), leads: leadsNamed(4) });
    expect(r).toMatchObject({ ruleSetVersion: null, leads: 4, assigned: 4, byRule: { 'try-ivan': 4 } });
    expect(figuresOf(r)).toEqual({ ivan: 4 });
    expect(await storedState()).toEqual(before);
    const live = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Live' } });
    expect(live.json().decision.ruleSetVersion).toBe(1);
  });

  it('simulates a saved draft by its version, leaving it a draft', async () => {
    const saved = await t.request({ method: 'POST', url: '/api/v1/rule-sets', payload: { definition: toPerson('kam', 'to-kam') } });
    expect(saved.json().ruleSet.version).toBe(2);
    const before = await storedState();
    const r = await report({ version: 2, leads: leadsNamed(5) });
    expect(r).toMatchObject({ ruleSetVersion: 2, leads: 5, byRule: { 'to-kam': 5 } });
    expect(figuresOf(r)).toEqual({ kam: 5 });
    const published = await report({ version: 1, leads: leadsNamed(3) });
    expect(published.ruleSetVersion).toBe(1);
    expect(figuresOf(published)).toEqual({ anna: 2, ivan: 1 });
    expect(await storedState()).toEqual(before);
  });

  it('refuses to simulate a saved draft that has mistakes, naming them, instead of failing', async () => {
    await t.request({ method: 'POST', url: '/api/v1/rule-sets', payload: { definition: {} } });
    const empty = expectError(await simulate({ version: 2, leads: leadsNamed(1) }), 422, 'LR_ERR_RULE_SET_INVALID');
    expect(empty.details?.map((d) => d.path)).toEqual(['ownership', 'rules', 'fallback']);
    expect(empty.message).toContain('version 2');

    const broken = { ...WEIGHTED, rules: [{ id: 'w', name: 'W', when: { field: 'score', op: 'between', value: 5 }, target: { kind: 'group', managers: ['ghost'], strategy: 'weighted' } }] };
    await t.request({ method: 'POST', url: '/api/v1/rule-sets', payload: { definition: broken } });
    const e = expectError(await simulate({ version: 3, leads: leadsNamed(1) }), 422, 'LR_ERR_RULE_SET_INVALID');
    expect(e.details?.map((d) => d.path)).toEqual(['rules[0].when.value', 'rules[0].target.managers[0]']);
  });

  it('answers 404 for a version that does not exist', async () => {
    const e = expectError(await simulate({ version: 42, leads: leadsNamed(1) }), 404, 'LR_ERR_NOT_FOUND');
    expect(e.message).toContain('42');
  });

  it('counts fallbacks and their reasons when every candidate of a rule is paused', async () => {
    const pausedOnly = {
      ownership: OWNERSHIP,
      rules: [{ id: 'olga-only', name: 'Olga only', target: { kind: 'group', managers: ['olga'], strategy: 'round_robin' } }],
      fallback: { kind: 'manager', managerId: 'kam' },
    };
    const r = await report({ definition: pausedOnly, leads: leadsNamed(5) });
    expect(r).toMatchObject({ leads: 5, assigned: 5, pool: 0, byRule: {}, byVia: { fallback: 5 } });
    expect(r.fallback.count).toBe(5);
    expect(r.fallback.reasons).toEqual({ no_candidate: 5 });
    expect(r.fallback.examples).toHaveLength(5);
    expect(r.fallback.examples[0]).toMatchObject({ index: 1 });
    expect(r.fallback.examples[0]?.summary).toMatch(/Olga only.*paused.*Key accounts/);
    expect(figuresOf(r)).toEqual({ kam: 5 });

    const toPool = await report({ definition: { ...pausedOnly, rules: [{ ...pausedOnly.rules[0], onNoCandidate: 'fallback' }], fallback: { kind: 'pool' } }, leads: leadsNamed(3) });
    expect(toPool).toMatchObject({ leads: 3, assigned: 0, pool: 3, perManager: [], fallback: { count: 3, reasons: { rule_requested: 3 } } });
  });

  it('caps the number of fallback examples but counts every fallback', async () => {
    const r = await report({ definition: { ...toPerson('olga'), rules: [], fallback: { kind: 'pool' } }, leads: leadsNamed(25) });
    expect(r).toMatchObject({ pool: 25, fallback: { count: 25, reasons: { no_rule_matched: 25 } } });
    expect(r.fallback.examples).toHaveLength(20);
  });

  it('refuses an invalid inline definition with 422 and paths that start at definition', async () => {
    const before = await storedState();
    const definition = {
      ownership: OWNERSHIP,
      rules: [
        { id: 'moscow', name: 'Moscow', when: { field: 'regoin', op: 'eq', value: 'Moscow' }, target: { kind: 'group', managers: ['anna'], strategy: 'round_robin' } },
        { id: 'moscow', name: 'Twice', target: { kind: 'person', managerId: 'ghost' } },
      ],
      fallback: { kind: 'pool' },
    };
    const e = expectError(await simulate({ definition, leads: leadsNamed(2) }), 422, 'LR_ERR_RULE_SET_INVALID');
    expect(e.details?.map((d) => [d.path, d.code])).toEqual([
      ['definition.rules[0].when.field', 'unknown_field'],
      ['definition.rules[1].id', 'duplicate_rule_id'],
      ['definition.rules[1].target.managerId', 'unknown_manager'],
    ]);
    expect(e.details?.[0]?.message).toMatch(/^Rule "moscow"/);
    expect(await storedState()).toEqual(before);
  });

  it.each([
    ['both leads and csv', { leads: [{ name: 'a' }], csv: 'name\nb' }],
    ['both leads and a period', { leads: [{ name: 'a' }], period: { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' } }],
    ['no leads, csv or period', { definition: WEIGHTED }],
    ['a version and a definition', { version: 1, definition: WEIGHTED, leads: [{ name: 'a' }] }],
  ])('refuses a request with %s', async (_label, body) => {
    const before = await storedState();
    const e = expectError(await simulate(body), 400, 'LR_ERR_VALIDATION');
    expect(e.message).toMatch(/give (exactly one of period, leads, csv or xlsx|version or definition, not both)/);
    expect(await storedState()).toEqual(before);
  });

  it('refuses unknown fields and wrong types in the request itself', async () => {
    expect(expectError(await simulate({ leads: [{ name: 'a' }], dryRun: true }), 400, 'LR_ERR_VALIDATION').details?.map((d) => d.path)).toEqual(['dryRun']);
    expect(expectError(await simulate({ leads: { name: 'a' } }), 400, 'LR_ERR_VALIDATION').details?.map((d) => d.path)).toEqual(['leads']);
    expect(expectError(await simulate({ version: 0, leads: [] }), 400, 'LR_ERR_VALIDATION').details?.map((d) => d.path)).toEqual(['version']);
    expect(expectError(await simulate({ definition: 'weighted', leads: [] }), 400, 'LR_ERR_VALIDATION').details?.map((d) => d.path)).toEqual(['definition']);
  });

  it('lets a rules:read key simulate, but not a key scoped only for leads or no key', async () => {
    const reader = await t.keyWithScopes(['rules:read']);
    expect((await simulate({ leads: leadsNamed(1) }, reader)).statusCode).toBe(200);
    const writer = await t.keyWithScopes(['leads:write']);
    expectError(await simulate({ leads: leadsNamed(1) }, writer), 403, 'LR_ERR_FORBIDDEN');
    expectError(await t.request({ method: 'POST', url: '/api/v1/routing/simulate', payload: { leads: leadsNamed(1) }, key: null }), 401, 'LR_ERR_UNAUTHORIZED');
  });

  it('gives the same split for the same input every time', async () => {
    const body = { definition: { ...WEIGHTED, rules: [{ ...WEIGHTED.rules[0], target: { kind: 'group', managers: ['anna', 'ivan', 'kam'], strategy: 'round_robin' } }] }, leads: leadsNamed(10) };
    const first = await report(body);
    const second = await report(body);
    expect(second).toEqual(first);
    expect(figuresOf(first)).toEqual({ anna: 4, ivan: 3, kam: 3 });
  });
});
