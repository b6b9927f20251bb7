import type { Kysely, SelectQueryBuilder } from 'kysely';
import { readJson } from './json.js';
import type { Database } from './schema.js';

/**
 * What the reports read: raw rows of the leads that arrived in a period and of what happened to
 * them (decisions, breaches, status changes, deals), computed into figures by src/core/reports.
 * Timestamps are compared as ISO text on SQLite and as timestamptz on PostgreSQL; both order
 * the same way. Nothing here is cached or pre-aggregated yet (see docs/reports.md, performance).
 */
export interface CohortFilter {
  from: string;
  to: string;
  /** Only leads of this source (as stored, lower-case). */
  source?: string | null;
}

export interface ReportLeadRow {
  id: string;
  createdAt: string;
  source: string | null;
  campaign: string | null;
  priority: string | null;
  status: string;
  ownerId: string | null;
  firstContactAt: string | null;
  qualifiedAt: string | null;
  closedAt: string | null;
  junkReason: string | null;
  slaPolicyId: string | null;
  slaKind: string | null;
  slaDueAt: string | null;
  escalatedAt: string | null;
}

/** The leads a query reads: those that arrived in a period, or named ones (a rollup refresh). */
export type LeadSelection = CohortFilter | { ids: readonly string[] };

type Cohort = SelectQueryBuilder<Database, 'leads', { id: string }>;

function cohortIds(db: Kysely<Database>, f: LeadSelection): Cohort {
  if ('ids' in f) return db.selectFrom('leads').select('leads.id').where('leads.id', 'in', f.ids.length > 0 ? [...f.ids] : ['']);
  let q = db.selectFrom('leads').select('leads.id').where('leads.created_at', '>=', f.from).where('leads.created_at', '<', f.to);
  if (f.source) q = q.where('leads.source', '=', f.source);
  return q;
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export async function cohortLeads(db: Kysely<Database>, f: LeadSelection): Promise<ReportLeadRow[]> {
  let q = db
    .selectFrom('leads')
    .select(['id', 'created_at', 'source', 'campaign', 'priority', 'status', 'owner_id', 'first_contact_at', 'qualified_at', 'closed_at', 'junk_reason', 'sla_policy_id', 'sla_kind', 'sla_due_at', 'escalated_at']);
  if ('ids' in f) q = q.where('id', 'in', f.ids.length > 0 ? [...f.ids] : ['']);
  else {
    q = q.where('created_at', '>=', f.from).where('created_at', '<', f.to);
    if (f.source) q = q.where('source', '=', f.source);
  }
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: String(r.created_at),
    source: r.source,
    campaign: r.campaign,
    priority: r.priority,
    status: r.status,
    ownerId: r.owner_id,
    firstContactAt: iso(r.first_contact_at),
    qualifiedAt: iso(r.qualified_at),
    closedAt: iso(r.closed_at),
    junkReason: r.junk_reason,
    slaPolicyId: r.sla_policy_id,
    slaKind: r.sla_kind,
    slaDueAt: iso(r.sla_due_at),
    escalatedAt: iso(r.escalated_at),
  }));
}

export interface AssignmentRow {
  id: string;
  leadId: string;
  managerId: string | null;
  outcome: string;
  via: string;
  ruleId: string | null;
  strategy: string | null;
  ruleSetVersion: number | null;
  createdAt: string;
}

export interface DecisionRow extends AssignmentRow {
  source: string | null;
  trace: unknown;
}

function assignmentOf(r: { id: string; lead_id: string; manager_id: string | null; outcome: string; via: string; rule_id: string | null; strategy: string | null; rule_set_version: number | null; created_at: string }): AssignmentRow {
  return {
    id: r.id,
    leadId: r.lead_id,
    managerId: r.manager_id,
    outcome: r.outcome,
    via: r.via,
    ruleId: r.rule_id,
    strategy: r.strategy,
    ruleSetVersion: r.rule_set_version === null ? null : Number(r.rule_set_version),
    createdAt: String(r.created_at),
  };
}

const ASSIGNMENT_COLUMNS = ['a.id', 'a.lead_id', 'a.manager_id', 'a.outcome', 'a.via', 'a.rule_id', 'a.strategy', 'a.rule_set_version', 'a.created_at'] as const;

/** Every owner change of the cohort's leads, in order: who had each lead when. */
export async function cohortAssignments(db: Kysely<Database>, f: LeadSelection): Promise<AssignmentRow[]> {
  const rows = await db
    .selectFrom('assignments as a')
    .select([...ASSIGNMENT_COLUMNS])
    .where('a.lead_id', 'in', cohortIds(db, f))
    .orderBy('a.lead_id')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  return rows.map(assignmentOf);
}

/**
 * Routing decisions (intake, qualification) made in [from, to) with their traces; the
 * qualification hold (a lead parked for a qualifier) is no decision and is left out.
 */
