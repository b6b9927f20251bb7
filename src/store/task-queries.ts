import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, TasksTable } from './schema.js';

export interface TaskRecord {
  id: string;
  leadId: string;
  assigneeId: string | null;
  title: string;
  offer: string | null;
  dueAt: string;
  doneAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

function fromRow(r: Selectable<TasksTable>): TaskRecord {
  return {
    id: r.id, leadId: r.lead_id, assigneeId: r.assignee_id, title: r.title, offer: r.offer, dueAt: r.due_at, doneAt: r.done_at,
    createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export async function insertTask(db: Kysely<Database>, t: TaskRecord): Promise<void> {
  await db
    .insertInto('tasks')
    .values({
      id: t.id, lead_id: t.leadId, assignee_id: t.assigneeId, title: t.title, offer: t.offer, due_at: t.dueAt, done_at: t.doneAt,
      created_by: t.createdBy, created_at: t.createdAt, updated_at: t.updatedAt,
    })
    .execute();
}

export async function findTask(db: Kysely<Database>, id: string): Promise<TaskRecord | undefined> {
  const row = await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function listTasksOfLead(db: Kysely<Database>, leadId: string): Promise<TaskRecord[]> {
  const rows = await db.selectFrom('tasks').selectAll().where('lead_id', '=', leadId).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  return rows.map(fromRow);
}

/** Writes the task only if nobody changed it since it was read; false when someone did. */
export async function updateTaskIfUnchanged(db: Kysely<Database>, before: TaskRecord, after: TaskRecord): Promise<boolean> {
  const result = await db
    .updateTable('tasks')
    .set({ title: after.title, offer: after.offer, due_at: after.dueAt, done_at: after.doneAt, assignee_id: after.assigneeId, updated_at: after.updatedAt })
    .where('id', '=', before.id)
    .where('updated_at', '=', before.updatedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** One line of a call list: the task and whom to call. */
export interface CallListEntry {
  task: TaskRecord;
  lead: { id: string; name: string | null; phone: string | null; phoneRaw: string | null; email: string | null; companyName: string | null; status: string; ownerId: string | null };
  assigneeName: string | null;
}

export interface CallListFilter {
  /** Only tasks of these assignees; undefined for anyone. */
  assigneeIds?: string[];
  /** Visibility: tasks of leads owned by these managers, or assigned to `orAssignee`; undefined for all. */
  visibleOwners?: { ownerIds: string[]; orAssignee: string | null };
  /** Only leads in this status (a qualifier's view). */
  leadStatus?: string;
  dueBefore?: string;
  done?: boolean;
  limit: number;
}

// A false condition both databases accept (SQLite cannot bind a boolean).
const NOTHING = sql<boolean>`1 = 0`;

/** Due soonest first: the order in which to call. */
export async function listCallList(db: Kysely<Database>, filter: CallListFilter): Promise<CallListEntry[]> {
  let q = db
    .selectFrom('tasks')
    .innerJoin('leads', 'leads.id', 'tasks.lead_id')
    .leftJoin('managers', 'managers.id', 'tasks.assignee_id')
    .selectAll('tasks')
    .select([
      'leads.name as lead_name', 'leads.phone as lead_phone', 'leads.phone_raw as lead_phone_raw', 'leads.email as lead_email',
      'leads.company_name as lead_company_name', 'leads.status as lead_status', 'leads.owner_id as lead_owner_id', 'managers.name as assignee_name',
    ]);
  if (filter.assigneeIds) q = filter.assigneeIds.length > 0 ? q.where('tasks.assignee_id', 'in', filter.assigneeIds) : q.where(NOTHING);
  const visible = filter.visibleOwners;
  if (visible) {
    q = q.where((eb) => {
      const ors = [];
      if (visible.ownerIds.length > 0) ors.push(eb('leads.owner_id', 'in', visible.ownerIds));
      if (visible.orAssignee) ors.push(eb('tasks.assignee_id', '=', visible.orAssignee));
      return ors.length > 0 ? eb.or(ors) : NOTHING;
    });
  }
  if (filter.leadStatus) q = q.where('leads.status', '=', filter.leadStatus);
  if (filter.dueBefore) q = q.where('tasks.due_at', '<', filter.dueBefore);
  if (filter.done !== undefined) q = q.where('tasks.done_at', filter.done ? 'is not' : 'is', null);
  const rows = await q.orderBy('tasks.due_at', 'asc').orderBy('tasks.id', 'asc').limit(filter.limit).execute();
  return rows.map((r) => ({
    task: fromRow(r),
    lead: { id: r.lead_id, name: r.lead_name, phone: r.lead_phone, phoneRaw: r.lead_phone_raw, email: r.lead_email, companyName: r.lead_company_name, status: r.lead_status, ownerId: r.lead_owner_id },
    assigneeName: r.assignee_name,
  }));
}
