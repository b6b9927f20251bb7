import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe.each(DATABASE_KINDS)('teams and managers API on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    // Wednesday 2026-11-25 12:00 in Moscow.
    t = await startTestApp(kind, { now: () => new Date('2026-11-25T09:00:00Z') });
  });
  afterEach(async () => {
    await t.close();
  });

  const publishRoundRobin = async (): Promise<void> => {
    const draft = await t.request({
      method: 'POST',
      url: '/api/v1/rule-sets',
      payload: { definition: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'Sales', target: { kind: 'group', teams: ['sales'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } } },
    });
    expect(draft.json().validation.ok).toBe(true);
    expect((await t.request({ method: 'POST', url: `/api/v1/rule-sets/${draft.json().ruleSet.version}/publish` })).statusCode).toBe(200);
  };

  it('sets up a team and managers through the API and routes leads to them', async () => {
    expect((await t.request({ method: 'POST', url: '/api/v1/teams', payload: { id: 'sales', name: 'Продажи' } })).statusCode).toBe(201);
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/managers',
      payload: { id: 'anna', teamId: 'sales', name: 'Анна', timeZone: 'Europe/Moscow', workingHours: { wed: [['09:00', '18:00']] }, maxOpen: 5 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: 'anna', teamId: 'sales', maxOpen: 5, paused: false, openLeads: 0 });
    await publishRoundRobin();
    const lead = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'x' } });
    expect(lead.json().lead.ownerId).toBe('anna');
    expect((await t.request({ method: 'GET', url: '/api/v1/managers/anna' })).json().openLeads).toBe(1);
  });

  it('stops giving leads to a paused manager and to one on vacation, from the next lead on', async () => {
    await t.request({ method: 'POST', url: '/api/v1/teams', payload: { id: 'sales', name: 'Sales' } });
    await t.request({ method: 'POST', url: '/api/v1/managers', payload: { id: 'anna', teamId: 'sales', name: 'Anna' } });
    await t.request({ method: 'POST', url: '/api/v1/managers', payload: { id: 'ivan', teamId: 'sales', name: 'Ivan' } });
    await publishRoundRobin();

    expect((await t.request({ method: 'PATCH', url: '/api/v1/managers/anna', payload: { paused: true } })).json().paused).toBe(true);
    const vacation = await t.request({ method: 'POST', url: '/api/v1/managers/ivan/absences', payload: { from: '2026-11-25', to: '2026-11-30', reason: 'Отпуск' } });
    expect(vacation.statusCode).toBe(201);

    const lead = (await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'nobody can take it' } })).json();
    expect(lead.lead.status).toBe('pool');
    const reasons = lead.decision.trace.steps[0].excluded.map((e: { managerId: string; reason: { kind: string } }) => `${e.managerId}:${e.reason.kind}`).sort();
    expect(reasons).toEqual(['anna:paused', 'ivan:absent']);

    await t.request({ method: 'DELETE', url: `/api/v1/managers/ivan/absences/${vacation.json().id}` });
    expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'ivan is back' } })).json().lead.ownerId).toBe('ivan');
  });

  it('refuses malformed working hours, unknown time zones and unknown teams with the field named', async () => {
    const badHours = await t.request({ method: 'POST', url: '/api/v1/managers', payload: { name: 'X', workingHours: { mon: [['18:00', '09:00']] } } });
    expect(badHours.statusCode).toBe(400);
    expect(badHours.json().error.details[0].path).toBe('workingHours.mon[0]');
    const badZone = await t.request({ method: 'POST', url: '/api/v1/managers', payload: { name: 'X', timeZone: 'Mars/Olympus' } });
    expect(badZone.json().error.details[0].path).toBe('timeZone');
    const badTeam = await t.request({ method: 'POST', url: '/api/v1/managers', payload: { name: 'X', teamId: 'nope' } });
    expect(badTeam.statusCode).toBe(400);
    const badAbsence = await t.request({ method: 'POST', url: '/api/v1/managers/nope/absences', payload: { from: '2026-12-10', to: '2026-12-01' } });
    expect(badAbsence.statusCode).toBe(400);
    expect((await t.request({ method: 'GET', url: '/api/v1/managers' })).json().items).toEqual([]);
  });

  it('answers 409 for a duplicate id and 404 for an unknown manager', async () => {
    await t.request({ method: 'POST', url: '/api/v1/managers', payload: { id: 'anna', name: 'Anna' } });
    expect((await t.request({ method: 'POST', url: '/api/v1/managers', payload: { id: 'anna', name: 'Anna 2' } })).json().error.code).toBe('LR_ERR_CONFLICT');
    expect((await t.request({ method: 'PATCH', url: '/api/v1/managers/ghost', payload: { paused: true } })).statusCode).toBe(404);
  });
});
