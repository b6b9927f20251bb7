import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../store/constraint-errors.js';
import type { WeeklyHours } from '../../core/routing/manager-profile.js';
import { DEFAULT_TIER } from '../../core/routing/priority.js';
import { readJson } from '../../store/json.js';
import {
  deleteAbsence,
  findManagerRow,
  findManagerRowForChange,
  insertAbsence,
  insertManagers,
  insertTeam,
  listAbsences,
  listAbsencesBetween,
  listManagerRows,
  listTeamRecords,
  teamExists,
  updateManager,
  updateTeam,
  type AbsenceOwners,
  type AbsenceRecord,
  type ManagerRow,
  type TeamRecord,
} from '../../store/manager-queries.js';
import { deleteUserSessions } from '../../store/session-queries.js';
import { findUserById, updateUser } from '../../store/user-queries.js';
import type { Database } from '../../store/schema.js';
import { isAdmin, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import type { AbsenceInput, ManagerInput, ManagerPatch, TeamInput, TeamPatch } from './manager-input.js';
import { assertMayManageManagers, assertPatchAllowed, assertRunsTeamOf } from './team-access.js';

export interface ManagerView {
  id: string;
  teamId: string | null;
  name: string;
  email: string | null;
  role: string;
  weight: number;
  /** Tier in group rules, 1 first (high 1, normal 2, low 3). */
  priority: number;
  maxOpen: number | null;
  maxPerDay: number | null;
  skills: string[];
  industries: string[];
  regions: string[];
  languages: string[];
  timeZone: string;
  workingHours: WeeklyHours | null;
  paused: boolean;
  openLeads: number;
  createdAt: string;
  updatedAt: string;
}

export function toManagerView(r: ManagerRow): ManagerView {
  return {
    id: r.id, teamId: r.team_id, name: r.name, email: r.email, role: r.role, weight: r.weight, priority: r.priority, maxOpen: r.max_open, maxPerDay: r.max_per_day,
    skills: readJson<string[]>(r.skills, []), industries: readJson<string[]>(r.industries, []), regions: readJson<string[]>(r.regions, []),
    languages: readJson<string[]>(r.languages, []), timeZone: r.time_zone, workingHours: readJson<WeeklyHours | null>(r.working_hours, null),
    paused: r.paused === 1, openLeads: r.open_leads, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}


export async function createTeam(ctx: AppContext, input: TeamInput): Promise<{ id: string; name: string; timeZone: string }> {
  const team = { id: input.id ?? ctx.newId(), name: input.name, timeZone: input.timeZone ?? 'Europe/Moscow' };
  try {
    await insertTeam(ctx.store.db, team, ctx.now().toISOString());
  } catch (error) {
    if (isUniqueViolation(error)) throw new LeadRouterError('LR_ERR_CONFLICT', `A team with id ${team.id} already exists`);
    throw error;
  }
  return team;
}

export async function teams(ctx: AppContext): Promise<TeamRecord[]> {
  return await listTeamRecords(ctx.store.db);
}

/**
 * Renames a team, changes its time zone (admins and team:write), or appoints its head (admins): the person gets the role head and
 * this team (a changed role signs them out everywhere, as any role change does); never an admin
 * (409 admin_not_head: that would take the admin's rights away). Other heads of
 * the team stay; an admin moves them in the people list. Audited: the team, and the person.
 */
export async function changeTeam(ctx: AppContext, principal: Principal, id: string, patch: TeamPatch): Promise<TeamRecord> {
  const at = ctx.now().toISOString();
  // team:write (an integration keeping the team structure) renames and moves zones, as it creates
  // teams; the head's appointment changes a person's role and sessions: people are the admin's.
  if (patch.headUserId !== undefined && !isAdmin(principal)) {
    throw new LeadRouterError('LR_ERR_FORBIDDEN', "Only an admin appoints a team's head", [{ path: 'headUserId', code: 'admin_only', message: "only an admin appoints a team's head" }]);
  }
  return await ctx.store.db.transaction().execute(async (trx) => {
    const [before] = await listTeamRecords(trx, id);
    if (!before) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No team with id ${id}`);
    await updateTeam(trx, id, { name: patch.name, timeZone: patch.timeZone });
    if (patch.headUserId !== undefined) {
      const user = await findUserById(trx, patch.headUserId);
      if (!user || !user.active) {
        throw new LeadRouterError('LR_ERR_VALIDATION', `No active person with id ${patch.headUserId}`, [{ path: 'headUserId', code: 'not_found', message: `no active person with id ${patch.headUserId}` }]);
      }
      // Appointing would take the admin's rights away and sign them out: the only admin could
      // lock everyone out of the console. An admin who also runs a team gets a head's account.
      if (user.role === 'admin') {
        throw new LeadRouterError('LR_ERR_CONFLICT', `${user.name} is an admin; an admin cannot be appointed head of a team`, [
          { path: 'headUserId', code: 'admin_not_head', message: 'an admin cannot be appointed head; appoint a head, manager or qualifier' },
        ]);
      }
      if (user.role !== 'head' || user.teamId !== id) {
        await updateUser(trx, user.id, { role: 'head', teamId: id }, at);
        if (user.role !== 'head') await deleteUserSessions(trx, user.id);
        await recordAudit(ctx, trx, principal, [{ action: 'user.changed', entity: 'user', entityId: user.id, before: { role: user.role, teamId: user.teamId }, after: { role: 'head', teamId: id } }]);
      }
    }
    const [after] = (await listTeamRecords(trx, id)) as [TeamRecord];
    await recordAudit(ctx, trx, principal, [{ action: 'team.changed', entity: 'team', entityId: id, before, after }]);
    return after;
  });
}

async function requireTeam(db: Kysely<Database>, teamId: string | null | undefined): Promise<void> {
  if (teamId && !(await teamExists(db, teamId))) {
    throw new LeadRouterError('LR_ERR_VALIDATION', `No team with id ${teamId}`, [{ path: 'teamId', code: 'unknown_team', message: `no team with id ${teamId}` }]);
  }
}

export async function createManager(ctx: AppContext, input: ManagerInput): Promise<ManagerView> {
  await requireTeam(ctx.store.db, input.teamId);
  const id = input.id ?? ctx.newId();
  try {
    await insertManagers(
      ctx.store.db,
      [
        {
          id, teamId: input.teamId ?? null, name: input.name, email: input.email ?? null, role: input.role ?? 'manager', weight: input.weight ?? 1, priority: input.priority ?? DEFAULT_TIER,
          maxOpen: input.maxOpen ?? null, maxPerDay: input.maxPerDay ?? null, skills: input.skills ?? [], industries: input.industries ?? [],
          regions: input.regions ?? [], languages: input.languages ?? [], timeZone: input.timeZone ?? 'Europe/Moscow',
          workingHours: (input.workingHours as WeeklyHours | null | undefined) ?? null, paused: input.paused ?? false,
        },
      ],
      ctx.now().toISOString(),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new LeadRouterError('LR_ERR_CONFLICT', `A manager with this id or e-mail already exists`);
    throw error;
  }
  return await getManager(ctx, id);
}

export async function getManager(ctx: AppContext, id: string): Promise<ManagerView> {
  const row = await findManagerRow(ctx.store.db, id);
  if (!row) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No manager with id ${id}`);
  return toManagerView(row);
}

export async function managers(ctx: AppContext): Promise<ManagerView[]> {
  return (await listManagerRows(ctx.store.db)).map(toManagerView);
}

/** What the audit log keeps of a manager: the profile, not the counters routing moves. */
function auditable(view: ManagerView): Omit<ManagerView, 'openLeads' | 'createdAt' | 'updatedAt'> {
  const profile: Partial<ManagerView> = { ...view };
  delete profile.openLeads;
  delete profile.createdAt;
  delete profile.updatedAt;
  return profile as Omit<ManagerView, 'openLeads' | 'createdAt' | 'updatedAt'>;
}

async function findManagerFor(db: Kysely<Database>, kind: 'sqlite' | 'postgres', principal: Principal, id: string): Promise<ManagerRow> {
  assertMayManageManagers(principal);
  const row = await findManagerRowForChange(db, kind, id);
  if (!row) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No manager with id ${id}`);
  return row;
}

/**
 * Changes take effect for the next lead routed: routing reads profiles in every transaction.
 * Admins and integrations with team:write change any manager; a head the routing profile of
 * the own team's managers (see team-access.ts). Audited with the profile before and after.
 */
export async function changeManager(ctx: AppContext, principal: Principal, id: string, patch: ManagerPatch): Promise<ManagerView> {
  try {
    return await ctx.store.db.transaction().execute(async (trx) => {
      const before = await findManagerFor(trx, ctx.store.kind, principal, id);
      assertPatchAllowed(principal, before, patch);
      await requireTeam(trx, patch.teamId);
      if (!(await updateManager(trx, id, { ...patch, workingHours: patch.workingHours as WeeklyHours | null | undefined }, ctx.now().toISOString()))) {
        throw new LeadRouterError('LR_ERR_NOT_FOUND', `No manager with id ${id}`);
      }
      const after = toManagerView((await findManagerRow(trx, id)) as ManagerRow);
      await recordAudit(ctx, trx, principal, [{ action: 'manager.changed', entity: 'manager', entityId: id, before: auditable(toManagerView(before)), after: auditable(after) }]);
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new LeadRouterError('LR_ERR_CONFLICT', `Another manager already has this e-mail`);
    throw error;
  }
}

export async function addAbsence(ctx: AppContext, principal: Principal, managerId: string, input: AbsenceInput): Promise<AbsenceRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    assertRunsTeamOf(principal, await findManagerFor(trx, ctx.store.kind, principal, managerId));
    const absence = { id: ctx.newId(), managerId, kind: input.kind ?? 'other', from: input.from, to: input.to, reason: input.reason ?? null };
    await insertAbsence(trx, absence, ctx.now().toISOString());
    const view: AbsenceRecord = { id: absence.id, kind: absence.kind, from: absence.from, to: absence.to, reason: absence.reason };
    await recordAudit(ctx, trx, principal, [{ action: 'manager.absence_added', entity: 'manager', entityId: managerId, after: view }]);
    return view;
  });
}

/**
 * Whose absences a caller reads. An absence's kind and reason may be sick leave, which is health
 * data: admins (and integrations an admin gave team:read) read everyone's, a head the own
 * team's, a manager only their own: not even the dates of colleagues' absences, since those
 * alone tell who was ill. Nobody else reads any.
 */
function absenceOwnersFor(principal: Principal): AbsenceOwners | null {
  if (isAdmin(principal) || principal.kind !== 'user') return 'all';
  if (principal.role === 'head') return principal.teamId ? { teamId: principal.teamId } : null;
  return principal.managerId ? { managerId: principal.managerId } : null;
}

export async function absences(ctx: AppContext, principal: Principal, managerId: string): Promise<AbsenceRecord[]> {
  const manager = await getManager(ctx, managerId);
  const owners = absenceOwnersFor(principal);
  const mayRead = owners === 'all' || (owners !== null && ('teamId' in owners ? owners.teamId === manager.teamId : owners.managerId === manager.id));
  if (!mayRead) {
    throw new LeadRouterError('LR_ERR_FORBIDDEN', "An admin reads everyone's absences, a head the own team's, a manager only their own", [{ path: 'id', code: 'not_yours', message: `the absences of ${manager.name} are not yours to read` }]);
  }
  return await listAbsences(ctx.store.db, managerId);
}

/** The absences overlapping the local dates from..to that the caller may read (see absenceOwnersFor): the calendar's week at a glance. */
export async function absencesBetween(ctx: AppContext, principal: Principal, range: { from: string; to: string }): Promise<Array<AbsenceRecord & { managerId: string }>> {
  const owners = absenceOwnersFor(principal);
  return owners === null ? [] : await listAbsencesBetween(ctx.store.db, range.from, range.to, owners);
}

export async function removeAbsence(ctx: AppContext, principal: Principal, managerId: string, absenceId: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    assertRunsTeamOf(principal, await findManagerFor(trx, ctx.store.kind, principal, managerId));
    const before = (await listAbsences(trx, managerId)).find((a) => a.id === absenceId);
    if (!before || !(await deleteAbsence(trx, managerId, absenceId))) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No absence ${absenceId} for manager ${managerId}`);
    await recordAudit(ctx, trx, principal, [{ action: 'manager.absence_removed', entity: 'manager', entityId: managerId, before }]);
  });
}
