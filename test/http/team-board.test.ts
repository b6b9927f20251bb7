import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WeeklyHours } from '../../src/core/routing/manager-profile.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const OFFICE: WeeklyHours = { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] };

describe.each(DATABASE_KINDS)('the team board on %s', (kind) => {
  let t: TestApp;
  let now: Date;
  beforeEach(async () => {
    // Wednesday 2026-11-25, 12:00 in Moscow, 19:00 in Vladivostok.
    now = new Date('2026-11-25T09:00:00.000Z');
    t = await startTestApp(kind, { now: () => now });
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'Север' }, { id: 'south', name: 'Юг' }],
      managers: [
        manager('anna', { teamId: 'north', name: 'Анна', workingHours: OFFICE, maxOpen: 5, maxPerDay: 3, weight: 2, skills: ['b2b'], regions: ['Москва'], languages: ['ru', 'en'] }),
        manager('boris', { teamId: 'north', name: 'Борис', timeZone: 'Asia/Vladivostok', workingHours: OFFICE }),
        manager('vera', { teamId: 'north', name: 'Вера', paused: true }),
        manager('gleb', { teamId: 'north', name: 'Глеб' }),
        manager('dina', { teamId: 'north', name: 'Дина' }),
        manager('sergey', { teamId: 'south', name: 'Сергей' }),
      ],
      ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'anna', name: 'Anna', target: { kind: 'group', managers: ['anna'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } },
    });
  });
  afterEach(async () => await t.close());

  it("shows each manager's availability on their own clock, the next change, load against the caps and breached SLAs", async () => {
    expect((await t.request({ method: 'POST', url: '/api/v1/managers/gleb/absences', payload: { from: '2026-11-24', to: '2026-11-26', reason: 'Отпуск' } })).statusCode).toBe(201);
    await t.store.db.updateTable('managers').set({ active: 0 }).where('id', '=', 'dina').execute();
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { name: 'All', firstContactMinutes: 30, maxReassignments: 0, onExhausted: 'pool' } });
    for (const name of ['Первый', 'Второй']) expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name } })).json().lead.ownerId).toBe('anna');
    now = new Date(now.getTime() + 40 * 60_000);
    expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Третий' } })).json().lead.ownerId).toBe('anna');
    // Leads with no owner wait in the pool: the rule's only manager is at the daily cap.
    expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Четвёртый' } })).json().lead.status).toBe('pool');

    const res = await t.request({ method: 'GET', url: '/api/v1/teams/north/board' });
    expect(res.statusCode, res.body).toBe(200);
    const board = res.json();
    expect(board).toMatchObject({ team: { id: 'north', name: 'Север' }, at: '2026-11-25T09:40:00.000Z', poolSize: 1 });
    expect(board.managers.map((m: { id: string }) => m.id)).toEqual(['anna', 'boris', 'vera', 'gleb', 'dina']);
    const [anna, boris, vera, gleb, dina] = board.managers;
    expect(anna).toEqual({
      id: 'anna', name: 'Анна', timeZone: 'Europe/Moscow', localTime: '2026-11-25T12:40:00+03:00',
      availability: 'available', absentUntil: null, nextChange: { at: '2026-11-25T18:00:00+03:00', availability: 'off_hours', absentUntil: null },
      openLeads: 3, maxOpen: 5, assignedToday: 3, maxPerDay: 3, slaBreachedOpen: 2,
      weight: 2, skills: ['b2b'], regions: ['Москва'], languages: ['ru', 'en'],
    });
    expect(boris).toMatchObject({ localTime: '2026-11-25T19:40:00+10:00', availability: 'off_hours', nextChange: { at: '2026-11-26T09:00:00+10:00', availability: 'available' }, openLeads: 0, assignedToday: 0, slaBreachedOpen: 0 });
    expect(vera).toMatchObject({ availability: 'paused', nextChange: null });
    expect(gleb).toMatchObject({ availability: 'absent', absentUntil: '2026-11-26', nextChange: { at: '2026-11-27T00:00:00+03:00', availability: 'available', absentUntil: null } });
    expect(dina).toMatchObject({ availability: 'inactive', nextChange: null });

    // The next local day starts a new daily count; the open leads stay.
    now = new Date('2026-11-25T21:30:00.000Z');
    const tomorrow = (await t.request({ method: 'GET', url: '/api/v1/teams/north/board' })).json().managers[0];
    expect(tomorrow).toMatchObject({ localTime: '2026-11-26T00:30:00+03:00', availability: 'off_hours', openLeads: 3, assignedToday: 0 });
  });

  it('is for the head of the team and admins: another team is 403, an unknown team 404, managers 403', async () => {
    const northHead = await t.signIn({ role: 'head', teamId: 'north' });
    const southHead = await t.signIn({ role: 'head', teamId: 'south' });
    const anna = await t.signIn({ role: 'manager', managerId: 'anna' });
    const admin = await t.signIn({ role: 'admin' });

    expect((await northHead.request({ method: 'GET', url: '/api/v1/teams/north/board' })).statusCode).toBe(200);
    expect((await admin.request({ method: 'GET', url: '/api/v1/teams/south/board' })).json().managers.map((m: { id: string }) => m.id)).toEqual(['sergey']);
    const other = await southHead.request({ method: 'GET', url: '/api/v1/teams/north/board' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('LR_ERR_FORBIDDEN');
    expect((await northHead.request({ method: 'GET', url: '/api/v1/teams/nowhere/board' })).statusCode).toBe(404);
    const manager = await anna.request({ method: 'GET', url: '/api/v1/teams/north/board' });
    expect(manager.statusCode).toBe(403);
    expect(manager.json().error.code).toBe('LR_ERR_FORBIDDEN');
    // An integration reads any team with team:read, and nothing without it.
    expect((await t.request({ method: 'GET', url: '/api/v1/teams/north/board', key: await t.keyWithScopes(['team:read']) })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/api/v1/teams/north/board', key: await t.keyWithScopes(['leads:read']) })).statusCode).toBe(403);
  });
});
