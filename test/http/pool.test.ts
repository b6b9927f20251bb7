import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/access/principal.js';
import { createApiKey } from '../../src/app/api-keys.js';
import { createAppContext } from '../../src/app/app-context.js';
import { createUser } from '../../src/app/people/users.js';
import { publishDefinition } from '../../src/app/routing/rule-sets.js';
import { buildApp, type LeadRouterApp } from '../../src/http/build-app.js';
import { openStore, type Store } from '../../src/store/database.js';
import { readJson } from '../../src/store/json.js';
import { insertManagers, insertTeam } from '../../src/store/manager-queries.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createPostgresDatabase, DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app.js';

/** Every lead lands in the pool. */
const ALL_TO_POOL = { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [], fallback: { kind: 'pool' } };
const RACERS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];

describe.each(DATABASE_KINDS)('the pool on %s', (kind) => {
  let t: TestApp;
  let clock: Date;
  let signedIn: Map<string, TestUser>;
  const as = async (who: string): Promise<TestUser> => {
    const known = signedIn.get(who);
    if (known) return known;
    const person = who === 'northHead' ? { role: 'head' as const, teamId: 'north' } : { role: 'manager' as const, managerId: who, teamId: who === 'carl' ? 'south' : 'north' };
    const user = await t.signIn(person);
    signedIn.set(who, user);
    return user;
  };

  beforeEach(async () => {
    clock = new Date('2026-11-25T09:00:00.000Z');
    t = await startTestApp(kind, { now: () => clock });
    await setUpRouting(t, {
      teams: [
        { id: 'north', name: 'North' },
        { id: 'south', name: 'South' },
      ],
      managers: [...['anna', 'boris', ...RACERS].map((id) => manager(id, { teamId: 'north', name: id })), manager('carl', { teamId: 'south', name: 'Carl' })],
      ruleSet: ALL_TO_POOL,
    });
    signedIn = new Map();
  });
  afterEach(async () => await t.close());

  const poolLead = async (fields: Record<string, unknown> = {}): Promise<string> => {
    const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Pool client', source: 'web', ...fields } });
    expect(res.json().lead.status).toBe('pool');
    return res.json().lead.id as string;
  };
  const claim = async (who: string, leadId: string) => await (await as(who)).request({ method: 'POST', url: `/api/v1/pool/${leadId}/claim` });
  const takeNext = async (who: string) => await (await as(who)).request({ method: 'POST', url: '/api/v1/pool/take-next' });
  const minutes = (n: number) => {
    clock = new Date(clock.getTime() + n * 60_000);
  };
  const setPool = async (settings: Record<string, unknown>) =>
    expect((await (await as('northHead')).request({ method: 'PUT', url: '/api/v1/pool/settings', payload: { mode: 'pick', order: 'oldest', claimsPerHour: 10, ...settings } })).statusCode).toBe(200);

  it('a manager claims a pool lead; a second claim gets 409 "already claimed"', async () => {
    const leadId = await poolLead();
    const listed = (await (await as('anna')).request({ method: 'GET', url: '/api/v1/pool' })).json();
    expect(listed).toMatchObject({ total: 1, settings: { mode: 'pick', order: 'oldest', inherited: true }, items: [{ id: leadId }] });

    const won = await claim('anna', leadId);
    expect(won.statusCode).toBe(200);
    expect(won.json().lead).toMatchObject({ id: leadId, ownerId: 'anna', status: 'new' });
    const lost = await claim('boris', leadId);
    expect(lost.statusCode).toBe(409);
    expect(lost.json().error).toMatchObject({ code: 'LR_ERR_CONFLICT' });
    expect(lost.json().error.message).toContain('already claimed');

    expect((await (await as('boris')).request({ method: 'GET', url: '/api/v1/pool' })).json()).toMatchObject({ total: 0, items: [] });
    const claimed = await t.store.db.selectFrom('outbox').select('payload').where('topic', '=', 'lead.claimed').execute();
    expect(claimed.map((r) => readJson(r.payload, {}))).toEqual([expect.objectContaining({ leadId, managerId: 'anna', via: 'claim' })]);
    expect((await t.store.db.selectFrom('managers').select('open_leads').where('id', '=', 'anna').executeTakeFirstOrThrow()).open_leads).toBe(1);
    expect(await t.store.db.selectFrom('audit_log').select('action').where('entity_id', '=', leadId).execute()).toEqual([{ action: 'lead.claimed' }]);
    // An integration has no manager profile to claim for.
    expect((await t.request({ method: 'POST', url: `/api/v1/pool/${await poolLead()}/claim` })).statusCode).toBe(403);
  });

  it('limits claims to N in any rolling hour (429) and refuses a manager at the cap (422)', async () => {
    await setPool({ claimsPerHour: 2 });
    const leads = [await poolLead(), await poolLead(), await poolLead(), await poolLead()];
    expect((await claim('anna', leads[0] as string)).statusCode).toBe(200);
    minutes(10);
    expect((await claim('anna', leads[1] as string)).statusCode).toBe(200);
    const limited = await claim('anna', leads[2] as string);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({ code: 'LR_ERR_RATE_LIMITED' });
    expect((await takeNext('anna')).statusCode).toBe(429);
    // Another manager has claims of their own left.
    expect((await claim('boris', leads[2] as string)).statusCode).toBe(200);

    minutes(51);
    expect((await claim('anna', leads[3] as string)).statusCode).toBe(200);

    const fifth = await poolLead();
    minutes(60);
    expect((await t.request({ method: 'PATCH', url: '/api/v1/managers/anna', payload: { maxOpen: 3 } })).statusCode).toBe(200);
    const full = await claim('anna', fifth);
    expect(full.statusCode).toBe(422);
    expect(full.json().error.message).toContain('at the open-lead cap (3 of 3)');
    expect((await t.request({ method: 'GET', url: `/api/v1/leads/${fifth}` })).json().lead.ownerId).toBeNull();
  });

  it("in take-next mode managers cannot pick; they get the team's next lead, highest score first", async () => {
    const low = await poolLead({ score: 10 });
    const top = await poolLead({ score: 90 });
    const unscored = await poolLead();
    const mid = await poolLead({ score: 50 });
    await setPool({ mode: 'take_next', order: 'score' });

    const picked = await claim('anna', low);
    expect(picked.statusCode).toBe(403);
    expect(picked.json().error.details[0].code).toBe('take_next_only');
    expect((await (await as('anna')).request({ method: 'GET', url: '/api/v1/pool' })).json()).toMatchObject({ total: 4, items: [], settings: { mode: 'take_next', order: 'score', teamId: 'north', inherited: false } });
    const headView = (await (await as('northHead')).request({ method: 'GET', url: '/api/v1/pool' })).json();
    expect(headView.items.map((l: { id: string }) => l.id)).toEqual([top, mid, low, unscored]);

    expect((await takeNext('anna')).json().lead).toMatchObject({ id: top, ownerId: 'anna' });
    expect((await takeNext('boris')).json().lead).toMatchObject({ id: mid, ownerId: 'boris' });
    expect((await takeNext('anna')).json().lead.id).toBe(low);
    expect((await takeNext('anna')).json().lead.id).toBe(unscored);
    const empty = await takeNext('anna');
    expect(empty.statusCode).toBe(404);
    expect(empty.json().error.message).toBe('The pool is empty');

    // Another team keeps picking, oldest first by default.
    const carlsPool = (await (await as('carl')).request({ method: 'GET', url: '/api/v1/pool' })).json();
    expect(carlsPool.settings).toMatchObject({ mode: 'pick', teamId: 'south', inherited: true });
  });

  it('pool settings: a head sets the own team, an admin any team or the default, a manager neither', async () => {
    const head = await as('northHead');
    expect((await head.request({ method: 'GET', url: '/api/v1/pool/settings' })).json()).toEqual({ teamId: 'north', inherited: true, mode: 'pick', order: 'oldest', claimsPerHour: 10 });
    expect((await head.request({ method: 'PUT', url: '/api/v1/pool/settings?teamId=south', payload: { mode: 'take_next', order: 'oldest', claimsPerHour: 3 } })).statusCode).toBe(403);
    expect((await (await as('anna')).request({ method: 'GET', url: '/api/v1/pool/settings' })).statusCode).toBe(403);
    const bad = await head.request({ method: 'PUT', url: '/api/v1/pool/settings', payload: { mode: 'grab', order: 'oldest', claimsPerHour: 0 } });
    expect(bad.statusCode).toBe(400);

    const byDefault = await t.request({ method: 'PUT', url: '/api/v1/pool/settings', payload: { mode: 'pick', order: 'score', claimsPerHour: 4 } });
    expect(byDefault.json()).toEqual({ teamId: null, inherited: false, mode: 'pick', order: 'score', claimsPerHour: 4 });
    expect((await t.request({ method: 'GET', url: '/api/v1/pool/settings?teamId=south' })).json()).toEqual({ teamId: 'south', inherited: true, mode: 'pick', order: 'score', claimsPerHour: 4 });
    expect((await t.request({ method: 'GET', url: '/api/v1/pool/settings?teamId=nowhere' })).statusCode).toBe(400);
    expect(await t.store.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'pool_settings.changed').execute()).toEqual([{ action: 'pool_settings.changed', entity_id: 'pool:default' }]);
  });

  it("a manager moved to another team claims by the new team's pool rules", async () => {
    await setPool({ mode: 'take_next' });
    expect((await t.request({ method: 'PUT', url: '/api/v1/pool/settings?teamId=south', payload: { mode: 'pick', order: 'oldest', claimsPerHour: 1 } })).statusCode).toBe(200);
    const first = await poolLead();
    const second = await poolLead();
    expect((await claim('anna', first)).statusCode).toBe(403);

    const moved = await t.request({ method: 'PATCH', url: '/api/v1/managers/anna', payload: { teamId: 'south' } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await (await as('anna')).request({ method: 'GET', url: '/api/v1/pool' })).json()).toMatchObject({ settings: { teamId: 'south', mode: 'pick', claimsPerHour: 1 }, items: [{ id: first }, { id: second }] });
    expect((await claim('anna', first)).statusCode).toBe(200);
    expect((await claim('anna', second)).statusCode).toBe(429);
  });

  it('the owner releases a lead to the pool with a reason; the head hears of it', async () => {
    const leadId = await poolLead();
    await claim('anna', leadId);
    expect((await (await as('boris')).request({ method: 'POST', url: `/api/v1/leads/${leadId}/release`, payload: { reason: 'not mine' } })).statusCode).toBe(404);
    const released = await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${leadId}/release`, payload: { reason: 'Wrong product line' } });
    expect(released.statusCode).toBe(200);
    expect(released.json().lead).toMatchObject({ id: leadId, ownerId: null, status: 'pool' });
    const pooled = (await t.store.db.selectFrom('outbox').select('payload').where('topic', '=', 'lead.pooled').execute())
      .map((r) => readJson<Record<string, unknown>>(r.payload, {}))
      .filter((p) => p.via === 'release');
    expect(pooled).toEqual([expect.objectContaining({ leadId, via: 'release', reason: 'Wrong product line', audience: expect.objectContaining({ headsOf: ['anna'] }) })]);
    expect((await t.store.db.selectFrom('managers').select('open_leads').where('id', '=', 'anna').executeTakeFirstOrThrow()).open_leads).toBe(0);
    expect((await (await as('anna')).request({ method: 'POST', url: `/api/v1/leads/${leadId}/release`, payload: { reason: 'again' } })).statusCode).toBe(409);
    expect((await claim('boris', leadId)).statusCode).toBe(200);
  });

  const standing = async (who: string) => {
    const res = await (await as(who)).request({ method: 'GET', url: '/api/v1/pool/standing' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('the standing: two claims take two off the claims left; open and daily loads are the ones the caps check', async () => {
    await setPool({ claimsPerHour: 5 });
    expect((await t.request({ method: 'PATCH', url: '/api/v1/managers/anna', payload: { maxOpen: 10, maxPerDay: 3 } })).statusCode).toBe(200);
    expect(await standing('anna')).toEqual({ managerId: 'anna', claimsPerHour: 5, claimsLeftThisHour: 5, openLeads: 0, maxOpen: 10, assignedToday: 0, maxPerDay: 3, paused: false });

    expect((await claim('anna', await poolLead())).statusCode).toBe(200);
    minutes(10);
    expect((await claim('anna', await poolLead())).statusCode).toBe(200);
    expect(await standing('anna')).toEqual({ managerId: 'anna', claimsPerHour: 5, claimsLeftThisHour: 3, openLeads: 2, maxOpen: 10, assignedToday: 2, maxPerDay: 3, paused: false });
    expect(await standing('boris')).toMatchObject({ managerId: 'boris', claimsLeftThisHour: 5, openLeads: 0, assignedToday: 0, maxOpen: null, maxPerDay: null });

    // A lead handed over by the head counts towards both caps, not towards the claims.
    const handed = await poolLead();
    expect((await t.request({ method: 'POST', url: `/api/v1/leads/${handed}/reassign`, payload: { toManagerId: 'anna', reason: 'VIP' } })).statusCode).toBe(200);
    expect(await standing('anna')).toMatchObject({ claimsLeftThisHour: 3, openLeads: 3, assignedToday: 3 });
    expect((await t.store.db.selectFrom('managers').select('open_leads').where('id', '=', 'anna').executeTakeFirstOrThrow()).open_leads).toBe(3);
    // 3 of 3 today: the claim is refused at the daily cap, with claims left in the hour.
    const capped = await claim('anna', await poolLead());
    expect(capped.statusCode).toBe(422);
    expect(capped.json().error.details[0].code).toBe('daily_cap');

    // 18:00 in Moscow: the same local day; then 00:30 (21:30 UTC, the same UTC date): a new local day, the same open leads.
    clock = new Date('2026-11-25T15:00:00.000Z');
    expect(await standing('anna')).toMatchObject({ claimsLeftThisHour: 5, openLeads: 3, assignedToday: 3 });
    clock = new Date('2026-11-25T21:30:00.000Z');
    expect(await standing('anna')).toMatchObject({ claimsLeftThisHour: 5, openLeads: 3, assignedToday: 0 });
    expect((await t.request({ method: 'PATCH', url: '/api/v1/managers/anna', payload: { paused: true } })).statusCode).toBe(200);
    expect(await standing('anna')).toMatchObject({ paused: true, claimsLeftThisHour: 5 });
  });

  it('the standing of a manager at the hourly limit shows 0 claims left until the rolling hour frees one', async () => {
    await setPool({ claimsPerHour: 2 });
    const leads = [await poolLead(), await poolLead(), await poolLead()];
    expect((await claim('anna', leads[0] as string)).statusCode).toBe(200);
    minutes(10);
    expect((await claim('anna', leads[1] as string)).statusCode).toBe(200);
    expect(await standing('anna')).toMatchObject({ claimsPerHour: 2, claimsLeftThisHour: 0 });
    expect((await claim('anna', leads[2] as string)).statusCode).toBe(429);
    minutes(49);
    expect((await standing('anna')).claimsLeftThisHour).toBe(0);
    minutes(2);
    expect((await standing('anna')).claimsLeftThisHour).toBe(1);
    expect((await claim('anna', leads[2] as string)).statusCode).toBe(200);
    expect((await standing('anna')).claimsLeftThisHour).toBe(0);
  });

  it('the standing is refused (403) to an admin or a head without a manager profile and to API keys', async () => {
    const admin = await t.signIn({ role: 'admin' });
    for (const res of [
      await admin.request({ method: 'GET', url: '/api/v1/pool/standing' }),
      await (await as('northHead')).request({ method: 'GET', url: '/api/v1/pool/standing' }),
      await t.request({ method: 'GET', url: '/api/v1/pool/standing' }),
      await t.request({ method: 'GET', url: '/api/v1/pool/standing', key: await t.keyWithScopes(['leads:read', 'leads:work']) }),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'LR_ERR_FORBIDDEN', message: expect.stringContaining('manager profile') });
    }
  });

  it('of many simultaneous claims of one lead exactly one wins; simultaneous take-next hands out different leads', async () => {
    for (const id of RACERS) await as(id);
    const contested = await poolLead();
    const answers = await Promise.all(RACERS.map((id) => claim(id, contested)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.statusCode === 409).every((a) => a.json().error.code === 'LR_ERR_CONFLICT')).toBe(true);
    const winner = answers.find((a) => a.statusCode === 200)?.json().lead.ownerId;
    expect((await t.request({ method: 'GET', url: `/api/v1/leads/${contested}` })).json().lead.ownerId).toBe(winner);

    const leads = [];
    for (let i = 0; i < RACERS.length; i++) leads.push(await poolLead());
    const taken = await Promise.all(RACERS.map((id) => takeNext(id)));
    expect(taken.map((a) => a.statusCode)).toEqual(RACERS.map(() => 200));
    expect(new Set(taken.map((a) => a.json().lead.id))).toEqual(new Set(leads));
    expect(new Set(taken.map((a) => a.json().lead.ownerId))).toEqual(new Set(RACERS));

    const claims = await t.store.db.selectFrom('assignments').select(['lead_id', 'manager_id']).where('via', '=', 'claim').execute();
    expect(claims).toHaveLength(RACERS.length + 1);
    expect(new Set(claims.map((c) => c.lead_id)).size).toBe(RACERS.length + 1);
    const open = await t.store.db.selectFrom('managers').select(['id', 'open_leads']).where('id', 'in', RACERS).execute();
    expect(open.reduce((sum, m) => sum + m.open_leads, 0)).toBe(RACERS.length + 1);
  });
});

describe('the pool across two processes on one PostgreSQL database', () => {
  let stores: Store[] = [];
  let apps: LeadRouterApp[] = [];
  afterEach(async () => {
    for (const a of apps) {
      await a.app.close();
      await a.intake.idle();
    }
    for (const s of stores) await s.close();
    apps = [];
    stores = [];
  });

  it('exactly one of many claims wins when they arrive through two app instances with separate pools', async () => {
    const url = await createPostgresDatabase();
    stores = [openStore({ kind: 'postgres', url, poolSize: 4 }), openStore({ kind: 'postgres', url, poolSize: 4 })];
    const { error } = await migrateToLatest(stores[0] as Store);
    if (error) throw error;
    const contexts = stores.map((store) => createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 }));
    const [first, second] = contexts as [ReturnType<typeof createAppContext>, ReturnType<typeof createAppContext>];
    apps = [await buildApp({ ctx: first }), await buildApp({ ctx: second })];
    const [appA, appB] = apps.map((a) => a.app) as [FastifyInstance, FastifyInstance];

    const at = new Date().toISOString();
    await insertTeam(first.store.db, { id: 'north', name: 'North' }, at);
    await insertManagers(first.store.db, RACERS.map((id) => manager(id, { teamId: 'north' })), at);
    await publishDefinition(first, ALL_TO_POOL, 'test', null);
    const { plaintext: key } = await createApiKey(first, { name: 'admin', scopes: ['admin'] });

    const people: Array<(app: FastifyInstance, options: InjectOptions) => Promise<LightMyRequestResponse>> = [];
    for (const id of RACERS) {
      const email = `${id}@race.test`;
      await createUser(first, SYSTEM('test'), { email, name: id, password: TEST_PASSWORD, role: 'manager', teamId: 'north', managerId: id });
      const login = await appA.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: TEST_PASSWORD } });
      const cookie = `lr_session=${login.cookies.find((c) => c.name === 'lr_session')?.value}`;
      const csrf = login.json().csrfToken as string;
      people.push(async (app, options) => await app.inject({ ...options, headers: { cookie, 'x-csrf-token': csrf } }));
    }

    for (let round = 0; round < 3; round++) {
      const lead = await appA.inject({ method: 'POST', url: '/api/v1/leads', headers: { 'x-api-key': key }, payload: { name: `Contested ${round}` } });
      const leadId = lead.json().lead.id as string;
      const answers = await Promise.all(people.map((send, i) => send(i % 2 === 0 ? appA : appB, { method: 'POST', url: `/api/v1/pool/${leadId}/claim` })));
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
      const rows = await first.store.db.selectFrom('assignments').select('manager_id').where('lead_id', '=', leadId).where('via', '=', 'claim').execute();
      expect(rows).toHaveLength(1);
    }
    const open = await first.store.db.selectFrom('managers').select('open_leads').execute();
    expect(open.reduce((sum, m) => sum + m.open_leads, 0)).toBe(3);
  });
});
