import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findLead } from '../../src/store/lead-queries.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startLifecycleWorld, type LifecycleWorld } from '../support/lifecycle-world.js';

describe.each(DATABASE_KINDS)('conversion and deals on %s', (kind) => {
  let w: LifecycleWorld;
  beforeEach(async () => {
    w = await startLifecycleWorld(kind);
  });
  afterEach(async () => await w.t.close());

  it('creates contact, company and deal owned by the lead owner, closes the lead and frees capacity', async () => {
    const anna = await w.as('anna');
    const id = await w.lead('anna', { name: 'Olga Petrova', email: 'Olga@Romashka.ru', companyName: 'ООО "Ромашка"', taxId: '7707083893', industry: 'retail' });
    expect(await w.openLeads('anna')).toBe(1);
    w.clock.now = new Date('2026-11-25T11:00:00.000Z');
    const res = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/convert`, payload: { deal: { title: 'CRM for 20 seats', amount: 240000, currency: 'rub', stage: 'presentation' } } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.created).toEqual({ contact: true, company: true });
    expect(body.lead).toMatchObject({ status: 'converted', contactId: body.contactId, companyId: body.companyId, lifecycle: { closedAt: '2026-11-25T11:00:00.000Z' } });
    expect(body.deal).toMatchObject({ leadId: id, title: 'CRM for 20 seats', amount: 240000, currency: 'RUB', stage: 'presentation', originatorId: 'anna', ownerId: 'anna', closedAt: null });
    expect(body.deal.controlPoints).toEqual([
      { key: 'presentation', at: null, by: null },
      { key: 'proposal', at: null, by: null },
      { key: 'contract', at: null, by: null },
    ]);
    expect(await w.openLeads('anna')).toBe(0);

    const contact = await w.t.store.db.selectFrom('contacts').selectAll().where('id', '=', body.contactId).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ name: 'Olga Petrova', owner_id: 'anna', company_id: body.companyId });
    expect(JSON.parse(contact.emails)).toEqual(['olga@romashka.ru']);
    const company = await w.t.store.db.selectFrom('companies').selectAll().where('id', '=', body.companyId).executeTakeFirstOrThrow();
    expect(company).toMatchObject({ name: 'ООО "Ромашка"', tax_id: '7707083893', owner_id: 'anna', industry: 'retail' });

    const message = await w.t.store.db.selectFrom('outbox').select('payload').where('topic', '=', 'lead.converted').executeTakeFirstOrThrow();
    expect(JSON.parse(message.payload)).toMatchObject({ leadId: id, dealId: body.deal.id, audience: { headsOf: ['anna'] } });
    const audit = await w.t.store.db.selectFrom('audit_log').select('action').where('actor', '=', `user:${anna.id}`).orderBy('at').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['company.created', 'contact.created', 'deal.created', 'lead.converted']);

    const twice = await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/convert`, payload: { deal: { title: 'Again' } } });
    expect(twice.statusCode).toBe(409);
    expect(await w.t.store.db.selectFrom('deals').select('id').execute()).toHaveLength(1);
  });

  it('links the client a returning lead belongs to instead of creating it again', async () => {
    const anna = await w.as('anna');
    const first = await w.lead('anna', { phone: '+7 999 222-33-44', companyName: 'Romashka', taxId: '7707083893' });
    const one = (await anna.request({ method: 'POST', url: `/api/v1/leads/${first}/convert`, payload: { deal: { title: 'First order' } } })).json();
    // The same person from the same company, written differently, comes back.
    const second = await w.lead('anna', { phone: '8 (999) 222-33-44', companyName: 'ООО Ромашка', taxId: '7707083893' });
    const two = await anna.request({ method: 'POST', url: `/api/v1/leads/${second}/convert`, payload: { deal: { title: 'Second order', amount: 5000 } } });
    expect(two.statusCode, two.body).toBe(201);
    expect(two.json()).toMatchObject({ contactId: one.contactId, companyId: one.companyId, created: { contact: false, company: false } });
    expect(await w.t.store.db.selectFrom('contacts').select('id').execute()).toHaveLength(1);
    expect(await w.t.store.db.selectFrom('companies').select('id').execute()).toHaveLength(1);
  });

  it("refuses to convert a pool lead, someone else's lead, a junk lead, or one waiting for qualification", async () => {
    const anna = await w.as('anna');
    const ivans = await w.lead('ivan');
    expect((await anna.request({ method: 'POST', url: `/api/v1/leads/${ivans}/convert`, payload: { deal: { title: 'Mine?' } } })).statusCode).toBe(404);
    const pooled = await w.lead('pool');
    expect((await anna.request({ method: 'POST', url: `/api/v1/leads/${pooled}/convert`, payload: { deal: { title: 'Pool' } } })).statusCode).toBe(409);
    expect((await w.t.request({ method: 'POST', url: `/api/v1/leads/${pooled}/convert`, payload: { deal: { title: 'Pool' } } })).statusCode).toBe(409);
    const junk = await w.lead('anna');
    await anna.request({ method: 'POST', url: `/api/v1/leads/${junk}/status`, payload: { status: 'junk', junkReason: 'no_need' } });
    expect((await anna.request({ method: 'POST', url: `/api/v1/leads/${junk}/convert`, payload: { deal: { title: 'Junk' } } })).statusCode).toBe(409);
    expect((await anna.request({ method: 'POST', url: `/api/v1/leads/${junk}/convert`, payload: { deal: {} } })).statusCode).toBe(400);
    await w.t.request({ method: 'PUT', url: '/api/v1/settings/qualification', payload: { enabled: true } });
    const waiting = await w.lead('anna');
    expect((await w.t.request({ method: 'POST', url: `/api/v1/leads/${waiting}/convert`, payload: { deal: { title: 'Too early' } } })).statusCode).toBe(409);
    expect(await w.t.store.db.selectFrom('deals').select('id').execute()).toEqual([]);
    expect((await findLead(w.t.store.db, ivans))?.status).toBe('new');
  });

  it('converts once when two conversions race, and frees capacity once', async () => {
    const anna = await w.as('anna');
    const id = await w.lead('anna');
    await w.lead('anna');
    const results = await Promise.all([1, 2].map(async (n) => await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/convert`, payload: { deal: { title: `Attempt ${n}` } } })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await w.t.store.db.selectFrom('deals').select('id').execute()).toHaveLength(1);
    expect(await w.openLeads('anna')).toBe(1);
  });

  it('moves deals along stages with control points and closes them; each manager sees their own', async () => {
    const anna = await w.as('anna');
    const id = await w.lead('anna');
    const deal = (await anna.request({ method: 'POST', url: `/api/v1/leads/${id}/convert`, payload: { deal: { title: 'Pilot', amount: 1000 } } })).json().deal;

    const presented = await anna.request({ method: 'PATCH', url: `/api/v1/deals/${deal.id}`, payload: { stage: 'proposal', controlPoints: { presentation: '2026-11-26T10:00:00+03:00', proposal: '2026-11-27T07:00:00.000Z' } } });
    expect(presented.statusCode, presented.body).toBe(200);
    expect(presented.json()).toMatchObject({ stage: 'proposal', controlPoints: [{ key: 'presentation', at: '2026-11-26T07:00:00.000Z' }, { key: 'proposal', at: '2026-11-27T07:00:00.000Z' }, { key: 'contract', at: null }] });
    w.clock.now = new Date('2026-11-25T13:00:00.000Z');
    const won = await anna.request({ method: 'PATCH', url: `/api/v1/deals/${deal.id}`, payload: { closed: 'won', amount: 1500, controlPoints: { contract: '2026-11-25T12:30:00.000Z' } } });
    expect(won.json()).toMatchObject({ stage: 'won', amount: 1500, closedAt: '2026-11-25T13:00:00.000Z', originatorId: 'anna' });
    expect((await anna.request({ method: 'PATCH', url: `/api/v1/deals/${deal.id}`, payload: { stage: 'open' } })).statusCode).toBe(409);

    expect((await anna.request({ method: 'GET', url: `/api/v1/deals/${deal.id}` })).json().stage).toBe('won');
    expect((await anna.request({ method: 'GET', url: '/api/v1/deals' })).json().items.map((d: { id: string }) => d.id)).toEqual([deal.id]);
    const ivan = await w.as('ivan');
    expect((await ivan.request({ method: 'GET', url: `/api/v1/deals/${deal.id}` })).statusCode).toBe(404);
    expect((await ivan.request({ method: 'PATCH', url: `/api/v1/deals/${deal.id}`, payload: { amount: 1 } })).statusCode).toBe(404);
    expect((await ivan.request({ method: 'GET', url: '/api/v1/deals' })).json().items).toEqual([]);
    const head = await w.as('head');
    expect((await head.request({ method: 'GET', url: '/api/v1/deals?stage=won' })).json().items).toHaveLength(1);
    const carl = await w.as('carl');
    expect((await carl.request({ method: 'GET', url: `/api/v1/deals/${deal.id}` })).statusCode).toBe(404);
    const updates = await w.t.store.db.selectFrom('events').select('type').where('lead_id', '=', id).where('type', '=', 'deal.updated').execute();
    expect(updates).toHaveLength(2);
  });
});
