import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Plans (0010) and the raw counts plan / fact reads (docs/reports.md, "Motivation"). Timestamps
 * compare as ISO text on SQLite and as timestamptz on PostgreSQL; both order the same way.
 */
export interface PlanRow {
  id: string;
  period: string;
  teamId: string;
  /** null: the team's own target. */
  managerId: string | null;
  metric: string;
  target: number;
  updatedBy: string;
  updatedAt: string;
}

export async function listPlans(db: Kysely<Database>, filter: { periods: string[]; teamIds?: string[] | null; managerIds?: string[] | null }): Promise<PlanRow[]> {
  if (filter.periods.length === 0) return [];
  let q = db.selectFrom('plans').selectAll().where('period', 'in', filter.periods);
  const teams = filter.teamIds ?? null;
  const managers = filter.managerIds ?? null;
  if (teams !== null || managers !== null) {
    q = q.where((eb) => {
      const ors = [];
      if (teams !== null && teams.length > 0) ors.push(eb('team_id', 'in', teams));
      if (managers !== null && managers.length > 0) ors.push(eb('manager_id', 'in', managers));
      return ors.length > 0 ? eb.or(ors) : eb.val(false);
    });
  }
  const rows = await q.orderBy('period').orderBy('team_id').orderBy('manager_id').orderBy('metric').execute();
  return rows.map((r) => ({
    id: r.id, period: r.period, teamId: r.team_id, managerId: r.manager_id, metric: r.metric, target: Number(r.target), updatedBy: r.updated_by, updatedAt: String(r.updated_at),
  }));
}

export interface PlanWrite {
  id: string;
  period: string;
  teamId: string;
  managerId: string | null;
  metric: string;
  /** null removes the target. */
  target: number | null;
}

/** Sets or removes targets; a manager's target is keyed by (period, manager, metric), the team's by (period, team, metric). */
export async function writePlanTargets(db: Kysely<Database>, writes: PlanWrite[], actor: string, at: string): Promise<void> {
  for (const w of writes) {
    let del = db.deleteFrom('plans').where('period', '=', w.period).where('metric', '=', w.metric);
    del = w.managerId === null ? del.where('manager_id', 'is', null).where('team_id', '=', w.teamId) : del.where('manager_id', '=', w.managerId);
    const existing = await db
      .selectFrom('plans')
      .select(['id', 'created_at'])
      .where('period', '=', w.period)
      .where('metric', '=', w.metric)
      .where((eb) => (w.managerId === null ? eb.and([eb('manager_id', 'is', null), eb('team_id', '=', w.teamId)]) : eb('manager_id', '=', w.managerId)))
      .executeTakeFirst();
    if (w.target === null) {
      if (existing) await del.execute();
      continue;
    }
    if (existing) {
      await db.updateTable('plans').set({ target: w.target, team_id: w.teamId, updated_by: actor, updated_at: at }).where('id', '=', existing.id).execute();
    } else {
      await db.insertInto('plans').values({ id: w.id, period: w.period, team_id: w.teamId, manager_id: w.managerId, metric: w.metric, target: w.target, updated_by: actor, created_at: at, updated_at: at }).execute();
    }
  }
}

export interface FactRange {
  from: string;
  to: string;
  managerIds: string[];
}

/** Activities logged for each manager in [from, to) by kind, and the distinct leads worked (notes aside). */
export async function activityFacts(db: Kysely<Database>, r: FactRange): Promise<{ byKind: Array<{ managerId: string; kind: string; count: number }>; leadsWorked: Array<{ managerId: string; count: number }> }> {
  if (r.managerIds.length === 0) return { byKind: [], leadsWorked: [] };
  const base = db.selectFrom('activities').where('manager_id', 'in', r.managerIds).where('occurred_at', '>=', r.from).where('occurred_at', '<', r.to);
  const [kinds, worked] = await Promise.all([
    base.select((eb) => ['manager_id', 'kind', eb.fn.countAll<number>().as('n')]).groupBy(['manager_id', 'kind']).execute(),
    base
      .where('kind', '!=', 'note')
      .select((eb) => ['manager_id', eb.fn.count<number>('lead_id').distinct().as('n')])
      .groupBy('manager_id')
      .execute(),
  ]);
  return {
    byKind: kinds.map((k) => ({ managerId: k.manager_id as string, kind: k.kind, count: Number(k.n) })),
    leadsWorked: worked.map((w) => ({ managerId: w.manager_id as string, count: Number(w.n) })),
  };
}

/**
 * Leads whose first real contact falls in [from, to) and that one of the managers held before
 * `to` (only they can be its owner at the contact), with every owner change up to then.
 */
