import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from './schema.js';

export interface DueLead {
  id: string;
  ownerId: string | null;
  policyId: string | null;
  kind: string | null;
  dueAt: string;
  version: number;
  name: string | null;
}

/** Where the previous page of due clocks ended: the next page starts after it. */
export interface DueCursor {
  dueAt: string;
  id: string;
}

/** Policies that warn the same number of minutes before their deadlines. */
export interface WarningWindow {
  minutes: number;
  policyIds: string[];
}

/** Owned clocks that lapsed at or before `now`: each one is a breach to handle. Earliest first. */
export async function lapsedClocks(db: Kysely<Database>, now: string, limit: number, after: DueCursor | null): Promise<DueLead[]> {
  return await ownedClocks(db, (eb) => eb('sla_due_at', '<=', now), limit, after);
}

/**
 * Owned clocks whose warning is due at `now` and was not sent for this deadline: not yet
 * lapsed, and within the warning minutes of their own policy. Filtered here rather than after
 * reading, so clocks that need nothing yet cannot fill a page and hide those that do.
 */
export async function clocksToWarn(db: Kysely<Database>, now: Date, windows: readonly WarningWindow[], limit: number, after: DueCursor | null): Promise<DueLead[]> {
  if (windows.length === 0) return [];
  return await ownedClocks(
    db,
    (eb) =>
      eb.and([
        eb('sla_warned_at', 'is', null),
        eb('sla_due_at', '>', now.toISOString()),
        eb.or(windows.map((w) => eb.and([eb('sla_policy_id', 'in', w.policyIds), eb('sla_due_at', '<=', new Date(now.getTime() + w.minutes * 60_000).toISOString())]))),
      ]),
    limit,
    after,
  );
}

async function ownedClocks(
  db: Kysely<Database>,
  due: (eb: ExpressionBuilder<Database, 'leads'>) => Expression<SqlBool>,
  limit: number,
  after: DueCursor | null,
): Promise<DueLead[]> {
  let query = db
    .selectFrom('leads')
    .select(['id', 'owner_id', 'sla_policy_id', 'sla_kind', 'sla_due_at', 'version', 'name', 'company_name'])
    .where('sla_due_at', 'is not', null)
    .where('owner_id', 'is not', null)
    .where(due);
  if (after) query = query.where((eb) => eb.or([eb('sla_due_at', '>', after.dueAt), eb.and([eb('sla_due_at', '=', after.dueAt), eb('id', '>', after.id)])]));
  const rows = await query.orderBy('sla_due_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, ownerId: r.owner_id, policyId: r.sla_policy_id, kind: r.sla_kind, dueAt: r.sla_due_at as string, version: r.version, name: r.name ?? r.company_name }));
}

/** Marks the warning sent, only if nobody did for this deadline yet; false when another sweeper was first. */
export async function markSlaWarned(db: Kysely<Database>, id: string, dueAt: string, at: string): Promise<boolean> {
  const result = await db.updateTable('leads').set({ sla_warned_at: at }).where('id', '=', id).where('sla_warned_at', 'is', null).where('sla_due_at', '=', dueAt).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Counts a breach, only if the lead is still the one that was read (same version) and its
 * clock still lapsed; bumps the version so a second sweeper holding the same read does nothing.
 */
export async function claimSlaBreach(db: Kysely<Database>, id: string, version: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('leads')
    .set({ sla_breaches: sql`sla_breaches + 1`, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('sla_due_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Every manager who ever owned the lead: a breached lead never goes back to one of them. */
export async function previousOwners(db: Kysely<Database>, leadId: string): Promise<string[]> {
  const rows = await db.selectFrom('assignments').select('manager_id').distinct().where('lead_id', '=', leadId).where('manager_id', 'is not', null).execute();
  return rows.map((r) => r.manager_id as string);
}

/** The rule that last placed the lead, if a rule did. */
export async function latestRuleOf(db: Kysely<Database>, leadId: string): Promise<string | null> {
  const row = await db
    .selectFrom('assignments')
    .select('rule_id')
    .where('lead_id', '=', leadId)
    .where('rule_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.rule_id ?? null;
}

/** The routing profile of an active head of the team, if one has a profile that takes leads. */
export async function headManagerOfTeam(db: Kysely<Database>, teamId: string): Promise<string | null> {
  const row = await db
    .selectFrom('users')
    .innerJoin('managers', 'managers.id', 'users.manager_id')
    .select('users.manager_id')
    .where('users.role', '=', 'head')
    .where('users.team_id', '=', teamId)
    .where('users.active', '=', 1)
    .where('managers.active', '=', 1)
    .orderBy('users.created_at')
    .orderBy('users.id')
    .limit(1)
    .executeTakeFirst();
  return row?.manager_id ?? null;
}

export async function markEscalated(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db.updateTable('leads').set({ escalated_at: at }).where('id', '=', id).execute();
}

export async function countReassignment(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('leads').set({ reassignments: sql`reassignments + 1` }).where('id', '=', id).execute();
}

/** Stops a clock that nobody can act on any more (an escalated lead that lapsed again). */
export async function stopSlaClock(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('leads').set({ sla_due_at: null, sla_kind: null, sla_warned_at: null }).where('id', '=', id).execute();
}
