import { describe, expect, it } from 'vitest';
import { createRoutingSession } from '../../src/core/routing/create-routing-session.js';
import type { ManagerProfile } from '../../src/core/routing/manager-profile.js';
import type { RuleSetDefinition } from '../../src/core/routing/rule-set.js';
import type { Decision } from '../../src/core/routing/trace.js';
import {
  DAY,
  HOUR,
  MONDAY_NOON_MSK,
  OFFICE_HOURS,
  group,
  lead,
  manager,
  managerId,
  rule,
  ruleId,
  ruleSet,
  teamId,
} from './routing-fixtures.js';

const at = MONDAY_NOON_MSK;
const anna = manager('anna', { name: 'Anna Petrova', teamId: teamId('msk'), weight: 2, workingHours: OFFICE_HOURS });
const boris = manager('boris', { name: 'Boris Orlov', teamId: teamId('msk'), workingHours: OFFICE_HOURS });
const vera = manager('vera', { name: 'Vera Kim', teamId: teamId('msk'), timeZone: 'Asia/Vladivostok', workingHours: OFFICE_HOURS });
const gleb = manager('gleb', { name: 'Gleb Sokolov', teamId: teamId('msk'), paused: true });
const dmitry = manager('dmitry', { name: 'Dmitry Lee', teamId: teamId('spb') });

function session(rules: RuleSetDefinition, managers: ManagerProfile[] = [anna, boris, vera, gleb, dmitry]) {
  return createRoutingSession({ ruleSet: rules, ruleSetVersion: 7, managers, states: [] });
}

function assignee(decision: Decision): string | null {
  return decision.outcome === 'assigned' ? decision.managerId : null;
}

const moscowRule = rule('moscow', group('weighted', { teams: [teamId('msk')] }), {
  name: 'Moscow enterprise',
  when: { field: 'region', op: 'eq', value: 'Moscow' },
});

