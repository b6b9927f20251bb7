import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The report rollups are recomputed for leads marked dirty by database triggers. A lead's update
 * marks it only when it changes a column the reports read (migration 0029): an edit of the name,
 * a new activity time or a search-text refresh leaves the refresher nothing to do.
 */
describe.each(DATABASE_KINDS)('report dirty marks on %s', (kind) => {
  let t: TestApp;
  let leadId: string;
  const version = async () => {
    const row = await sql<{ version: number }>`SELECT version FROM report_dirty WHERE lead_id = ${leadId}`.execute(t.store.db);
    return Number(row.rows[0]?.version ?? 0);
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, {
      managers: [manager('anna')],
      ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'All', target: { kind: 'group', managers: ['anna'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } },
    });
    const sent = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Ivan', phone: '+7 999 000-00-11' } });
    expect(sent.statusCode, sent.body).toBe(201);
    leadId = sent.json().lead.id as string;
  }, 120_000);
  afterAll(async () => await t.close());

  it('marks a lead when a reported column changes, and not for other edits', async () => {
    const start = await version();
    expect(start).toBeGreaterThan(0);
    await t.store.db.updateTable('leads').set({ name: 'Ivan Petrov', last_activity_at: new Date().toISOString(), updated_at: new Date().toISOString() }).where('id', '=', leadId).execute();
    expect(await version()).toBe(start);
    // Setting a reported column to the value it has is no change either.
    const lead = await t.store.db.selectFrom('leads').select('source').where('id', '=', leadId).executeTakeFirstOrThrow();
    await t.store.db.updateTable('leads').set({ source: lead.source }).where('id', '=', leadId).execute();
    expect(await version()).toBe(start);
    await t.store.db.updateTable('leads').set({ status: 'in_progress' }).where('id', '=', leadId).execute();
    expect(await version()).toBe(start + 1);
    await t.store.db.updateTable('leads').set({ first_contact_at: new Date().toISOString() }).where('id', '=', leadId).execute();
    expect(await version()).toBe(start + 2);
  });
});
