import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { AppContext } from '../../src/app/app-context.js';
import { publishDefinition } from '../../src/app/routing/rule-sets.js';
import type { Store } from '../../src/store/database.js';
import { insertManagers, insertTeam } from '../../src/store/manager-queries.js';
import { manager } from './test-app.js';

/**
 * The scale-out scenario shared by the concurrency suites: one round-robin rule over four
 * managers without caps, one weighted rule over two managers capped at CAP open leads each
 * that falls back to the pool, and a check of every invariant against the database afterwards.
 */

export const ROUND_ROBIN_MANAGERS = ['rr-1', 'rr-2', 'rr-3', 'rr-4'] as const;
export const CAPPED_MANAGERS = ['cap-1', 'cap-2'] as const;
export const CAP = 10;

export const SCALE_RULE_SET = {
  ownership: { enabled: true, whenOwnerUnavailable: 'next_rule' },
  rules: [
    { id: 'web', name: 'Web forms', when: { field: 'source', op: 'eq', value: 'web' }, target: { kind: 'group', managers: [...ROUND_ROBIN_MANAGERS], strategy: 'round_robin' } },
    {
      id: 'capped',
      name: 'Capped partners',
      when: { field: 'source', op: 'eq', value: 'capped' },
      target: { kind: 'group', managers: [...CAPPED_MANAGERS], strategy: 'weighted', weights: { 'cap-1': 2, 'cap-2': 1 } },
      onNoCandidate: 'fallback',
    },
  ],
  fallback: { kind: 'pool' },
};

/** Teams, managers and the published rule set, written through the store and app functions. */
export async function setUpScaleRouting(ctx: AppContext): Promise<void> {
  const at = ctx.now().toISOString();
  await insertTeam(ctx.store.db, { id: 'sales', name: 'Sales' }, at);
  await insertManagers(
    ctx.store.db,
    [
      ...ROUND_ROBIN_MANAGERS.map((id) => manager(id, { teamId: 'sales', workingHours: null })),
      ...CAPPED_MANAGERS.map((id) => manager(id, { teamId: 'sales', workingHours: null, maxOpen: CAP })),
    ],
    at,
  );
  await publishDefinition(ctx, SCALE_RULE_SET, 'scale test', null);
}

/**
 * Lead bodies that never match each other (distinct names, phones and e-mails), so ownership
 * stickiness and duplicate linking cannot bend the rotation; `run` keeps runs apart.
 */
export function leadFactory(): (source: 'web' | 'capped', tag: string) => Record<string, unknown> {
  const run = randomBytes(4).toString('hex');
  let n = 0;
  return (source, tag) => {
    n += 1;
    const digits = String(1_000_000 + n).slice(-7);
    return { name: `${tag} ${run} #${n}`, phone: `+7916${digits}`, email: `lead-${run}-${n}@example.com`, source };
  };
}