describe('routing session: rules and trace', () => {
  it('the trace lists every candidate and every exclusion with its reason, and a summary naming the rule and the winner', () => {
    const decision = session(ruleSet([moscowRule])).route({ lead: lead({ region: 'moscow' }), at });
    expect(decision).toMatchObject({ outcome: 'assigned', managerId: 'anna', via: 'rule', ruleId: 'moscow', strategy: 'weighted' });
    const step = decision.trace.steps[0];
    expect(step).toMatchObject({ ruleId: 'moscow', matched: true, outcome: 'assigned', candidates: ['anna', 'boris'] });
    expect(step?.excluded).toEqual([
      { managerId: 'vera', reason: { kind: 'off_hours', timeZone: 'Asia/Vladivostok', localTime: '19:00' } },
      { managerId: 'gleb', reason: { kind: 'paused' } },
    ]);
    expect(decision.trace.winner).toEqual({
      managerId: 'anna',
      ruleId: 'moscow',
      explanation: { strategy: 'weighted', share: 2 / 3, creditBefore: 0, shares: { anna: 2 / 3, boris: 1 / 3 } },
    });
    expect(decision.trace.summary).toBe(
      'Rule "Moscow enterprise" matched; 2 of 4 managers could take it (1 paused, 1 off hours); Anna Petrova was next by weighted round robin (share 67%).',
    );
    expect(decision.trace.ruleSetVersion).toBe(7);
    expect(decision.trace.at).toBe('2026-03-02T09:00:00.000Z');
  });

  it('rules are tried in order; a rule that does not match is a step, a disabled rule is skipped', () => {
    const rules = ruleSet([
      rule('off', group('round_robin'), { enabled: false }),
      rule('kazan', group('round_robin'), { when: { field: 'region', op: 'eq', value: 'Kazan' } }),
      rule('all', { kind: 'person', managerId: managerId('dmitry') }),
    ]);
    const decision = session(rules).route({ lead: lead({ region: 'Moscow' }), at });
    expect(decision).toMatchObject({ outcome: 'assigned', managerId: 'dmitry', strategy: 'person', ruleId: 'all' });
    expect(decision.trace.steps.map((s) => [s.ruleId, s.matched])).toEqual([
      ['kazan', false],
      ['all', true],
    ]);
    expect(decision.trace.summary).toBe('Rule "all" matched; sent to Dmitry Lee to distribute by hand.');
  });

  it('a person target takes the lead whatever their availability; a pool target leaves it in the pool', () => {
    expect(assignee(session(ruleSet([rule('p', { kind: 'person', managerId: managerId('gleb') })])).route({ lead: lead(), at }))).toBe('gleb');
    const pooled = session(ruleSet([rule('junk', { kind: 'pool' }, { name: 'Junk' })])).route({ lead: lead(), at });
    expect(pooled).toMatchObject({ outcome: 'pool', via: 'rule', ruleId: 'junk' });
    expect(pooled.trace.summary).toBe('Rule "Junk" matched; it sends leads to the pool.');
  });

  it('when nobody in a group can take the lead, the next rule decides', () => {
    const rules = ruleSet([
      rule('night', group('round_robin', { managers: [managerId('vera'), managerId('gleb')] }), { name: 'Night shift' }),
      rule('rest', group('round_robin', { managers: [managerId('dmitry')] }), { name: 'Rest' }),
    ]);
    const decision = session(rules).route({ lead: lead(), at });
    expect(assignee(decision)).toBe('dmitry');
    expect(decision.trace.steps[0]).toMatchObject({ ruleId: 'night', outcome: 'no_candidate', candidates: [] });
    expect(decision.trace.summary).toBe(
      'Rule "Night shift" matched but none of its 2 managers could take it (1 paused, 1 off hours); rule "Rest" matched; its one manager could take it; Dmitry Lee was the only one available.',
    );
  });

  it('onNoCandidate "fallback" jumps to the fallback, which takes a named manager regardless of availability', () => {
    const rules = ruleSet(
      [
        rule('night', group('round_robin', { managers: [managerId('vera')] }), { name: 'Night shift', onNoCandidate: 'fallback' }),
        rule('rest', group('round_robin', { managers: [managerId('dmitry')] })),
      ],
      { fallback: { kind: 'manager', managerId: managerId('gleb') } },
    );
    const decision = session(rules).route({ lead: lead(), at });
    expect(decision).toMatchObject({ outcome: 'assigned', managerId: 'gleb', via: 'fallback', ruleId: null, strategy: 'fallback' });
    expect(decision.trace.fallback).toEqual({ reason: 'rule_requested', target: 'manager' });
    expect(decision.trace.summary).toContain('so the rule sent it to the fallback, the default manager Gleb Sokolov');
  });

  it('when no rule matches the lead goes to the fallback pool, and the trace says why', () => {
    const decision = session(ruleSet([moscowRule])).route({ lead: lead({ region: 'Kazan' }), at });
    expect(decision).toMatchObject({ outcome: 'pool', via: 'fallback', ruleId: null });
    expect(decision.trace.fallback).toEqual({ reason: 'no_rule_matched', target: 'pool' });
    expect(decision.trace.summary).toBe('No rule matched, so it went to the pool.');
  });

  it('a fallback naming a manager who no longer exists falls back to the pool', () => {
    const rules = ruleSet([], { fallback: { kind: 'manager', managerId: managerId('gone') } });
    const decision = session(rules).route({ lead: lead(), at });
    expect(decision.outcome).toBe('pool');
    expect(decision.trace.summary).toBe('No rule matched, so it went to the pool (the default manager no longer exists).');
  });

  it('a group lists explicit managers and team members once each; without either it means everyone', () => {
    const rules = ruleSet([rule('mix', group('round_robin', { managers: [managerId('dmitry'), managerId('anna')], teams: [teamId('msk')] }))]);
    expect(session(rules).route({ lead: lead(), at }).trace.steps[0]?.candidates).toEqual(['dmitry', 'anna', 'boris']);
    const everyone = session(ruleSet([rule('all', group('round_robin'))])).route({ lead: lead(), at });
    expect(everyone.trace.steps[0]?.candidates).toEqual(['anna', 'boris', 'dmitry']);
  });

  it('required skills and profile matches filter candidates, case-insensitively, with "*" covering everything', () => {
    const people = [
      manager('ru', { skills: ['CRM'], languages: ['ru'], regions: ['Moscow'] }),
      manager('en', { skills: ['crm', 'erp'], languages: ['EN'], regions: ['*'] }),
      manager('any', { skills: ['*'], languages: ['*'], regions: [] }),
    ];
    const rules = ruleSet([rule('skilled', group('round_robin', { requiredSkills: ['crm'], match: ['language', 'region', 'skill'] }))]);
    const decision = session(rules, people).route({ lead: lead({ language: 'en', region: 'Moscow', productInterest: ['ERP'] }), at });
    expect(decision.trace.steps[0]?.candidates).toEqual(['en']);
    expect(decision.trace.steps[0]?.excluded).toEqual([
      { managerId: 'ru', reason: { kind: 'profile_mismatch', attribute: 'language', value: 'en' } },
      { managerId: 'any', reason: { kind: 'profile_mismatch', attribute: 'region', value: 'Moscow' } },
    ]);
    // A lead without the attribute passes the match.
    const bare = session(rules, people).route({ lead: lead(), at });
    expect(bare.trace.steps[0]?.candidates).toEqual(['ru', 'en', 'any']);
    const noSkill = session(ruleSet([rule('x', group('round_robin', { requiredSkills: ['Telephony'] }))]), people).route({ lead: lead(), at });
    expect(noSkill.trace.steps[0]?.excluded?.[0]).toEqual({ managerId: 'ru', reason: { kind: 'missing_skill', skill: 'Telephony' } });
  });

  it('least loaded picks the manager with no open leads, and explains the loads', () => {
    const people = [
      manager('a', { maxOpen: 10, load: { open: 4, today: 0 } }),
      manager('b', { maxOpen: 10, load: { open: 0, today: 0 } }),
      manager('c', { maxOpen: 20, load: { open: 2, today: 0 } }),
    ];
    const s = session(ruleSet([rule('ll', group('least_loaded'), { name: 'Least loaded' })]), people);
    const decision = s.route({ lead: lead(), at });
    expect(assignee(decision)).toBe('b');
    expect(decision.trace.winner?.explanation).toEqual({ strategy: 'least_loaded', loadRatio: 0, loads: { a: 0.4, b: 0, c: 0.1 } });
    expect(decision.trace.summary).toBe('Rule "Least loaded" matched; all 3 managers could take it; Manager b had the lightest load (0 of 10 open leads).');
    expect(s.loadOf(managerId('b'))).toEqual({ open: 1, today: 1 });
    // b (1/10) and c (2/20) tie; c has never been assigned by this rule.
    expect(assignee(s.route({ lead: lead(), at }))).toBe('c');
  });

  it('performance weighting gives a newcomer the prior and still routes to a poor converter now and then', () => {
    const people = [
      manager('star', { performance: { leads: 300, won: 90 } }),
      manager('newcomer', { performance: { leads: 0, won: 0 } }),
      manager('poor', { performance: { leads: 300, won: 0 } }),
    ];
    const s = session(ruleSet([rule('perf', group('performance'))]), people);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      const who = assignee(s.route({ lead: lead(), at: at + i }));
      if (who !== null) counts[who] = (counts[who] ?? 0) + 1;
    }
    expect(counts.star).toBeGreaterThan(counts.newcomer ?? 0);
    expect(counts.newcomer).toBeGreaterThan(counts.poor ?? 0);
    expect(counts.poor).toBeGreaterThanOrEqual(Math.floor((0.5 / 3) * 300));
  });
});

