import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { startLifecycleWorld, type LifecycleWorld } from '../support/lifecycle-world.js';

const INSURER = [
  { key: 'new', label: 'Не проверен', kind: 'open' },
  { key: 'checked', label: 'Проверен', kind: 'open' },
  { key: 'card_ready', label: 'Карта готова', kind: 'open' },
  { key: 'card_received', label: 'Карта получена', kind: 'open' },
  { key: 'converted', label: 'Конвертирован', kind: 'converted' },
  { key: 'junk', label: 'Брак', kind: 'junk' },
];

describe.each(DATABASE_KINDS)('pipelines, reasons and the qualification switch on %s', (kind) => {
  let w: LifecycleWorld;
  beforeEach(async () => {
    w = await startLifecycleWorld(kind);
  });
  afterEach(async () => await w.t.close());

  it('gives every team the default pipeline until an admin sets a team its own', async () => {
    const anna = await w.as('anna');
    const before = (await anna.request({ method: 'GET', url: '/api/v1/pipelines' })).json();
    expect(before.default.stages.map((s: { key: string }) => s.key)).toEqual(['new', 'in_progress', 'qualified', 'proposal', 'converted', 'junk']);
    expect(before.teams).toEqual([]);

    const put = await w.t.request({ method: 'PUT', url: '/api/v1/pipelines/teams/insurance', payload: { name: 'Insurance cards', stages: INSURER } });
    expect(put.statusCode, put.body).toBe(200);
    const after = (await anna.request({ method: 'GET', url: '/api/v1/pipelines' })).json();
    expect(after.teams).toHaveLength(1);
    expect(after.teams[0]).toMatchObject({ teamId: 'insurance', name: 'Insurance cards' });
    expect(after.teams[0].stages[2]).toEqual({ key: 'card_ready', label: 'Карта готова', kind: 'open' });

    // Carl's lead follows the insurance pipeline; Anna's the default one.
    const carls = await w.lead('carl');
    const carl = await w.as('carl');
    expect((await carl.request({ method: 'POST', url: `/api/v1/leads/${carls}/status`, payload: { status: 'card_ready' } })).statusCode).toBe(200);
    const annas = await w.lead('anna');
    const wrong = await anna.request({ method: 'POST', url: `/api/v1/leads/${annas}/status`, payload: { status: 'card_ready' } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.message).toMatch(/not a stage/);
  });

  it('refuses a pipeline without its fixed stages or with a system status, naming each problem', async () => {
    const res = await w.t.request({
      method: 'PUT',
      url: '/api/v1/pipelines/default',
      payload: { stages: [{ key: 'start', label: 'Start', kind: 'open' }, { key: 'pool', label: 'Pool', kind: 'open' }, { key: 'converted', label: 'Done', kind: 'converted' }] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.map((d: { code: string }) => d.code).sort()).toEqual(['entry_stage', 'junk_stage', 'reserved_key']);
    expect((await w.t.request({ method: 'PUT', url: '/api/v1/pipelines/teams/ghost', payload: { stages: INSURER } })).statusCode).toBe(404);
  });

  it('refuses to drop a stage open leads are in, listing the counts, and allows it once they moved', async () => {
    const anna = await w.as('anna');
    const first = await w.lead('anna');
    const second = await w.lead('anna');
    for (const id of [first, second]) await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/status`, payload: { status: 'in_progress' } });

    const refused = await w.t.request({ method: 'PUT', url: '/api/v1/pipelines/teams/sales', payload: { stages: INSURER } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/in_progress: 2/);
    expect((await w.t.request({ method: 'GET', url: '/api/v1/pipelines' })).json().teams).toEqual([]);
    // The insurance team has no such leads, so its pipeline may drop the stage.
    expect((await w.t.request({ method: 'PUT', url: '/api/v1/pipelines/teams/insurance', payload: { stages: INSURER } })).statusCode).toBe(200);

    await anna.request({ method: 'POST', url: `/api/v1/leads/${first}/status`, payload: { status: 'new' } });
    await anna.request({ method: 'POST', url: `/api/v1/leads/${second}/status`, payload: { status: 'junk', junkReason: 'spam' } });
    expect((await w.t.request({ method: 'PUT', url: '/api/v1/pipelines/teams/sales', payload: { stages: INSURER } })).statusCode).toBe(200);
  });

  it('documents the lifecycle endpoints in the OpenAPI description', async () => {
    const doc = await w.t.request({ method: 'GET', url: '/docs/json', key: null });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths);
    for (const path of ['/api/v1/pipelines', '/api/v1/reasons', '/api/v1/settings/qualification', '/api/v1/leads/{id}/status', '/api/v1/leads/{id}/qualify', '/api/v1/leads/{id}/activities', '/api/v1/leads/{id}/tasks', '/api/v1/tasks', '/api/v1/leads/{id}/convert', '/api/v1/deals/{id}', '/api/v1/leads/{id}/timeline']) {
      expect(paths).toContain(path);
    }
  });

  it('lets only admins change pipelines, reasons and the qualification switch', async () => {
    const head = await w.as('head');
    expect((await head.request({ method: 'PUT', url: '/api/v1/pipelines/default', payload: { stages: INSURER } })).statusCode).toBe(403);
    expect((await head.request({ method: 'POST', url: '/api/v1/reasons', payload: { kind: 'junk', key: 'rude', label: 'Rude' } })).statusCode).toBe(403);
    expect((await head.request({ method: 'PUT', url: '/api/v1/settings/qualification', payload: { enabled: true } })).statusCode).toBe(403);
    expect((await head.request({ method: 'GET', url: '/api/v1/settings/qualification' })).json()).toEqual({ enabled: false });
  });

  it('comes with a seeded catalogue of reasons that admins extend, relabel and retire', async () => {
    const anna = await w.as('anna');
    const junk = (await anna.request({ method: 'GET', url: '/api/v1/reasons?kind=junk' })).json().items;
    expect(junk.map((r: { key: string }) => r.key).sort()).toEqual(['competitor', 'duplicate', 'no_need', 'spam', 'test', 'wrong_contact']);
    const transfer = (await anna.request({ method: 'GET', url: '/api/v1/reasons?kind=transfer' })).json().items;
    expect(transfer.map((r: { key: string }) => r.key).sort()).toEqual(['client_request', 'language', 'overloaded', 'vacation', 'wrong_product', 'wrong_region']);

    const created = await w.t.request({ method: 'POST', url: '/api/v1/reasons', payload: { kind: 'transfer', key: 'key_account', label: 'Key account team', autoApprove: true } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ kind: 'transfer', key: 'key_account', autoApprove: true, active: true });
    expect((await w.t.request({ method: 'POST', url: '/api/v1/reasons', payload: { kind: 'transfer', key: 'key_account', label: 'Again' } })).statusCode).toBe(409);
    expect((await w.t.request({ method: 'POST', url: '/api/v1/reasons', payload: { kind: 'junk', key: 'rude', label: 'Rude', autoApprove: true } })).statusCode).toBe(422);

    const retired = await w.t.request({ method: 'PATCH', url: '/api/v1/reasons/reason-junk-test', payload: { active: false, label: 'Test (retired)' } });
    expect(retired.json()).toMatchObject({ key: 'test', label: 'Test (retired)', active: false });
    expect((await anna.request({ method: 'GET', url: '/api/v1/reasons?kind=junk' })).json().items.map((r: { key: string }) => r.key)).not.toContain('test');
    expect((await w.t.request({ method: 'GET', url: '/api/v1/reasons?kind=junk&includeInactive=true' })).json().items).toHaveLength(6);
    // A retired reason can no longer be chosen.
    const lead = await w.lead('anna');
    const res = await anna.request({ method: 'POST', url: `/api/v1/leads/${lead}/status`, payload: { status: 'junk', junkReason: 'test' } });
    expect(res.statusCode).toBe(422);
    expect((await w.t.request({ method: 'PATCH', url: '/api/v1/reasons/nope', payload: { active: false } })).statusCode).toBe(404);
  });
});
