import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Created {
  lead: { id: string; companyName: string | null; phone: string | null; dealValue: number | null; companySize: number | null; utm: Record<string, string> | null; custom: Record<string, unknown>; taxId: string | null };
}

/** The JSON intake reads leads the way senders in the wild write them (issue 14, "forgiving where the wild is messy"). */
describe.each(DATABASE_KINDS)('a forgiving JSON intake on %s', (kind) => {
  let t: TestApp;
  afterEach(async () => await t.close());

  it('reads snake_case, the UTM tags at the top level, common other names and numbers written as text', async () => {
    t = await startTestApp(kind);
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/leads',
      payload: { name: 'Ольга', phone_number: '+7 916 765-43-21', company_name: 'ООО «Ромашка»', inn: '7707083893', deal_value: '250 000', company_size: '120', utm_source: 'yandex', utm_campaign: 'spring' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { lead } = res.json<Created>();
    expect(lead).toMatchObject({ phone: '+79167654321', companyName: 'ООО «Ромашка»', taxId: '7707083893', dealValue: 250000, companySize: 120, utm: { source: 'yandex', campaign: 'spring' } });

    const batch = await t.request({ method: 'POST', url: '/api/v1/leads/batch', payload: { leads: [{ name: 'Пётр', phone_number: '89161112233', utm_medium: 'cpc' }] } });
    expect(batch.statusCode, batch.body).toBe(201);
    expect(batch.json<{ items: Created[] }>().items[0]?.lead.utm).toEqual({ medium: 'cpc' });
  });

  it('still refuses what is no number, and names the field', async () => {
    t = await startTestApp(kind);
    const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Ольга', phone: '+79167654321', deal_value: '1,5 млн' } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { details: Array<{ path: string }> } }>().error.details.map((d) => d.path)).toEqual(['dealValue']);
  });

  it('refuses unknown fields unless the API key keeps them as custom fields, a setting an admin changes', async () => {
    t = await startTestApp(kind);
    const body = { name: 'Ольга', phone: '+79167654321', crm_id: 'A-17', manager_note: 'VIP' };
    const refused = await t.request({ method: 'POST', url: '/api/v1/leads', payload: body });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('crm_id');

    const created = await t.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'CRM', scopes: ['leads:write'], keepUnknownFields: true } });
    expect(created.statusCode, created.body).toBe(201);
    const { key, plaintext } = created.json<{ key: { id: string; keepUnknownFields: boolean }; plaintext: string }>();
    expect(key.keepUnknownFields).toBe(true);
    const kept = await t.request({ method: 'POST', url: '/api/v1/leads', key: plaintext, payload: body });
    expect(kept.statusCode, kept.body).toBe(201);
    expect(kept.json<Created>().lead.custom).toEqual({ crm_id: 'A-17', manager_note: 'VIP' });

    const changed = await t.request({ method: 'PATCH', url: `/api/v1/api-keys/${key.id}`, payload: { keepUnknownFields: false } });
    expect(changed.json()).toMatchObject({ keepUnknownFields: false });
    expect((await t.request({ method: 'POST', url: '/api/v1/leads', key: plaintext, payload: body })).statusCode).toBe(400);
  });
});