describe('routing session: ownership', () => {
  const rules = (policy: 'wait' | 'next_rule' | 'pool') =>
    ruleSet([rule('rest', group('round_robin', { managers: [managerId('dmitry')] }), { name: 'Rest' })], {
      ownership: { enabled: true, whenOwnerUnavailable: policy },
    });
  const returning = (id: string) => ({ managerId: managerId(id), via: 'company' as const });

  it('a returning client goes to its available owner before any rule', () => {
    const decision = session(rules('next_rule')).route({ lead: lead(), at, owner: returning('anna') });
    expect(decision).toMatchObject({ outcome: 'assigned', managerId: 'anna', via: 'ownership', strategy: 'owner', ruleId: null });
    expect(decision.trace.ownership).toEqual({ ownerId: 'anna', via: 'company', outcome: 'assigned' });
    expect(decision.trace.steps).toEqual([]);
    expect(decision.trace.summary).toBe('Returning client (linked by company): assigned to its owner Anna Petrova.');
  });

  it('policy "wait" keeps the lead with an unavailable owner', () => {
    const decision = session(rules('wait')).route({ lead: lead(), at, owner: returning('vera') });
    expect(decision).toMatchObject({ outcome: 'assigned', managerId: 'vera', via: 'ownership', strategy: 'owner' });
    expect(decision.trace.ownership).toEqual({
      ownerId: 'vera',
      via: 'company',
      outcome: 'owner_unavailable_wait',
      reason: { kind: 'off_hours', timeZone: 'Asia/Vladivostok', localTime: '19:00' },
    });
    expect(decision.trace.summary).toContain('kept with its owner Vera Kim, who is off hours (19:00 in Asia/Vladivostok), as the rules wait for the owner');
  });

  it('policy "next_rule" lets the rules decide when the owner is unavailable', () => {
    const decision = session(rules('next_rule')).route({ lead: lead(), at, owner: returning('gleb') });
    expect(decision).toMatchObject({ outcome: 'assigned', managerId: 'dmitry', via: 'rule', ruleId: 'rest' });
    expect(decision.trace.ownership).toMatchObject({ ownerId: 'gleb', outcome: 'owner_unavailable_next_rule', reason: { kind: 'paused' } });
    expect(decision.trace.summary).toMatch(/^Returning client \(linked by company\), but its owner Gleb Sokolov is paused, so the rules decided; rule "Rest" matched/);
  });

  it('policy "pool" sends the lead to the pool when the owner is unavailable', () => {
    const decision = session(rules('pool')).route({ lead: lead(), at, owner: returning('gleb') });
    expect(decision).toMatchObject({ outcome: 'pool', via: 'ownership', ruleId: null });
    expect(decision.trace.ownership?.outcome).toBe('owner_unavailable_pool');
  });

  it('an owner at their open-lead cap is unavailable, but skills and profile do not matter for ownership', () => {
    const capped = manager('capped', { maxOpen: 3, load: { open: 3, today: 0 }, languages: [] });
    const s = session(rules('next_rule'), [capped, dmitry]);
    const decision = s.route({ lead: lead({ language: 'en' }), at, owner: returning('capped') });
    expect(decision.trace.ownership?.reason).toEqual({ kind: 'open_cap', open: 3, max: 3 });
    const free = session(rules('next_rule'), [{ ...capped, maxOpen: null }, dmitry]);
    expect(assignee(free.route({ lead: lead({ language: 'en' }), at, owner: returning('capped') }))).toBe('capped');
  });

  it('an unknown owner is ignored and the trace says so', () => {
    const decision = session(rules('wait')).route({ lead: lead(), at, owner: returning('left-company') });
    expect(assignee(decision)).toBe('dmitry');
    expect(decision.trace.ownership).toEqual({
      ownerId: 'left-company',
      via: 'company',
      outcome: 'owner_unavailable_next_rule',
      reason: { kind: 'unknown_manager' },
    });
  });

  it('an owner who must not get the lead again is not waited for', () => {
    const decision = session(rules('wait')).route({ lead: lead(), at, owner: returning('anna'), excludeManagers: new Set([managerId('anna')]) });
    expect(assignee(decision)).toBe('dmitry');
    expect(decision.trace.ownership).toMatchObject({ outcome: 'owner_unavailable_next_rule', reason: { kind: 'dropped_before' } });
  });

  it('ownership switched off ignores the owner', () => {
    const off = ruleSet([rule('rest', group('round_robin', { managers: [managerId('dmitry')] }))], {
      ownership: { enabled: false, whenOwnerUnavailable: 'wait' },
    });
    const decision = session(off).route({ lead: lead(), at, owner: returning('anna') });
    expect(assignee(decision)).toBe('dmitry');
    expect(decision.trace.ownership).toBeUndefined();
  });
});

