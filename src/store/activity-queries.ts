import { sql, type Kysely, type Selectable } from 'kysely';
import type { ActivitiesTable, Database } from './schema.js';

export interface ActivityRecord {
  id: string;
  leadId: string;
  kind: string;
  outcome: string | null;
  note: string | null;
  /** The manager who did it, when a manager did. */
  managerId: string | null;
  actor: string;
  occurredAt: string;
  createdAt: string;
}

function fromRow(r: Selectable<ActivitiesTable>): ActivityRecord {
  return { id: r.id, leadId: r.lead_id, kind: r.kind, outcome: r.outcome, note: r.note, managerId: r.manager_id, actor: r.actor, occurredAt: r.occurred_at, createdAt: r.created_at };
}

export async function insertActivity(db: Kysely<Database>, a: ActivityRecord): Promise<void> {
  await db
    .insertInto('activities')
    .values({ id: a.id, lead_id: a.leadId, kind: a.kind, outcome: a.outcome, note: a.note, manager_id: a.managerId, actor: a.actor, occurred_at: a.occurredAt, created_at: a.createdAt })
    .execute();
}

/** Oldest first, as a history reads. */
export async function listActivities(db: Kysely<Database>, leadId: string): Promise<ActivityRecord[]> {
  const rows = await db.selectFrom('activities').selectAll().where('lead_id', '=', leadId).orderBy('occurred_at', 'asc').orderBy('id', 'asc').execute();
  return rows.map(fromRow);
}

/**
 * Moves the lead's last-activity mark in one statement, so two activities logged at once
 * cannot overwrite each other: the latest activity wins.
 */
export async function markLeadActivity(db: Kysely<Database>, leadId: string, occurredAt: string, at: string): Promise<void> {
  await db
    .updateTable('leads')
    .set({ last_activity_at: sql<string>`case when last_activity_at is null or last_activity_at < ${occurredAt} then ${occurredAt} else last_activity_at end`, updated_at: at })
    .where('id', '=', leadId)
    .execute();
}

/**
 * Stops the first-contact clock at `at`, only once and only while `ownerId` still owns the
 * lead: a call by an owner the SLA sweeper replaced meanwhile must not stop the new owner's
 * clock. False when it did not stop it.
 */
export async function markFirstContact(db: Kysely<Database>, leadId: string, ownerId: string, at: string): Promise<boolean> {
  const result = await db.updateTable('leads').set({ first_contact_at: at }).where('id', '=', leadId).where('owner_id', '=', ownerId).where('first_contact_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
