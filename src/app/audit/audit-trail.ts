import type { Kysely } from 'kysely';
import { insertAuditEntries, type AuditEntry } from '../../store/audit-queries.js';
import type { Database } from '../../store/schema.js';
import { actorName, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';

export interface AuditedChange {
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Records changes in the caller's transaction, so a change and its audit entry commit or
 * roll back together.
 */
export async function recordAudit(ctx: AppContext, db: Kysely<Database>, principal: Principal, changes: AuditedChange[]): Promise<void> {
  if (changes.length === 0) return;
  const at = ctx.now().toISOString();
  const actor = actorName(principal);
  const entries: AuditEntry[] = changes.map((c) => ({ id: ctx.newId(), actor, action: c.action, entity: c.entity, entityId: c.entityId, before: c.before ?? null, after: c.after ?? null, at }));
  await insertAuditEntries(db, entries);
}
