import type { Kysely, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { ManagerId, TeamId } from '../core/ids.js';
import type { Absence, ManagerProfile, WeeklyHours } from '../core/routing/manager-profile.js';
import { readJson, writeJson } from './json.js';
import type { Database, ManagersTable } from './schema.js';

export type ManagerRow = Selectable<ManagersTable>;

export interface NewManager {
  id: string;
  teamId: string | null;
  name: string;
  email: string | null;
  role: 'manager' | 'head';
  weight: number;
  /** Tier in group rules (1 first); 2, normal, when left out. */
  priority?: number;
  maxOpen: number | null;
  maxPerDay: number | null;
  skills: string[];
  industries: string[];
  regions: string[];
  languages: string[];
  timeZone: string;
  workingHours: WeeklyHours | null;
  paused: boolean;
}

export async function insertTeam(db: Kysely<Database>, team: { id: string; name: string; timeZone?: string | undefined }, at: string): Promise<void> {
  await db.insertInto('teams').values({ id: team.id, name: team.name, ...(team.timeZone ? { time_zone: team.timeZone } : {}), created_at: at }).execute();
}

export interface TeamRecord {
  id: string;
  name: string;
  timeZone: string;
  /** Active people with the role head who run the team. */
  heads: Array<{ id: string; name: string }>;
  createdAt: string;
}

/** Teams with the heads who run them (people signed in as role head with this team). */
export async function listTeamRecords(db: Kysely<Database>, id?: string): Promise<TeamRecord[]> {
  const [rows, heads] = await Promise.all([
    db.selectFrom('teams').selectAll().$if(id !== undefined, (q) => q.where('id', '=', id as string)).orderBy('name').execute(),
    db.selectFrom('users').select(['id', 'name', 'team_id']).where('role', '=', 'head').where('active', '=', 1).where('team_id', 'is not', null).orderBy('name').execute(),
  ]);
  return rows.map((r) => ({
    id: r.id, name: r.name, timeZone: r.time_zone, createdAt: r.created_at,
    heads: heads.filter((h) => h.team_id === r.id).map((h) => ({ id: h.id, name: h.name })),
  }));
}

export async function updateTeam(db: Kysely<Database>, id: string, changes: { name?: string | undefined; timeZone?: string | undefined }): Promise<boolean> {
  const set: { name?: string; time_zone?: string } = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.timeZone !== undefined) set.time_zone = changes.timeZone;
  if (Object.keys(set).length === 0) return await teamExists(db, id);
  const result = await db.updateTable('teams').set(set).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertManagers(db: Kysely<Database>, managers: NewManager[], at: string): Promise<void> {
  if (managers.length === 0) return;
  await db
    .insertInto('managers')
    .values(
      managers.map((m) => ({
        id: m.id,
        team_id: m.teamId,
        name: m.name,
        email: m.email,
        role: m.role,
        weight: m.weight,
        ...(m.priority !== undefined ? { priority: m.priority } : {}),
        max_open: m.maxOpen,
        max_per_day: m.maxPerDay,
        skills: writeJson(m.skills),
        industries: writeJson(m.industries),
        regions: writeJson(m.regions),
        languages: writeJson(m.languages),
        time_zone: m.timeZone,
        working_hours: m.workingHours ? writeJson(m.workingHours) : null,
        paused: m.paused ? 1 : 0,
        active: 1,
        open_leads: 0,
        today_date: null,
        today_count: 0,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
}

export async function insertAbsence(
  db: Kysely<Database>,
  absence: { id: string; managerId: string; kind: AbsenceKind; from: string; to: string; reason: string | null },
  at: string,
): Promise<void> {
  await db
    .insertInto('absences')
    .values({ id: absence.id, manager_id: absence.managerId, starts_on: absence.from, ends_on: absence.to, reason: absence.reason, kind: absence.kind, created_at: at })
    .execute();
}

export async function listManagerRows(db: Kysely<Database>): Promise<ManagerRow[]> {
  return await db.selectFrom('managers').selectAll().where('active', '=', 1).orderBy('id').execute();
}

/**
 * Active managers as routing sees them. `localDateOf` tells the caller's idea of each manager's
 * current local date, so a daily counter from yesterday reads as zero.
 */
export async function loadManagerProfiles(
  db: Kysely<Database>,
  options: { absencesSince: string; localDateOf: (timeZone: string) => string; performance: ReadonlyMap<string, { leads: number; won: number }> },
): Promise<ManagerProfile[]> {
  const [rows, absences] = await Promise.all([
    listManagerRows(db),
    db.selectFrom('absences').select(['manager_id', 'starts_on', 'ends_on']).where('ends_on', '>=', options.absencesSince).execute(),
  ]);
  const absencesByManager = new Map<string, Absence[]>();
  for (const a of absences) {
    const list = absencesByManager.get(a.manager_id) ?? [];
    list.push({ from: a.starts_on, to: a.ends_on });
    absencesByManager.set(a.manager_id, list);
  }
  return rows.map((row) => {
    const localToday = options.localDateOf(row.time_zone);
    return {
      id: row.id as ManagerId,
      name: row.name,
      teamId: row.team_id as TeamId | null,
      weight: row.weight,
      priority: row.priority,
      maxOpen: row.max_open,
      maxPerDay: row.max_per_day,
      skills: readJson<string[]>(row.skills, []),
      industries: readJson<string[]>(row.industries, []),
      regions: readJson<string[]>(row.regions, []),
      languages: readJson<string[]>(row.languages, []),
      timeZone: row.time_zone,
      workingHours: readJson<WeeklyHours | null>(row.working_hours, null),
      absences: absencesByManager.get(row.id) ?? [],
      paused: row.paused === 1,
      load: { open: row.open_leads, today: row.today_date === localToday ? row.today_count : 0 },
      performance: options.performance.get(row.id) ?? { leads: 0, won: 0 },
    };
  });
}

/** Writes the loads a batch of decisions produced; runs under the routing lock, so absolute values are safe. */
export async function saveManagerLoads(
  db: Kysely<Database>,
  loads: Array<{ managerId: string; open: number; today: number; todayDate: string }>,
  at: string,
): Promise<void> {
  if (loads.length === 0) return;
  const values = sql.join(loads.map((l) => sql`(${l.managerId}, cast(${l.open} as integer), cast(${l.today} as integer), ${l.todayDate})`));
  // One statement for the whole batch; a CTE with VALUES reads the same on SQLite and PostgreSQL
  // (the casts tell PostgreSQL the parameter types it cannot infer inside VALUES).
  await sql`
    with v(id, open_leads, today_count, today_date) as (values ${values})
    update managers set
      open_leads = (select v.open_leads from v where v.id = managers.id),
      today_count = (select v.today_count from v where v.id = managers.id),
      today_date = (select v.today_date from v where v.id = managers.id),
      updated_at = ${at}
    where id in (select id from v)
  `.execute(db);
}

/** Conversion figures per owner over leads created since `since`, for performance weighting. */
export async function loadPerformance(db: Kysely<Database>, since: string): Promise<Map<string, { leads: number; won: number }>> {
  const rows = await db
    .selectFrom('leads')
    .select((eb) => [
      'owner_id',
      eb.fn.countAll<number>().as('leads'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'converted').then(1).else(0).end()).as('won'),
    ])
    .where('owner_id', 'is not', null)
    .where('created_at', '>=', since)
    .groupBy('owner_id')
    .execute();
  return new Map(rows.map((r) => [r.owner_id as string, { leads: Number(r.leads), won: Number(r.won ?? 0) }]));
}

export async function findManagerNames(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('managers').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Recomputes every manager's open-lead counter from the leads themselves (repair, demo data). */
export async function recountOpenLeads(db: Kysely<Database>): Promise<void> {
  await sql`
    update managers set open_leads = (
      select count(*) from leads where leads.owner_id = managers.id and leads.status not in ('converted', 'junk')
    )
  `.execute(db);
}

export async function listTeams(db: Kysely<Database>): Promise<Array<{ id: string; name: string; createdAt: string }>> {
  const rows = await db.selectFrom('teams').selectAll().orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
}

export async function teamExists(db: Kysely<Database>, id: string): Promise<boolean> {
  return (await db.selectFrom('teams').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function findManagerRow(db: Kysely<Database>, id: string): Promise<ManagerRow | undefined> {
  return await db.selectFrom('managers').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The manager row, locked to the end of the transaction on PostgreSQL, so a check made on it
 * (a head may change only the own team's managers) still holds when the change is written,
 * even if an admin moves the manager to another team at the same moment. SQLite transactions
 * here begin IMMEDIATE and never interleave.
 */
export async function findManagerRowForChange(db: Kysely<Database>, kind: 'sqlite' | 'postgres', id: string): Promise<ManagerRow | undefined> {
  return await db.selectFrom('managers').selectAll().where('id', '=', id).$if(kind === 'postgres', (q) => q.forUpdate()).executeTakeFirst();
}

export type ManagerChanges = Partial<Omit<NewManager, 'id'>>;

export async function updateManager(db: Kysely<Database>, id: string, changes: ManagerChanges, at: string): Promise<boolean> {
  const set: Updateable<ManagersTable> = { updated_at: at };
  if (changes.teamId !== undefined) set.team_id = changes.teamId;
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.email !== undefined) set.email = changes.email;
  if (changes.role !== undefined) set.role = changes.role;
  if (changes.weight !== undefined) set.weight = changes.weight;
  if (changes.priority !== undefined) set.priority = changes.priority;
  if (changes.maxOpen !== undefined) set.max_open = changes.maxOpen;
  if (changes.maxPerDay !== undefined) set.max_per_day = changes.maxPerDay;
  if (changes.skills !== undefined) set.skills = writeJson(changes.skills);
  if (changes.industries !== undefined) set.industries = writeJson(changes.industries);
  if (changes.regions !== undefined) set.regions = writeJson(changes.regions);
  if (changes.languages !== undefined) set.languages = writeJson(changes.languages);
  if (changes.timeZone !== undefined) set.time_zone = changes.timeZone;
  if (changes.workingHours !== undefined) set.working_hours = changes.workingHours ? writeJson(changes.workingHours) : null;
  if (changes.paused !== undefined) set.paused = changes.paused ? 1 : 0;
  const result = await db.updateTable('managers').set(set).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const ABSENCE_KINDS = ['vacation', 'sick', 'other'] as const;
export type AbsenceKind = (typeof ABSENCE_KINDS)[number];
export interface AbsenceRecord {
  id: string;
  kind: AbsenceKind;
  from: string;
  to: string;
  reason: string | null;
}

function toAbsenceRecord(r: Selectable<Database['absences']>): AbsenceRecord {
  return { id: r.id, kind: (ABSENCE_KINDS as readonly string[]).includes(r.kind) ? (r.kind as AbsenceKind) : 'other', from: r.starts_on, to: r.ends_on, reason: r.reason };
}

export async function listAbsences(db: Kysely<Database>, managerId: string): Promise<AbsenceRecord[]> {
  const rows = await db.selectFrom('absences').selectAll().where('manager_id', '=', managerId).orderBy('starts_on').execute();
  return rows.map(toAbsenceRecord);
}

/** Whose absences a list covers: everyone's, one team's managers' or one manager's. */
export type AbsenceOwners = 'all' | { teamId: string } | { managerId: string };

/** The absences of `owners` that overlap the local dates from..to (inclusive). */
export async function listAbsencesBetween(db: Kysely<Database>, from: string, to: string, owners: AbsenceOwners = 'all'): Promise<Array<AbsenceRecord & { managerId: string }>> {
  const rows = await db
    .selectFrom('absences')
    .selectAll()
    .where('ends_on', '>=', from)
    .where('starts_on', '<=', to)
    .$if(owners !== 'all' && 'managerId' in owners, (q) => q.where('manager_id', '=', (owners as { managerId: string }).managerId))
    .$if(owners !== 'all' && 'teamId' in owners, (q) => q.where('manager_id', 'in', db.selectFrom('managers').select('id').where('team_id', '=', (owners as { teamId: string }).teamId)))
    .orderBy('starts_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...toAbsenceRecord(r), managerId: r.manager_id }));
}

export async function deleteAbsence(db: Kysely<Database>, managerId: string, absenceId: string): Promise<boolean> {
  const result = await db.deleteFrom('absences').where('id', '=', absenceId).where('manager_id', '=', managerId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
