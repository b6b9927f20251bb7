import { describe, expect, it } from 'vitest';
import { decideBreach, matchSlaPolicy, slaClockFor, slaWarnAt, warningWindows, type SlaPolicy } from '../../src/core/sla/sla-policy.js';

function policy(id: string, position: number, match: SlaPolicy['match'] = {}, extra: Partial<SlaPolicy> = {}): SlaPolicy {
  return { id, name: id, position, match, firstContactMinutes: 30, nextStepMinutes: null, warnBeforeMinutes: null, maxReassignments: 2, onExhausted: 'head', active: true, ...extra };
}
const always = { timeZone: 'UTC', hours: null, holidays: new Set<string>() };
const owned = { status: 'new', ownerId: 'm1', assignedAt: '2026-03-06T10:00:00.000Z', firstContactAt: null, lastActivityAt: null };

describe('matchSlaPolicy', () => {
  const policies = [policy('any', 9), policy('web-hot', 1, { sources: ['Web'], priorities: ['hot'] }), policy('team-a', 2, { teamIds: ['A'] }), policy('off', 0, {}, { active: false })];

  it('takes the first active policy by position whose match fits', () => {
    expect(matchSlaPolicy(policies, { source: 'web', priority: 'hot', teamId: 'A' })?.id).toBe('web-hot');
    expect(matchSlaPolicy(policies, { source: 'web', priority: 'cold', teamId: 'A' })?.id).toBe('team-a');
    expect(matchSlaPolicy(policies, { source: null, priority: null, teamId: null })?.id).toBe('any');
  });

  it('a lead without the matched field does not fit a list', () => {
    expect(matchSlaPolicy([policy('web', 1, { sources: ['web'] })], { source: null, priority: null, teamId: null })).toBeNull();
  });

  it('team ids compare exactly', () => {
    expect(matchSlaPolicy([policy('a', 1, { teamIds: ['A'] })], { source: null, priority: null, teamId: 'a' })).toBeNull();
  });
});

describe('slaClockFor', () => {
  const p = policy('p', 1, {}, { nextStepMinutes: 120, warnBeforeMinutes: 10 });
  const now = new Date('2026-03-06T12:00:00Z');

  it('runs the first-contact clock from the assignment', () => {
    expect(slaClockFor(owned, p, always, now)).toEqual({ policyId: 'p', kind: 'first_contact', dueAt: '2026-03-06T10:30:00.000Z' });
  });

  it('runs the next-step clock from the latest activity once contacted', () => {
    expect(slaClockFor({ ...owned, firstContactAt: '2026-03-06T10:10:00.000Z', lastActivityAt: '2026-03-06T11:00:00.000Z' }, p, always, now)).toEqual({
      policyId: 'p', kind: 'next_step', dueAt: '2026-03-06T13:00:00.000Z',
    });
  });

  it('stops without an owner, in resting statuses, without a policy, or after contact without a next-step limit', () => {
    expect(slaClockFor({ ...owned, ownerId: null }, p, always, now)).toBeNull();
    for (const status of ['pool', 'qualification', 'converted', 'junk']) expect(slaClockFor({ ...owned, status }, p, always, now)).toBeNull();
    expect(slaClockFor(owned, null, always, now)).toBeNull();
    expect(slaClockFor({ ...owned, firstContactAt: '2026-03-06T10:10:00.000Z' }, policy('q', 1), always, now)).toBeNull();
  });

  it('warns the given plain minutes before the deadline, or never', () => {
    expect(slaWarnAt('2026-03-06T10:30:00.000Z', p)).toBe('2026-03-06T10:20:00.000Z');
    expect(slaWarnAt('2026-03-06T10:30:00.000Z', policy('q', 1))).toBeNull();
  });

  it('groups the policies that warn by their warning minutes, leaving out those that never warn', () => {
    const policies = [policy('a', 1, {}, { warnBeforeMinutes: 10 }), policy('b', 2), policy('c', 3, {}, { warnBeforeMinutes: 45 }), policy('d', 4, {}, { warnBeforeMinutes: 10 }), policy('e', 5, {}, { warnBeforeMinutes: 0 })];
    expect(warningWindows(policies)).toEqual([{ minutes: 10, policyIds: ['a', 'd'] }, { minutes: 45, policyIds: ['c'] }]);
  });
});

describe('decideBreach', () => {
  it('reassigns while reassignments remain, then escalates as configured', () => {
    const p = policy('p', 1, {}, { maxReassignments: 2, onExhausted: 'pool' });
    expect(decideBreach(0, p)).toEqual({ kind: 'reassign' });
    expect(decideBreach(1, p)).toEqual({ kind: 'reassign' });
    expect(decideBreach(2, p)).toEqual({ kind: 'escalate', to: 'pool' });
    expect(decideBreach(0, { maxReassignments: 0, onExhausted: 'head' })).toEqual({ kind: 'escalate', to: 'head' });
  });

  it('a lead whose policy is gone escalates to the head', () => {
    expect(decideBreach(0, null)).toEqual({ kind: 'escalate', to: 'head' });
  });
});

describe('slaClockFor after a hand-over', () => {
  it('a new owner of a contacted lead gets the whole next-step time from the assignment', () => {
    const p = policy('p', 1, {}, { nextStepMinutes: 60 });
    const lead = { ...owned, assignedAt: '2026-03-06T15:00:00.000Z', firstContactAt: '2026-03-06T10:10:00.000Z', lastActivityAt: '2026-03-06T11:00:00.000Z' };
    expect(slaClockFor(lead, p, always, new Date('2026-03-06T15:00:00Z'))?.dueAt).toBe('2026-03-06T16:00:00.000Z');
  });
});
