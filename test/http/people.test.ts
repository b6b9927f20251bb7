import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

const ROUND_ROBIN = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'all', name: 'Everyone', target: { kind: 'group', managers: ['m1', 'm2'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

describe.each(DATABASE_KINDS)('people and sessions on %s', (kind) => {
  let t: TestApp;
  let clock: Date;
  beforeEach(async () => {
    clock = new Date('2026-11-23T10:00:00.000Z');
    t = await startTestApp(kind, { now: () => clock });
    await setUpRouting(t, { teams: [{ id: 'north', name: 'North' }], managers: [manager('m1', { teamId: 'north' }), manager('m2', { teamId: 'north' })], ruleSet: ROUND_ROBIN });
  });
  afterEach(async () => await t.close());

  it('signs a person in with an httpOnly cookie and tells who they are', async () => {
    const admin = await t.signIn({ role: 'admin', email: 'boss@example.test' });
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'BOSS@example.test', password: TEST_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'lr_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const me = await admin.request({ method: 'GET', url: '/api/v1/session' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { email: 'boss@example.test', role: 'admin' }, csrfToken: admin.csrfToken });
    expect(me.body).not.toContain('password');
  });

  it('refuses a wrong password with 401 and locks the e-mail after five failures', async () => {
    await t.signIn({ role: 'manager', managerId: 'm1', email: 'anna@example.test' });
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'anna@example.test', password: 'wrong password!' } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('LR_ERR_UNAUTHORIZED');
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'anna@example.test', password: TEST_PASSWORD } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('LR_ERR_RATE_LIMITED');
    clock = new Date(clock.getTime() + 16 * 60_000);
    const later = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'anna@example.test', password: TEST_PASSWORD } });
    expect(later.statusCode).toBe(200);
  });

  it('an unknown e-mail gets the same 401 as a wrong password', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'nobody@example.test', password: 'whatever it is' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('The e-mail or the password is wrong, or the account is disabled');
  });

  it('a change made with the cookie needs the CSRF token', async () => {
    const head = await t.signIn({ role: 'admin' });
    const lead = { name: 'Ivan', phone: '+7 999 123-45-67', source: 'web' };
    const forged = await t.app.inject({ method: 'POST', url: '/api/v1/leads', headers: { cookie: head.cookie }, payload: lead });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('LR_ERR_CSRF');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/leads', headers: { cookie: head.cookie, 'x-csrf-token': 'guess' }, payload: lead });
    expect(wrong.statusCode).toBe(403);
    const ok = await head.request({ method: 'POST', url: '/api/v1/leads', payload: lead });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().lead.ownerId).toBe('m1');
    // Reading needs no token: a cross-site GET cannot read the answer anyway.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/leads', headers: { cookie: head.cookie } })).statusCode).toBe(200);
  });

  it('signing out ends the session on the server', async () => {
    const person = await t.signIn({ role: 'manager', managerId: 'm1' });
    expect((await person.request({ method: 'DELETE', url: '/api/v1/session' })).statusCode).toBe(204);
    const after = await person.request({ method: 'GET', url: '/api/v1/session' });
    expect(after.statusCode).toBe(401);
  });

  it('a session expires after twelve idle hours', async () => {
    const person = await t.signIn({ role: 'manager', managerId: 'm1' });
    clock = new Date(clock.getTime() + 13 * 3600_000);
    expect((await person.request({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(401);
  });

  it('admins manage people; changes are audited without secrets; deactivation signs out', async () => {
    const admin = await t.signIn({ role: 'admin' });
    const created = await admin.request({ method: 'POST', url: '/api/v1/users', payload: { email: 'Olga@Example.test', name: 'Olga', password: 'a long enough pass', role: 'manager', managerId: 'm2' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ email: 'olga@example.test', role: 'manager', managerId: 'm2', teamId: 'north', active: true });
    const olgaLogin = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'olga@example.test', password: 'a long enough pass' } });
    expect(olgaLogin.statusCode).toBe(200);
    const olgaCookie = `lr_session=${olgaLogin.cookies.find((c) => c.name === 'lr_session')?.value}`;

    const duplicate = await admin.request({ method: 'POST', url: '/api/v1/users', payload: { email: 'olga@example.test', name: 'Olga 2', password: 'a long enough pass', role: 'qualifier' } });
    expect(duplicate.statusCode).toBe(409);
    const weak = await admin.request({ method: 'POST', url: '/api/v1/users', payload: { email: 'x@example.test', name: 'X', password: 'short', role: 'manager' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details[0].path).toBe('password');
    const headWithoutTeam = await admin.request({ method: 'POST', url: '/api/v1/users', payload: { email: 'h@example.test', name: 'H', password: 'a long enough pass', role: 'head' } });
    expect(headWithoutTeam.statusCode).toBe(400);

    const id = created.json().id as string;
    const off = await admin.request({ method: 'PATCH', url: `/api/v1/users/${id}`, payload: { active: false } });
    expect(off.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: olgaCookie } })).statusCode).toBe(401);

    const audit = await admin.request({ method: 'GET', url: `/api/v1/audit?entity=user&entityId=${id}` });
    expect(audit.statusCode).toBe(200);
    const entries = audit.json().items as Array<{ action: string; actor: string; before: unknown; after: { active: boolean } }>;
    expect(entries.map((e) => e.action)).toEqual(['user.changed', 'user.created']);
    expect(entries[0]?.actor).toBe(`user:${admin.id}`);
    expect(entries[0]?.after.active).toBe(false);
    expect(JSON.stringify(entries)).not.toMatch(/scrypt|password_hash|long enough/);
  });

  it('only admins read the audit log and manage people', async () => {
    const head = await t.signIn({ role: 'head', teamId: 'north' });
    const managerUser = await t.signIn({ role: 'manager', managerId: 'm1' });
    for (const person of [head, managerUser]) {
      expect((await person.request({ method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(403);
      expect((await person.request({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(403);
      expect((await person.request({ method: 'POST', url: '/api/v1/users', payload: { email: 'z@example.test', name: 'Z', password: 'a long enough pass', role: 'admin' } })).statusCode).toBe(403);
    }
  });

  it('a manager sees own leads and the pool, never another manager’s lead, even by id', async () => {
    const anna = await t.signIn({ role: 'manager', managerId: 'm1' });
    const boris = await t.signIn({ role: 'manager', managerId: 'm2' });
    const first = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'A', phone: '+79990000001' } });
    const second = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'B', phone: '+79990000002' } });
    const annasLead = first.json().lead.id as string;
    const borisLead = second.json().lead.id as string;
    expect(first.json().lead.ownerId).toBe('m1');
    expect((await anna.request({ method: 'GET', url: `/api/v1/leads/${annasLead}` })).statusCode).toBe(200);
    const guessed = await anna.request({ method: 'GET', url: `/api/v1/leads/${borisLead}` });
    expect(guessed.statusCode).toBe(404);
    expect(guessed.json().error.code).toBe('LR_ERR_NOT_FOUND');
    expect((await anna.request({ method: 'GET', url: `/api/v1/leads/${borisLead}/events` })).statusCode).toBe(404);
    const list = await anna.request({ method: 'GET', url: '/api/v1/leads' });
    expect(list.json().items.map((i: { lead: { id: string } }) => i.lead.id)).toEqual([annasLead]);
    const borisList = await boris.request({ method: 'GET', url: '/api/v1/leads' });
    expect(borisList.json().items.map((i: { lead: { id: string } }) => i.lead.id)).toEqual([borisLead]);
    const head = await t.signIn({ role: 'head', teamId: 'north' });
    expect((await head.request({ method: 'GET', url: '/api/v1/leads' })).json().items).toHaveLength(2);
    const qualifier = await t.signIn({ role: 'qualifier' });
    expect((await qualifier.request({ method: 'GET', url: '/api/v1/leads' })).json().items).toHaveLength(0);
    expect((await qualifier.request({ method: 'GET', url: `/api/v1/leads/${annasLead}` })).statusCode).toBe(404);
  });
});
