import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ManagerId } from '../../src/core/ids.js';
import type { LeadFacts } from '../../src/core/lead-facts.js';
import { checkAvailability } from '../../src/core/routing/availability.js';
import { createRoutingSession } from '../../src/core/routing/create-routing-session.js';
import type { ManagerProfile } from '../../src/core/routing/manager-profile.js';
import type { Condition, Rule, RuleSetDefinition, Target } from '../../src/core/routing/rule-set.js';
import { validateRuleSet } from '../../src/core/routing/validate-rule-set.js';
import { DAY, HOUR, MONDAY_NOON_MSK, lead, manager, managerId, ruleId, teamId } from './routing-fixtures.js';

const ZONES = ['Europe/Moscow', 'Asia/Vladivostok', 'Asia/Yekaterinburg', 'Europe/Kaliningrad', 'UTC'];
const TEAMS = ['t1', 't2', 't3'];
const REGIONS = ['Moscow', 'Kazan', 'Novosibirsk', 'Vladivostok'];
const LANGUAGES = ['ru', 'en', 'de'];
const SKILLS = ['crm', 'erp', 'telephony', 'cloud'];
const INDUSTRIES = ['retail', 'it', 'logistics'];
const SOURCES = ['web', 'phone', 'email', 'expo'];

const coverageArb = (values: string[]) =>
  fc.oneof({ arbitrary: fc.subarray(values), weight: 4 }, { arbitrary: fc.constant(['*']).map((all) => [...all]), weight: 1 });

const hoursArb = fc.oneof(
  fc.constant(null),
  fc.record({
    mon: fc.constant([['09:00', '18:00']] as Array<[string, string]>),
    tue: fc.constant([['08:00', '12:00'], ['13:00', '24:00']] as Array<[string, string]>),
    wed: fc.constant([['00:00', '24:00']] as Array<[string, string]>),
    thu: fc.constant([['10:00', '19:00']] as Array<[string, string]>),
    fri: fc.constant([['09:00', '17:00']] as Array<[string, string]>),
  }),
);

const DATES = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'];
const absenceArb = fc
  .tuple(fc.integer({ min: 0, max: DATES.length - 1 }), fc.integer({ min: 0, max: 3 }))
  .map(([start, length]) => ({ from: DATES[start] as string, to: DATES[Math.min(DATES.length - 1, start + length)] as string }));

const capArb = fc.option(fc.integer({ min: 0, max: 8 }), { nil: null, freq: 2 });

function managersArb(min: number, max: number): fc.Arbitrary<ManagerProfile[]> {
  return fc
    .array(
      fc.record({
        teamId: fc.constantFrom(...TEAMS),
        weight: fc.integer({ min: 1, max: 5 }),
        maxOpen: capArb,
        maxPerDay: capArb,
        skills: coverageArb(SKILLS),
        regions: coverageArb(REGIONS),
        languages: coverageArb(LANGUAGES),
        industries: coverageArb(INDUSTRIES),
        timeZone: fc.constantFrom(...ZONES),
        workingHours: hoursArb,
        absences: fc.array(absenceArb, { maxLength: 2 }),
        paused: fc.integer({ min: 0, max: 99 }).map((n) => n < 15),
        open: fc.integer({ min: 0, max: 10 }),
        today: fc.integer({ min: 0, max: 10 }),
        leads: fc.integer({ min: 0, max: 200 }),
        won: fc.integer({ min: 0, max: 60 }),
      }),
      { minLength: min, maxLength: max },
    )
    .map((rows) =>
      rows.map((row, i) =>
        manager(`m${i}`, {
          teamId: teamId(row.teamId),
          weight: row.weight,
          maxOpen: row.maxOpen,
          maxPerDay: row.maxPerDay,
          skills: row.skills,
          regions: row.regions,
          languages: row.languages,
          industries: row.industries,
          timeZone: row.timeZone,
          workingHours: row.workingHours,
          absences: row.absences,
          paused: row.paused,
          load: { open: row.open, today: row.today },
          performance: { leads: row.leads, won: Math.min(row.won, row.leads) },
        }),
      ),
    );
}

const leafArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ field: fc.constant('region'), op: fc.constantFrom('eq' as const, 'neq' as const), value: fc.constantFrom(...REGIONS) }),
  fc.record({ field: fc.constant('region'), op: fc.constantFrom('in' as const, 'not_in' as const), value: fc.subarray(REGIONS, { minLength: 1 }) }),
  fc.record({ field: fc.constant('dealValue'), op: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const), value: fc.integer({ min: 0, max: 1000 }) }),
  fc.record({ field: fc.constant('dealValue'), op: fc.constant('between' as const), value: fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 500, max: 1000 })) }),
  fc.record({ field: fc.constant('productInterest'), op: fc.constant('contains' as const), value: fc.constantFrom(...SKILLS) }),
  fc.record({ field: fc.constant('source'), op: fc.constant('exists' as const), value: fc.boolean() }),
  fc.record({ field: fc.constant('custom.tier'), op: fc.constant('gte' as const), value: fc.integer({ min: 0, max: 3 }) }),
);

