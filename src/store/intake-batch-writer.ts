import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import { chunkForInsert } from './chunk.js';
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

/**
 * Writes everything a batch of decisions produced, by the quickest path for the database:
 * - PostgreSQL: one statement of data-modifying CTEs, because each round trip is made while
 *   the routing lock is held;
 * - SQLite (in-process, no round trips): one multi-row insert per table, its text built here,
 *   because compiling it through the query builder cost more than running it.
 * Batches whose traces are too large for one JSON value (and any batch, with
 * `maxOneStatementTraceChars` 0) go through the query builder, one statement per table.
 */
export async function writeIntakeBatch(trx: Kysely<Database>, kind: DatabaseKind, batch: IntakeBatch, maxOneStatementTraceChars = MAX_ONE_STATEMENT_TRACE_CHARS): Promise<void> {
  if (batch.leads.length === 0) return;
  if (traceChars(batch) <= maxOneStatementTraceChars) {
    if (kind === 'postgres') await writeInOneStatement(trx, batch);
    else await writeTableByTableAsText(trx, batch);
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

// A jsonb value holds at most 256 MB; traces grow with the candidates of a rule (≈ 100 bytes per
// manager), so a 1,000-lead request to a very large group is written table by table instead.
const MAX_ONE_STATEMENT_TRACE_CHARS = 32 * 1024 * 1024;

function traceChars(b: IntakeBatch): number {
  let chars = 0;
  for (const a of b.assignments) chars += a.traceJson?.length ?? 0;
  return chars;
}

async function writeTableByTableAsText(trx: Kysely<Database>, b: IntakeBatch): Promise<void> {
  await insertAsText(trx, 'leads', b.leads.map(leadRow));
  await insertAsText(trx, 'lead_keys', b.leadKeys.map(leadKeyRow));
  await insertAsText(trx, 'assignments', b.assignments.map(assignmentRow));
  await insertAsText(trx, 'events', b.events.map(eventRow));
  await insertAsText(trx, 'outbox', b.outbox.map(outboxRow));
  await saveRoutingStates(trx, b.states);
  await saveManagerLoads(trx, b.loads, b.decidedAt);
  await recordDecisionTime(trx, b.decidedAt);
}

/**
 * `insert into table (columns) values (?, …), …` for rows that all have the columns of the first
 * (the row builders make them so). The text depends only on the table and the row count, so the
 * store's statement cache prepares it once.
 */
async function insertAsText(trx: Kysely<Database>, table: keyof Database & string, rows: Array<Record<string, unknown>>): Promise<void> {
  for (const chunk of chunkForInsert(rows)) {
    const columns = Object.keys(chunk[0] as object);
    const tuple = `(${columns.map(() => '?').join(',')})`;
    const text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values ${new Array<string>(chunk.length).fill(tuple).join(',')}`;
    const parameters: unknown[] = [];
    for (const row of chunk) for (const c of columns) parameters.push(row[c] ?? null);
    await trx.executeQuery(CompiledQuery.raw(text, parameters));
  }
}

async function writeInOneStatement(trx: Kysely<Database>, b: IntakeBatch): Promise<void> {
  const parts = [
    sql`leads_written as (${insertFromJson('leads', b.leads.map(leadRow), LEAD_JSON_COLUMNS)})`,
    ...(b.leadKeys.length > 0 ? [sql`lead_keys_written as (${insertFromJson('lead_keys', b.leadKeys.map(leadKeyRow))})`] : []),
    sql`assignments_written as (${insertFromJson('assignments', b.assignments.map(assignmentRow), new Set(['trace']))})`,
    sql`events_written as (${insertFromJson('events', b.events.map(eventRow), PAYLOAD)})`,
    // A batch of spam only announces nothing.
    ...(b.outbox.length > 0 ? [sql`outbox_written as (${insertFromJson('outbox', b.outbox.map(outboxRow), PAYLOAD)})`] : []),
    sql`lock_written as (${trx.updateTable('routing_lock').set({ last_decided_at: b.decidedAt }).where('id', '=', 1)})`,
  ];
  if (b.states.length > 0) {
    parts.push(
      sql`states_written as (${insertFromJson('routing_state', b.states.map(stateRow))} on conflict (rule_id, manager_id) do update set credit = excluded.credit, assigned = excluded.assigned, last_assigned_at = excluded.last_assigned_at, tier = excluded.tier, period = excluded.period)`,
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

const LEAD_JSON_COLUMNS: ReadonlySet<string> = new Set(['utm', 'product_interest', 'custom', 'match', 'problems']);
const PAYLOAD: ReadonlySet<string> = new Set(['payload']);
const NO_JSON: ReadonlySet<string> = new Set();

/**
 * `insert into table (columns) select columns from jsonb_populate_recordset(…)`: the rows travel
 * as one JSON parameter, so the statement's text is the same for every batch size and
 * PostgreSQL parses one value instead of thousands of parameters (a 25-lead batch had ≈ 2,000).
 * The table's row type gives each column its type; JSON columns, which the row builders hold as
 * JSON text, are embedded as JSON values (a JSON `null` there would become SQL NULL, not 'null';
 * no row builder writes one).
 */
function insertFromJson(table: keyof Database & string, rows: Array<Record<string, unknown>>, jsonColumns: ReadonlySet<string> = NO_JSON): RawBuilder<unknown> {
  const columns = Object.keys(rows[0] ?? {});
  const list = sql.join(columns.map((c) => sql.ref(c)));
  return sql`insert into ${sql.table(table)} (${list}) select ${list} from jsonb_populate_recordset(null::${sql.table(table)}, ${rowsAsJson(rows, columns, jsonColumns)}::jsonb)`;
}

function rowsAsJson(rows: Array<Record<string, unknown>>, columns: string[], jsonColumns: ReadonlySet<string>): string {
  const keys = columns.map((c) => JSON.stringify(c));
  const out: string[] = [];
  for (const row of rows) {
    const fields = columns.map((c, i) => {
      const value = row[c];
      return `${keys[i]}:${jsonColumns.has(c) && typeof value === 'string' ? value : JSON.stringify(value ?? null)}`;
    });
    out.push(`{${fields.join(',')}}`);
  }
  return `[${out.join(',')}]`;
}
