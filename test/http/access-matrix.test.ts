import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createAppContext } from '../../src/app/app-context.js';
import { buildApp } from '../../src/http/build-app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

/**
 * Who may call what, as the product promises it (README, "Roles"). Every endpoint must be
 * listed here, so a new endpoint cannot ship without deciding who may call it.
 */
type Caller = 'admin' | 'head' | 'manager' | 'qualifier' | 'integration';
const PEOPLE: Caller[] = ['admin', 'head', 'manager', 'qualifier'];
const SALES: Caller[] = ['admin', 'head', 'manager'];
const LEADERS: Caller[] = ['admin', 'head'];
const ADMIN: Caller[] = ['admin'];
// Here only the manager has a routing profile; the head of this test runs the team without one.
const CLAIMERS: Caller[] = ['manager'];
// The integration key below holds leads:read and leads:write, like a CRM connector: it sends
// and reads leads but may not work them (that takes leads:work).
const WORKERS: Caller[] = [...PEOPLE, 'integration'];

const ACCESS: Record<string, Caller[]> = {
  'POST /api/v1/leads': WORKERS,
  'POST /api/v1/leads/batch': WORKERS,
  'GET /api/v1/leads': WORKERS,
  'GET /api/v1/leads/:id': WORKERS,
  'GET /api/v1/leads/:id/events': WORKERS,
  'GET /api/v1/leads/:id/timeline': WORKERS,
  'GET /api/v1/leads/:id/briefing': WORKERS,
  'POST /api/v1/leads/:id/status': PEOPLE,
  'POST /api/v1/leads/:id/qualify': PEOPLE,
  'POST /api/v1/leads/:id/activities': PEOPLE,
  'GET /api/v1/leads/:id/activities': WORKERS,
  'POST /api/v1/leads/:id/tasks': PEOPLE,
  'PATCH /api/v1/tasks/:id': PEOPLE,
  'GET /api/v1/tasks': WORKERS,
  'POST /api/v1/leads/:id/convert': PEOPLE,
  'GET /api/v1/deals': WORKERS,
  'GET /api/v1/deals/:id': WORKERS,
  'PATCH /api/v1/deals/:id': PEOPLE,
  // Who brought the client in is corrected by a head (own team) or an admin; a deal is handed over by its
  // owner, the team's head or an admin (a qualifier sees no deal: 404; see lead-originator.test.ts).
  'PUT /api/v1/leads/:id/originator': LEADERS,
  'PUT /api/v1/deals/:id/originator': LEADERS,
  'PUT /api/v1/deals/:id/owner': PEOPLE,
  // The client base: everyone who reads leads reads it (whose client a company is); a head changes the own
  // team's clients (another team's: 403, see client-base.test.ts), an admin all; managers read only.
  'GET /api/v1/companies': WORKERS,
  'POST /api/v1/companies': LEADERS,
  'GET /api/v1/companies/:id': WORKERS,
  'PATCH /api/v1/companies/:id': LEADERS,
  'PUT /api/v1/companies/:id/owner': LEADERS,
  'POST /api/v1/companies/:id/merge': LEADERS,
  'GET /api/v1/companies/:id/leads': WORKERS,
  'GET /api/v1/companies/:id/deals': WORKERS,
  'GET /api/v1/companies/:id/timeline': WORKERS,
  'GET /api/v1/contacts': WORKERS,
  'POST /api/v1/contacts': LEADERS,
  'GET /api/v1/contacts/:id': WORKERS,
  'PATCH /api/v1/contacts/:id': LEADERS,
  'PUT /api/v1/contacts/:id/owner': LEADERS,
  'POST /api/v1/contacts/:id/merge': LEADERS,
  'GET /api/v1/contacts/:id/leads': WORKERS,
  'GET /api/v1/contacts/:id/deals': WORKERS,
  'GET /api/v1/contacts/:id/timeline': WORKERS,
  // Whether leads a team's managers register stay with them: the team's head (another team: 403) or an admin.
  'GET /api/v1/teams/:id/lead-settings': LEADERS,
  'PUT /api/v1/teams/:id/lead-settings': LEADERS,
  'POST /api/v1/leads/:id/transfers': PEOPLE,
  'GET /api/v1/transfers': WORKERS,
  'POST /api/v1/transfers/:id/cancel': PEOPLE,
  'POST /api/v1/leads/:id/release': PEOPLE,
  // The pool is for sales, and only a person with a routing profile can take a lead from it.
  'GET /api/v1/pool': [...SALES, 'integration'],
  'POST /api/v1/pool/:leadId/claim': CLAIMERS,
  'POST /api/v1/pool/take-next': CLAIMERS,
  'GET /api/v1/pool/standing': CLAIMERS,
  'GET /api/v1/pipelines': WORKERS,
  'GET /api/v1/reasons': WORKERS,
  'GET /api/v1/settings/qualification': WORKERS,
  'GET /api/v1/sla/policies': WORKERS,
  'GET /api/v1/sla/holidays': WORKERS,
  // Counting a deadline in a manager's calendar for a policy being set up: nothing is saved. A head:
  // the own team's managers only (another's: 403, see console-guards.test.ts).
  'POST /api/v1/sla/preview': LEADERS,
  'POST /api/v1/transfers/:id/approve': LEADERS,
  'POST /api/v1/transfers/:id/reject': LEADERS,
  'POST /api/v1/leads/:id/reassign': LEADERS,
  'POST /api/v1/leads/reassign': LEADERS,
  'GET /api/v1/reports/transfers': SALES,
  // Reports: a manager reads the own figures (colleagues anonymised unless the setting names them), a head the team's, an admin all.
  'GET /api/v1/reports/distribution': SALES,
  'GET /api/v1/reports/speed-to-lead': SALES,
  'GET /api/v1/reports/sla': SALES,
  'GET /api/v1/reports/funnel': SALES,
  'GET /api/v1/reports/junk': SALES,
  'GET /api/v1/settings/reports': SALES,
  // Bonuses: a manager reads the own lines, a head the team's, an admin all; a head closes the own team's month
  // (another team's: 403), an admin names the team; bonus settings are read by heads and set by admins.
  'GET /api/v1/bonuses': SALES,
  'POST /api/v1/bonuses/periods/:period/close': LEADERS,
  'GET /api/v1/bonuses/settings': LEADERS,
  'PUT /api/v1/bonuses/settings': ADMIN,
  'PUT /api/v1/settings/reports': ADMIN,
  // Plans and plan / fact: a manager reads the own plan and figures (and the team's leaderboard, colleagues
  // anonymised unless the reports setting names them), a head reads and sets the own team's, an admin any team's.
  'GET /api/v1/plans': SALES,
  'PUT /api/v1/plans/:period': LEADERS,
  'POST /api/v1/plans/:period/copy': LEADERS,
  'GET /api/v1/motivation/plan-fact': SALES,
  'GET /api/v1/motivation/leaderboard': SALES,
  'GET /api/v1/pool/settings': LEADERS,
  'PUT /api/v1/pool/settings': LEADERS,
  // Source health is company-wide: the heads are the ones alerted, and they tune the thresholds.
  'GET /api/v1/reports/source-health': LEADERS,
  'GET /api/v1/source-health/settings': LEADERS,
  'PUT /api/v1/source-health/settings': LEADERS,
  'GET /api/v1/rule-sets': LEADERS,
  'GET /api/v1/rule-sets/:version': LEADERS,
  'POST /api/v1/rule-sets/validate': LEADERS,
  'POST /api/v1/rule-sets/:version/validate': LEADERS,
  'POST /api/v1/routing/simulate': LEADERS,
  'POST /api/v1/routing/compare': LEADERS,
  'GET /api/v1/routing/vocabulary': LEADERS,
  'GET /api/v1/teams': SALES,
  'GET /api/v1/managers': SALES,
  'GET /api/v1/managers/:id': SALES,
  // Absences (sick leave is health data): an admin reads everyone's, a head the own team's, a manager
  // only their own (a colleague's: 403, an empty week; see console-guards.test.ts).
  'GET /api/v1/managers/:id/absences': SALES,
  'GET /api/v1/absences': SALES,
  // Whoever may read the manager may read the calendar the manager's SLA clocks count in.
  'GET /api/v1/managers/:id/calendar': SALES,
  // The head of the team and admins; another team's head gets 403 (see team-board.test.ts).
  'GET /api/v1/teams/:id/board': LEADERS,
  // The team board: a head changes the own team's managers (other teams: 403, see team.test.ts).
  'PATCH /api/v1/managers/:id': LEADERS,
  'POST /api/v1/managers/:id/absences': LEADERS,
  'DELETE /api/v1/managers/:id/absences/:absenceId': LEADERS,
  'POST /api/v1/rule-sets': ADMIN,
  'PUT /api/v1/rule-sets/:version': ADMIN,
  'POST /api/v1/rule-sets/:version/publish': ADMIN,
  // Both take team:write (an integration keeping the team structure); appointing a head changes a
  // person's role and stays with admins (see console-guards.test.ts).
  'POST /api/v1/teams': ADMIN,
  'PATCH /api/v1/teams/:id': ADMIN,
  'POST /api/v1/managers': ADMIN,
  'POST /api/v1/sla/policies': ADMIN,
  'PATCH /api/v1/sla/policies/:id': ADMIN,
  'DELETE /api/v1/sla/policies/:id': ADMIN,
  'POST /api/v1/sla/holidays': ADMIN,
  'DELETE /api/v1/sla/holidays/:id': ADMIN,
  'GET /api/v1/users': ADMIN,
  'GET /api/v1/users/:id': ADMIN,
  'POST /api/v1/users': ADMIN,
  'PATCH /api/v1/users/:id': ADMIN,
  'GET /api/v1/audit': ADMIN,
  'GET /api/v1/api-keys': ADMIN,
  'POST /api/v1/api-keys': ADMIN,
  'PATCH /api/v1/api-keys/:id': ADMIN,
  'DELETE /api/v1/api-keys/:id': ADMIN,
  'PUT /api/v1/pipelines/default': ADMIN,
  'PUT /api/v1/pipelines/teams/:teamId': ADMIN,
  'POST /api/v1/reasons': ADMIN,
  'PATCH /api/v1/reasons/:id': ADMIN,
  'PUT /api/v1/settings/qualification': ADMIN,
  // Web forms: an admin sets them up and works their quarantine; the forms themselves post to the public /f/<key>.
  'GET /api/v1/form-sources': ADMIN,
  'POST /api/v1/form-sources': ADMIN,
  'GET /api/v1/form-sources/:id': ADMIN,
  'PATCH /api/v1/form-sources/:id': ADMIN,
  'GET /api/v1/form-submissions/quarantine': ADMIN,
  'POST /api/v1/form-submissions/quarantine/:id/replay': ADMIN,
  'POST /api/v1/form-submissions/quarantine/:id/discard': ADMIN,
  // CRM connectors (Bitrix24, amoCRM): an admin connects a portal or account, maps managers to its users and sees its status; the CRM posts its events to the public /crm/<kind>/<key>/events.
  'GET /api/v1/crm-connectors': ADMIN,
  'POST /api/v1/crm-connectors/bitrix24': ADMIN,
  'POST /api/v1/crm-connectors/amocrm': ADMIN,
  'GET /api/v1/crm-connectors/:id': ADMIN,
  'PATCH /api/v1/crm-connectors/:id': ADMIN,
  'DELETE /api/v1/crm-connectors/:id': ADMIN,
  'GET /api/v1/crm-connectors/:id/users': ADMIN,
  'PUT /api/v1/crm-connectors/:id/users': ADMIN,
  'POST /api/v1/crm-connectors/:id/users/match-by-email': ADMIN,
  'POST /api/v1/crm-connectors/:id/poll': ADMIN,
  'GET /api/v1/webhooks': ADMIN,
  'POST /api/v1/webhooks': ADMIN,
  'DELETE /api/v1/webhooks/:id': ADMIN,
  'POST /api/v1/webhooks/:id/test': ADMIN,
  'GET /api/v1/deliveries': ADMIN,
  'POST /api/v1/deliveries/:id/retry': ADMIN,
  // File imports: an admin and a head (who sees only their own imports); the leads go through the published rules as any lead does.
  'GET /api/v1/imports': LEADERS,
  'POST /api/v1/imports': LEADERS,
  'GET /api/v1/imports/:id': LEADERS,
  'PUT /api/v1/imports/:id/mapping': LEADERS,
  'POST /api/v1/imports/:id/dry-run': LEADERS,
  'POST /api/v1/imports/:id/start': LEADERS,
  'POST /api/v1/imports/:id/cancel': LEADERS,
  'GET /api/v1/imports/:id/errors.csv': LEADERS,
  // Splitting the client base among managers: an admin, and a head with the own team's managers and companies (client-splits.test.ts).
  'POST /api/v1/client-splits/preview': LEADERS,
  'POST /api/v1/client-splits': LEADERS,
  'GET /api/v1/client-splits': LEADERS,
  'POST /api/v1/client-splits/:id/undo': LEADERS,
  'GET /api/v1/import-presets': LEADERS,
  'POST /api/v1/import-presets': LEADERS,
  'DELETE /api/v1/import-presets/:id': LEADERS,
  // About the signed-in person: every role, never an API key.
  'GET /api/v1/session': PEOPLE,
  'DELETE /api/v1/session': PEOPLE,
  'GET /api/v1/notifications': PEOPLE,
  'POST /api/v1/notifications/:id/read': PEOPLE,
  'POST /api/v1/notifications/read-all': PEOPLE,
  'GET /api/v1/notifications/stream': PEOPLE,
  'GET /api/v1/me/notification-preferences': PEOPLE,
  'PUT /api/v1/me/notification-preferences': PEOPLE,
  'PUT /api/v1/me/telegram': PEOPLE,
  'POST /api/v1/me/telegram/link': PEOPLE,
  'PUT /api/v1/me/locale': PEOPLE,
  // Public: signing in, and the first admin of an empty database (with the setup token).
  'POST /api/v1/session': [],
  'GET /api/v1/setup': [],
  'POST /api/v1/setup': [],
};
const PUBLIC = new Set(['POST /api/v1/session', 'GET /api/v1/setup', 'POST /api/v1/setup']);
// Streams stay open; their access is checked in test/notifications.
const NOT_PROBED = new Set(['GET /api/v1/notifications/stream', 'DELETE /api/v1/session']);

