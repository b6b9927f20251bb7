import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Lead columns whose values a rule editor offers to pick from. */
export const VOCABULARY_COLUMNS = ['source', 'channel', 'campaign', 'region', 'country', 'industry', 'language', 'priority'] as const;
export type VocabularyColumn = (typeof VOCABULARY_COLUMNS)[number];

/**
 * The values each column held in leads created since `since`, most frequent first, at most
 * `limit` per column. One grouped query per column over the created_at index.
 */
export async function recentLeadValues(db: Kysely<Database>, since: string, limit: number): Promise<Record<VocabularyColumn, Array<{ value: string; leads: number }>>> {
  const out = {} as Record<VocabularyColumn, Array<{ value: string; leads: number }>>;
  for (const column of VOCABULARY_COLUMNS) {
    const rows = await db
      .selectFrom('leads')
      .select((eb) => [eb.ref(column).as('value'), eb.fn.countAll<number | string>().as('leads')])
      .where('created_at', '>=', since)
      .where(column, 'is not', null)
      .where(column, '!=', '')
      .groupBy(column)
      .orderBy('leads', 'desc')
      .orderBy(column)
      .limit(limit)
      .execute();
    out[column] = rows.map((r) => ({ value: String(r.value), leads: Number(r.leads) }));
  }
  return out;
}
