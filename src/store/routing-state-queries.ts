import type { Insertable, Kysely } from 'kysely';
import { chunkForInsert } from './chunk.js';
import type { ManagerId, RuleId } from '../core/ids.js';
import type { FairShareState, StateChange } from '../core/routing/routing-session.js';
import type { Database, RoutingStateTable } from './schema.js';

export async function loadRoutingStates(db: Kysely<Database>, ruleIds: string[]): Promise<StateChange[]> {
  if (ruleIds.length === 0) return [];
  const rows = await db.selectFrom('routing_state').selectAll().where('rule_id', 'in', ruleIds).execute();
  return rows.map((r) => {
    const state: FairShareState = { credit: r.credit, assigned: r.assigned, lastAssignedAt: r.last_assigned_at };
    if (r.tier !== null) state.tier = r.tier;
    if (r.period !== '') state.period = r.period;
    return { ruleId: r.rule_id as RuleId, managerId: r.manager_id as ManagerId, state };
  });
}

export function stateRow(c: StateChange): Insertable<RoutingStateTable> {
  return {
    rule_id: c.ruleId,
    manager_id: c.managerId,
    credit: c.state.credit,
    assigned: c.state.assigned,
    last_assigned_at: c.state.lastAssignedAt,
    tier: c.state.tier ?? null,
    period: c.state.period ?? '',
  };
}

export async function saveRoutingStates(db: Kysely<Database>, changes: StateChange[]): Promise<void> {
  for (const chunk of chunkForInsert(changes.map(stateRow))) await upsertStates(db, chunk);
}

async function upsertStates(db: Kysely<Database>, rows: Array<Insertable<RoutingStateTable>>): Promise<void> {
  await db
    .insertInto('routing_state')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['rule_id', 'manager_id']).doUpdateSet((eb) => ({
        credit: eb.ref('excluded.credit'),
        assigned: eb.ref('excluded.assigned'),
        last_assigned_at: eb.ref('excluded.last_assigned_at'),
        tier: eb.ref('excluded.tier'),
        period: eb.ref('excluded.period'),
      })),
    )
    .execute();
}
