import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeeklyHours } from '../../src/core/routing/manager-profile.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const OFFICE: WeeklyHours = { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] };
const RULES = { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'All', target: { kind: 'group', managers: ['anna'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } };
// Friday 2026-03-06 17:30 in Moscow.
const FRIDAY_EVENING = '2026-03-06T14:30:00.000Z';

describe.each(DATABASE_KINDS)('SLA preview on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { now: () => new Date(FRIDAY_EVENING) });
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }, { id: 'south', name: 'South' }],
      managers: [manager('anna', { teamId: 'north', name: 'Анна Петрова', workingHours: OFFICE }), manager('boris', { teamId: 'south', workingHours: null, timeZone: 'Asia/Vladivostok' })],
      ruleSet: RULES,
    });
  }, 120_000);
  afterAll(async () => await t.close());

  const preview = async (body: object, caller = (o: object) => t.request({ method: 'POST', url: '/api/v1/sla/preview', payload: o })) => await caller(body);

  it("counts a draft in the manager's working hours across the weekend, and a holiday moves it a day further", async () => {
    const res = await preview({ policy: { firstContactMinutes: 60, warnBeforeMinutes: 15 }, managerId: 'anna' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    // 30 minutes on Friday, 30 more on Monday from 09:00 Moscow (06:00 UTC).
    expect(body).toMatchObject({
      at: FRIDAY_EVENING,
      clockStartsAt: FRIDAY_EVENING,
      dueAt: '2026-03-09T06:30:00.000Z',
      warnAt: '2026-03-09T06:15:00.000Z',
      manager: { id: 'anna', name: 'Анна Петрова', teamId: 'north' },
      policy: { id: null, firstContactMinutes: 60, warnBeforeMinutes: 15, teamMatches: true },
      calendar: { timeZone: 'Europe/Moscow', workingAtArrival: true, businessMinutes: 60, skippedDays: [{ day: '2026-03-07', reason: 'weekend' }, { day: '2026-03-08', reason: 'weekend' }] },
    });

    // A team holiday on Monday for north: Tuesday.
    const holiday = await t.request({ method: 'POST', url: '/api/v1/sla/holidays', payload: { day: '2026-03-09', name: 'Перенос', teamId: 'north' } });
    expect(holiday.statusCode).toBe(201);
    const moved = (await preview({ policy: { firstContactMinutes: 60 }, managerId: 'anna' })).json();
    expect(moved.dueAt).toBe('2026-03-10T06:30:00.000Z');
    expect(moved.warnAt).toBeNull();
    expect(moved.calendar.skippedDays).toEqual([
      { day: '2026-03-07', reason: 'weekend', holiday: null, teamId: null },
      { day: '2026-03-08', reason: 'weekend', holiday: null, teamId: null },
      { day: '2026-03-09', reason: 'holiday', holiday: 'Перенос', teamId: 'north' },
    ]);
    // Another team's manager is not affected, and always working counts plain time.
    const boris = (await preview({ policy: { firstContactMinutes: 60 }, managerId: 'boris' })).json();
    expect(boris.dueAt).toBe('2026-03-06T15:30:00.000Z');
    expect(boris.calendar).toMatchObject({ timeZone: 'Asia/Vladivostok', workingHours: null, skippedDays: [] });
    expect((await t.request({ method: 'DELETE', url: `/api/v1/sla/holidays/${holiday.json().id}` })).statusCode).toBe(204);
  });

  it('previews a saved policy, with unsaved edits over it, at a given arrival outside working hours', async () => {
    const saved = await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: { name: 'Входящие', firstContactMinutes: 30, warnBeforeMinutes: 10, match: { teamIds: ['south'] } } });
    expect(saved.statusCode).toBe(201);
    const id = saved.json().id as string;
    // Saturday 10:00 Moscow: the clock starts on Monday at 09:00.
    const res = (await preview({ policy: { id }, managerId: 'anna', at: '2026-03-07T07:00:00Z' })).json();
    expect(res).toMatchObject({
      policy: { id, name: 'Входящие', firstContactMinutes: 30, teamMatches: false },
      clockStartsAt: '2026-03-09T06:00:00.000Z',
      dueAt: '2026-03-09T06:30:00.000Z',
      warnAt: '2026-03-09T06:20:00.000Z',
      calendar: { workingAtArrival: false, businessMinutes: 30 },
    });
    const edited = (await preview({ policy: { id, firstContactMinutes: 120, warnBeforeMinutes: null }, managerId: 'anna', at: '2026-03-07T07:00:00Z' })).json();
    expect(edited).toMatchObject({ dueAt: '2026-03-09T08:00:00.000Z', warnAt: null, policy: { name: 'Входящие', firstContactMinutes: 120 } });
  });

  it('refuses what it cannot count with the field named, and lets a head but not a manager ask', async () => {
    const cases: Array<[object, number, string]> = [
      [{ policy: {}, managerId: 'anna' }, 400, 'policy.firstContactMinutes'],
      [{ policy: { firstContactMinutes: 0 }, managerId: 'anna' }, 400, 'policy.firstContactMinutes'],
      [{ policy: { id: 'missing' }, managerId: 'anna' }, 400, 'policy.id'],
      [{ policy: { firstContactMinutes: 30 }, managerId: 'nobody' }, 400, 'managerId'],
      [{ policy: { firstContactMinutes: 30 }, managerId: 'anna', at: 'tomorrow' }, 400, 'at'],
      [{ policy: { firstContactMinutes: 30 } }, 400, 'managerId'],
    ];
    for (const [body, status, path] of cases) {
      const res = await preview(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      const error = res.json().error;
      expect(error.code).toBe('LR_ERR_VALIDATION');
      expect(error.details.map((d: { path: string }) => d.path), JSON.stringify(error)).toContain(path);
    }
    const head = await t.signIn({ role: 'head', teamId: 'north' });
    const annaUser = await t.signIn({ role: 'manager', managerId: 'anna' });
    const body = { policy: { firstContactMinutes: 30 }, managerId: 'anna' };
    expect((await head.request({ method: 'POST', url: '/api/v1/sla/preview', payload: body })).statusCode).toBe(200);
    expect((await annaUser.request({ method: 'POST', url: '/api/v1/sla/preview', payload: body })).statusCode).toBe(403);
  });
});
