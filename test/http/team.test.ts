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

describe.each(DATABASE_KINDS)('a head manages the own team from the team board, on %s', (kind) => {
  let t: TestApp;
  type AuditItem = { action: string; actor: string; entity: string; entityId: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
  const auditOf = async (managerId: string): Promise<AuditItem[]> =>
    ((await t.request({ method: 'GET', url: `/api/v1/audit?entity=manager&entityId=${managerId}` })).json().items as AuditItem[]).sort((a, b) => a.action.localeCompare(b.action));

  beforeEach(async () => {
    t = await startTestApp(kind, { now: () => new Date('2026-11-25T09:00:00Z') });
    for (const team of [{ id: 'north', name: 'North' }, { id: 'south', name: 'South' }]) expect((await t.request({ method: 'POST', url: '/api/v1/teams', payload: team })).statusCode).toBe(201);
    for (const m of [{ id: 'anna', teamId: 'north' }, { id: 'ivan', teamId: 'north' }, { id: 'sara', teamId: 'south' }]) {
      expect((await t.request({ method: 'POST', url: '/api/v1/managers', payload: { ...m, name: m.id, email: `${m.id}@example.test` } })).statusCode).toBe(201);
    }
  });
  afterEach(async () => await t.close());

  it('changes weight, caps, skills, hours, time zone and pause of a team manager, audited with the head as actor', async () => {
    const head = await t.signIn({ role: 'head', teamId: 'north' });
    const before = (await t.request({ method: 'GET', url: '/api/v1/managers/anna' })).json();
    const patch = {
      weight: 0.5, maxOpen: 20, maxPerDay: 5, skills: ['b2b'], industries: ['retail'], regions: ['RU-MOW'], languages: ['ru', 'en'],
      timeZone: 'Asia/Yekaterinburg', workingHours: { mon: [['09:00', '13:00'], ['14:00', '18:00']] }, paused: true,
    };
    const changed = await head.request({ method: 'PATCH', url: '/api/v1/managers/anna', payload: patch });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ id: 'anna', teamId: 'north', ...patch });
    expect((await t.request({ method: 'GET', url: '/api/v1/managers/anna' })).json()).toMatchObject(patch);
    // Sending the own team or the current name changes nothing and is accepted, as a full form would send it.
    const same = await head.request({ method: 'PATCH', url: '/api/v1/managers/anna', payload: { teamId: 'north', name: 'anna', paused: false } });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json().paused).toBe(false);

    // Both changes are audited with the head as actor: one from the profile the admin created, one back from the pause.
    const entries = (await auditOf('anna')).filter((e) => e.action === 'manager.changed');
    expect(entries).toHaveLength(2);
    for (const e of entries) expect(e).toMatchObject({ actor: `user:${head.id}`, entity: 'manager', entityId: 'anna' });
    const fromCreated = entries.find((e) => e.before?.paused === false) as AuditItem;
    expect(fromCreated.before).toMatchObject({ weight: before.weight, maxOpen: null, paused: false, timeZone: before.timeZone });
    expect(fromCreated.after).toMatchObject(patch);
    expect(fromCreated.after).not.toHaveProperty('openLeads');
    expect(entries.find((e) => e.before?.paused === true)?.after).toMatchObject({ paused: false, weight: 0.5 });
  });

  it('adds and removes an absence of a team manager, audited', async () => {
    const head = await t.signIn({ role: 'head', teamId: 'north' });
    const added = await head.request({ method: 'POST', url: '/api/v1/managers/ivan/absences', payload: { from: '2026-12-01', to: '2026-12-14', reason: 'Отпуск' } });
    expect(added.statusCode, added.body).toBe(201);
    const absenceId = added.json().id as string;
    expect((await head.request({ method: 'GET', url: '/api/v1/managers/ivan/absences' })).json().items).toEqual([{ id: absenceId, kind: 'other', from: '2026-12-01', to: '2026-12-14', reason: 'Отпуск' }]);

    expect((await head.request({ method: 'DELETE', url: `/api/v1/managers/ivan/absences/${absenceId}` })).statusCode).toBe(204);
    expect((await head.request({ method: 'GET', url: '/api/v1/managers/ivan/absences' })).json().items).toEqual([]);
    expect((await head.request({ method: 'DELETE', url: `/api/v1/managers/ivan/absences/${absenceId}` })).statusCode).toBe(404);

    const audit = await auditOf('ivan');
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['manager.absence_added', `user:${head.id}`],
      ['manager.absence_removed', `user:${head.id}`],
    ]);
    expect(audit[0]?.after).toEqual({ id: absenceId, kind: 'other', from: '2026-12-01', to: '2026-12-14', reason: 'Отпуск' });
    expect(audit[1]?.before).toEqual({ id: absenceId, kind: 'other', from: '2026-12-01', to: '2026-12-14', reason: 'Отпуск' });
  });

  it("refuses a head another team's manager and any move out of the team, and changes nothing", async () => {
    const head = await t.signIn({ role: 'head', teamId: 'north' });
    const saraBefore = (await t.request({ method: 'GET', url: '/api/v1/managers/sara' })).json();
    const saraAbsence = (await t.request({ method: 'POST', url: '/api/v1/managers/sara/absences', payload: { from: '2026-12-01', to: '2026-12-02' } })).json().id as string;

    const refusals = [
      await head.request({ method: 'PATCH', url: '/api/v1/managers/sara', payload: { paused: true } }),
      await head.request({ method: 'POST', url: '/api/v1/managers/sara/absences', payload: { from: '2026-12-10', to: '2026-12-11' } }),
      await head.request({ method: 'DELETE', url: `/api/v1/managers/sara/absences/${saraAbsence}` }),
    ];
    for (const res of refusals) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'LR_ERR_FORBIDDEN', details: [{ path: 'id', code: 'other_team' }] });
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/managers/sara' })).json()).toEqual(saraBefore);
    expect((await t.request({ method: 'GET', url: '/api/v1/managers/sara/absences' })).json().items.map((a: { id: string }) => a.id)).toEqual([saraAbsence]);

    for (const payload of [{ teamId: 'south' }, { teamId: null }, { role: 'head' }, { email: 'someone@example.test' }, { name: 'Anna K.', weight: 2 }]) {
      const res = await head.request({ method: 'PATCH', url: '/api/v1/managers/anna', payload });
      expect(res.statusCode, `${JSON.stringify(payload)} → ${res.body}`).toBe(403);
      expect(res.json().error.code).toBe('LR_ERR_FORBIDDEN');
      expect(res.json().error.details[0].code).toBe('admin_only');
    }
    const anna = (await t.request({ method: 'GET', url: '/api/v1/managers/anna' })).json();
    expect(anna).toMatchObject({ teamId: 'north', role: 'manager', name: 'anna', weight: 1 });
    expect(await auditOf('anna')).toEqual([]);
    expect(await auditOf('sara')).toEqual([expect.objectContaining({ action: 'manager.absence_added', actor: expect.stringMatching(/^api-key:/) })]);
    // An unknown id is a 404, as for an admin.
    expect((await head.request({ method: 'PATCH', url: '/api/v1/managers/ghost', payload: { paused: true } })).statusCode).toBe(404);
  });

  it('refuses a manager, even on the own profile; a team:write key still manages every team, a leads:manage key none', async () => {
    const anna = await t.signIn({ role: 'manager', managerId: 'anna', teamId: 'north' });
    for (const res of [
      await anna.request({ method: 'PATCH', url: '/api/v1/managers/anna', payload: { paused: true } }),
      await anna.request({ method: 'PATCH', url: '/api/v1/managers/ivan', payload: { weight: 3 } }),
      await anna.request({ method: 'POST', url: '/api/v1/managers/anna/absences', payload: { from: '2026-12-01', to: '2026-12-02' } }),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe('LR_ERR_FORBIDDEN');
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/managers/anna' })).json().paused).toBe(false);

    const teamKey = await t.keyWithScopes(['team:write']);
    const moved = await t.request({ method: 'PATCH', url: '/api/v1/managers/sara', key: teamKey, payload: { teamId: 'north', weight: 2 } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ teamId: 'north', weight: 2 });
    const away = await t.request({ method: 'POST', url: '/api/v1/managers/sara/absences', key: teamKey, payload: { from: '2026-12-01', to: '2026-12-02' } });
    expect(away.statusCode).toBe(201);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/managers/sara/absences/${away.json().id}`, key: teamKey })).statusCode).toBe(204);

    const manageKey = await t.keyWithScopes(['leads:manage']);
    const refused = await t.request({ method: 'PATCH', url: '/api/v1/managers/sara', key: manageKey, payload: { paused: true } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('team:write');
  });
});
