import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface RecentActivity {
  id: string;
  kind: string;
  outcome: string | null;
  note: string | null;
  managerId: string | null;
  occurredAt: string;
}

export interface OpenTask {
  id: string;
  title: string;
  offer: string | null;
  dueAt: string;
  assigneeId: string | null;
}

/** The lead's latest contacts, newest first. */
export async function recentActivities(db: Kysely<Database>, leadId: string, limit: number): Promise<RecentActivity[]> {
  const rows = await db
    .selectFrom('activities')
    .select(['id', 'kind', 'outcome', 'note', 'manager_id', 'occurred_at'])
    .where('lead_id', '=', leadId)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, outcome: r.outcome, note: r.note, managerId: r.manager_id, occurredAt: r.occurred_at }));
}

/** Tasks not done yet, soonest due first. */
export async function openTasksOf(db: Kysely<Database>, leadId: string): Promise<OpenTask[]> {
  const rows = await db
    .selectFrom('tasks')
    .select(['id', 'title', 'offer', 'due_at', 'assignee_id'])
    .where('lead_id', '=', leadId)
    .where('done_at', 'is', null)
    .orderBy('due_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, offer: r.offer, dueAt: r.due_at, assigneeId: r.assignee_id }));
}

/** Hands the open tasks of the leads to their new owner; done tasks keep who did them. */
export async function moveOpenTasks(db: Kysely<Database>, leadIds: string[], toManagerId: string, at: string): Promise<number> {
  if (leadIds.length === 0) return 0;
  const result = await db
    .updateTable('tasks')
    .set({ assignee_id: toManagerId, updated_at: at })
    .where('lead_id', 'in', leadIds)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
