import type { Kysely } from 'kysely';

/**
 * Indexes the reports filter by (leads of a source in a period have theirs since 0007): decisions
 * and pool moves made in a period, transfer requests by time, a cohort's timeline events of one type and its
 * deals. Figures do not change; only how fast they are read.
 */
const INDEXES: Array<[name: string, table: string, columns: string[]]> = [
  ['assignments_created', 'assignments', ['created_at']],
  ['events_type_lead', 'events', ['type', 'lead_id']],
  ['deals_lead', 'deals', ['lead_id']],
  ['transfers_created', 'transfers', ['created_at']],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, columns] of INDEXES) await db.schema.createIndex(name).on(table).columns(columns).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of [...INDEXES].reverse()) await db.schema.dropIndex(name).execute();
}
