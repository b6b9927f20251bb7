import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WeeklyHours } from '../../src/core/routing/manager-profile.js';
import { addBusinessMinutes } from '../../src/core/sla/business-clock.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const OFFICE: WeeklyHours = { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] };

describe.each(DATABASE_KINDS)("a manager's business calendar on %s", (kind) => {
  let t: TestApp;
  let now: Date;
  beforeEach(async () => {
    // Wednesday 2026-11-25, 12:00 in Moscow, 19:00 in Vladivostok.
    now = new Date('2026-11-25T09:00:00.000Z');
    t = await startTestApp(kind, { now: () => now });
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }, { id: 'south', name: 'South' }],
      managers: [manager('anna', { teamId: 'north', workingHours: OFFICE }), manager('boris', { teamId: 'south', timeZone: 'Asia/Vladivostok' })],
      ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'anna', name: 'Anna', target: { kind: 'group', managers: ['anna'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } },
    });
    const days: Array<{ day: string; teamId?: string }> = [
      { day: '2026-11-10' }, { day: '2026-11-20' }, { day: '2027-01-01' }, { day: '2027-03-01' },
      { day: '2026-12-31', teamId: 'north' }, { day: '2026-12-30', teamId: 'south' },
    ];
    for (const d of days) expect((await t.request({ method: 'POST', url: '/api/v1/sla/holidays', payload: { ...d, name: 'Выходной' } })).statusCode).toBe(201);
  });
  afterEach(async () => await t.close());

  it("gives the zone, the working hours and the holidays of the manager's team and company, a week back and 90 days ahead", async () => {
    const anna = await t.request({ method: 'GET', url: '/api/v1/managers/anna/calendar' });
    expect(anna.statusCode, anna.body).toBe(200);
    expect(anna.json()).toEqual({ timeZone: 'Europe/Moscow', workingHours: OFFICE, holidays: ['2026-11-20', '2026-12-31', '2027-01-01'], from: '2026-11-18', to: '2027-02-23' });
    const boris = (await t.request({ method: 'GET', url: '/api/v1/managers/boris/calendar' })).json();
    expect(boris).toEqual({ timeZone: 'Asia/Vladivostok', workingHours: null, holidays: ['2026-11-20', '2026-12-30', '2027-01-01'], from: '2026-11-18', to: '2027-02-23' });
  });

  it('counts a deadline exactly as the SLA clock does', async () => {
    await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { name: 'All', firstContactMinutes: 30, maxReassignments: 0, onExhausted: 'pool' } });
    // Wednesday 2026-12-30, 17:50 in Moscow: 10 minutes today, then the team's and the company's holidays and a weekend.
    now = new Date('2026-12-30T14:50:00.000Z');
    const lead = (await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Перед праздниками' } })).json().lead;
    expect(lead.ownerId).toBe('anna');
    const calendar = (await t.request({ method: 'GET', url: '/api/v1/managers/anna/calendar' })).json();
    const due = addBusinessMinutes(now.getTime(), 30, { timeZone: calendar.timeZone, hours: calendar.workingHours, holidays: new Set(calendar.holidays) });
    expect(new Date(due).toISOString()).toBe(lead.sla.dueAt);
    expect(lead.sla.dueAt).toBe('2027-01-04T06:20:00.000Z');
  });

  it('is read by whoever may read the manager: any salesperson, keys with team:read; 404 for an unknown manager', async () => {
    const anna = await t.signIn({ role: 'manager', managerId: 'anna' });
    const southHead = await t.signIn({ role: 'head', teamId: 'south' });
    const qualifier = await t.signIn({ role: 'qualifier' });
    expect((await anna.request({ method: 'GET', url: '/api/v1/managers/anna/calendar' })).statusCode).toBe(200);
    expect((await anna.request({ method: 'GET', url: '/api/v1/managers/boris/calendar' })).statusCode).toBe(200);
    expect((await anna.request({ method: 'GET', url: '/api/v1/managers/boris' })).statusCode).toBe(200);
    expect((await southHead.request({ method: 'GET', url: '/api/v1/managers/anna/calendar' })).statusCode).toBe(200);
    expect((await qualifier.request({ method: 'GET', url: '/api/v1/managers/anna/calendar' })).statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/api/v1/managers/anna/calendar', key: await t.keyWithScopes(['team:read']) })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/api/v1/managers/anna/calendar', key: await t.keyWithScopes(['leads:read']) })).statusCode).toBe(403);
    const unknown = await anna.request({ method: 'GET', url: '/api/v1/managers/nobody/calendar' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('LR_ERR_NOT_FOUND');
  });
});
