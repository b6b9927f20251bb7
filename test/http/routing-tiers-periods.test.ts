import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertManagers, insertTeam } from '../../src/store/manager-queries.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Seniors (high) get the inbound leads while they can; Vera (normal) takes the overflow, Kirill
 * (low for this rule only) the overflow of the overflow. The count runs per day of the team's
 * zone, Asia/Yekaterinburg (UTC+5): 2026-12-07T19:00Z is midnight there.
 */
const INBOUND = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [
    {
      id: 'inbound',
      name: 'Входящие',
      target: { kind: 'group', teams: ['east'], strategy: 'weighted', weights: { anna: 2, boris: 1 }, priorities: { kirill: 'low' }, fairnessPeriod: 'day' },
    },
  ],
  fallback: { kind: 'pool' },
};

interface Step {
  candidates?: string[];
  tier?: { tier: number; name?: string; above: Array<{ tier: number; excluded: Array<{ managerId: string; reason: { kind: string } }> }>; waiting: string[] };
}
interface Decision {
  ruleId?: string | null;
  trace: {
    steps: Step[];
    summary: string;
    winner?: { managerId: string; explanation?: { period?: { period: string; key: string; timeZone: string; assignedBefore: number }; tieBreak?: { rule: string; tiedWith: string[] } } };
  };
}

