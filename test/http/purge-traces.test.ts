import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { purgeDecisionTraces } from '../../src/app/routing/purge-traces.js';
import { decisionFactOf } from '../../src/core/reports/distribution.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

/** Issue 16: traces of old decisions are compacted to their summary and the reports' facts. */
describe.each(DATABASE_KINDS)('purging old decision traces on %s', (kind) => {
  let t: TestApp;
  let clock = new Date('2026-09-01T09:00:00.000Z');

  beforeEach(async () => {
    clock = new Date('2026-09-01T09:00:00.000Z');
    t = await startTestApp(kind, { now: () => clock });
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }],
      managers: [manager('m1', { teamId: 'north' }), manager('m2', { teamId: 'north', weight: 3 }), manager('m3', { teamId: 'north', paused: true })],
      ruleSet: {
        ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
        rules: [
          { id: 'vip', name: 'VIP', when: { field: 'source', op: 'eq', value: 'vip' }, target: { kind: 'group', managers: ['m3'], strategy: 'round_robin' } },
          { id: 'all', name: 'Everyone', target: { kind: 'group', managers: ['m1', 'm2', 'm3'], strategy: 'weighted' } },
        ],
        fallback: { kind: 'pool' },
      },
    });
  });
  afterEach(async () => await t.close());

  type Decision = { decision: { trace: Record<string, unknown>; summaryText: string | null; outcome: string; ruleId: string | null; decidedAt: string } | null; owner: { id: string } | null };
  const read = async (id: string) => (await t.request({ method: 'GET', url: `/api/v1/leads/${id}` })).json<Decision>();
  const intake = async (source: string) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: `Lead ${source}`, phone: '+7 916 111-22-33', source } });
    expect(res.statusCode).toBe(201);
    return res.json<{ lead: { id: string } }>().lead.id;
  };

  it('keeps the summary, where the lead went and the report facts of decisions older than the age, and leaves newer ones alone', async () => {
    const old = [await intake('vip'), await intake('site')];
    clock = new Date('2026-10-15T09:00:00.000Z');
    const fresh = await intake('vip');
    const before = await Promise.all([...old, fresh].map(read));
    expect(JSON.stringify(before[0]?.decision?.trace.steps)).toContain('excluded');

    const done = await purgeDecisionTraces(t.ctx, { olderThanDays: 30, batch: 1 });
    expect(done.compacted).toBe(2);
    expect(done.bytesAfter).toBeLessThan(done.bytesBefore);
    const after = await Promise.all([...old, fresh].map(read));
    for (const i of [0, 1]) {
      const was = before[i]?.decision;
      const now = after[i]?.decision;
      expect(now?.summaryText).toBe(was?.summaryText);
      expect(now?.summaryText).toBeTruthy();
      expect([now?.outcome, now?.ruleId, now?.decidedAt, after[i]?.owner?.id]).toEqual([was?.outcome, was?.ruleId, was?.decidedAt, before[i]?.owner?.id]);
      expect(now?.trace.compacted).toBe('2026-10-15T09:00:00.000Z');
      expect(now?.trace.steps).toEqual([{ ruleId: 'all', ruleName: 'Everyone', outcome: 'assigned' }]);
      // The distribution report reads the same fact from it (also after rebuild-rollups).
      const fact = (d: typeof was) => decisionFactOf({ outcome: d?.outcome ?? '', managerId: after[i]?.owner?.id ?? null, ruleId: d?.ruleId ?? null, createdAt: d?.decidedAt ?? '' }, d?.trace);
      expect(fact(now)).toEqual(fact(was));
    }
    expect(after[2]).toEqual(before[2]);

    // Again: nothing left to compact.
    expect((await purgeDecisionTraces(t.ctx, { olderThanDays: 30 })).compacted).toBe(0);
    await expect(purgeDecisionTraces(t.ctx, { olderThanDays: 0 })).rejects.toMatchObject({ code: 'LR_ERR_VALIDATION' });
  });
});

describe('DECISION_TRACE_MAX_AGE_DAYS', () => {
  it('is read as whole days and may be left unset', () => {
    expect(loadConfig({ DECISION_TRACE_MAX_AGE_DAYS: '90' }).decisionTraceMaxAgeDays).toBe(90);
    expect(loadConfig({}).decisionTraceMaxAgeDays).toBeUndefined();
    expect(() => loadConfig({ DECISION_TRACE_MAX_AGE_DAYS: '0' })).toThrow();
  });
});
