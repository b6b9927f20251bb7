import type { Kysely } from 'kysely';

/**
 * Whether an integration's leads keep fields intake does not know as custom fields (1) instead
 * of being refused (0, the default: a typo in a field name is seen, not silently kept).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('keep_unknown_fields', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
