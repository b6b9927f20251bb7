import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

/** What the people console needs beyond the team API: a team's zone and head, absences by kind and by week. */
describe.each(DATABASE_KINDS)('teams, heads and the absence calendar on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind, { now: () => new Date('2026-11-25T09:00:00Z') });
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates a team in Moscow time unless told otherwise, renames it and moves it to another zone', async () => {
    expect((await t.request({ method: 'POST', url: '/api/v1/teams', payload: { id: 'sales', name: 'Продажи' } })).json()).toEqual({ id: 'sales', name: 'Продажи', timeZone: 'Europe/Moscow' });
    expect((await t.request({ method: 'POST', url: '/api/v1/teams', payload: { id: 'east', name: 'Восток', timeZone: 'Asia/Vladivostok' } })).statusCode).toBe(201);
    const changed = await t.request({ method: 'PATCH', url: '/api/v1/teams/sales', payload: { name: 'Продажи Москва', timeZone: 'Europe/Samara' } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ id: 'sales', name: 'Продажи Москва', timeZone: 'Europe/Samara', heads: [] });
    const list = (await t.request({ method: 'GET', url: '/api/v1/teams' })).json().items;
    expect(list.map((team: { id: string; timeZone: string }) => [team.id, team.timeZone])).toEqual([['east', 'Asia/Vladivostok'], ['sales', 'Europe/Samara']]);
    const audit = (await t.request({ method: 'GET', url: '/api/v1/audit?entity=team' })).json().items;
    expect(audit[0]).toMatchObject({ action: 'team.changed', entityId: 'sales', before: { name: 'Продажи', timeZone: 'Europe/Moscow' }, after: { name: 'Продажи Москва', timeZone: 'Europe/Samara' } });
  });

  it('refuses a zone that is not IANA, an empty change and an unknown team with codes, not 500s', async () => {
    await t.request({ method: 'POST', url: '/api/v1/teams', payload: { id: 'sales', name: 'Sales' } });
    const badZone = await t.request({ method: 'PATCH', url: '/api/v1/teams/sales', payload: { timeZone: 'Moscow' } });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().error).toMatchObject({ code: 'LR_ERR_VALIDATION' });
    expect(badZone.json().error.details[0].path).toBe('timeZone');
    expect((await t.request({ method: 'POST', url: '/api/v1/teams', payload: { name: 'X', timeZone: 'Mars/Base' } })).statusCode).toBe(400);
    expect((await t.request({ method: 'PATCH', url: '/api/v1/teams/sales', payload: {} })).statusCode).toBe(400);
    expect((await t.request({ method: 'PATCH', url: '/api/v1/teams/sales', payload: { colour: 'red' } })).statusCode).toBe(400);
    const missing = await t.request({ method: 'PATCH', url: '/api/v1/teams/nowhere', payload: { name: 'Y' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('LR_ERR_NOT_FOUND');
  });

  it('appoints a head: the person becomes head of the team, signed out, and the team names them', async () => {
    await t.request({ method: 'POST', url: '/api/v1/teams', payload: { id: 'sales', name: 'Sales' } });
    const olga = await t.signIn({ role: 'manager', name: 'Ольга', email: 'olga@example.test' });
    const appointed = await t.request({ method: 'PATCH', url: '/api/v1/teams/sales', payload: { headUserId: olga.id } });
    expect(appointed.statusCode).toBe(200);
    expect(appointed.json().heads).toEqual([{ id: olga.id, name: 'Ольга' }]);
    expect((await t.request({ method: 'GET', url: `/api/v1/users/${olga.id}` })).json()).toMatchObject({ role: 'head', teamId: 'sales' });
    // The role changed: the old session is gone; signing in again gives the head's rights.
    expect((await olga.request({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'olga@example.test', password: TEST_PASSWORD } })).json().user).toMatchObject({ role: 'head', teamId: 'sales' });
    const userAudit = (await t.request({ method: 'GET', url: '/api/v1/audit?entity=user' })).json().items;
    expect(userAudit[0]).toMatchObject({ action: 'user.changed', entityId: olga.id, before: { role: 'manager' }, after: { role: 'head', teamId: 'sales' } });

    const unknown = await t.request({ method: 'PATCH', url: '/api/v1/teams/sales', payload: { headUserId: 'nobody' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0]).toMatchObject({ path: 'headUserId', code: 'not_found' });
    // A deactivated person is no longer listed as the team's head.
    await t.request({ method: 'PATCH', url: `/api/v1/users/${olga.id}`, payload: { active: false } });
    expect((await t.request({ method: 'GET', url: '/api/v1/teams' })).json().items[0].heads).toEqual([]);
  });

  it('keeps an absence kind and lists everyone away in a week', async () => {
    await t.request({ method: 'POST', url: '/api/v1/teams', payload: { id: 'sales', name: 'Sales' } });
    for (const id of ['anna', 'ivan', 'oleg']) await t.request({ method: 'POST', url: '/api/v1/managers', payload: { id, teamId: 'sales', name: id } });
    const vacation = await t.request({ method: 'POST', url: '/api/v1/managers/anna/absences', payload: { kind: 'vacation', from: '2026-11-20', to: '2026-11-24', reason: 'Сочи' } });
    expect(vacation.json()).toMatchObject({ kind: 'vacation', from: '2026-11-20', to: '2026-11-24', reason: 'Сочи' });
    await t.request({ method: 'POST', url: '/api/v1/managers/ivan/absences', payload: { kind: 'sick', from: '2026-11-26', to: '2026-11-26' } });
    await t.request({ method: 'POST', url: '/api/v1/managers/oleg/absences', payload: { from: '2026-12-01', to: '2026-12-03' } });
    expect((await t.request({ method: 'GET', url: '/api/v1/managers/oleg/absences' })).json().items[0].kind).toBe('other');

    const week = (await t.request({ method: 'GET', url: '/api/v1/absences?from=2026-11-23&to=2026-11-29' })).json().items;
    expect(week.map((a: { managerId: string; kind: string }) => [a.managerId, a.kind])).toEqual([['anna', 'vacation'], ['ivan', 'sick']]);
    const bad = await t.request({ method: 'GET', url: '/api/v1/absences?from=2026-11-29&to=2026-11-23' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('LR_ERR_VALIDATION');
    expect((await t.request({ method: 'GET', url: '/api/v1/absences?from=yesterday&to=2026-11-23' })).statusCode).toBe(400);
    expect((await t.request({ method: 'POST', url: '/api/v1/managers/anna/absences', payload: { kind: 'holiday', from: '2026-11-20', to: '2026-11-24' } })).statusCode).toBe(400);
  });
});