describe('routing session: loads and state', () => {
  it('an assignment raises open and today; today restarts at the manager\'s local midnight', () => {
    const vvo = manager('vvo', { timeZone: 'Asia/Vladivostok', maxPerDay: 2, load: { open: 5, today: 1 } });
    const s = session(ruleSet([rule('all', group('round_robin'))]), [vvo]);
    const monday = Date.parse('2026-03-02T10:00:00Z'); // 20:00 in Vladivostok
    expect(assignee(s.route({ lead: lead(), at: monday }))).toBe('vvo');
    expect(s.loadOf(managerId('vvo'))).toEqual({ open: 6, today: 2 });
    const capped = s.route({ lead: lead(), at: monday + HOUR });
    expect(capped.outcome).toBe('pool');
    expect(capped.trace.steps[0]?.excluded).toEqual([{ managerId: 'vvo', reason: { kind: 'daily_cap', today: 2, max: 2 } }]);
    // 14:00 UTC is midnight in Vladivostok: a new local day.
    expect(assignee(s.route({ lead: lead(), at: Date.parse('2026-03-02T14:00:00Z') }))).toBe('vvo');
    expect(s.loadOf(managerId('vvo'))).toEqual({ open: 7, today: 1 });
    expect(s.loadOf(managerId('nobody'))).toBeUndefined();
  });

  it('the starting today count belongs to the local date of the first request', () => {
    const m = manager('m', { maxPerDay: 3, load: { open: 0, today: 3 } });
    const s = session(ruleSet([rule('all', group('round_robin'))]), [m]);
    expect(s.route({ lead: lead(), at }).outcome).toBe('pool');
    expect(assignee(s.route({ lead: lead(), at: at + DAY }))).toBe('m');
  });

  it('changedStates returns the latest state of each touched (rule, manager) pair, continuing from the given states', () => {
    const s = createRoutingSession({
      ruleSet: ruleSet([rule('rr', group('round_robin', { managers: [managerId('a'), managerId('b')] }))]),
      ruleSetVersion: 1,
      managers: [manager('a'), manager('b'), manager('c')],
      states: [{ ruleId: ruleId('rr'), managerId: managerId('b'), state: { credit: 0.5, assigned: 10, lastAssignedAt: 1 } }],
    });
    expect(assignee(s.route({ lead: lead(), at }))).toBe('b');
    expect(assignee(s.route({ lead: lead(), at: at + 1 }))).toBe('a');
    const changes = s.changedStates();
    expect(changes).toHaveLength(2);
    expect(changes.find((c) => c.managerId === 'b')).toEqual({
      ruleId: 'rr',
      managerId: 'b',
      state: { credit: expect.closeTo(0.25, 9) as number, assigned: 11, lastAssignedAt: at },
    });
    expect(changes.find((c) => c.managerId === 'a')?.state).toMatchObject({ assigned: 1, lastAssignedAt: at + 1 });
  });

  it('does not change the profiles or states it was given', () => {
    const given = { credit: 0.5, assigned: 10, lastAssignedAt: 1 };
    const a = manager('a', { load: { open: 1, today: 1 } });
    const s = createRoutingSession({
      ruleSet: ruleSet([rule('rr', group('round_robin'))]),
      ruleSetVersion: 1,
      managers: [a],
      states: [{ ruleId: ruleId('rr'), managerId: managerId('a'), state: given }],
    });
    s.route({ lead: lead(), at });
    expect(given).toEqual({ credit: 0.5, assigned: 10, lastAssignedAt: 1 });
    expect(a.load).toEqual({ open: 1, today: 1 });
  });
});

