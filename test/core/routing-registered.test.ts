import { describe, expect, it } from 'vitest';
import { createRoutingSession } from '../../src/core/routing/create-routing-session.js';
import { MONDAY_NOON_MSK, group, lead, manager, managerId, rule, ruleSet } from './routing-fixtures.js';

/** A lead a manager registered: kept with them before ownership and the rules, or routed with the registration noted. */
describe('a registered lead in the routing session', () => {
  const at = MONDAY_NOON_MSK;
  // Anna is paused and at her caps: the rules would never give her a lead.
  const anna = manager('anna', { name: 'Anna Smirnova', paused: true, maxOpen: 1, maxPerDay: 1, load: { open: 1, today: 1 } });
  const boris = manager('boris', { name: 'Boris Orlov' });
  const rules = ruleSet([rule('all', group('round_robin', { managers: [managerId('anna'), managerId('boris')] }))]);
  const session = () => createRoutingSession({ ruleSet: rules, ruleSetVersion: 3, managers: [anna, boris], states: [] });

  it('keeps it with the manager whatever their load or pause, counts it in their load, takes nobody’s turn', () => {
    const s = session();
    const decision = s.route({ lead: lead(), at, registeredBy: { managerId: managerId('anna'), keep: true } });
    expect(decision).toMatchObject({ outcome: 'assigned', managerId: 'anna', via: 'registered', strategy: 'registered', ruleId: null });
    expect(decision.trace).toMatchObject({ registration: { managerId: 'anna', outcome: 'kept' }, steps: [], winner: { managerId: 'anna' }, summary: 'Registered by the manager Anna Smirnova, who keeps it as owner.' });
    expect(decision.trace.ownership).toBeUndefined();
    expect(s.loadOf(managerId('anna'))).toEqual({ open: 2, today: 2 });
    expect(s.changedStates()).toEqual([]);
  });

  it('keeps it with the manager when the client is already theirs', () => {
    const decision = session().route({ lead: lead(), at, owner: { managerId: managerId('anna'), via: 'contact' }, registeredBy: { managerId: managerId('anna'), keep: true } });
    expect(decision).toMatchObject({ managerId: 'anna', via: 'registered' });
  });

  it("gives a client who already has another owner to that owner, not to the manager who typed them in", () => {
    const decision = session().route({ lead: lead(), at, owner: { managerId: managerId('boris'), via: 'contact' }, registeredBy: { managerId: managerId('anna'), keep: true } });
    expect(decision).toMatchObject({ outcome: 'assigned', managerId: 'boris', via: 'ownership' });
    expect(decision.trace.registration).toEqual({ managerId: 'anna', outcome: 'routed' });
  });

  it('routes it by the rules when the team says so, and the trace still names who registered it', () => {
    const decision = session().route({ lead: lead(), at, registeredBy: { managerId: managerId('anna'), keep: false } });
    expect(decision).toMatchObject({ outcome: 'assigned', managerId: 'boris', via: 'rule', ruleId: 'all' });
    expect(decision.trace.registration).toEqual({ managerId: 'anna', outcome: 'routed' });
  });

  it('routes it when the manager is no longer among the active ones', () => {
    const decision = session().route({ lead: lead(), at, registeredBy: { managerId: managerId('gone'), keep: true } });
    expect(decision).toMatchObject({ managerId: 'boris', via: 'rule' });
    expect(decision.trace.registration).toEqual({ managerId: 'gone', outcome: 'routed' });
  });
});
