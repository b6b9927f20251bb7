import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The configuration console's guards found in review (issue 12): no lock-out of the admins. */
describe.each(DATABASE_KINDS)('the console keeps an admin on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind, { now: () => new Date('2026-11-25T09:00:00Z') });
    await t.request({ method: 'POST', url: '/api/v1/teams', payload: { id: 'sales', name: 'Sales' } });
  });
  afterEach(async () => await t.close());

  const activeAdmins = async () => ((await t.request({ method: 'GET', url: '/api/v1/users' })).json().items as Array<{ id: string; role: string; active: boolean }>).filter((u) => u.role === 'admin' && u.active).map((u) => u.id);

  it('refuses to appoint an admin, even oneself, head of a team: the admin keeps the role and the session', async () => {
    const admin = await t.signIn({ role: 'admin', name: 'Ирина' });
    const self = await admin.request({ method: 'PATCH', url: '/api/v1/teams/sales', payload: { headUserId: admin.id } });
    expect(self.statusCode, self.body).toBe(409);
    expect(self.json().error).toMatchObject({ code: 'LR_ERR_CONFLICT', details: [{ path: 'headUserId', code: 'admin_not_head' }] });
    expect(self.json().error.message).toContain('Ирина');
    expect((await admin.request({ method: 'GET', url: '/api/v1/session' })).json().user).toMatchObject({ role: 'admin' });
    // Nothing of the patch is applied, the rename included.
    const both = await t.request({ method: 'PATCH', url: '/api/v1/teams/sales', payload: { name: 'Renamed', headUserId: admin.id } });
    expect(both.statusCode).toBe(409);
    expect((await t.request({ method: 'GET', url: '/api/v1/teams' })).json().items[0]).toMatchObject({ name: 'Sales', heads: [] });
  });

  it('refuses to demote or deactivate the last active admin, and an admin changing their own role', async () => {
    const first = await t.signIn({ role: 'admin' });
    const demote = await t.request({ method: 'PATCH', url: `/api/v1/users/${first.id}`, payload: { role: 'manager' } });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error).toMatchObject({ code: 'LR_ERR_CONFLICT', details: [{ path: 'role', code: 'last_admin' }] });
    const deactivate = await t.request({ method: 'PATCH', url: `/api/v1/users/${first.id}`, payload: { active: false } });
    expect(deactivate.statusCode).toBe(409);
    expect(deactivate.json().error.details[0]).toMatchObject({ path: 'active', code: 'last_admin' });
    expect(await activeAdmins()).toEqual([first.id]);

    const own = await first.request({ method: 'PATCH', url: `/api/v1/users/${first.id}`, payload: { role: 'head', teamId: 'sales' } });
    expect(own.statusCode).toBe(409);
    expect(own.json().error.details[0]).toMatchObject({ path: 'role', code: 'own_role' });
    // Other changes of oneself, and the same role, are fine.
    expect((await first.request({ method: 'PATCH', url: `/api/v1/users/${first.id}`, payload: { role: 'admin', name: 'Главный' } })).statusCode).toBe(200);

    // With a second admin, one of them may be demoted by the other.
    const second = await t.signIn({ role: 'admin' });
    const ok = await first.request({ method: 'PATCH', url: `/api/v1/users/${second.id}`, payload: { role: 'manager' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await activeAdmins()).toEqual([first.id]);
    // An inactive admin does not count.
    const third = await t.signIn({ role: 'admin' });
    expect((await first.request({ method: 'PATCH', url: `/api/v1/users/${third.id}`, payload: { active: false } })).statusCode).toBe(200);
    expect((await third.request({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(401);
    expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${first.id}`, payload: { active: false } })).statusCode).toBe(409);
  });

  it('leaves one admin when the only two admins are demoted at the same moment', async () => {
    for (let round = 0; round < 3; round++) {
      const a = await t.signIn({ role: 'admin' });
      const b = await t.signIn({ role: 'admin' });
      // Retire the admins of earlier rounds, so a and b are the only two.
      for (const id of (await activeAdmins()).filter((id) => id !== a.id && id !== b.id)) {
        expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${id}`, payload: { active: false } })).statusCode).toBe(200);
      }
      // Two admin calls at once (the key: neither caller's session ends under it), each leaving one admin on its own.
      const [demoteB, deactivateA] = await Promise.all([
        t.request({ method: 'PATCH', url: `/api/v1/users/${b.id}`, payload: { role: 'manager' } }),
        t.request({ method: 'PATCH', url: `/api/v1/users/${a.id}`, payload: { active: false } }),
      ]);
      expect([demoteB.statusCode, deactivateA.statusCode].sort()).toEqual([200, 409]);
      expect(await activeAdmins()).toHaveLength(1);
    }
  });
});

