import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadsTable } from '../../src/store/schema.js';
import { insertManagers, insertTeam } from '../../src/store/manager-queries.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

/**
 * Walking the lead list page by page gives exactly the leads the filter and the person's view
 * allow, newest first, each once — also where the list is read as one branch per owner (a head's
 * team and the pool) or per status (several statuses), and across leads created at the same instant
 * (the cursor's tie on id). Issue 16: the list's query shapes for 1,000,000 leads.
 */
const OWNERS = ['m1', 'm2', 'm3', 'm4', null] as const;
const STATUSES = ['new', 'in_progress', 'junk', 'pool'] as const;
const SOURCES = ['site', 'partner', 'vk'] as const;

interface Row {
  id: string;
  owner: string | null;
  status: string;
  source: string;
  createdAt: string;
}

function rowsOf(count: number): Row[] {
  const base = Date.parse('2026-11-01T00:00:00.000Z');
  return Array.from({ length: count }, (_, n) => {
    const owner = OWNERS[(n * 7) % OWNERS.length] ?? null;
    // Every third lead shares its instant with the one before, so pages split inside a tie.
    const minute = n - Math.floor(n / 3);
    return {
      id: `L${String((n * 37) % count).padStart(4, '0')}`,
      owner,
      status: owner === null ? (n % 2 === 0 ? 'pool' : 'new') : (STATUSES[(n * 5) % 3] as string),
      source: SOURCES[n % SOURCES.length] as string,
      createdAt: new Date(base + minute * 60_000).toISOString(),
    };
  });
}

const newestFirst = (a: Row, b: Row) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);

describe.each(DATABASE_KINDS)('lead list pages on %s', (kind) => {
  let t: TestApp;
  let head: TestUser;
  let member: TestUser;
  const rows = rowsOf(240);

  beforeAll(async () => {
    t = await startTestApp(kind);
    const at = '2026-10-01T00:00:00.000Z';
    await insertTeam(t.store.db, { id: 'north', name: 'North' }, at);
    await insertTeam(t.store.db, { id: 'south', name: 'South' }, at);
    await insertManagers(t.store.db, [manager('m1', { teamId: 'north' }), manager('m2', { teamId: 'north' }), manager('m3', { teamId: 'north' }), manager('m4', { teamId: 'south' })], at);
    const leads: Array<Insertable<LeadsTable>> = rows.map((r) => ({
      id: r.id, status: r.status, owner_id: r.owner, name: `Lead ${r.id}`, source: r.source, campaign: null, product_interest: '[]', custom: '{}',
      priority: null, assigned_at: r.owner ? r.createdAt : null, created_at: r.createdAt, updated_at: r.createdAt,
      first_contact_at: null, last_activity_at: null, junk_reason: null, closed_at: null, qualified_at: null,
      sla_policy_id: null, sla_kind: null, sla_due_at: null, sla_breaches: 0, reassignments: 0, search_text: null, search_digits: null,
    }));
    await t.store.db.insertInto('leads').values(leads).execute();
    head = await t.signIn({ role: 'head', teamId: 'north' });
    member = await t.signIn({ role: 'manager', teamId: 'north', managerId: 'm2' });
  }, 60_000);
  afterAll(async () => await t?.close());

  async function walk(request: (url: string) => Promise<{ statusCode: number; json: () => unknown }>, query: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const res = await request(`/api/v1/leads?decisions=false&limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: Array<{ lead: { id: string } }>; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...body.items.map((i) => i.lead.id));
      if (body.nextCursor === null) return ids;
      cursor = body.nextCursor;
    }
    throw new Error('the list never ended');
  }

  const expected = (keep: (r: Row) => boolean) => rows.filter(keep).sort(newestFirst).map((r) => r.id);
  const north = new Set(['m1', 'm2', 'm3']);

  it.each([
    ['everything', '', () => true],
    ['one owner', 'ownerId=m3', (r: Row) => r.owner === 'm3'],
    ['one status', 'status=in_progress', (r: Row) => r.status === 'in_progress'],
    ['several statuses (one branch each)', 'status=new,junk,pool', (r: Row) => ['new', 'junk', 'pool'].includes(r.status)],
    ['a source in a period', 'source=partner&createdFrom=2026-11-01T01:00:00.000Z&createdTo=2026-11-01T02:30:00.000Z', (r: Row) => r.source === 'partner' && r.createdAt >= '2026-11-01T01:00:00.000Z' && r.createdAt < '2026-11-01T02:30:00.000Z'],
    ['an owner and several statuses', 'ownerId=m1&status=new,junk', (r: Row) => r.owner === 'm1' && ['new', 'junk'].includes(r.status)],
  ])('with the admin key: %s, every lead once, newest first', async (_name, query, keep) => {
    const want = expected(keep);
    expect(want.length).toBeGreaterThan(0);
    for (const limit of [7, 50]) expect(await walk(async (url) => await t.request({ method: 'GET', url }), query, limit)).toEqual(want);
  });

  it('a head walks the team and the pool (a branch per owner and one for the pool); a manager their own and the pool', async () => {
    const teamView = (r: Row) => (r.owner === null ? r.status === 'pool' : north.has(r.owner));
    expect(await walk(async (url) => await head.request({ method: 'GET', url }), '', 9)).toEqual(expected(teamView));
    expect(await walk(async (url) => await head.request({ method: 'GET', url }), 'status=new,pool', 9)).toEqual(expected((r) => teamView(r) && ['new', 'pool'].includes(r.status)));
    expect(await walk(async (url) => await head.request({ method: 'GET', url }), 'ownerId=m4', 9)).toEqual([]);
    expect(await walk(async (url) => await member.request({ method: 'GET', url }), '', 6)).toEqual(expected((r) => (r.owner === null ? r.status === 'pool' : r.owner === 'm2')));
  });
});
