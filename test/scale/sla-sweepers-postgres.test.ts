import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/access/principal.js';
import { createApiKey } from '../../src/app/api-keys.js';
import { createAppContext, type AppContext } from '../../src/app/app-context.js';
import { publishDefinition } from '../../src/app/routing/rule-sets.js';
import { createSlaPolicy } from '../../src/app/sla/manage-sla.js';
import { buildApp, type LeadRouterApp } from '../../src/http/build-app.js';
import { openStore, type Store } from '../../src/store/database.js';
import { insertManagers } from '../../src/store/manager-queries.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { startSlaSweeper, type SlaSweeper, type SweepReport } from '../../src/workers/sla-sweeper.js';
import { createPostgresDatabase } from '../support/databases.js';
import { manager } from '../support/test-app.js';

/**
 * Two sweepers, each with its own connection pool and process-local caches, as in two
 * processes, sweeping one PostgreSQL database at the same moments: every breached lead is
 * handed over exactly once per breach and every warning is sent exactly once.
 */
describe('two SLA sweepers on one PostgreSQL database', () => {
  const LEADS = 40;
  const MANAGERS = ['m1', 'm2', 'm3', 'm4', 'm5'];
  let now = new Date('2026-03-04T09:00:00Z');
  const stores: Store[] = [];
  const contexts: AppContext[] = [];
  const sweepers: SlaSweeper[] = [];
  let api: LeadRouterApp;
  let leadIds: string[] = [];

  beforeAll(async () => {
    const url = await createPostgresDatabase();
    for (let i = 0; i < 2; i++) {
      const store = openStore({ kind: 'postgres', url, poolSize: 4 });
      if (i === 0) {
        const { error } = await migrateToLatest(store);
        if (error) throw error;
      }
      stores.push(store);
      contexts.push(createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 }, { now: () => now }));
    }
    const ctx = contexts[0] as AppContext;
    await insertManagers(ctx.store.db, MANAGERS.map((id) => manager(id)), now.toISOString());
    await publishDefinition(
      ctx,
      { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'All', target: { kind: 'group', managers: MANAGERS, strategy: 'round_robin' } }], fallback: { kind: 'pool' } },
      'test',
      null,
    );
    await createSlaPolicy(ctx, SYSTEM('test'), { name: 'Fast', firstContactMinutes: 30, warnBeforeMinutes: 10, maxReassignments: 3, onExhausted: 'pool' });
    api = await buildApp({ ctx });
    const { plaintext } = await createApiKey(ctx, { name: 'test', scopes: ['admin'] });
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/v1/leads/batch',
      headers: { 'x-api-key': plaintext },
      payload: { leads: Array.from({ length: LEADS }, (_, i) => ({ name: `Lead ${i}`, source: 'web' })) },
    });
    expect(res.statusCode).toBe(201);
    leadIds = (res.json().items as Array<{ lead: { id: string } }>).map((item) => item.lead.id);
    // Long intervals: the test drives every sweep itself.
    for (const c of contexts) sweepers.push(startSlaSweeper(c, { intervalMs: 3_600_000 }));
  });

  afterAll(async () => {
    for (const s of sweepers) await s.stop();
    await api?.app.close();
    await api?.intake.idle();
    for (const s of stores) await s.close();
  });

  const sweepTogether = async (): Promise<SweepReport[]> => await Promise.all(sweepers.flatMap((s) => [s.sweepNow(), s.sweepNow()]));
  const total = (reports: SweepReport[], field: 'warned' | 'breached' | 'reassigned' | 'escalated' | 'failed') => reports.reduce((sum, r) => sum + r[field], 0);
  const db = () => (stores[0] as Store).db;

  it('warns each owner exactly once', async () => {
    now = new Date(now.getTime() + 25 * 60_000);
    const reports = await sweepTogether();
    expect(total(reports, 'warned')).toBe(LEADS);
    expect(total(reports, 'breached')).toBe(0);
    const warnings = await db().selectFrom('outbox').select('payload').where('topic', '=', 'sla.warning').execute();
    expect(new Set(warnings.map((w) => JSON.parse(w.payload).leadId as string))).toEqual(new Set(leadIds));
    expect(warnings).toHaveLength(LEADS);
  });

  it('reassigns each breached lead exactly once per breach, never back to a previous owner, then pools it', async () => {
    for (let round = 1; round <= 4; round++) {
      now = new Date(now.getTime() + 31 * 60_000);
      const reports = await sweepTogether();
      expect(total(reports, 'failed')).toBe(0);
      expect(total(reports, 'breached')).toBe(LEADS);
      expect(total(reports, round <= 3 ? 'reassigned' : 'escalated')).toBe(LEADS);

      const rows = await db().selectFrom('assignments').select(['lead_id', 'manager_id', 'via']).where('lead_id', 'in', leadIds).orderBy('created_at').orderBy('id').execute();
      for (const id of leadIds) {
        const mine = rows.filter((r) => r.lead_id === id);
        expect(mine.filter((r) => r.via === 'sla')).toHaveLength(Math.min(round, 3));
        const owners = mine.flatMap((r) => (r.manager_id ? [r.manager_id] : []));
        expect(new Set(owners).size).toBe(owners.length);
      }
    }
    const leads = await db().selectFrom('leads').select(['owner_id', 'status', 'sla_breaches', 'reassignments', 'escalated_at', 'sla_due_at']).where('id', 'in', leadIds).execute();
    for (const lead of leads) expect(lead).toMatchObject({ owner_id: null, status: 'pool', sla_breaches: 4, reassignments: 3, sla_due_at: null });
    const load = await db().selectFrom('managers').select(['open_leads']).execute();
    expect(load.every((m) => m.open_leads === 0)).toBe(true);
    expect(await db().selectFrom('outbox').select('id').where('topic', '=', 'sla.breached').execute()).toHaveLength(LEADS * 4);
  });
});
