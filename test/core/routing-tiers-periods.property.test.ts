import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCandidates } from '../../src/core/routing/candidates.js';
import { createRoutingSession } from '../../src/core/routing/create-routing-session.js';
import { periodWindow } from '../../src/core/routing/fairness-period.js';
import type { ManagerProfile } from '../../src/core/routing/manager-profile.js';
import { tierOf } from '../../src/core/routing/priority.js';
import type { FairnessPeriod, Priority, Target } from '../../src/core/routing/rule-set.js';
import type { StateChange } from '../../src/core/routing/routing-session.js';
import { validateRuleSet } from '../../src/core/routing/validate-rule-set.js';
import { DAY, HOUR, MONDAY_NOON_MSK, group, lead, manager, managerId, rule, ruleSet } from './routing-fixtures.js';

type GroupTarget = Extract<Target, { kind: 'group' }>;

const priorityArb: fc.Arbitrary<Priority> = fc.oneof(fc.constantFrom<Priority>('high', 'normal', 'low'), fc.integer({ min: 1, max: 5 }));
const capArb = fc.option(fc.integer({ min: 0, max: 6 }), { nil: null, freq: 2 });
const hoursArb = fc.constantFrom<ManagerProfile['workingHours']>(
  null,
  { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']] },
  { mon: [['00:00', '12:00']], tue: [['12:00', '24:00']], wed: [['06:00', '20:00']] },
);

/** The bound of the chairman-assignment algorithm for k candidates (fair-share.ts). */
const boundFor = (k: number): number => (k >= 2 ? 1 - 1 / (2 * k - 2) : 0) + 1e-9;

describe('priority tiers', () => {
  it('never gives a lead to a lower tier while a manager of a higher tier passes the filters', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ priority: fc.option(priorityArb, { nil: undefined }), override: fc.option(priorityArb, { nil: undefined }), maxOpen: capArb, maxPerDay: capArb, paused: fc.boolean(), workingHours: hoursArb, weight: fc.integer({ min: 1, max: 4 }) }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.constantFrom<GroupTarget['strategy']>('round_robin', 'weighted', 'least_loaded', 'performance'),
        // Minutes of one Moscow day: the oracle below reads the session's loads as today's.
        fc.array(fc.integer({ min: 0, max: 24 * 60 - 1 }), { minLength: 1, maxLength: 40 }),
        (specs, strategy, minutes) => {
          const managers = specs.map((spec, i) =>
            manager(`m${i}`, {
              weight: spec.weight,
              ...(spec.priority !== undefined ? { priority: tierOf(spec.priority) } : {}),
              maxOpen: spec.maxOpen,
              maxPerDay: spec.maxPerDay,
              paused: spec.paused && i % 3 === 0,
              workingHours: spec.workingHours,
            }),
          );
          const priorities: Record<string, Priority> = {};
          specs.forEach((spec, i) => {
            if (spec.override !== undefined) priorities[`m${i}`] = spec.override;
          });
          const target = group(strategy, { priorities }) as GroupTarget;
          const rules = ruleSet([rule('tiers', target)]);
          const known = { managerIds: new Set(managers.map((m) => m.id as string)), teamIds: new Set<string>() };
          expect(validateRuleSet(rules, known).ok).toBe(true);
          const tierById = new Map(managers.map((m) => [m.id as string, tierOf(priorities[m.id] ?? m.priority)]));
          const session = createRoutingSession({ ruleSet: rules, ruleSetVersion: 1, managers, states: [] });
          for (const minute of [...minutes].sort((a, b) => a - b)) {
            const at = MONDAY_NOON_MSK - 12 * HOUR + minute * 60_000;
            // Who passes the filters now, with the loads the session has given them so far.
            const now = managers.map((m) => ({ ...m, load: session.loadOf(m.id) ?? m.load }));
            const passing = findCandidates(target, now, { lead: lead(), at }).candidates;
            const decision = session.route({ lead: lead(), at });
            if (passing.length === 0) {
              expect(decision.outcome).toBe('pool');
              continue;
            }
            const best = Math.min(...passing.map((m) => tierById.get(m.id) as number));
            expect(decision.outcome).toBe('assigned');
            if (decision.outcome !== 'assigned') continue;
            expect(tierById.get(decision.managerId)).toBe(best);
            const step = decision.trace.steps[0];
            const tiered = new Set(tierById.values()).size > 1;
            if (tiered) {
              expect(step?.tier?.tier).toBe(best);
              // The tiers above are named with every one of their members' reasons.
              for (const level of step?.tier?.above ?? []) {
                expect(level.tier).toBeLessThan(best);
                for (const item of level.excluded) expect(tierById.get(item.managerId)).toBe(level.tier);
              }
              const above = managers.filter((m) => (tierById.get(m.id) as number) < best).length;
              expect((step?.tier?.above ?? []).reduce((n, level) => n + level.excluded.length, 0)).toBe(above);
              expect(decision.trace.summary).toContain(`in tier ${best}`);
            } else {
              expect(step?.tier).toBeUndefined();
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the fairness bound within each tier, across overflow days', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 14 * 24 - 1 }), { minLength: 10, maxLength: 150 }),
        fc.constantFrom<GroupTarget['strategy']>('round_robin', 'weighted'),
        (seniorWeights, juniorWeights, hours, strategy) => {
          // Seniors work office hours on weekdays, all alike; juniors are always on: nights and weekends are overflow.
          const office = { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] } satisfies ManagerProfile['workingHours'];
          const seniors = seniorWeights.map((weight, i) => manager(`s${i}`, { weight, priority: 1, workingHours: office }));
          const juniors = juniorWeights.map((weight, i) => manager(`j${i}`, { weight, priority: 3 }));
          const session = createRoutingSession({ ruleSet: ruleSet([rule('rr', group(strategy))]), ruleSetVersion: 1, managers: [...seniors, ...juniors], states: [] });
          const check = (members: ManagerProfile[]) => {
            const total = members.reduce((n, m) => n + (strategy === 'round_robin' ? 1 : m.weight), 0);
            return { members, total, counts: new Map<string, number>(), n: 0, bound: boundFor(members.length) };
          };
          const tiers = [check(seniors), check(juniors)];
          for (const hour of [...hours].sort((a, b) => a - b)) {
            const decision = session.route({ lead: lead(), at: MONDAY_NOON_MSK - 12 * HOUR + hour * HOUR });
            if (decision.outcome !== 'assigned') throw new Error('someone is always on');
            const tier = decision.managerId.startsWith('s') ? tiers[0] : tiers[1];
            if (tier === undefined) continue;
            tier.n++;
            tier.counts.set(decision.managerId, (tier.counts.get(decision.managerId) ?? 0) + 1);
            for (const m of tier.members) {
              const share = (strategy === 'round_robin' ? 1 : m.weight) / tier.total;
              expect(Math.abs((tier.counts.get(m.id) ?? 0) - share * tier.n)).toBeLessThan(tier.bound);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a state counted in another tier starts from zero', () => {
    const managers = [manager('a', { priority: 1 }), manager('b', { priority: 1 }), manager('c', { priority: 2 })];
    const states: StateChange[] = [
      { ruleId: 'rr' as StateChange['ruleId'], managerId: managerId('a'), state: { credit: 0.9, assigned: 40, lastAssignedAt: 5, tier: 2 } },
      { ruleId: 'rr' as StateChange['ruleId'], managerId: managerId('b'), state: { credit: -0.9, assigned: 41, lastAssignedAt: 4, tier: 1 } },
    ];
    const session = createRoutingSession({ ruleSet: ruleSet([rule('rr', group('round_robin'))]), ruleSetVersion: 1, managers, states });
    // a's credit of 0.9 from tier 2 is gone, b's -0.9 (ahead of share) in tier 1 stays: a is next.
    const first = session.route({ lead: lead(), at: MONDAY_NOON_MSK });
    expect(first.outcome === 'assigned' && first.managerId).toBe('a');
    const a = session.changedStates().find((c) => c.managerId === 'a')?.state;
    expect(a).toMatchObject({ assigned: 1, tier: 1 });
  });
});

describe('fairness periods', () => {
  const ZONE = 'Asia/Yekaterinburg';

  it('start from zero at each boundary: no carry-over and no catch-up burst', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 6 }),
        fc.constantFrom<FairnessPeriod>('day', 'week', 'month'),
        fc.constantFrom<GroupTarget['strategy']>('round_robin', 'weighted'),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 60 }),
        (weights, period, strategy, pausedBefore, before, after) => {
          // Before the boundary some managers are paused, so the others get ahead; after it everyone works.
          const base = weights.map((weight, i) => manager(`m${i}`, { weight, teamId: 'east' as ManagerProfile['teamId'] }));
          const target = group(strategy, { teams: ['east' as never], fairnessPeriod: period });
          const rules = ruleSet([rule('p', target)]);
          const zones = { teamTimeZones: { east: ZONE } };
          const boundary = periodWindow(period, ZONE, Date.parse('2026-03-04T10:00:00Z')).endMs;
          const first = createRoutingSession({ ruleSet: rules, ruleSetVersion: 1, managers: base.map((m, i) => ({ ...m, paused: i > 0 && (pausedBefore[i] ?? false) })), states: [], ...zones });
          for (const minute of [...before].sort((a, b) => a - b)) first.route({ lead: lead(), at: boundary - HOUR + minute * 60_000 });
          const second = createRoutingSession({ ruleSet: rules, ruleSetVersion: 1, managers: base, states: first.changedStates(), ...zones });
          const total = base.reduce((n, m) => n + (strategy === 'round_robin' ? 1 : m.weight), 0);
          const counts = new Map<string, number>();
          const bound = boundFor(base.length);
          let n = 0;
          for (const minute of [...after].sort((a, b) => a - b)) {
            const decision = second.route({ lead: lead(), at: boundary + minute * 60_000 });
            if (decision.outcome !== 'assigned') throw new Error('everyone works');
            n++;
            counts.set(decision.managerId, (counts.get(decision.managerId) ?? 0) + 1);
            const explanation = decision.trace.winner?.explanation;
            expect(explanation && 'period' in explanation ? explanation.period?.key : undefined).toBe(periodWindow(period, ZONE, boundary).key);
            if (n === 1 && explanation && 'period' in explanation) expect(explanation.period?.assignedBefore).toBe(0);
            for (const m of base) {
              const share = (strategy === 'round_robin' ? 1 : m.weight) / total;
              expect(Math.abs((counts.get(m.id) ?? 0) - share * n)).toBeLessThan(bound);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('at equal standing the least recently assigned manager wins the first lead of the day, and the trace says so', () => {
    const managers = ['anna', 'boris', 'vera'].map((id) => manager(id, { name: id }));
    const rules = ruleSet([rule('daily', group('round_robin', { fairnessPeriod: 'day' }), { name: 'Daily' })]);
    const session = createRoutingSession({ ruleSet: rules, ruleSetVersion: 1, managers, states: [], defaultTimeZone: 'Europe/Moscow' });
    // Monday: anna, boris, vera, anna (anna is ahead by one at the end of the day).
    const monday = Date.parse('2026-03-02T07:00:00Z');
    const winners = [0, 1, 2, 3].map((i) => session.route({ lead: lead(), at: monday + i * HOUR }));
    expect(winners.map((d) => (d.outcome === 'assigned' ? d.managerId : null))).toEqual(['anna', 'boris', 'vera', 'anna']);
    // Tuesday 00:05 in Moscow: a new day, everyone level; boris was assigned longest ago.
    const tuesday = session.route({ lead: lead(), at: Date.parse('2026-03-02T21:05:00Z') });
    expect(tuesday.outcome === 'assigned' && tuesday.managerId).toBe('boris');
    const explanation = tuesday.trace.winner?.explanation;
    expect(explanation).toMatchObject({
      period: { period: 'day', key: '2026-03-03', timeZone: 'Europe/Moscow', assignedBefore: 0 },
      tieBreak: { rule: 'least_recently_assigned', tiedWith: ['anna', 'vera'] },
    });
    expect(tuesday.trace.summary).toBe(
      'Rule "Daily" matched; all 3 managers could take it; boris was next by round robin (share 33%; first lead of the day 2026-03-03, Europe/Moscow; level with 2 others, so the least recently assigned).',
    );
    // Then vera, then anna: the day is fair from its start, and anna's lead yesterday is not held against her twice.
    const next = [1, 2].map((i) => session.route({ lead: lead(), at: Date.parse('2026-03-02T21:05:00Z') + i * HOUR }));
    expect(next.map((d) => (d.outcome === 'assigned' ? d.managerId : null))).toEqual(['vera', 'anna']);
  });

  it('names the tier and why the tiers above could not take the lead', () => {
    const managers = [
      manager('s', { name: 'Senior', priority: 1, paused: true }),
      manager('t', { name: 'Top', priority: 1, maxPerDay: 2, load: { open: 0, today: 2 } }),
      manager('j', { name: 'Junior', priority: 3 }),
      manager('k', { name: 'Kid', priority: 3, workingHours: { sun: [['09:00', '10:00']] } }),
    ];
    const session = createRoutingSession({ ruleSet: ruleSet([rule('inbound', group('round_robin'), { name: 'Inbound' })]), ruleSetVersion: 1, managers, states: [] });
    const decision = session.route({ lead: lead(), at: MONDAY_NOON_MSK });
    expect(decision.outcome === 'assigned' && decision.managerId).toBe('j');
    expect(decision.trace.steps[0]?.tier).toEqual({
      tier: 3,
      name: 'low',
      above: [{ tier: 1, excluded: [{ managerId: 's', reason: { kind: 'paused' } }, { managerId: 't', reason: { kind: 'daily_cap', today: 2, max: 2 } }] }],
      waiting: [],
    });
    expect(decision.trace.steps[0]?.candidates).toEqual(['j']);
    expect(decision.trace.summary).toBe(
      'Rule "Inbound" matched; tier 1 (high) could not take it (1 paused, 1 at their daily cap); in tier 3 (low), 1 of 2 managers could take it (1 off hours); Junior was the only one available.',
    );
    // A day later the seniors are back (Top's count is of yesterday): the juniors wait.
    const later = createRoutingSession({
      ruleSet: ruleSet([rule('inbound', group('round_robin'), { name: 'Inbound' })]),
      ruleSetVersion: 1,
      managers: managers.map((m) => ({ ...m, paused: false, load: { open: 0, today: 0 } })),
      states: [],
    });
    const next = later.route({ lead: lead(), at: MONDAY_NOON_MSK + DAY });
    expect(next.trace.steps[0]?.tier).toMatchObject({ tier: 1, name: 'high', above: [], waiting: ['j'] });
  });
});
