import type { Insertable, Kysely } from 'kysely';
import { laneOfTopic, type Lane } from '../core/notifications/lanes.js';
import { chunkForInsert } from './chunk.js';
import { readJson, writeJson } from './json.js';
import type { AssignmentsTable, Database, EventsTable, OutboxTable } from './schema.js';

/** What was decided for a lead: kept forever, with the trace that explains it. */
export interface AssignmentRecord {
  id: string;
  leadId: string;
  managerId: string | null;
  outcome: 'assigned' | 'pool';
  via: string;
  ruleId: string | null;
  strategy: string | null;
  ruleSetVersion: number | null;
  trace: unknown;
  /** The trace already serialised, when the caller has it: a trace is the largest value written per lead. */
  traceJson?: string;
  actor: string;
  createdAt: string;
}

export interface EventRecord {
  id: string;
  leadId: string | null;
  type: string;
  actor: string;
  payload: unknown;
  createdAt: string;
}

export interface OutboxMessage {
  id: string;
  topic: string;
  payload: unknown;
  createdAt: string;
  /** Without it, the topic's lane (src/core/notifications/lanes.ts). */
  lane?: Lane;
}

export function assignmentRow(a: AssignmentRecord): Insertable<AssignmentsTable> {
  return {
    id: a.id, lead_id: a.leadId, manager_id: a.managerId, outcome: a.outcome, via: a.via, rule_id: a.ruleId,
    strategy: a.strategy, rule_set_version: a.ruleSetVersion, trace: a.traceJson ?? writeJson(a.trace), actor: a.actor, created_at: a.createdAt,
  };
}

export function eventRow(e: EventRecord): Insertable<EventsTable> {
  return { id: e.id, lead_id: e.leadId, type: e.type, actor: e.actor, payload: writeJson(e.payload), created_at: e.createdAt };
}

export function outboxRow(m: OutboxMessage): Insertable<OutboxTable> {
  return { id: m.id, topic: m.topic, payload: writeJson(m.payload), created_at: m.createdAt, available_at: m.createdAt, attempts: 0, delivered_at: null, last_error: null, lane: m.lane ?? laneOfTopic(m.topic) };
}

export async function insertAssignments(db: Kysely<Database>, assignments: AssignmentRecord[]): Promise<void> {
  const rows = assignments.map(assignmentRow);
  for (const chunk of chunkForInsert(rows)) await db.insertInto('assignments').values(chunk).execute();
}

/** The latest decision per lead. */
export async function latestAssignments(db: Kysely<Database>, leadIds: string[]): Promise<Map<string, AssignmentRecord>> {
  if (leadIds.length === 0) return new Map();
  const rows = await db.selectFrom('assignments').selectAll().where('lead_id', 'in', leadIds).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  const latest = new Map<string, AssignmentRecord>();
  for (const r of rows) {
    latest.set(r.lead_id, {
      id: r.id, leadId: r.lead_id, managerId: r.manager_id, outcome: r.outcome as 'assigned' | 'pool', via: r.via, ruleId: r.rule_id,
      strategy: r.strategy, ruleSetVersion: r.rule_set_version, trace: readJson<unknown>(r.trace, null), actor: r.actor, createdAt: r.created_at,
    });
  }
  return latest;
}

export async function appendEvents(db: Kysely<Database>, events: EventRecord[]): Promise<void> {
  const rows = events.map(eventRow);
  for (const chunk of chunkForInsert(rows)) await db.insertInto('events').values(chunk).execute();
}

export async function listLeadEvents(db: Kysely<Database>, leadId: string): Promise<EventRecord[]> {
  const rows = await db.selectFrom('events').selectAll().where('lead_id', '=', leadId).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  return rows.map((r) => ({ id: r.id, leadId: r.lead_id, type: r.type, actor: r.actor, payload: readJson<unknown>(r.payload, null), createdAt: r.created_at }));
}

export async function enqueueOutbox(db: Kysely<Database>, messages: OutboxMessage[]): Promise<void> {
  const rows = messages.map(outboxRow);
  for (const chunk of chunkForInsert(rows)) await db.insertInto('outbox').values(chunk).execute();
}