describe.each(DATABASE_KINDS)('who reads absences on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind, { now: () => new Date('2026-11-25T09:00:00Z') });
    await t.request({ method: 'POST', url: '/api/v1/teams', payload: { id: 'north', name: 'North' } });
    await t.request({ method: 'POST', url: '/api/v1/teams', payload: { id: 'south', name: 'South' } });
    for (const [id, teamId] of [['anna', 'north'], ['ivan', 'north'], ['sergey', 'south']] as const) await t.request({ method: 'POST', url: '/api/v1/managers', payload: { id, teamId, name: id } });
    await t.request({ method: 'POST', url: '/api/v1/managers/anna/absences', payload: { kind: 'vacation', from: '2026-11-23', to: '2026-11-24', reason: 'Сочи' } });
    await t.request({ method: 'POST', url: '/api/v1/managers/ivan/absences', payload: { kind: 'sick', from: '2026-11-25', to: '2026-11-26', reason: 'грипп' } });
    await t.request({ method: 'POST', url: '/api/v1/managers/sergey/absences', payload: { kind: 'sick', from: '2026-11-24', to: '2026-11-24' } });
  });
  afterEach(async () => await t.close());

  const WEEK = '/api/v1/absences?from=2026-11-23&to=2026-11-29';
  const owners = (res: { json(): { items: Array<{ managerId: string }> } }) => res.json().items.map((a) => a.managerId).sort();

  it("gives an admin everyone's, a head the own team's and a manager only their own", async () => {
    const admin = await t.signIn({ role: 'admin' });
    const northHead = await t.signIn({ role: 'head', teamId: 'north' });
    const anna = await t.signIn({ role: 'manager', managerId: 'anna' });
    const ivan = await t.signIn({ role: 'manager', managerId: 'ivan' });
    const teamless = await t.signIn({ role: 'manager' });

    expect(owners(await admin.request({ method: 'GET', url: WEEK }))).toEqual(['anna', 'ivan', 'sergey']);
    expect(owners(await northHead.request({ method: 'GET', url: WEEK }))).toEqual(['anna', 'ivan']);
    const annasWeek = await anna.request({ method: 'GET', url: WEEK });
    expect(annasWeek.statusCode).toBe(200);
    expect(annasWeek.json().items).toEqual([expect.objectContaining({ managerId: 'anna', kind: 'vacation', reason: 'Сочи' })]);
    // A colleague's sick leave and its reason stay with the head and the admin.
    expect(annasWeek.body).not.toContain('sick');
    expect((await ivan.request({ method: 'GET', url: WEEK })).json().items).toEqual([expect.objectContaining({ managerId: 'ivan', kind: 'sick', reason: 'грипп' })]);
    expect((await teamless.request({ method: 'GET', url: WEEK })).json().items).toEqual([]);
  });

  it("refuses one manager's absences to a colleague and to another team's head", async () => {
    const northHead = await t.signIn({ role: 'head', teamId: 'north' });
    const anna = await t.signIn({ role: 'manager', managerId: 'anna' });
    expect((await anna.request({ method: 'GET', url: '/api/v1/managers/anna/absences' })).json().items).toHaveLength(1);
    const colleague = await anna.request({ method: 'GET', url: '/api/v1/managers/ivan/absences' });
    expect(colleague.statusCode).toBe(403);
    expect(colleague.json().error).toMatchObject({ code: 'LR_ERR_FORBIDDEN', details: [{ path: 'id', code: 'not_yours' }] });
    expect(colleague.body).not.toContain('грипп');
    expect((await northHead.request({ method: 'GET', url: '/api/v1/managers/ivan/absences' })).json().items[0]).toMatchObject({ kind: 'sick', reason: 'грипп' });
    expect((await northHead.request({ method: 'GET', url: '/api/v1/managers/sergey/absences' })).statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/api/v1/managers/sergey/absences' })).json().items).toHaveLength(1);
    expect((await anna.request({ method: 'GET', url: '/api/v1/managers/nobody/absences' })).statusCode).toBe(404);
  });
});

