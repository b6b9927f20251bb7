import type { Kysely, Selectable } from 'kysely';
import type { Database, ReasonsTable } from './schema.js';

export type ReasonKind = 'junk' | 'transfer';

export interface ReasonRecord {
  id: string;
  kind: ReasonKind;
  key: string;
  label: string;
  /** Transfer reasons only: a request with this reason is approved without the head. */
  autoApprove: boolean;
  active: boolean;
  createdAt: string;
}

function fromRow(r: Selectable<ReasonsTable>): ReasonRecord {
  return { id: r.id, kind: r.kind as ReasonKind, key: r.key, label: r.label, autoApprove: r.auto_approve === 1, active: r.active === 1, createdAt: r.created_at };
}

export async function listReasons(db: Kysely<Database>, filter: { kind?: ReasonKind; activeOnly?: boolean }): Promise<ReasonRecord[]> {
  let q = db.selectFrom('reasons').selectAll();
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.activeOnly) q = q.where('active', '=', 1);
  const rows = await q.orderBy('kind').orderBy('created_at').orderBy('key').execute();
  return rows.map(fromRow);
}

export async function findReasonById(db: Kysely<Database>, id: string): Promise<ReasonRecord | undefined> {
  const row = await db.selectFrom('reasons').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** A reason of the kind named by its key (what clients send) or its id. */
export async function findReason(db: Kysely<Database>, kind: ReasonKind, keyOrId: string): Promise<ReasonRecord | undefined> {
  const rows = await db
    .selectFrom('reasons')
    .selectAll()
    .where('kind', '=', kind)
    .where((eb) => eb.or([eb('key', '=', keyOrId), eb('id', '=', keyOrId)]))
    .execute();
  const row = rows.find((r) => r.key === keyOrId) ?? rows[0];
  return row ? fromRow(row) : undefined;
}

export async function insertReason(db: Kysely<Database>, reason: ReasonRecord): Promise<void> {
  await db
    .insertInto('reasons')
    .values({ id: reason.id, kind: reason.kind, key: reason.key, label: reason.label, auto_approve: reason.autoApprove ? 1 : 0, active: reason.active ? 1 : 0, created_at: reason.createdAt })
    .execute();
}

export async function updateReason(db: Kysely<Database>, id: string, changes: { label?: string; active?: boolean; autoApprove?: boolean }): Promise<void> {
  const set: Partial<Pick<ReasonsTable, 'label' | 'active' | 'auto_approve'>> = {};
  if (changes.label !== undefined) set.label = changes.label;
  if (changes.active !== undefined) set.active = changes.active ? 1 : 0;
  if (changes.autoApprove !== undefined) set.auto_approve = changes.autoApprove ? 1 : 0;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('reasons').set(set).where('id', '=', id).execute();
}
