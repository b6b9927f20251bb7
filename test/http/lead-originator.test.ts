import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJson } from '../../src/store/json.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { countRows, manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

/** Every inbound lead goes to Boris by the rules, so a lead that stays with Anna stayed because she registered it. */
const ALL_TO_BORIS = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'all', name: 'All to Boris', target: { kind: 'group', managers: ['boris'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

const PEOPLE = {
  anna: { role: 'manager', managerId: 'anna', teamId: 'north' },
  boris: { role: 'manager', managerId: 'boris', teamId: 'north' },
  carl: { role: 'manager', managerId: 'carl', teamId: 'south' },
  northHead: { role: 'head', teamId: 'north' },
  southHead: { role: 'head', teamId: 'south' },
} as const;

describe.each(DATABASE_KINDS)('lead originator and deal closer on %s', (kind) => {
  let t: TestApp;
  let signedIn: Map<string, TestUser>;
  const as = async (who: keyof typeof PEOPLE): Promise<TestUser> => {
    const known = signedIn.get(who);
    if (known) return known;
    const user = await t.signIn(PEOPLE[who]);
    signedIn.set(who, user);
    return user;
  };

  beforeEach(async () => {
    // Wednesday, midday in Moscow: everyone is on duty.
    const clock = new Date('2026-11-25T09:00:00.000Z');
    t = await startTestApp(kind, { now: () => clock });
    await setUpRouting(t, {
      teams: [
        { id: 'north', name: 'North' },
        { id: 'south', name: 'South' },
      ],
      managers: [
        manager('anna', { teamId: 'north', name: 'Anna Smirnova' }),
        manager('boris', { teamId: 'north', name: 'Boris' }),
        manager('carl', { teamId: 'south', name: 'Carl' }),
        manager('gone', { teamId: 'north', name: 'Gone' }),
      ],
      ruleSet: ALL_TO_BORIS,
    });
    await t.store.db.updateTable('managers').set({ active: 0 }).where('id', '=', 'gone').execute();
    signedIn = new Map();
  });
  afterEach(async () => await t.close());

  const register = async (who: keyof typeof PEOPLE, body: Record<string, unknown> = {}) =>
    await (await as(who)).request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'ООО Ромашка', phone: '+7 916 123-45-67', source: 'own', ...body } });
  const audit = async (action: string) =>
    (await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute()).map((r) => ({ ...r, before: readJson<unknown>(r.before, null), after: readJson<Record<string, unknown>>(r.after, {}) }));
  const events = async (leadId: string) => (await t.request({ method: 'GET', url: `/api/v1/leads/${leadId}/events` })).json<{ items: Array<{ type: string; payload: Record<string, unknown> }> }>().items;

  it('a manager registers a lead: it stays theirs as owner and originator, not routed, and the decision says why', async () => {
    const res = await register('anna');
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.lead.ownerId).toBe('anna');
    expect(body.lead.originatorId).toBe('anna');
    expect(body.owner).toEqual({ id: 'anna', name: 'Anna Smirnova' });
    expect(body.originator).toEqual({ id: 'anna', name: 'Anna Smirnova' });
    expect(body.decision).toMatchObject({ outcome: 'assigned', via: 'registered', strategy: 'registered', ruleId: null });
    expect(body.decision.trace.registration).toEqual({ managerId: 'anna', outcome: 'kept' });
    expect(body.decision.trace.summary).toBe('Registered by the manager Anna Smirnova, who keeps it as owner.');
    expect(body.decision.trace.steps).toEqual([]);
    // Her open-lead counter counts it, the rules' turn was not taken.
    const anna = await t.store.db.selectFrom('managers').select('open_leads').where('id', '=', 'anna').executeTakeFirstOrThrow();
    expect(anna.open_leads).toBe(1);

    // The card and the list answer the originator with the name.
    const card = (await (await as('anna')).request({ method: 'GET', url: `/api/v1/leads/${body.lead.id}` })).json();
    expect(card.originator).toEqual({ id: 'anna', name: 'Anna Smirnova' });
    const list = (await (await as('northHead')).request({ method: 'GET', url: '/api/v1/leads?decisions=false' })).json();
    expect(list.items[0]).toMatchObject({ lead: { originatorId: 'anna' }, originator: { id: 'anna', name: 'Anna Smirnova' } });

    // An inbound lead from an integration has no originator and is routed.
    const inbound = (await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Inbound', source: 'web' } })).json();
    expect(inbound.lead).toMatchObject({ ownerId: 'boris', originatorId: null });
    expect(inbound.originator).toBeNull();
    expect(inbound.decision.via).toBe('rule');
  });

  it('the registration crosses to the intake thread as serve runs it', async () => {
    const threaded = await startTestApp(kind, { intakeThread: true });
    try {
      await setUpRouting(threaded, { teams: [{ id: 'north', name: 'North' }], managers: [manager('anna', { teamId: 'north', name: 'Anna Smirnova' }), manager('boris', { teamId: 'north' })], ruleSet: ALL_TO_BORIS });
      const anna = await threaded.signIn({ role: 'manager', managerId: 'anna', teamId: 'north' });
      const res = await anna.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Клиент Анны', source: 'own' } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ lead: { ownerId: 'anna', originatorId: 'anna' }, originator: { id: 'anna' }, decision: { via: 'registered' } });
    } finally {
      await threaded.close();
    }
  });

  it('a team that routes registered leads: the rules decide, the originator is kept; the setting is audited, by its head or an admin', async () => {
    expect((await (await as('anna')).request({ method: 'PUT', url: '/api/v1/teams/north/lead-settings', payload: { registeredLeads: 'route' } })).statusCode).toBe(403);
    expect((await (await as('southHead')).request({ method: 'PUT', url: '/api/v1/teams/north/lead-settings', payload: { registeredLeads: 'route' } })).statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/api/v1/teams/north/lead-settings' })).json()).toEqual({ teamId: 'north', registeredLeads: 'keep', inherited: true });
    expect((await t.request({ method: 'PUT', url: '/api/v1/teams/north/lead-settings', payload: { registeredLeads: 'sometimes' } })).statusCode).toBe(400);
    expect((await t.request({ method: 'PUT', url: '/api/v1/teams/nowhere/lead-settings', payload: { registeredLeads: 'route' } })).statusCode).toBe(404);
    const put = await (await as('northHead')).request({ method: 'PUT', url: '/api/v1/teams/north/lead-settings', payload: { registeredLeads: 'route' } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ teamId: 'north', registeredLeads: 'route', inherited: false });
    expect(await audit('team_lead_settings.changed')).toMatchObject([{ entity: 'team', entity_id: 'north', before: null, after: { registeredLeads: 'route' } }]);

    const res = await register('anna');
    expect(res.statusCode).toBe(201);
    expect(res.json().lead).toMatchObject({ ownerId: 'boris', originatorId: 'anna' });
    expect(res.json().decision).toMatchObject({ via: 'rule', ruleId: 'all' });
    expect(res.json().decision.trace.registration).toEqual({ managerId: 'anna', outcome: 'routed' });

    // Carl's team (south) keeps them still (a client of his own: another phone).
    expect((await register('carl', { phone: '+7 916 765-43-21' })).json().lead).toMatchObject({ ownerId: 'carl', originatorId: 'carl' });
    // A client who is already Boris's (an open lead with the same phone) is not Carl's to keep: it is routed.
    const taken = (await register('carl')).json();
    expect(taken.lead).toMatchObject({ originatorId: 'carl' });
    expect(taken.lead.ownerId).not.toBe('carl');
    expect(taken.decision.trace.registration).toEqual({ managerId: 'carl', outcome: 'routed' });
  });

  it('a head names a manager of the team; a manager names only themselves; a bad id is a 422 with a code', async () => {
    const byHead = await register('northHead', { originatorId: 'anna' });
    expect(byHead.statusCode).toBe(201);
    expect(byHead.json().lead).toMatchObject({ ownerId: 'anna', originatorId: 'anna' });

    const headOtherTeam = await register('northHead', { originatorId: 'carl' });
    expect(headOtherTeam.statusCode).toBe(403);
    expect(headOtherTeam.json().error.code).toBe('LR_ERR_FORBIDDEN');

    const managerOther = await register('anna', { originatorId: 'boris' });
    expect(managerOther.statusCode).toBe(403);
    expect(managerOther.json().error.message).toMatch(/themselves/);
    expect((await register('anna', { originatorId: 'anna' })).statusCode).toBe(201);

    for (const [id, code] of [
      ['nobody', 'unknown_manager'],
      ['gone', 'inactive_manager'],
    ] as const) {
      const bad = await register('northHead', { originatorId: id });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error).toMatchObject({ code: 'LR_ERR_UNPROCESSABLE', details: [{ path: 'originatorId', code }] });
    }
    // An admin key names anyone active; an integration without a name registers nothing.
    expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'For Carl', originatorId: 'carl' } })).json().lead).toMatchObject({ ownerId: 'carl', originatorId: 'carl' });
    const writer = await t.keyWithScopes(['leads:write']);
    expect((await t.request({ method: 'POST', url: '/api/v1/leads', key: writer, payload: { name: 'For Anna', originatorId: 'anna' } })).json().lead).toMatchObject({ ownerId: 'anna', originatorId: 'anna' });
    // A batch names its leads' originators, and points at the one it refuses.
    const batch = await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: { leads: [{ name: 'A', originatorId: 'anna' }, { name: 'B', originatorId: 'nobody' }] } });
    expect(batch.statusCode).toBe(422);
    expect(batch.json().error.details).toEqual([expect.objectContaining({ path: 'leads.1.originatorId', code: 'unknown_manager' })]);
  });

  it('a replay of a registered lead under the same Idempotency-Key creates one lead; a different originator is a different request', async () => {
    const writer = await t.keyWithScopes(['leads:write']);
    const send = async (originatorId: string) =>
      await t.request({ method: 'POST', url: '/api/v1/leads', key: writer, headers: { 'idempotency-key': 'card-17' }, payload: { name: 'Трейд-шоу', phone: '+7 916 000-11-22', originatorId } });
    const first = await send('anna');
    const again = await send('anna');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().lead.id).toBe(first.json().lead.id);
    expect(again.json().originator).toEqual({ id: 'anna', name: 'Anna Smirnova' });
    expect(await countRows(t.store, 'leads')).toBe(1);
    expect((await send('boris')).statusCode).toBe(422);
    expect(await countRows(t.store, 'leads')).toBe(1);
  });

  it('a head or an admin corrects a lead’s originator with a reason; audited and in the timeline; a manager may not', async () => {
    const leadId = (await register('anna')).json().lead.id as string;
    const put = (who: TestUser, body: Record<string, unknown>) => who.request({ method: 'PUT', url: `/api/v1/leads/${leadId}/originator`, payload: body });

    const noReason = await put(await as('northHead'), { managerId: 'boris' });
    expect(noReason.statusCode).toBe(400);
    expect((await put(await as('northHead'), { managerId: 'boris', reason: '   ' })).statusCode).toBe(400);
    expect((await put(await as('anna'), { managerId: 'boris', reason: 'мой клиент' })).statusCode).toBe(403);
    expect((await put(await as('northHead'), { managerId: 'carl', reason: 'другая команда' })).statusCode).toBe(403);
    // A head of another team does not see the lead at all.
    expect((await put(await as('southHead'), { managerId: 'carl', reason: 'x' })).statusCode).toBe(404);
    expect((await put(await as('northHead'), { managerId: 'nobody', reason: 'x' })).json().error.details[0].code).toBe('unknown_manager');

    const ok = await put(await as('northHead'), { managerId: 'boris', reason: 'Клиента привёл Борис с выставки' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ lead: { id: leadId, ownerId: 'anna', originatorId: 'boris' }, originator: { id: 'boris', name: 'Boris' } });
    expect(await audit('lead.originator_changed')).toMatchObject([
      { entity: 'lead', entity_id: leadId, actor: `user:${(await as('northHead')).id}`, before: { originatorId: 'anna' }, after: { originatorId: 'boris', reason: 'Клиента привёл Борис с выставки' } },
    ]);
    expect((await events(leadId)).find((e) => e.type === 'lead.originator_changed')?.payload).toMatchObject({ fromManagerId: 'anna', managerId: 'boris', reason: 'Клиента привёл Борис с выставки' });
    const timeline = (await t.request({ method: 'GET', url: `/api/v1/leads/${leadId}/timeline` })).json<{ items: Array<{ type: string; summary: string }> }>().items;
    expect(timeline.find((i) => i.type === 'lead.created')?.summary).toBe('Lead received from own, registered by Anna Smirnova');
    expect(timeline.find((i) => i.type === 'lead.originator_changed')?.summary).toBe('Brought in by: Boris (was Anna Smirnova) — Клиента привёл Борис с выставки');

    // An admin may clear it.
    const cleared = await t.request({ method: 'PUT', url: `/api/v1/leads/${leadId}/originator`, payload: { managerId: null, reason: 'Пришёл сам' } });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().lead.originatorId).toBeNull();
    expect(cleared.json().originator).toBeNull();
  });

  it('conversion gives the deal the lead’s originator; the deal is handed over to its closer and its originator corrected', async () => {
    // A routed lead Anna registered, now Boris's: the deal remembers Anna.
    await t.request({ method: 'PUT', url: '/api/v1/teams/north/lead-settings', payload: { registeredLeads: 'route' } });
    const routed = (await register('anna')).json().lead.id as string;
    const convert = async (who: TestUser, id: string) => await who.request({ method: 'POST', url: `/api/v1/leads/${id}/convert`, payload: { deal: { title: 'Поставка', amount: 100000 } } });
    const fromRouted = await convert(await as('boris'), routed);
    expect(fromRouted.statusCode).toBe(201);
    expect(fromRouted.json().deal).toMatchObject({ originatorId: 'anna', ownerId: 'boris' });
    // Without an originator, the converting owner is the originator, as before.
    const inbound = (await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Inbound', phone: '+7 916 555-00-00' } })).json().lead.id as string;
    expect((await convert(await as('boris'), inbound)).json().deal).toMatchObject({ originatorId: 'boris', ownerId: 'boris' });

    const dealId = fromRouted.json().deal.id as string;
    const hand = (who: TestUser, body: Record<string, unknown>) => who.request({ method: 'PUT', url: `/api/v1/deals/${dealId}/owner`, payload: body });
    expect((await hand(await as('boris'), { managerId: 'anna' })).statusCode).toBe(400);
    // Anna sees the deal (she brought it) but does not own it: she cannot hand it.
    expect((await hand(await as('anna'), { managerId: 'anna', reason: 'моя' })).statusCode).toBe(403);
    expect((await hand(await as('boris'), { managerId: 'carl', reason: 'другая команда' })).statusCode).toBe(403);
    expect((await hand(await as('boris'), { managerId: 'gone', reason: 'x' })).statusCode).toBe(422);
    const handed = await hand(await as('boris'), { managerId: 'anna', reason: 'Анна закроет: она ведёт переговоры' });
    expect(handed.statusCode).toBe(200);
    expect(handed.json()).toMatchObject({ id: dealId, ownerId: 'anna', originatorId: 'anna' });
    expect(await audit('deal.owner_changed')).toMatchObject([{ entity_id: dealId, before: { ownerId: 'boris' }, after: { ownerId: 'anna', reason: 'Анна закроет: она ведёт переговоры' } }]);
    expect((await events(routed)).map((e) => e.type)).toContain('deal.owner_changed');
    // The head hands it back; the deal is then won, and a closed deal keeps its closer.
    expect((await hand(await as('northHead'), { managerId: 'boris', reason: 'отпуск Анны' })).statusCode).toBe(200);

    // Originator corrections: head or admin, with a reason.
    const origin = (who: TestUser, body: Record<string, unknown>) => who.request({ method: 'PUT', url: `/api/v1/deals/${dealId}/originator`, payload: body });
    expect((await origin(await as('boris'), { managerId: 'boris', reason: 'я' })).statusCode).toBe(403);
    expect((await origin(await as('northHead'), { managerId: 'boris' })).statusCode).toBe(400);
    const corrected = await origin(await as('northHead'), { managerId: 'boris', reason: 'Борис нашёл клиента' });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toMatchObject({ originatorId: 'boris', ownerId: 'boris' });
    expect(await audit('deal.originator_changed')).toMatchObject([{ entity_id: dealId, before: { originatorId: 'anna' }, after: { originatorId: 'boris', reason: 'Борис нашёл клиента' } }]);

    expect((await (await as('boris')).request({ method: 'PATCH', url: `/api/v1/deals/${dealId}`, payload: { closed: 'won' } })).statusCode).toBe(200);
    const closed = await hand(await as('northHead'), { managerId: 'anna', reason: 'поздно' });
    expect(closed.statusCode).toBe(409);
  });
});