const conditionArb: fc.Arbitrary<Condition> = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.record({ all: fc.array(tie('condition'), { maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('condition'), { maxLength: 3 }) }),
    fc.record({ not: tie('condition') }),
  ),
})).condition;

const groupArb = (ids: ManagerId[]): fc.Arbitrary<Target> =>
  fc.record(
    {
      kind: fc.constant('group' as const),
      managers: fc.subarray(ids, { minLength: 1 }),
      teams: fc.subarray(TEAMS.map(teamId), { minLength: 1 }),
      strategy: fc.constantFrom('round_robin' as const, 'weighted' as const, 'least_loaded' as const, 'performance' as const),
      match: fc.subarray(['skill', 'region', 'language', 'industry'] as const, { maxLength: 2 }),
      requiredSkills: fc.subarray(SKILLS, { maxLength: 1 }),
    },
    { requiredKeys: ['kind', 'strategy'] },
  );

function ruleSetArb(ids: ManagerId[], options: { capSafe: boolean }): fc.Arbitrary<RuleSetDefinition> {
  const targetArb: fc.Arbitrary<Target> = options.capSafe
    ? fc.oneof({ arbitrary: groupArb(ids), weight: 5 }, { arbitrary: fc.constant({ kind: 'pool' as const }), weight: 1 })
    : fc.oneof(
        { arbitrary: groupArb(ids), weight: 5 },
        { arbitrary: fc.constant({ kind: 'pool' as const }), weight: 1 },
        { arbitrary: fc.constantFrom(...ids).map((id) => ({ kind: 'person' as const, managerId: id })), weight: 1 },
      );
  const ruleArb = fc.record(
    { when: conditionArb, target: targetArb, onNoCandidate: fc.constantFrom('next_rule' as const, 'fallback' as const), enabled: fc.boolean() },
    { requiredKeys: ['target'] },
  );
  return fc.record({
    rules: fc.array(ruleArb, { maxLength: 6 }),
    policy: options.capSafe ? fc.constantFrom('next_rule' as const, 'pool' as const) : fc.constantFrom('wait' as const, 'next_rule' as const, 'pool' as const),
    ownership: fc.boolean(),
    fallback: options.capSafe
      ? fc.constant({ kind: 'pool' as const })
      : fc.oneof(fc.constant({ kind: 'pool' as const }), fc.constantFrom(...ids).map((id) => ({ kind: 'manager' as const, managerId: id }))),
  }).map(({ rules, policy, ownership, fallback }) => ({
    ownership: { enabled: ownership, whenOwnerUnavailable: policy },
    rules: rules.map((r, i): Rule => ({ id: ruleId(`r${i}`), name: `Rule ${i}`, ...r })),
    fallback,
  }));
}

const leadArb: fc.Arbitrary<LeadFacts> = fc
  .record(
    {
      region: fc.constantFrom(...REGIONS, 'Omsk'),
      language: fc.constantFrom(...LANGUAGES),
      industry: fc.constantFrom(...INDUSTRIES),
      productInterest: fc.subarray(SKILLS, { maxLength: 2 }),
      dealValue: fc.integer({ min: 0, max: 1000 }),
      source: fc.constantFrom(...SOURCES),
      tier: fc.integer({ min: 0, max: 3 }),
    },
    { requiredKeys: [] },
  )
  .map(({ tier, ...facts }) => lead({ ...facts, custom: tier === undefined ? {} : { tier } }));

interface Request {
  lead: LeadFacts;
  step: number;
  owner: number | null;
  dropped: number[];
}

const requestsArb = fc.array(
  fc.record({
    lead: leadArb,
    step: fc.integer({ min: 0, max: 3 * HOUR }),
    owner: fc.option(fc.nat({ max: 20 }), { nil: null, freq: 3 }),
    dropped: fc.array(fc.nat({ max: 20 }), { maxLength: 2 }),
  }),
  { minLength: 20, maxLength: 150, size: 'medium' },
);

/** A scenario: managers, a rule set that uses only them, and a stream of leads. */
function scenarioArb(capSafe: boolean) {
  return managersArb(2, 10).chain((managers) =>
    fc.record({
      managers: fc.constant(managers),
      ruleSet: ruleSetArb(managers.map((m) => m.id), { capSafe }),
      requests: requestsArb,
    }),
  );
}

function* routeAll(managers: ManagerProfile[], ruleSet: RuleSetDefinition, requests: Request[]) {
  const session = createRoutingSession({ ruleSet, ruleSetVersion: 1, managers, states: [] });
  let at = Date.parse('2026-03-01T21:00:00Z');
  for (const request of requests) {
    at += request.step;
    const pick = (n: number) => (managers[n % managers.length] as ManagerProfile).id;
    const excludeManagers = new Set(request.dropped.map(pick));
    const owner = request.owner === null ? null : { managerId: pick(request.owner), via: 'contact' as const };
    const decision = session.route({ lead: request.lead, at, owner, excludeManagers });
    yield { session, decision, at, excludeManagers };
  }
}