describe('routing session: details', () => {
  it('records the decision time to the millisecond', () => {
    const s = session(ruleSet([]));
    expect(s.route({ lead: lead(), at: Date.parse('2026-03-02T09:00:05.007Z') }).trace.at).toBe('2026-03-02T09:00:05.007Z');
    expect(s.route({ lead: lead(), at: Date.parse('2026-03-02T09:00:59.999Z') }).trace.at).toBe('2026-03-02T09:00:59.999Z');
    expect(s.route({ lead: lead(), at: Date.parse('2026-03-02T09:01:00.000Z') }).trace.at).toBe('2026-03-02T09:01:00.000Z');
  });

  it('two sessions over the same rule set object do not share loads or fairness state', () => {
    const rules = ruleSet([rule('rr', group('round_robin', { managers: [managerId('anna'), managerId('boris')] }))]);
    const first = session(rules);
    const second = session(rules);
    expect(assignee(first.route({ lead: lead(), at }))).toBe('anna');
    expect(assignee(first.route({ lead: lead(), at }))).toBe('boris');
    expect(assignee(second.route({ lead: lead(), at }))).toBe('anna');
    expect(second.loadOf(managerId('boris'))).toEqual({ open: 0, today: 0 });
  });

  it('a manager who goes off hours while owed a lead comes back level, not first in line twice', () => {
    const early = manager('early', { workingHours: { mon: [['09:00', '12:00']], tue: [['09:00', '18:00']] } });
    const late = manager('late', { workingHours: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] } });
    const s = createRoutingSession({ ruleSet: ruleSet([rule('rr', group('round_robin'))]), ruleSetVersion: 1, managers: [early, late], states: [] });
    const monday = Date.parse('2026-03-02T06:30:00Z'); // 09:30 in Moscow
    expect(assignee(s.route({ lead: lead(), at: monday }))).toBe('early');
    // After 12:00 only "late" works; "early" was owed the next lead and forfeits it.
    expect(assignee(s.route({ lead: lead(), at: monday + 4 * HOUR }))).toBe('late');
    const state = s.changedStates().find((c) => c.managerId === 'early')?.state;
    expect(state?.credit).toBeLessThanOrEqual(0);
  });
});