export function newIdempotencyKey(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

/** What one 201 answer said about one lead. */
export interface AcceptedLead {
  leadId: string;
  ownerId: string | null;
  source: string;
}

/** The lead items of a 201 answer to /api/v1/leads or /api/v1/leads/batch. */
export function acceptedFrom(body: unknown): AcceptedLead[] {
  const b = body as { items?: unknown[] } & Record<string, unknown>;
  const items = (Array.isArray(b.items) ? b.items : [b]) as Array<{ lead: { id: string; ownerId: string | null; source: string } }>;
  return items.map((i) => ({ leadId: i.lead.id, ownerId: i.lead.ownerId, source: i.lead.source }));
}

export interface IdempotentRound {
  key: string;
  /** Leads per request: 1 for /leads, the batch size for /leads/batch. */
  size: number;
  /** The lead ids of each answer, in answer order. */
  answers: string[][];
  /** Whether each answer carried `Idempotent-Replayed: true`. */
  replayed: boolean[];
}

const countOf = (v: unknown): number => Number(v);

/**
 * Checks the database after a burst of concurrent intake:
 * - every lead a 201 answered for is stored once, and nothing else is stored;
 * - every stored lead has exactly one assignment, agreeing with the lead and with the answer;
 * - the round-robin managers are each within 1 of total/4 of the "web" leads;
 * - the capped managers hold exactly CAP leads each and the other "capped" leads are in the pool;
 * - managers.open_leads matches the leads, and never exceeds max_open;
 * - each lead has its two events and one outbox message; the fairness state counts agree;
 * - each idempotency key, however often and wherever it was sent, made one lead (per batch item),
 *   and exactly one of its answers was not a replay.
 */
export async function expectScaleInvariants(store: Store, accepted: AcceptedLead[], rounds: IdempotentRound[]): Promise<{ web: number; capped: number }> {
  const db = store.db;
  const answeredById = new Map<string, AcceptedLead>();
  for (const a of accepted) {
    const seen = answeredById.get(a.leadId);
    // The same lead may be answered twice only as an idempotent replay, and then identically.
    if (seen) expect(a).toEqual(seen);
    answeredById.set(a.leadId, a);
  }

  const leads = await db.selectFrom('leads').select(['id', 'owner_id', 'status', 'source', 'idempotency_key', 'idempotency_index']).execute();
  const leadIds = leads.map((l) => l.id);
  expect(new Set(leadIds).size).toBe(leadIds.length);
  expect(new Set(leadIds)).toEqual(new Set(answeredById.keys()));
  for (const l of leads) {
    const answered = answeredById.get(l.id);
    expect({ id: l.id, owner: l.owner_id }).toEqual({ id: l.id, owner: answered?.ownerId });
  }

  // Exactly one assignment per lead, and the lead's owner is the assignment's manager.
  const assignments = await db.selectFrom('assignments').select(['lead_id', 'manager_id', 'outcome', 'rule_id']).execute();
  expect(assignments).toHaveLength(leads.length);
  const assignmentByLead = new Map(assignments.map((a) => [a.lead_id, a]));
  expect(assignmentByLead.size).toBe(leads.length);
  for (const l of leads) {
    const a = assignmentByLead.get(l.id);
    expect(a, `assignment of ${l.id}`).toBeDefined();
    expect({ lead: l.id, manager: a?.manager_id, outcome: a?.outcome }).toEqual({ lead: l.id, manager: l.owner_id, outcome: l.owner_id ? 'assigned' : 'pool' });
    expect(l.status).toBe(l.owner_id ? 'new' : 'pool');
  }

  // Round robin: each of the four within 1 of total/4, and nobody else got a web lead.
  const web = leads.filter((l) => l.source === 'web');
  const rrCounts = Object.fromEntries(ROUND_ROBIN_MANAGERS.map((m) => [m, web.filter((l) => l.owner_id === m).length]));
  expect(web.every((l) => (ROUND_ROBIN_MANAGERS as readonly (string | null)[]).includes(l.owner_id))).toBe(true);
  for (const m of ROUND_ROBIN_MANAGERS) {
    expect(Math.abs((rrCounts[m] ?? 0) - web.length / 4), `${m} got ${rrCounts[m]} of ${web.length}: ${JSON.stringify(rrCounts)}`).toBeLessThanOrEqual(1);
  }

  // Caps: exactly CAP each, the rest of the capped source went to the pool through the fallback.
  const capped = leads.filter((l) => l.source === 'capped');
  expect(capped.length).toBeGreaterThan(CAP * CAPPED_MANAGERS.length);
  for (const m of CAPPED_MANAGERS) expect(capped.filter((l) => l.owner_id === m).length, m).toBe(CAP);
  const pooled = capped.filter((l) => l.owner_id === null);
  expect(pooled).toHaveLength(capped.length - CAP * CAPPED_MANAGERS.length);
  for (const l of pooled) expect(assignmentByLead.get(l.id)).toMatchObject({ outcome: 'pool', manager_id: null });
  expect(leads.filter((l) => l.source !== 'web' && l.source !== 'capped')).toEqual([]);

  // The denormalised counters agree with the leads.
  const managers = await db.selectFrom('managers').select(['id', 'open_leads', 'max_open']).execute();
  const realOpen = await db
    .selectFrom('leads')
    .select((eb) => ['owner_id', eb.fn.countAll().as('n')])
    .where('owner_id', 'is not', null)
    .where('status', 'not in', ['converted', 'junk'])
    .groupBy('owner_id')
    .execute();
  const realByManager = new Map(realOpen.map((r) => [r.owner_id as string, countOf(r.n)]));
  expect(Object.fromEntries(managers.map((m) => [m.id, m.open_leads]))).toEqual(Object.fromEntries(managers.map((m) => [m.id, realByManager.get(m.id) ?? 0])));
  for (const m of managers) if (m.max_open !== null) expect(m.open_leads).toBeLessThanOrEqual(m.max_open);

  // The journal: two events and one outbox message per lead, plus the offer of each lead left in the pool to those who may take it.
  const eventCounts = await db.selectFrom('events').select((eb) => ['lead_id', eb.fn.countAll().as('n')]).groupBy('lead_id').execute();
  expect(eventCounts).toHaveLength(leads.length);
  expect(eventCounts.every((e) => countOf(e.n) === 2)).toBe(true);
  const inPool = leads.filter((l) => l.owner_id === null).length;
  const outbox = await db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  expect(countOf(outbox.n)).toBe(leads.length + inPool);
  const offers = await db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('topic', '=', 'lead.offered').executeTakeFirstOrThrow();
  expect(countOf(offers.n)).toBe(inPool);

  // The persisted fairness state counted every round-robin decision once.
  const states = await db.selectFrom('routing_state').select(['manager_id', 'assigned']).where('rule_id', '=', 'web').execute();
  expect(Object.fromEntries(states.map((s) => [s.manager_id, s.assigned]))).toEqual(rrCounts);

  // Idempotency: one lead per key (per batch item), and every answer named that lead.
  const byKey = new Map<string, string[]>();
  for (const l of leads) {
    if (l.idempotency_key === null) continue;
    const itemKey = `${l.idempotency_key}#${l.idempotency_index}`;
    const list = byKey.get(itemKey) ?? [];
    list.push(l.id);
    byKey.set(itemKey, list);
  }
  for (const round of rounds) {
    const itemKeys = Array.from({ length: round.size }, (_, i) => `${round.key}#${i}`);
    const stored = itemKeys.map((k) => byKey.get(k) ?? []);
    expect(stored.map((s) => s.length), `leads stored under ${round.key}`).toEqual(itemKeys.map(() => 1));
    const expected = stored.map((s) => s[0]);
    for (const answer of round.answers) expect(answer, `answer for ${round.key}`).toEqual(expected);
    // Exactly one of the copies created the lead(s); every other one is a replay.
    expect(round.replayed.filter((r) => !r), `first answers for ${round.key}`).toHaveLength(1);
  }
  return { web: web.length, capped: capped.length };
}

/** Runs `tasks` with at most `limit` in flight; resolves with their results in order. */
export async function runWithConcurrency<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
