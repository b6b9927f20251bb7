import type { Kysely } from 'kysely';

/**
 * Who made an API key, for the console's key list: the actor as the audit log names it
 * (`user:<id>`, `api-key:<id>`, `system:cli`). Keys made before this migration have none.
 * `last_used_at` has existed since 0001; the server now keeps it up to date.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('created_by', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('created_by').execute();
}