describe.each(DATABASE_KINDS)('priority tiers and fairness periods on %s', (kind) => {
  let t: TestApp;
  let clock = new Date('2026-12-07T16:00:00Z'); // 21:00 in Yekaterinburg
  beforeEach(async () => {
    clock = new Date('2026-12-07T16:00:00Z');
    t = await startTestApp(kind, { now: () => clock });
    const at = clock.toISOString();
    await insertTeam(t.store.db, { id: 'east', name: 'Восток', timeZone: 'Asia/Yekaterinburg' }, at);
    await insertManagers(
      t.store.db,
      ['anna', 'boris', 'vera', 'kirill'].map((id) => manager(id, { teamId: 'east', timeZone: 'Asia/Yekaterinburg' })),
      at,
    );
  });
  afterEach(async () => {
    await t.close();
  });

  const patchManager = async (id: string, patch: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const res = await t.request({ method: 'PATCH', url: `/api/v1/managers/${id}`, payload: patch });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const publish = async (definition: unknown): Promise<void> => {
    const saved = await t.request({ method: 'POST', url: '/api/v1/rule-sets', payload: { definition } });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json().validation).toEqual({ ok: true, issues: [] });
    const published = await t.request({ method: 'POST', url: `/api/v1/rule-sets/${saved.json().ruleSet.version as number}/publish` });
    expect(published.statusCode, published.body).toBe(200);
  };
  const send = async (): Promise<{ owner: string | null; decision: Decision }> => {
    const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Пётр', phone: `+7912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}` } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ lead: { ownerId: string | null }; decision: Decision }>();
    return { owner: body.lead.ownerId, decision: body.decision };
  };

  it('routes by tier, counts per day of the team zone and starts each day from zero', async () => {
    expect((await patchManager('anna', { priority: 'high' })).priority).toBe(1);
    expect((await patchManager('boris', { priority: 1 })).priority).toBe(1);
    await publish(INBOUND);

    // Day 1: the seniors are in; the lower tiers wait.
    const first = await send();
    expect(first.owner).toBe('anna');
    expect(first.decision.trace.steps[0]?.tier).toEqual({ tier: 1, name: 'high', above: [], waiting: ['kirill', 'vera'] });
    expect(first.decision.trace.winner?.explanation?.period).toEqual({ period: 'day', key: '2026-12-07', timeZone: 'Asia/Yekaterinburg', assignedBefore: 0 });

    // The seniors pause: the overflow goes to the normal tier, and the trace says why.
    await patchManager('anna', { paused: true });
    await patchManager('boris', { paused: true });
    const overflow = await send();
    expect(overflow.owner).toBe('vera');
    expect(overflow.decision.trace.steps[0]?.tier).toMatchObject({
      tier: 2,
      name: 'normal',
      above: [{ tier: 1, excluded: [{ managerId: 'anna', reason: { kind: 'paused' } }, { managerId: 'boris', reason: { kind: 'paused' } }] }],
      waiting: ['kirill'],
    });
    expect(overflow.decision.trace.summary).toContain('tier 1 (high) could not take it (2 paused); in tier 2 (normal)');

    // Everyone but Kirill paused: the rule's own low tier for him.
    await patchManager('vera', { paused: true });
    expect((await send()).owner).toBe('kirill');
    for (const id of ['anna', 'boris', 'vera']) await patchManager(id, { paused: false });

    // 00:05 in Yekaterinburg: a new day. Anna's lead yesterday is not held against her: weighted 2:1 from zero gives her the first.
    clock = new Date('2026-12-07T19:05:00Z');
    const owners: Array<string | null> = [];
    const decisions: Decision[] = [];
    for (let i = 0; i < 6; i++) {
      const { owner, decision } = await send();
      owners.push(owner);
      decisions.push(decision);
      clock = new Date(clock.getTime() + 60_000);
    }
    expect(owners).toEqual(['anna', 'boris', 'anna', 'anna', 'boris', 'anna']);
    expect(decisions[0]?.trace.winner?.explanation?.period).toEqual({ period: 'day', key: '2026-12-08', timeZone: 'Asia/Yekaterinburg', assignedBefore: 0 });
    expect(decisions[2]?.trace.winner?.explanation?.period?.assignedBefore).toBe(1);

    // The stored state says which tier and which day it counts.
    const rows = await t.store.db.selectFrom('routing_state').select(['manager_id', 'assigned', 'tier', 'period']).where('rule_id', '=', 'inbound').orderBy('manager_id').execute();
    expect(rows.find((r) => r.manager_id === 'anna')).toMatchObject({ assigned: 4, tier: 1, period: '2026-12-08' });
    expect(rows.find((r) => r.manager_id === 'boris')).toMatchObject({ assigned: 2, tier: 1, period: '2026-12-08' });
    expect(rows.find((r) => r.manager_id === 'kirill')).toMatchObject({ assigned: 1, tier: 3, period: '2026-12-07' });

    // The simulation replays the same two days through the draft with the same tiers and periods.
    const simulated = await t.request({
      method: 'POST',
      url: '/api/v1/routing/simulate',
      payload: { definition: INBOUND, period: { from: '2026-12-07T00:00:00Z', to: '2026-12-08T00:00:00Z' } },
    });
    expect(simulated.statusCode, simulated.body).toBe(200);
    const report = simulated.json<{ leads: number; perManager: Array<{ managerId: string; count: number }>; fairness: Array<{ maxDeviation: number }> }>();
    expect(report.leads).toBe(9);
    // Nobody is paused today: the seniors take every lead, 2:1 within each day (3 on the 7th, 6 on the 8th).
    expect(Object.fromEntries(report.perManager.map((m) => [m.managerId, m.count]))).toEqual({ anna: 6, boris: 3 });
    expect(report.fairness[0]?.maxDeviation).toBeLessThan(1);
  });

  it('at equal standing at the start of a day the least recently assigned wins, and the trace says so', async () => {
    await publish({ ...INBOUND, rules: [{ id: 'rr', name: 'По кругу', target: { kind: 'group', managers: ['anna', 'boris'], strategy: 'round_robin', fairnessPeriod: 'day' } }] });
    expect((await send()).owner).toBe('anna');
    clock = new Date('2026-12-07T16:30:00Z');
    expect((await send()).owner).toBe('boris');
    clock = new Date('2026-12-07T19:00:00Z'); // midnight in the team's zone
    const next = await send();
    expect(next.owner).toBe('anna');
    expect(next.decision.trace.winner?.explanation).toMatchObject({
      period: { period: 'day', key: '2026-12-08', timeZone: 'Asia/Yekaterinburg', assignedBefore: 0 },
      tieBreak: { rule: 'least_recently_assigned', tiedWith: ['boris'] },
    });
    expect(next.decision.trace.summary).toContain('first lead of the day 2026-12-08, Asia/Yekaterinburg; level with 1 other, so the least recently assigned');
  });

  it('refuses a priority out of range, for an unknown manager, and a period on least_loaded, by path', async () => {
    const bad = {
      ...INBOUND,
      rules: [{ id: 'x', name: 'X', target: { kind: 'group', teams: ['east'], strategy: 'least_loaded', priorities: { anna: 0, ghost: 'high' }, fairnessPeriod: 'week' } }],
    };
    const res = await t.request({ method: 'POST', url: '/api/v1/rule-sets/validate', payload: { definition: bad } });
    expect(res.statusCode, res.body).toBe(200);
    const issues = res.json<{ ok: boolean; issues: Array<{ path: string; code: string }> }>().issues;
    expect(issues.map((i) => [i.path, i.code])).toEqual(
      expect.arrayContaining([
        ['rules[0].target.fairnessPeriod', 'period_without_count'],
        ['rules[0].target.priorities.anna', 'priority_out_of_range'],
        ['rules[0].target.priorities.ghost', 'unknown_manager'],
      ]),
    );
    const shape = await t.request({ method: 'POST', url: '/api/v1/rule-sets/validate', payload: { definition: { ...INBOUND, rules: [{ ...INBOUND.rules[0], target: { ...INBOUND.rules[0]?.target, fairnessPeriod: 'year' } }] } } });
    expect(shape.json<{ ok: boolean }>().ok).toBe(false);
    const manager400 = await t.request({ method: 'PATCH', url: '/api/v1/managers/anna', payload: { priority: 'top' } });
    expect(manager400.statusCode).toBe(400);
    expect((await t.request({ method: 'PATCH', url: '/api/v1/managers/anna', payload: { priority: 100 } })).statusCode).toBe(400);
  });
});
