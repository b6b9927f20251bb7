import { expect } from 'vitest';
import type { DatabaseKind } from '../../src/store/database.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from './test-app.js';

/** Each source goes to one person, so a test says whose lead it makes; anything else goes to the pool. */
export const BY_SOURCE = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: ['anna', 'ivan', 'carl'].map((id) => ({ id: `to-${id}`, name: `To ${id}`, when: { field: 'source', op: 'eq', value: id }, target: { kind: 'person', managerId: id } })),
  fallback: { kind: 'pool' },
};

export const PEOPLE = {
  anna: { role: 'manager', managerId: 'anna', teamId: 'sales' },
  ivan: { role: 'manager', managerId: 'ivan', teamId: 'sales' },
  carl: { role: 'manager', managerId: 'carl', teamId: 'insurance' },
  head: { role: 'head', teamId: 'sales' },
  qualifier: { role: 'qualifier' },
} as const;
export type Person = keyof typeof PEOPLE;

export interface LifecycleWorld {
  t: TestApp;
  /** Move it to move the application's clock. */
  clock: { now: Date };
  as(who: Person): Promise<TestUser>;
  /** A new lead through the intake API, owned by the named manager ('pool': nobody). */
  lead(owner: 'anna' | 'ivan' | 'carl' | 'pool', fields?: Record<string, unknown>): Promise<string>;
  openLeads(managerId: string): Promise<number>;
}

/** Two teams (sales: anna, ivan; insurance: carl), people of every role, signed in on first use. */
export async function startLifecycleWorld(kind: DatabaseKind): Promise<LifecycleWorld> {
  // Wednesday, midday in Moscow: everyone is on duty.
  const clock = { now: new Date('2026-11-25T09:00:00.000Z') };
  const t = await startTestApp(kind, { now: () => clock.now });
  await setUpRouting(t, {
    teams: [
      { id: 'sales', name: 'Sales' },
      { id: 'insurance', name: 'Insurance' },
    ],
    managers: [manager('anna', { teamId: 'sales', name: 'Anna' }), manager('ivan', { teamId: 'sales', name: 'Ivan' }), manager('carl', { teamId: 'insurance', name: 'Carl' })],
    ruleSet: BY_SOURCE,
  });
  const signedIn = new Map<Person, TestUser>();
  let phones = 0;
  return {
    t,
    clock,
    as: async (who) => {
      const known = signedIn.get(who);
      if (known) return known;
      const user = await t.signIn(PEOPLE[who]);
      signedIn.set(who, user);
      return user;
    },
    lead: async (owner, fields = {}) => {
      phones += 1;
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/leads',
        payload: { name: `Client ${phones}`, phone: `+7 999 100-${String(phones).padStart(4, '0').slice(0, 2)}-${String(phones).padStart(4, '0').slice(2)}`, source: owner, ...fields },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().lead.id as string;
    },
    openLeads: async (managerId) => (await t.store.db.selectFrom('managers').select('open_leads').where('id', '=', managerId).executeTakeFirstOrThrow()).open_leads,
  };
}
