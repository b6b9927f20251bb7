import { sql, type Kysely } from 'kysely';
import type { StateChange } from '../core/routing/routing-session.js';
import type { DatabaseKind } from './database.js';
import { appendEvents, assignmentRow, enqueueOutbox, eventRow, insertAssignments, outboxRow, type AssignmentRecord, type EventRecord, type OutboxMessage } from './journal-queries.js';
import { insertLeadKeys, insertLeads, leadKeyRow, leadRow, type LeadKey, type LeadRecord } from './lead-queries.js';
import { saveManagerLoads } from './manager-queries.js';
import { recordDecisionTime } from './routing-lock.js';
import { saveRoutingStates, stateRow } from './routing-state-queries.js';
import type { Database } from './schema.js';

export interface IntakeBatch {
  leads: LeadRecord[];
  leadKeys: LeadKey[];
  assignments: AssignmentRecord[];
  events: EventRecord[];
  outbox: OutboxMessage[];
  states: StateChange[];
  loads: Array<{ managerId: string; open: number; today: number; todayDate: string }>;
  decidedAt: string;
}

// PostgreSQL binds at most 65,535 parameters per statement.
const MAX_POSTGRES_PARAMETERS = 60_000;

/**
 * Writes everything a batch of decisions produced. On PostgreSQL it is one statement of
 * data-modifying CTEs, because each round trip is made while the routing lock is held; on
 * SQLite (in-process, no round trips) and for batches too large for one statement, one
 * statement per table.
 */
export async function writeIntakeBatch(trx: Kysely<Database>, kind: DatabaseKind, batch: IntakeBatch): Promise<void> {
  if (batch.leads.length === 0) return;
  if (kind === 'postgres' && parameterCount(batch) <= MAX_POSTGRES_PARAMETERS) {
    await writeInOneStatement(trx, batch);
    return;
  }
  await insertLeads(trx, batch.leads);
  await insertLeadKeys(trx, batch.leadKeys);
  await insertAssignments(trx, batch.assignments);
  await appendEvents(trx, batch.events);
  await enqueueOutbox(trx, batch.outbox);
  await saveRoutingStates(trx, batch.states);
  await saveManagerLoads(trx, batch.loads, batch.decidedAt);
  await recordDecisionTime(trx, batch.decidedAt);
}

function parameterCount(b: IntakeBatch): number {
  return b.leads.length * 54 + b.leadKeys.length * 3 + b.assignments.length * 11 + b.events.length * 6 + b.outbox.length * 8 + b.states.length * 5 + b.loads.length * 4 + 2;
}

async function writeInOneStatement(trx: Kysely<Database>, b: IntakeBatch): Promise<void> {
  const parts = [
    sql`leads_written as (${trx.insertInto('leads').values(b.leads.map(leadRow))})`,
    ...(b.leadKeys.length > 0 ? [sql`lead_keys_written as (${trx.insertInto('lead_keys').values(b.leadKeys.map(leadKeyRow))})`] : []),
    sql`assignments_written as (${trx.insertInto('assignments').values(b.assignments.map(assignmentRow))})`,
    sql`events_written as (${trx.insertInto('events').values(b.events.map(eventRow))})`,
    sql`outbox_written as (${trx.insertInto('outbox').values(b.outbox.map(outboxRow))})`,
    sql`lock_written as (${trx.updateTable('routing_lock').set({ last_decided_at: b.decidedAt }).where('id', '=', 1)})`,
  ];
  if (b.states.length > 0) {
    parts.push(
      sql`states_written as (${trx
        .insertInto('routing_state')
        .values(b.states.map(stateRow))
        .onConflict((oc) =>
          oc.columns(['rule_id', 'manager_id']).doUpdateSet((eb) => ({
            credit: eb.ref('excluded.credit'),
            assigned: eb.ref('excluded.assigned'),
            last_assigned_at: eb.ref('excluded.last_assigned_at'),
          })),
        )})`,
    );
  }
  if (b.loads.length > 0) {
    const values = sql.join(b.loads.map((l) => sql`(${l.managerId}::text, ${l.open}::integer, ${l.today}::integer, ${l.todayDate}::text)`));
    parts.push(sql`loads_written as (
      update managers set open_leads = v.open_leads, today_count = v.today_count, today_date = v.today_date, updated_at = ${b.decidedAt}::timestamptz
      from (values ${values}) as v(id, open_leads, today_count, today_date)
      where managers.id = v.id
    )`);
  }
  await sql`with ${sql.join(parts)} select 1`.execute(trx);
}