describe('every endpoint lists who may call it', () => {
  it('the table above covers exactly the endpoints the server has', async () => {
    const t = await startTestApp('sqlite');
    try {
      const { endpoints, app } = await buildApp({ ctx: createAppContext(t.store, { defaultCountry: 'RU', intakeMaxBatch: 10 }) });
      await app.close();
      const served = endpoints.map((e) => `${e.method} ${e.url}`).sort();
      expect(served).toEqual(Object.keys(ACCESS).sort());
    } finally {
      await t.close();
    }
  });
});

describe.each(DATABASE_KINDS)('each role on every endpoint, on %s', (kind) => {
  let t: TestApp;
  const callers = new Map<Caller, (o: { method: string; url: string; payload?: unknown }) => Promise<LightMyRequestResponse>>();
  let users: Record<string, TestUser>;

  beforeAll(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }],
      managers: [manager('m1', { teamId: 'north' }), manager('m2', { teamId: 'north' })],
      ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'All', target: { kind: 'group', managers: ['m1', 'm2'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } },
    });
    users = {
      admin: await t.signIn({ role: 'admin' }),
      head: await t.signIn({ role: 'head', teamId: 'north' }),
      manager: await t.signIn({ role: 'manager', managerId: 'm1' }),
      qualifier: await t.signIn({ role: 'qualifier' }),
    };
    for (const role of PEOPLE) {
      const user = users[role] as TestUser;
      callers.set(role, async (o) => await user.request({ method: o.method as 'GET', url: o.url, ...(o.payload !== undefined ? { payload: o.payload as object } : {}) }));
    }
    const integrationKey = await t.keyWithScopes(['leads:read', 'leads:write']);
    callers.set('integration', async (o) => await t.request({ method: o.method as 'GET', url: o.url, key: integrationKey, ...(o.payload !== undefined ? { payload: o.payload as object } : {}) }));
  }, 120_000);
  afterAll(async () => await t.close());

  const probes = Object.entries(ACCESS).filter(([endpoint]) => !NOT_PROBED.has(endpoint));
  it.each(probes)('%s', async (endpoint, allowed) => {
    const [method, path] = endpoint.split(' ') as [string, string];
    // Unknown ids: an allowed caller gets past authorization (to 404, 400 or 422), a denied one never does.
    const url = path.replace(/:[A-Za-z]+/g, 'no-such-id-0001').replace('/rule-sets/no-such-id-0001', '/rule-sets/999');
    const payload = method === 'GET' || method === 'DELETE' ? undefined : {};
    const anonymous = await t.app.inject({ method: method as 'GET', url, ...(payload !== undefined ? { payload } : {}) });
    if (PUBLIC.has(endpoint)) expect(anonymous.statusCode).not.toBe(401);
    else expect(anonymous.statusCode, `anonymous ${endpoint}`).toBe(401);
    for (const caller of [...PEOPLE, 'integration'] as Caller[]) {
      const res = await (callers.get(caller) as NonNullable<ReturnType<typeof callers.get>>)({ method, url, ...(payload !== undefined ? { payload } : {}) });
      if (PUBLIC.has(endpoint)) continue;
      if (allowed.includes(caller)) {
        expect([401, 403], `${caller} ${endpoint} → ${res.statusCode} ${res.body.slice(0, 200)}`).not.toContain(res.statusCode);
        expect(res.statusCode, `${caller} ${endpoint}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
      } else {
        expect(res.statusCode, `${caller} ${endpoint} → ${res.body.slice(0, 200)}`).toBe(403);
        expect(res.json().error.code).toBe('LR_ERR_FORBIDDEN');
      }
    }
  });
});

describe.each(DATABASE_KINDS)('nobody reaches a lead they may not see by guessing its id, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }, { id: 'south', name: 'South' }],
      managers: [manager('m1', { teamId: 'north' }), manager('m2', { teamId: 'north' }), manager('s1', { teamId: 'south' })],
      ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'All', target: { kind: 'group', managers: ['m1', 'm2', 's1'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } },
    });
  }, 120_000);
  afterAll(async () => await t.close());

  const attempts = (leadId: string): Array<{ method: 'GET' | 'POST'; url: string; payload?: object }> => [
    { method: 'GET', url: `/api/v1/leads/${leadId}` },
    { method: 'GET', url: `/api/v1/leads/${leadId}/events` },
    { method: 'GET', url: `/api/v1/leads/${leadId}/timeline` },
    { method: 'GET', url: `/api/v1/leads/${leadId}/briefing` },
    { method: 'GET', url: `/api/v1/leads/${leadId}/activities` },
    { method: 'POST', url: `/api/v1/leads/${leadId}/activities`, payload: { kind: 'call', outcome: 'reached' } },
    { method: 'POST', url: `/api/v1/leads/${leadId}/status`, payload: { status: 'in_progress' } },
    { method: 'POST', url: `/api/v1/leads/${leadId}/tasks`, payload: { title: 'Call back', dueAt: '2030-01-01T10:00:00.000Z' } },
    { method: 'POST', url: `/api/v1/leads/${leadId}/convert`, payload: { deal: { title: 'Deal' } } },
    { method: 'POST', url: `/api/v1/leads/${leadId}/transfers`, payload: { reason: 'overloaded' } },
    { method: 'POST', url: `/api/v1/leads/${leadId}/release`, payload: { reason: 'not mine' } },
    { method: 'POST', url: `/api/v1/pool/${leadId}/claim` },
  ];

  it('a manager gets 404 on a colleague’s lead, a head on another team’s lead, a qualifier on a routed lead — and the lead is untouched', async () => {
    const created = [];
    for (const name of ['A', 'B', 'C']) created.push((await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name, phone: `+7999000000${created.length + 1}` } })).json().lead as { id: string; ownerId: string });
    const [ofM1, ofM2, ofS1] = created as [{ id: string; ownerId: string }, { id: string; ownerId: string }, { id: string; ownerId: string }];
    expect([ofM1.ownerId, ofM2.ownerId, ofS1.ownerId]).toEqual(['m1', 'm2', 's1']);
    const before = await t.request({ method: 'GET', url: `/api/v1/leads/${ofM2.id}/timeline` });

    const anna = await t.signIn({ role: 'manager', managerId: 'm1' });
    const northHead = await t.signIn({ role: 'head', teamId: 'north' });
    const qualifier = await t.signIn({ role: 'qualifier' });
    const cases: Array<[TestUser, string]> = [[anna, ofM2.id], [northHead, ofS1.id], [qualifier, ofM1.id]];
    for (const [person, leadId] of cases) {
      for (const attempt of attempts(leadId)) {
        const res = await person.request(attempt);
        // Without a routing profile a claim is refused outright (403).
        const expected = attempt.url.includes('/claim') && person.principal.managerId === null ? [403, 404] : [404];
        expect(expected, `${person.principal.role} ${attempt.method} ${attempt.url} → ${res.body.slice(0, 200)}`).toContain(res.statusCode);
      }
    }
    const after = await t.request({ method: 'GET', url: `/api/v1/leads/${ofM2.id}/timeline` });
    expect(after.body).toBe(before.body);
    expect((await t.request({ method: 'GET', url: `/api/v1/leads/${ofM2.id}` })).json().lead.ownerId).toBe('m2');
    // The same calls on their own lead get through.
    expect((await anna.request({ method: 'GET', url: `/api/v1/leads/${ofM1.id}/timeline` })).statusCode).toBe(200);
    expect((await northHead.request({ method: 'GET', url: `/api/v1/leads/${ofM2.id}/briefing` })).statusCode).toBe(200);
  });
});

describe.each(DATABASE_KINDS)('an integration works leads only with leads:work, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }],
      managers: [manager('m1', { teamId: 'north' })],
      ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'All', target: { kind: 'group', managers: ['m1'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } },
    });
  }, 120_000);
  afterAll(async () => await t.close());

  it('a connector that sends leads cannot junk them; a telephony key with leads:work logs the call', async () => {
    const connector = await t.keyWithScopes(['leads:read', 'leads:write']);
    const telephony = await t.keyWithScopes(['leads:read', 'leads:work']);
    const sent = await t.request({ method: 'POST', url: '/api/v1/leads', key: connector, payload: { name: 'Ivan', phone: '+79990000001' } });
    expect(sent.statusCode).toBe(201);
    const leadId = sent.json().lead.id as string;

    const junked = await t.request({ method: 'POST', url: `/api/v1/leads/${leadId}/status`, key: connector, payload: { status: 'junk', junkReason: 'spam' } });
    expect(junked.statusCode).toBe(403);
    expect(junked.json().error.message).toContain('leads:work');
    expect((await t.request({ method: 'POST', url: '/api/v1/leads', key: telephony, payload: { name: 'Petr' } })).statusCode).toBe(403);

    const call = await t.request({ method: 'POST', url: `/api/v1/leads/${leadId}/activities`, key: telephony, payload: { kind: 'call', outcome: 'reached' } });
    expect(call.statusCode).toBe(201);
    const lead = (await t.request({ method: 'GET', url: `/api/v1/leads/${leadId}`, key: connector })).json().lead;
    expect(lead.status).not.toBe('junk');
    expect(lead.lifecycle.firstContactAt).toBeTruthy();
  });
});
