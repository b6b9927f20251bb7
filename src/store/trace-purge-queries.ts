import { sql, type Kysely, type SqlBool } from 'kysely';
import { COMPACT_TRACE_MARK } from '../core/routing/compact-trace.js';
import type { DatabaseKind } from './database.js';
import type { Database } from './schema.js';

export interface StoredTrace {
  id: string;
  createdAt: string;
  trace: string;
}

/**
 * Decisions made before `before` whose trace is not compacted yet, oldest first after the cursor
 * (assignments_created serves the range). JSON is text on SQLite and jsonb on PostgreSQL.
 */
export async function tracesToCompact(db: Kysely<Database>, kind: DatabaseKind, before: string, after: { createdAt: string; id: string } | null, limit: number): Promise<StoredTrace[]> {
  const notCompacted =
    kind === 'postgres' ? sql<SqlBool>`not (trace ? ${COMPACT_TRACE_MARK})` : sql<SqlBool>`substr(trace, 1, ${COMPACT_TRACE_MARK.length + 4}) <> ${`{"${COMPACT_TRACE_MARK}":`}`;
  let q = db.selectFrom('assignments').select(['id', 'created_at', 'trace']).where('created_at', '<', before).where(notCompacted);
  if (after) q = q.where('created_at', '>=', after.createdAt).where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb('id', '>', after.id)]));
  const rows = await q.orderBy('created_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, createdAt: String(r.created_at), trace: r.trace }));
}

/** Replaces each decision's trace with its compact form, in one transaction. */
export async function writeCompactTraces(db: Kysely<Database>, rows: Array<{ id: string; trace: string }>): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const r of rows) await trx.updateTable('assignments').set({ trace: r.trace }).where('id', '=', r.id).execute();
  });
}
