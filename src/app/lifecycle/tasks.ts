import { DateTime } from 'luxon';
import { findManagerRow } from '../../store/manager-queries.js';
import { findLead } from '../../store/lead-queries.js';
import { findTask, insertTask, listCallList, updateTaskIfUnchanged, type CallListEntry, type CallListFilter, type TaskRecord } from '../../store/task-queries.js';
import { leadScopeOf, QUALIFICATION_STATUS, scopeAllows, type LeadScope } from '../access/lead-access.js';
import { actorName, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { CallListQuery, TaskInput, TaskPatch } from './lifecycle-input.js';
import { loadWorkableLead, managerIdOf } from './workable-lead.js';

/** Heads give tasks within their team and managers to themselves; others to anyone. */
function refuseAssignee(scope: LeadScope, assigneeId: string): void {
  if (scope.kind === 'owners' && !scope.managerIds.has(assigneeId)) {
    throw new LeadRouterError('LR_ERR_FORBIDDEN', `You cannot give tasks to ${assigneeId}`);
  }
}

/** A call to make or a step to take on a lead, by when, with what offer; the lead's owner's by default. */
export async function createTask(ctx: AppContext, principal: Principal, leadId: string, input: TaskInput): Promise<TaskRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const lead = await loadWorkableLead(trx, principal, leadId);
    const assigneeId = input.assigneeId ?? lead.ownerId ?? managerIdOf(principal);
    if (!assigneeId) throw new LeadRouterError('LR_ERR_UNPROCESSABLE', 'Nobody owns this lead: name the assigneeId', [{ path: 'assigneeId', code: 'required', message: 'required for a lead without owner' }]);
    refuseAssignee(await leadScopeOf(trx, principal), assigneeId);
    if (!(await findManagerRow(trx, assigneeId))) throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `No manager with id ${assigneeId}`, [{ path: 'assigneeId', code: 'unknown_manager', message: `no manager ${assigneeId}` }]);
    const at = ctx.now().toISOString();
    const task: TaskRecord = {
      id: ctx.newId(), leadId: lead.id, assigneeId, title: input.title, offer: input.offer || null, dueAt: new Date(input.dueAt).toISOString(), doneAt: null,
      createdBy: actorName(principal), createdAt: at, updatedAt: at,
    };
    await insertTask(trx, task);
    await recordAudit(ctx, trx, principal, [{ action: 'task.created', entity: 'task', entityId: task.id, after: task }]);
    return task;
  });
}

/** A task is visible with its lead, and to the person it is given to. */
async function loadVisibleTask(ctx: AppContext, principal: Principal, id: string, db = ctx.store.db, forChange = false): Promise<TaskRecord> {
  const task = await findTask(db, id);
  const missing = new LeadRouterError('LR_ERR_NOT_FOUND', `No task with id ${id}`);
  if (!task) throw missing;
  if (task.assigneeId !== null && task.assigneeId === managerIdOf(principal)) return task;
  const lead = await findLead(db, task.leadId);
  if (!lead || !scopeAllows(await leadScopeOf(db, principal), lead)) throw missing;
  // Pool leads are visible to every manager, but their tasks are not theirs to change.
  if (forChange && lead.ownerId === null && principal.kind === 'user' && principal.role === 'manager') throw missing;
  return task;
}

export async function changeTask(ctx: AppContext, principal: Principal, id: string, patch: TaskPatch): Promise<TaskRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const before = await loadVisibleTask(ctx, principal, id, trx, true);
    const at = ctx.now().toISOString();
    const after: TaskRecord = {
      ...before,
      title: patch.title ?? before.title,
      offer: patch.offer === undefined ? before.offer : patch.offer || null,
      dueAt: patch.dueAt ? new Date(patch.dueAt).toISOString() : before.dueAt,
      doneAt: patch.done === undefined ? before.doneAt : patch.done ? (before.doneAt ?? at) : null,
      updatedAt: at,
    };
    if (!(await updateTaskIfUnchanged(trx, before, after))) throw new LeadRouterError('LR_ERR_CONFLICT', `Task ${id} changed meanwhile; reload it and try again`);
    await recordAudit(ctx, trx, principal, [{ action: 'task.changed', entity: 'task', entityId: id, before, after }]);
    return after;
  });
}

export interface CallListItem extends CallListEntry {
  overdue: boolean;
}

/**
 * Whom to call, when, with which offer: tasks soonest first. A manager's own list by default;
 * a head sees the team's, an admin everyone's.
 */
export async function callList(ctx: AppContext, principal: Principal, query: CallListQuery): Promise<CallListItem[]> {
  const db = ctx.store.db;
  const scope = await leadScopeOf(db, principal);
  const me = managerIdOf(principal);
  const isManager = principal.kind === 'user' && principal.role === 'manager';
  const wanted = query.assignee === 'me' || (query.assignee === undefined && isManager) ? me : (query.assignee ?? null);
  if ((query.assignee === 'me' || isManager) && wanted === null) throw new LeadRouterError('LR_ERR_UNPROCESSABLE', 'You have no manager profile, so no call list of your own');
  if (wanted !== null) refuseAssignee(scope, wanted);

  const now = ctx.now();
  const filter: CallListFilter = { limit: query.limit, ...(wanted !== null ? { assigneeIds: [wanted] } : {}) };
  if (scope.kind === 'owners') filter.visibleOwners = { ownerIds: [...scope.managerIds], orAssignee: me };
  if (scope.kind === 'qualification') filter.leadStatus = QUALIFICATION_STATUS;
  if (query.done !== 'all') filter.done = query.done === 'true';
  if (query.due === 'overdue') filter.dueBefore = now.toISOString();
  if (query.due === 'today') filter.dueBefore = await endOfLocalDay(ctx, wanted ?? me, now);

  const entries = await listCallList(db, filter);
  return entries.map((e) => ({ ...e, overdue: e.task.doneAt === null && Date.parse(e.task.dueAt) < now.getTime() }));
}

/** The end of the day in the manager's own time zone (UTC without one), where "today" ends for them. */
async function endOfLocalDay(ctx: AppContext, managerId: string | null, now: Date): Promise<string> {
  const zone = managerId ? ((await findManagerRow(ctx.store.db, managerId))?.time_zone ?? 'UTC') : 'UTC';
  return (DateTime.fromJSDate(now).setZone(zone).endOf('day').plus({ milliseconds: 1 }).toUTC().toISO() as string);
}
