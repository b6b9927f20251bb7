import type { Kysely } from 'kysely';
import { chunkForInsert } from './chunk.js';
import { readJson, writeJson } from './json.js';
import type { Database } from './schema.js';

/** One change by a person, an integration or the system: who, when, what, before and after. */
export interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  at: string;
}

export async function insertAuditEntries(db: Kysely<Database>, entries: AuditEntry[]): Promise<void> {
  const rows = entries.map((e) => ({
    id: e.id, actor: e.actor, action: e.action, entity: e.entity, entity_id: e.entityId,
    before: e.before === undefined || e.before === null ? null : writeJson(e.before),
    after: e.after === undefined || e.after === null ? null : writeJson(e.after),
    at: e.at,
  }));
  for (const chunk of chunkForInsert(rows)) await db.insertInto('audit_log').values(chunk).execute();
}

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  actor?: string;
  from?: string;
  to?: string;
}

/** Newest first; `before` is the (at, id) of the last entry of the previous page. */
export async function listAuditEntries(db: Kysely<Database>, filter: AuditFilter, page: { limit: number; before?: { at: string; id: string } }): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.entity) q = q.where('entity', '=', filter.entity);
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
  if (filter.actor) q = q.where('actor', '=', filter.actor);
  if (filter.from) q = q.where('at', '>=', filter.from);
  if (filter.to) q = q.where('at', '<', filter.to);
  const before = page.before;
  if (before) q = q.where((eb) => eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]));
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
  return rows.map((r) => ({
    id: r.id, actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id,
    before: readJson<unknown>(r.before, null), after: readJson<unknown>(r.after, null), at: r.at,
  }));
}
