import type { Kysely } from 'kysely';

/**
 * A team keeps its time zone (the console shows and edits it; Moscow, where most teams sit,
 * for those that exist), and an absence says what kind it is, so the calendar tells a vacation
 * from a sick leave at a glance. Absences recorded before are of no known kind: 'other'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('teams').addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Europe/Moscow')).execute();
  await db.schema.alterTable('absences').addColumn('kind', 'text', (c) => c.notNull().defaultTo('other')).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('absences').dropColumn('kind').execute();
  await db.schema.alterTable('teams').dropColumn('time_zone').execute();
}
