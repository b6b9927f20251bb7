import { sql, type Kysely, type Updateable } from 'kysely';
import type { Database, LeadsTable } from './schema.js';

/**
 * Changes a lead only if nobody changed it since it was read (same version), and bumps the
 * version. Returns false when the lead moved on: the caller answers 409 or retries.
 */
export async function updateLeadIfVersion(db: Kysely<Database>, id: string, version: number, changes: Omit<Updateable<LeadsTable>, 'id' | 'version'>): Promise<boolean> {
  const result = await db
    .updateTable('leads')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Moves one open lead on a manager's counters: `open` by delta, and when the lead is new to
 * them, the count of the manager's local day (restarting it when the day changed).
 */
export async function adjustManagerLoad(db: Kysely<Database>, managerId: string, openDelta: number, newToday: { localDate: string } | null, at: string): Promise<void> {
  if (newToday) {
    await db
      .updateTable('managers')
      .set({
        open_leads: openLeadsPlus(openDelta),
        today_count: sql`case when today_date = ${newToday.localDate} then today_count + 1 else 1 end`,
        today_date: newToday.localDate,
        updated_at: at,
      })
      .where('id', '=', managerId)
      .execute();
    return;
  }
  await db.updateTable('managers').set({ open_leads: openLeadsPlus(openDelta), updated_at: at }).where('id', '=', managerId).execute();
}

// Never below zero: a counter repaired by recountOpenLeads must not go negative on a late close.
function openLeadsPlus(delta: number) {
  return sql<number>`case when open_leads + ${delta} < 0 then 0 else open_leads + ${delta} end`;
}
