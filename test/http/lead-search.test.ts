import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoutingSnapshotLoader } from '../../src/app/routing/routing-snapshot.js';
import { sweepSla } from '../../src/app/sla/sweep-sla.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const ROUND_ROBIN = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'all', name: 'Everyone', target: { kind: 'group', managers: ['m1', 'm2'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

describe.each(DATABASE_KINDS)('searching and filtering the lead list on %s', (kind) => {
  let t: TestApp;
  let now: Date;
  beforeEach(async () => {
    now = new Date('2026-11-25T09:00:00.000Z');
    t = await startTestApp(kind, { now: () => now });
    await setUpRouting(t, { teams: [{ id: 'north', name: 'North' }], managers: [manager('m1', { teamId: 'north' }), manager('m2', { teamId: 'north' })], ruleSet: ROUND_ROBIN });
  });
  afterEach(async () => await t.close());

  const send = async (payload: Record<string, unknown>): Promise<{ id: string; ownerId: string | null }> => {
    const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload });
    expect(res.statusCode, res.body).toBe(201);
    // Distinct creation times keep "newest first" predictable.
    now = new Date(now.getTime() + 1000);
    return res.json().lead;
  };
  const search = async (query: string): Promise<string[]> => {
    const res = await t.request({ method: 'GET', url: `/api/v1/leads?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as Array<{ lead: { name: string } }>).map((i) => i.lead.name);
  };
  const q = (text: string): string => `q=${encodeURIComponent(text)}`;

  it('finds Cyrillic names and company names in any case, with ё read as е, on both databases', async () => {
    await send({ name: 'Пётр Иванов', phone: '+7 916 111-22-33' });
    await send({ name: 'Анна', companyName: 'ООО «РОМАШКА»' });
    await send({ name: 'John Smith', email: 'john@example.com' });

    expect(await search(q('петр'))).toEqual(['Пётр Иванов']);
    expect(await search(q('ПЁТР иванов'))).toEqual(['Пётр Иванов']);
    expect(await search(q('  иВаНоВ '))).toEqual(['Пётр Иванов']);
    expect(await search(q('ромашк'))).toEqual(['Анна']);
    expect(await search(q('SMITH'))).toEqual(['John Smith']);
    expect(await search(q('Сидоров'))).toEqual([]);
  });

  it('finds e-mails by any part and phones by their digits however they are typed', async () => {
    await send({ name: 'By mail', email: 'Ivan.Petrov@Example.COM' });
    await send({ name: 'By phone', phone: '8 (916) 123-45-67' });
    await send({ name: 'Unparsed phone', phone: '12-34' });
    await send({ name: 'Other', phone: '+7 999 000-00-01', email: 'other@example.org' });

    expect(await search(q('petrov@example'))).toEqual(['By mail']);
    expect(await search(q('EXAMPLE.com'))).toEqual(['By mail']);
    expect(await search(q('916 123-45'))).toEqual(['By phone']);
    expect(await search(q('+7 916 1234567'))).toEqual(['By phone']);
    // The trunk prefix 8 stands for +7.
    expect(await search(q('8 916 123'))).toEqual(['By phone']);
    expect(await search(q('89161234567'))).toEqual(['By phone']);
    // A number kept as written is found by its digits.
    expect(await search(q('1234'))).toEqual(['Unparsed phone', 'By phone']);
    // Two digits are too few for a phone search; text search finds nothing with them.
    expect(await search(q('67'))).toEqual([]);
  });

  it("takes the query's % and _ literally", async () => {
    await send({ name: '100% гарантия' });
    await send({ name: 'Обычный' });
    await send({ name: 'snake_case' });
    expect(await search(q('%'))).toEqual(['100% гарантия']);
    expect(await search(q('_'))).toEqual(['snake_case']);
    expect(await search(q('e_c'))).toEqual(['snake_case']);
  });

  it('pages through search results with the cursor, and still shows a manager only their own leads', async () => {
    for (let i = 1; i <= 7; i++) await send({ name: `Клиент ${i}` });
    await send({ name: 'Someone else' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/leads?${q('клиент')}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.request({ method: 'GET', url })).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i: { lead: { name: string } }) => i.lead.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Клиент 7', 'Клиент 6', 'Клиент 5', 'Клиент 4', 'Клиент 3', 'Клиент 2', 'Клиент 1']);

    const anna = await t.signIn({ role: 'manager', managerId: 'm1' });
    const own = (await anna.request({ method: 'GET', url: `/api/v1/leads?${q('клиент')}` })).json().items as Array<{ lead: { ownerId: string } }>;
    expect(own.length).toBe(4);
    expect(own.every((i) => i.lead.ownerId === 'm1')).toBe(true);
  });

  it('filters by several statuses at once, and refuses malformed filters with the parameter named', async () => {
    const first = await send({ name: 'First' });
    await send({ name: 'Second' });
    await send({ name: 'Third' });
    expect((await t.request({ method: 'POST', url: `/api/v1/leads/${first.id}/status`, payload: { status: 'junk', junkReason: 'spam' } })).statusCode).toBe(200);

    expect(await search('status=junk')).toEqual(['First']);
    expect(await search('status=new,junk')).toEqual(['Third', 'Second', 'First']);
    expect(await search(`status=${encodeURIComponent(' junk , in_progress ')}`)).toEqual(['First']);
    expect(await search(`status=junk,new&${q('sec')}`)).toEqual(['Second']);
    expect(await search('status=')).toEqual(['Third', 'Second', 'First']);

    const bad: Array<[string, string]> = [
      ['status=,,', 'query.status'],
      [`status=${Array.from({ length: 21 }, (_, i) => `s${i}`).join(',')}`, 'query.status'],
      [`status=${'x'.repeat(51)}`, 'query.status'],
      ['q=', 'query.q'],
      [`q=${encodeURIComponent('   ')}`, 'query.q'],
      [`q=${'я'.repeat(101)}`, 'query.q'],
      ['sla=late', 'query.sla'],
    ];
    for (const [query, path] of bad) {
      const res = await t.request({ method: 'GET', url: `/api/v1/leads?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('LR_ERR_VALIDATION');
      expect(res.json().error.details[0].path, query).toBe(path);
    }
  });

  it('filters by SLA state: breached when late now, running before the deadline, none without a clock', async () => {
    await t.request({ method: 'POST', url: '/api/v1/managers', payload: { id: 'h1', teamId: 'north', name: 'Head' } });
    await t.signIn({ role: 'head', teamId: 'north', managerId: 'h1' });
    const policy = await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { name: 'Web', match: { sources: ['web'] }, firstContactMinutes: 30, maxReassignments: 1, onExhausted: 'head' } });
    expect(policy.statusCode).toBe(201);
    const late = await send({ name: 'Late', source: 'web' });
    const contacted = await send({ name: 'Contacted late', source: 'web' });
    now = new Date(now.getTime() + 20 * 60_000);
    await send({ name: 'In time', source: 'web' });
    await send({ name: 'No policy', source: 'fair' });
    const junk = await send({ name: 'Junk', source: 'web' });
    await t.request({ method: 'POST', url: `/api/v1/leads/${junk.id}/status`, payload: { status: 'junk', junkReason: 'spam' } });
    now = new Date(now.getTime() + 15 * 60_000);

    expect(await search('sla=breached')).toEqual(['Contacted late', 'Late']);
    // A first contact after the deadline counts as a breach, but with no next-step deadline nothing is late any more.
    expect((await t.request({ method: 'POST', url: `/api/v1/leads/${contacted.id}/activities`, payload: { kind: 'call', outcome: 'reached' } })).statusCode).toBe(201);
    expect((await t.request({ method: 'GET', url: `/api/v1/leads/${contacted.id}` })).json().lead.sla.breaches).toBe(1);
    expect(await search('sla=breached')).toEqual(['Late']);
    expect(await search('sla=running')).toEqual(['In time']);
    expect(await search('sla=none')).toEqual(['Junk', 'No policy', 'Contacted late']);
    expect(await search(`sla=breached&${q('in time')}`)).toEqual([]);

    // The sweeper hands the late lead to the other manager with a fresh clock: running again.
    const snapshots = new RoutingSnapshotLoader();
    await sweepSla(t.ctx, snapshots);
    const reassigned = (await t.request({ method: 'GET', url: `/api/v1/leads/${late.id}` })).json().lead;
    expect(reassigned.ownerId).not.toBe(late.ownerId);
    expect(reassigned.sla.breaches).toBe(1);
    expect(await search('sla=breached')).toEqual([]);
    expect(await search('sla=running')).toEqual(['In time', 'Late']);

    // Lapsed again: escalated to the head, whose clock runs; lapsed at the head too: the clock stops, the lead is late for good.
    now = new Date(now.getTime() + 31 * 60_000);
    await sweepSla(t.ctx, snapshots);
    expect((await t.request({ method: 'GET', url: `/api/v1/leads/${late.id}` })).json().lead).toMatchObject({ ownerId: 'h1', sla: { kind: 'first_contact' } });
    expect(await search('sla=running')).toContain('Late');
    now = new Date(now.getTime() + 31 * 60_000);
    await sweepSla(t.ctx, snapshots);
    const stopped = (await t.request({ method: 'GET', url: `/api/v1/leads/${late.id}` })).json().lead;
    expect(stopped).toMatchObject({ ownerId: 'h1', sla: { dueAt: null, breaches: 3 } });
    expect(await search('sla=breached')).toContain('Late');
    expect(await search('sla=running')).not.toContain('Late');
    expect(await search('sla=none')).not.toContain('Late');
  });
});