export async function firstContactsIn(db: Kysely<Database>, r: FactRange): Promise<{ leads: Array<{ id: string; firstContactAt: string; ownerId: string | null }>; changes: Array<{ leadId: string; managerId: string | null; at: string }> }> {
  if (r.managerIds.length === 0) return { leads: [], changes: [] };
  const held = db.selectFrom('assignments').select('lead_id').where('manager_id', 'in', r.managerIds).where('created_at', '<', r.to);
  const ids = db.selectFrom('leads').select('id').where('first_contact_at', '>=', r.from).where('first_contact_at', '<', r.to).where('id', 'in', held);
  const [leads, changes] = await Promise.all([
    db.selectFrom('leads').select(['id', 'first_contact_at', 'owner_id']).where('first_contact_at', '>=', r.from).where('first_contact_at', '<', r.to).where('id', 'in', held).execute(),
    db.selectFrom('assignments').select(['lead_id', 'manager_id', 'created_at']).where('lead_id', 'in', ids).where('created_at', '<', r.to).orderBy('lead_id').orderBy('created_at').orderBy('id').execute(),
  ]);
  return {
    leads: leads.map((l) => ({ id: l.id, firstContactAt: String(l.first_contact_at), ownerId: l.owner_id })),
    changes: changes.map((c) => ({ leadId: c.lead_id, managerId: c.manager_id, at: String(c.created_at) })),
  };
}

/**
 * Deals registered in [from, to) with their lead's owner changes up to then (conversion belongs
 * to the lead's owner at registration, whoever the deal is handed to later), and deals closed
 * won in it per owner with their amounts (a closed deal keeps the owner who closed it).
 */
export async function dealFacts(db: Kysely<Database>, r: FactRange): Promise<{ registered: Array<{ leadId: string; ownerId: string | null; createdAt: string }>; changes: Array<{ leadId: string; managerId: string | null; at: string }>; won: Array<{ managerId: string; count: number; value: number }> }> {
  if (r.managerIds.length === 0) return { registered: [], changes: [], won: [] };
  // Deals of leads one of the managers held (or owns), the only ones that can be theirs.
  const held = db.selectFrom('assignments').select('lead_id').where('manager_id', 'in', r.managerIds).where('created_at', '<', r.to);
  const registeredDeals = db
    .selectFrom('deals')
    .where('created_at', '>=', r.from)
    .where('created_at', '<', r.to)
    .where((eb) => eb.or([eb('lead_id', 'in', held), eb('owner_id', 'in', r.managerIds)]));
  const leadIds = registeredDeals.select('lead_id');
  const [registered, changes, won] = await Promise.all([
    registeredDeals.select(['lead_id', 'owner_id', 'created_at']).execute(),
    db.selectFrom('assignments').select(['lead_id', 'manager_id', 'created_at']).where('lead_id', 'in', leadIds).where('created_at', '<', r.to).orderBy('lead_id').orderBy('created_at').orderBy('id').execute(),
    db
      .selectFrom('deals')
      .select((eb) => ['owner_id', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(eb.fn.coalesce('amount', eb.lit(0))).as('value')])
      .where('owner_id', 'in', r.managerIds)
      .where('stage', '=', 'won')
      .where('closed_at', '>=', r.from)
      .where('closed_at', '<', r.to)
      .groupBy('owner_id')
      .execute(),
  ]);
  return {
    registered: registered.map((d) => ({ leadId: d.lead_id, ownerId: d.owner_id, createdAt: String(d.created_at) })),
    changes: changes.map((c) => ({ leadId: c.lead_id, managerId: c.manager_id, at: String(c.created_at) })),
    won: won.map((d) => ({ managerId: d.owner_id as string, count: Number(d.n), value: Number(d.value ?? 0) })),
  };
}

export interface MotivationManagerRow {
  id: string;
  name: string;
  teamId: string | null;
  timeZone: string;
  workingHours: string | null;
  active: boolean;
}

export async function motivationManagers(db: Kysely<Database>): Promise<MotivationManagerRow[]> {
  const rows = await db.selectFrom('managers').select(['id', 'name', 'team_id', 'time_zone', 'working_hours', 'active']).orderBy('name').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, teamId: r.team_id, timeZone: r.time_zone, workingHours: r.working_hours, active: Number(r.active) === 1 }));
}

/** Absences overlapping [firstDay, lastDay] (local dates), per manager. */
export async function absencesBetween(db: Kysely<Database>, firstDay: string, lastDay: string): Promise<Array<{ managerId: string; from: string; to: string }>> {
  const rows = await db.selectFrom('absences').select(['manager_id', 'starts_on', 'ends_on']).where('ends_on', '>=', firstDay).where('starts_on', '<=', lastDay).execute();
  return rows.map((r) => ({ managerId: r.manager_id, from: r.starts_on, to: r.ends_on }));
}