export async function routingDecisions(db: Kysely<Database>, f: LeadSelection): Promise<DecisionRow[]> {
  let q = db
    .selectFrom('assignments as a')
    .innerJoin('leads as l', 'l.id', 'a.lead_id')
    .select([...ASSIGNMENT_COLUMNS, 'a.trace', 'l.source'])
    .where('a.via', 'in', ['rule', 'ownership', 'fallback', 'qualification'])
    .where('a.rule_set_version', 'is not', null);
  // Decisions made in the period, or every decision about the leads named.
  if ('ids' in f) q = q.where('a.lead_id', 'in', f.ids.length > 0 ? [...f.ids] : ['']);
  else {
    q = q.where('a.created_at', '>=', f.from).where('a.created_at', '<', f.to);
    if (f.source) q = q.where('l.source', '=', f.source);
  }
  const rows = await q.orderBy('a.created_at').orderBy('a.id').execute();
  return rows.map((r) => ({ ...assignmentOf(r), source: r.source, trace: readJson<unknown>(typeof r.trace === 'string' ? r.trace : JSON.stringify(r.trace), null) }));
}

export interface PoolMoveRow extends AssignmentRow {
  source: string | null;
  closedAt: string | null;
  /** Intake parked the lead for a qualifier: not the pool managers claim from. */
  qualificationHold: boolean;
}

/** Leads going to the pool and claims made in [from, to), with the lead's source and when it closed. */
export async function poolMovesMadeIn(db: Kysely<Database>, f: LeadSelection): Promise<PoolMoveRow[]> {
  let q = db
    .selectFrom('assignments as a')
    .innerJoin('leads as l', 'l.id', 'a.lead_id')
    .select([...ASSIGNMENT_COLUMNS, 'a.trace', 'l.source', 'l.closed_at'])
    .where((eb) => eb.or([eb('a.outcome', '=', 'pool'), eb('a.via', '=', 'claim')]));
  // Moves made in the period, or every move of the leads named.
  if ('ids' in f) q = q.where('a.lead_id', 'in', f.ids.length > 0 ? [...f.ids] : ['']);
  else {
    q = q.where('a.created_at', '>=', f.from).where('a.created_at', '<', f.to);
    if (f.source) q = q.where('l.source', '=', f.source);
  }
  const rows = await q.orderBy('a.created_at').orderBy('a.id').execute();
  return rows.map((r) => {
    const a = assignmentOf(r);
    const trace = readJson<{ steps?: unknown } | null>(typeof r.trace === 'string' ? r.trace : JSON.stringify(r.trace), null);
    return { ...a, source: r.source, closedAt: iso(r.closed_at), qualificationHold: a.via === 'qualification' && a.outcome === 'pool' && !Array.isArray(trace?.steps) };
  });
}

/** The first owner change of each lead after the given instants (when a pooled lead left the pool). */
export async function assignmentsOfLeads(db: Kysely<Database>, leadIds: string[], since: string): Promise<AssignmentRow[]> {
  const out: AssignmentRow[] = [];
  for (let i = 0; i < leadIds.length; i += 500) {
    const rows = await db
      .selectFrom('assignments as a')
      .select([...ASSIGNMENT_COLUMNS])
      .where('a.lead_id', 'in', leadIds.slice(i, i + 500))
      .where('a.created_at', '>=', since)
      .orderBy('a.lead_id')
      .orderBy('a.created_at')
      .orderBy('a.id')
      .execute();
    out.push(...rows.map(assignmentOf));
  }
  return out;
}

export interface EventRow {
  leadId: string;
  type: string;
  actor: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

/** Timeline events of the given types for the cohort's leads, oldest first. */
export async function cohortEvents(db: Kysely<Database>, f: LeadSelection, types: string[]): Promise<EventRow[]> {
  const rows = await db
    .selectFrom('events')
    .select(['lead_id', 'type', 'actor', 'payload', 'created_at'])
    .where('type', 'in', types)
    .where('lead_id', 'in', cohortIds(db, f))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    leadId: r.lead_id as string,
    type: r.type,
    actor: r.actor,
    payload: readJson<Record<string, unknown>>(typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload), {}),
    createdAt: String(r.created_at),
  }));
}

export interface DealRow {
  id: string;
  leadId: string;
  amount: number | null;
  stage: string;
  ownerId: string | null;
  createdAt: string;
  closedAt: string | null;
}

export async function cohortDeals(db: Kysely<Database>, f: LeadSelection): Promise<DealRow[]> {
  const rows = await db
    .selectFrom('deals')
    .select(['id', 'lead_id', 'amount', 'stage', 'owner_id', 'created_at', 'closed_at'])
    .where('lead_id', 'in', cohortIds(db, f))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, leadId: r.lead_id, amount: r.amount === null ? null : Number(r.amount), stage: r.stage, ownerId: r.owner_id, createdAt: String(r.created_at), closedAt: iso(r.closed_at) }));
}

export interface TransferRow {
  id: string;
  leadId: string;
  source: string | null;
  fromManagerId: string | null;
  toManagerId: string | null;
  reason: string;
  status: string;
  requestedBy: string;
  decidedBy: string | null;
  createdAt: string;
  decidedAt: string | null;
}