const known = (managers: ManagerProfile[]) => ({ managerIds: new Set<string>(managers.map((m) => m.id)), teamIds: new Set(TEAMS) });

describe('routing session properties', () => {
  it('every generated rule set is valid, and every lead ends assigned to a known manager or in the pool', () => {
    fc.assert(
      fc.property(scenarioArb(false), ({ managers, ruleSet, requests }) => {
        expect(validateRuleSet(ruleSet, known(managers))).toMatchObject({ ok: true });
        const ids = new Set<string>(managers.map((m) => m.id));
        for (const { decision } of routeAll(managers, ruleSet, requests)) {
          expect(['assigned', 'pool']).toContain(decision.outcome);
          if (decision.outcome === 'assigned') expect(ids.has(decision.managerId)).toBe(true);
          expect(decision.trace.summary).toMatch(/^[A-Z].*\.$/);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('group routing never pushes a manager past their open or daily cap', () => {
    fc.assert(
      fc.property(scenarioArb(true), ({ managers, ruleSet, requests }) => {
        const byId = new Map(managers.map((m) => [m.id as string, m]));
        for (const { decision, session } of routeAll(managers, ruleSet, requests)) {
          if (decision.outcome !== 'assigned') continue;
          const profile = byId.get(decision.managerId) as ManagerProfile;
          const load = session.loadOf(decision.managerId);
          if (profile.maxOpen !== null) expect(load?.open).toBeLessThanOrEqual(profile.maxOpen);
          if (profile.maxPerDay !== null) expect(load?.today).toBeLessThanOrEqual(profile.maxPerDay);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a paused, absent, off-hours or dropped manager is never chosen by a group rule', () => {
    fc.assert(
      fc.property(scenarioArb(false), ({ managers, ruleSet, requests }) => {
        const byId = new Map(managers.map((m) => [m.id as string, m]));
        for (const { decision, at, excludeManagers } of routeAll(managers, ruleSet, requests)) {
          if (decision.outcome !== 'assigned' || decision.via !== 'rule' || decision.strategy === 'person') continue;
          expect(checkAvailability(byId.get(decision.managerId) as ManagerProfile, at)).toBeNull();
          expect(excludeManagers.has(decision.managerId)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('weighted routing through a session keeps every manager within 1 of their share', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 9 }), fc.integer({ min: 1, max: 400 }), (weights, leads) => {
        const managers = weights.map((weight, i) => manager(`m${i}`, { weight }));
        const session = createRoutingSession({
          ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'wait' }, rules: [{ id: ruleId('w'), name: 'w', target: { kind: 'group', strategy: 'weighted' } }], fallback: { kind: 'pool' } },
          ruleSetVersion: 1,
          managers,
          states: [],
        });
        const total = weights.reduce((a, b) => a + b, 0);
        const counts = new Map<string, number>();
        for (let n = 1; n <= leads; n++) {
          const decision = session.route({ lead: lead(), at: MONDAY_NOON_MSK + n });
          if (decision.outcome === 'assigned') counts.set(decision.managerId, (counts.get(decision.managerId) ?? 0) + 1);
          weights.forEach((w, i) => expect(Math.abs((counts.get(`m${i}`) ?? 0) - (w / total) * n)).toBeLessThan(1));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a manager back from vacation gets at most share × n + 1 of the next n leads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 7 }),
        fc.nat({ max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(HOUR, 2 * HOUR, 3 * HOUR),
        (weights, pick, startDay, length, step) => {
          const returning = pick % weights.length;
          const start = Date.parse('2026-03-02T00:00:00Z');
          const absence = { from: DATES[1 + startDay] as string, to: DATES[Math.min(DATES.length - 1, 1 + startDay + length - 1)] as string };
          const managers = weights.map((weight, i) =>
            manager(`m${i}`, { weight, timeZone: 'UTC', absences: i === returning ? [absence] : [] }),
          );
          const session = createRoutingSession({
            ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'wait' }, rules: [{ id: ruleId('w'), name: 'w', target: { kind: 'group', strategy: 'weighted' } }], fallback: { kind: 'pool' } },
            ruleSetVersion: 1,
            managers,
            states: [],
          });
          const share = (weights[returning] ?? 0) / weights.reduce((a, b) => a + b, 0);
          let wasAway = false;
          let after = 0;
          let received = 0;
          for (let at = start; at < start + 9 * DAY; at += step) {
            const decision = session.route({ lead: lead(), at });
            const away = decision.trace.steps[0]?.excluded?.some((e) => e.managerId === managerId(`m${returning}`)) ?? false;
            if (away) {
              wasAway = true;
              continue;
            }
            if (!wasAway) continue;
            after++;
            if (decision.outcome === 'assigned' && decision.managerId === `m${returning}`) received++;
            expect(received).toBeLessThanOrEqual(share * after + 1 + 1e-9);
          }
          expect(wasAway).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
