import type { Kysely, Selectable } from 'kysely';
import type { OnExhausted, SlaMatch, SlaPolicy } from '../core/sla/sla-policy.js';
import { readJson, writeJson } from './json.js';
import type { Database, SlaPoliciesTable } from './schema.js';

export interface SlaPolicyRecord extends SlaPolicy {
  createdAt: string;
  updatedAt: string;
}

export interface Holiday {
  id: string;
  /** Local date YYYY-MM-DD. */
  day: string;
  name: string;
  /** null: a day off for everyone. */
  teamId: string | null;
  createdAt: string;
}

function policyFromRow(r: Selectable<SlaPoliciesTable>): SlaPolicyRecord {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    match: readJson<SlaMatch>(r.match, {}),
    firstContactMinutes: r.first_contact_minutes,
    nextStepMinutes: r.next_step_minutes,
    warnBeforeMinutes: r.warn_before_minutes,
    maxReassignments: r.max_reassignments,
    onExhausted: r.on_exhausted as OnExhausted,
    active: r.active === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listSlaPolicies(db: Kysely<Database>): Promise<SlaPolicyRecord[]> {
  const rows = await db.selectFrom('sla_policies').selectAll().orderBy('position').orderBy('id').execute();
  return rows.map(policyFromRow);
}

export async function findSlaPolicy(db: Kysely<Database>, id: string): Promise<SlaPolicyRecord | undefined> {
  const row = await db.selectFrom('sla_policies').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? policyFromRow(row) : undefined;
}

/** The columns a policy's settings fill; ids and timestamps are added by the writers below. */
function policySettings(p: SlaPolicyRecord) {
  return {
    name: p.name,
    position: p.position,
    match: writeJson(p.match),
    first_contact_minutes: p.firstContactMinutes,
    next_step_minutes: p.nextStepMinutes,
    warn_before_minutes: p.warnBeforeMinutes,
    max_reassignments: p.maxReassignments,
    on_exhausted: p.onExhausted,
    active: p.active ? 1 : 0,
  };
}

export async function insertSlaPolicy(db: Kysely<Database>, p: SlaPolicyRecord): Promise<void> {
  await db
    .insertInto('sla_policies')
    .values({ id: p.id, ...policySettings(p), created_at: p.createdAt, updated_at: p.updatedAt })
    .execute();
}

export async function updateSlaPolicy(db: Kysely<Database>, p: SlaPolicyRecord): Promise<boolean> {
  const result = await db
    .updateTable('sla_policies')
    .set({ ...policySettings(p), updated_at: p.updatedAt })
    .where('id', '=', p.id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteSlaPolicy(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('sla_policies').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Leads keep their deadline when their policy goes; the next re-arm finds another policy. */
export async function detachSlaPolicy(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('leads').set({ sla_policy_id: null }).where('sla_policy_id', '=', id).execute();
}

/** Holidays from `since` on (local dates compare as text). */
export async function listHolidays(db: Kysely<Database>, since?: string): Promise<Holiday[]> {
  let query = db.selectFrom('holidays').selectAll();
  if (since) query = query.where('day', '>=', since);
  const rows = await query.orderBy('day').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, day: r.day, name: r.name, teamId: r.team_id, createdAt: r.created_at }));
}

export async function findHoliday(db: Kysely<Database>, id: string): Promise<Holiday | undefined> {
  const r = await db.selectFrom('holidays').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, day: r.day, name: r.name, teamId: r.team_id, createdAt: r.created_at } : undefined;
}

export async function insertHoliday(db: Kysely<Database>, h: Holiday): Promise<void> {
  await db.insertInto('holidays').values({ id: h.id, day: h.day, name: h.name, team_id: h.teamId, created_at: h.createdAt }).execute();
}

export async function deleteHoliday(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('holidays').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Where each owner's clock runs: zone, week and team (for team holidays and team-matched policies). */
export async function loadOwnerCalendars(
  db: Kysely<Database>,
  managerIds: string[],
): Promise<Map<string, { timeZone: string; workingHours: string | null; teamId: string | null }>> {
  const out = new Map<string, { timeZone: string; workingHours: string | null; teamId: string | null }>();
  if (managerIds.length === 0) return out;
  const rows = await db.selectFrom('managers').select(['id', 'time_zone', 'working_hours', 'team_id']).where('id', 'in', managerIds).execute();
  for (const r of rows) out.set(r.id, { timeZone: r.time_zone, workingHours: r.working_hours, teamId: r.team_id });
  return out;
}

export async function leadIdsOnSlaPolicy(db: Kysely<Database>, policyId: string): Promise<string[]> {
  const rows = await db.selectFrom('leads').select('id').where('sla_policy_id', '=', policyId).execute();
  return rows.map((r) => r.id);
}

/** Leads whose running clock falls due at or after `since`: a new or removed day off may move them. */
export async function leadIdsWithClockDueSince(db: Kysely<Database>, since: string): Promise<string[]> {
  const rows = await db.selectFrom('leads').select('id').where('sla_due_at', '>=', since).execute();
  return rows.map((r) => r.id);
}