/** Transfer requests made in [from, to), or every request about the leads named. */
export async function transfersMadeIn(db: Kysely<Database>, f: LeadSelection): Promise<TransferRow[]> {
  let q = db
    .selectFrom('transfers as t')
    .innerJoin('leads as l', 'l.id', 't.lead_id')
    .select(['t.id', 't.lead_id', 'l.source', 't.from_manager_id', 't.to_manager_id', 't.reason', 't.status', 't.requested_by', 't.decided_by', 't.created_at', 't.decided_at']);
  if ('ids' in f) q = q.where('t.lead_id', 'in', f.ids.length > 0 ? [...f.ids] : ['']);
  else {
    q = q.where('t.created_at', '>=', f.from).where('t.created_at', '<', f.to);
    if (f.source) q = q.where('l.source', '=', f.source);
  }
  const rows = await q.orderBy('t.created_at').orderBy('t.id').execute();
  return rows.map((r) => ({
    id: r.id,
    leadId: r.lead_id,
    source: r.source,
    fromManagerId: r.from_manager_id,
    toManagerId: r.to_manager_id,
    reason: r.reason,
    status: r.status,
    requestedBy: r.requested_by,
    decidedBy: r.decided_by,
    createdAt: String(r.created_at),
    decidedAt: iso(r.decided_at),
  }));
}

export interface ReportManagerRow {
  id: string;
  name: string;
  teamId: string | null;
  timeZone: string;
  workingHours: string | null;
  maxOpen: number | null;
  weight: number;
}

export async function reportManagers(db: Kysely<Database>): Promise<ReportManagerRow[]> {
  const rows = await db.selectFrom('managers').select(['id', 'name', 'team_id', 'time_zone', 'working_hours', 'max_open', 'weight']).orderBy('name').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, teamId: r.team_id, timeZone: r.time_zone, workingHours: r.working_hours, maxOpen: r.max_open === null ? null : Number(r.max_open), weight: Number(r.weight) }));
}

export async function reportTeams(db: Kysely<Database>): Promise<Array<{ id: string; name: string; timeZone: string }>> {
  const rows = await db.selectFrom('teams').select(['id', 'name', 'time_zone']).orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, timeZone: r.time_zone }));
}

export async function reasonLabels(db: Kysely<Database>, kind: 'junk' | 'transfer'): Promise<Map<string, string>> {
  const rows = await db.selectFrom('reasons').select(['key', 'label']).where('kind', '=', kind).execute();
  return new Map(rows.map((r) => [r.key, r.label]));
}

/** The routing profile behind each person (user id → manager id), for attributing what they did. */
export async function managersOfUsers(db: Kysely<Database>, userIds: string[]): Promise<Map<string, string | null>> {
  if (userIds.length === 0) return new Map();
  const out = new Map<string, string | null>();
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = await db.selectFrom('users').select(['id', 'manager_id']).where('id', 'in', userIds.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.id, r.manager_id);
  }
  return out;
}

/** Open leads per owner now (owned, not closed), for the load over time. */
export async function openLeadsByOwner(db: Kysely<Database>, source: string | null): Promise<Map<string, number>> {
  let q = db
    .selectFrom('leads')
    .select((eb) => ['owner_id', eb.fn.countAll<number>().as('n')])
    .where('owner_id', 'is not', null)
    .where('closed_at', 'is', null)
    .groupBy('owner_id');
  if (source) q = q.where('source', '=', source);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.owner_id as string, Number(r.n)]));
}

/**
 * Leads whose open state or owner changed since `from` — arrived, closed or handed over since —
 * with their whole owner history: every other lead is at any moment since `from` as it is now.
 */
export async function leadsChangedSince(db: Kysely<Database>, f: CohortFilter): Promise<{ leads: Array<{ id: string; createdAt: string; closedAt: string | null; ownerId: string | null }>; assignments: AssignmentRow[] }> {
  const moved = db.selectFrom('assignments').select('assignments.lead_id').where('assignments.created_at', '>=', f.from);
  let changed = db
    .selectFrom('leads')
    .select('leads.id')
    .where((eb) => eb.or([eb('leads.created_at', '>=', f.from), eb('leads.closed_at', '>=', f.from), eb('leads.id', 'in', moved)]));
  if (f.source) changed = changed.where('leads.source', '=', f.source);
  const [rows, assignments] = await Promise.all([
    db.selectFrom('leads').select(['id', 'created_at', 'closed_at', 'owner_id']).where('id', 'in', changed).execute(),
    db.selectFrom('assignments as a').select([...ASSIGNMENT_COLUMNS]).where('a.lead_id', 'in', changed).orderBy('a.lead_id').orderBy('a.created_at').orderBy('a.id').execute(),
  ]);
  return { leads: rows.map((r) => ({ id: r.id, createdAt: String(r.created_at), closedAt: iso(r.closed_at), ownerId: r.owner_id })), assignments: assignments.map(assignmentOf) };
}