describe.each(DATABASE_KINDS)("a head's SLA preview and team:write on teams, on %s", (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind, { now: () => new Date('2026-11-25T09:00:00Z') });
    await t.request({ method: 'POST', url: '/api/v1/teams', payload: { id: 'north', name: 'North' } });
    await t.request({ method: 'POST', url: '/api/v1/teams', payload: { id: 'south', name: 'South', timeZone: 'Asia/Vladivostok' } });
    await t.request({ method: 'POST', url: '/api/v1/managers', payload: { id: 'anna', teamId: 'north', name: 'Анна' } });
    await t.request({ method: 'POST', url: '/api/v1/managers', payload: { id: 'sergey', teamId: 'south', name: 'Сергей', timeZone: 'Asia/Vladivostok', workingHours: { mon: [['09:00', '18:00']] } } });
  });
  afterEach(async () => await t.close());

  it("previews deadlines only in the own team's managers' calendars for a head", async () => {
    const northHead = await t.signIn({ role: 'head', teamId: 'north' });
    const policy = { firstContactMinutes: 30 };
    const own = await northHead.request({ method: 'POST', url: '/api/v1/sla/preview', payload: { policy, managerId: 'anna' } });
    expect(own.statusCode, own.body).toBe(200);
    const other = await northHead.request({ method: 'POST', url: '/api/v1/sla/preview', payload: { policy, managerId: 'sergey' } });
    expect(other.statusCode).toBe(403);
    expect(other.json().error).toMatchObject({ code: 'LR_ERR_FORBIDDEN', details: [{ path: 'managerId', code: 'other_team' }] });
    expect(other.body).not.toContain('Vladivostok');
    const southHead = await t.signIn({ role: 'head', teamId: 'south' });
    expect((await southHead.request({ method: 'POST', url: '/api/v1/sla/preview', payload: { policy, managerId: 'anna' } })).statusCode).toBe(403);
    expect((await southHead.request({ method: 'POST', url: '/api/v1/sla/preview', payload: { policy, managerId: 'sergey' } })).statusCode).toBe(200);
    // The admin previews anyone.
    expect((await t.request({ method: 'POST', url: '/api/v1/sla/preview', payload: { policy, managerId: 'sergey' } })).json().calendar.timeZone).toBe('Asia/Vladivostok');
  });

  it('lets a team:write key rename a team it may create, but only an admin appoints its head', async () => {
    const structure = await t.keyWithScopes(['team:write']);
    expect((await t.request({ method: 'POST', url: '/api/v1/teams', key: structure, payload: { id: 'west', name: 'West' } })).statusCode).toBe(201);
    const renamed = await t.request({ method: 'PATCH', url: '/api/v1/teams/west', key: structure, payload: { name: 'Запад', timeZone: 'Europe/Kaliningrad' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Запад', timeZone: 'Europe/Kaliningrad' });
    const olga = await t.signIn({ role: 'manager', name: 'Ольга' });
    const appoint = await t.request({ method: 'PATCH', url: '/api/v1/teams/west', key: structure, payload: { name: 'West', headUserId: olga.id } });
    expect(appoint.statusCode).toBe(403);
    expect(appoint.json().error).toMatchObject({ code: 'LR_ERR_FORBIDDEN', details: [{ path: 'headUserId', code: 'admin_only' }] });
    expect((await t.request({ method: 'GET', url: `/api/v1/users/${olga.id}` })).json().role).toBe('manager');
    expect((await t.request({ method: 'PATCH', url: '/api/v1/teams/west', payload: { headUserId: olga.id } })).json().heads).toEqual([{ id: olga.id, name: 'Ольга' }]);
    // A head (no team:write) changes no team, the own one included.
    const head = await t.signIn({ role: 'head', teamId: 'north' });
    expect((await head.request({ method: 'PATCH', url: '/api/v1/teams/north', payload: { name: 'Mine' } })).statusCode).toBe(403);
  });
});
