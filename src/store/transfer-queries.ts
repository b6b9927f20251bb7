import type { Kysely, Selectable } from 'kysely';
import type { Database, TransfersTable } from './schema.js';

export type TransferStatus = 'requested' | 'approved' | 'rejected' | 'cancelled';

export interface TransferRecord {
  id: string;
  leadId: string;
  fromManagerId: string | null;
  toManagerId: string | null;
  /** The key of a transfer reason from the catalogue. */
  reason: string;
  comment: string | null;
  status: TransferStatus;
  requestedBy: string;
  decidedBy: string | null;
  decisionComment: string | null;
  overrideReason: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface TransferReason {
  id: string;
  key: string;
  label: string;
  autoApprove: boolean;
}

function transferFromRow(r: Selectable<TransfersTable>): TransferRecord {
  return {
    id: r.id, leadId: r.lead_id, fromManagerId: r.from_manager_id, toManagerId: r.to_manager_id, reason: r.reason, comment: r.comment,
    status: r.status as TransferStatus, requestedBy: r.requested_by, decidedBy: r.decided_by, decisionComment: r.decision_comment,
    overrideReason: r.override_reason, createdAt: r.created_at, decidedAt: r.decided_at,
  };
}

/** An active transfer reason by its key or id. */
export async function findTransferReason(db: Kysely<Database>, keyOrId: string): Promise<TransferReason | undefined> {
  const row = await db
    .selectFrom('reasons')
    .select(['id', 'key', 'label', 'auto_approve'])
    .where('kind', '=', 'transfer')
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('key', '=', keyOrId), eb('id', '=', keyOrId)]))
    .executeTakeFirst();
  return row ? { id: row.id, key: row.key, label: row.label, autoApprove: row.auto_approve === 1 } : undefined;
}

export async function transferReasonLabels(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('reasons').select(['key', 'label']).where('kind', '=', 'transfer').execute();
  return new Map(rows.map((r) => [r.key, r.label]));
}

/** Fails with a unique violation when the lead already has a request waiting (transfers_one_pending). */
export async function insertTransfer(db: Kysely<Database>, t: TransferRecord): Promise<void> {
  await db
    .insertInto('transfers')
    .values({
      id: t.id, lead_id: t.leadId, from_manager_id: t.fromManagerId, to_manager_id: t.toManagerId, reason: t.reason, comment: t.comment,
      status: t.status, requested_by: t.requestedBy, decided_by: t.decidedBy, decision_comment: t.decisionComment,
      override_reason: t.overrideReason, created_at: t.createdAt, decided_at: t.decidedAt,
    })
    .execute();
}

export async function findTransfer(db: Kysely<Database>, id: string): Promise<TransferRecord | undefined> {
  const row = await db.selectFrom('transfers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? transferFromRow(row) : undefined;
}

export async function findPendingTransfers(db: Kysely<Database>, leadIds: string[]): Promise<TransferRecord[]> {
  if (leadIds.length === 0) return [];
  const rows = await db.selectFrom('transfers').selectAll().where('lead_id', 'in', leadIds).where('status', '=', 'requested').execute();
  return rows.map(transferFromRow);
}

/** The lead's most recent transfer request, whatever became of it. */
export async function latestTransferOf(db: Kysely<Database>, leadId: string): Promise<TransferRecord | undefined> {
  const row = await db.selectFrom('transfers').selectAll().where('lead_id', '=', leadId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? transferFromRow(row) : undefined;
}

export interface TransferDecision {
  status: Exclude<TransferStatus, 'requested'>;
  decidedBy: string;
  decisionComment: string | null;
  toManagerId: string | null;
  overrideReason: string | null;
  decidedAt: string;
}

/**
 * Closes a request that is still waiting; false when someone decided it first, so two heads
 * clicking at once cannot both decide.
 */
export async function closeTransfer(db: Kysely<Database>, id: string, d: TransferDecision): Promise<boolean> {
  const result = await db
    .updateTable('transfers')
    .set({ status: d.status, decided_by: d.decidedBy, decision_comment: d.decisionComment, to_manager_id: d.toManagerId, override_reason: d.overrideReason, decided_at: d.decidedAt })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface TransferFilter {
  status?: TransferStatus;
  leadId?: string;
  /** Only requests from, to or by these: null means every request. */
  involving: { managerIds: string[]; requestedBy: string } | null;
  limit: number;
}

/** Newest first. */
export async function listTransfers(db: Kysely<Database>, filter: TransferFilter): Promise<TransferRecord[]> {
  let q = db.selectFrom('transfers').selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.leadId) q = q.where('lead_id', '=', filter.leadId);
  const involving = filter.involving;
  if (involving) {
    q = q.where((eb) =>
      eb.or([
        eb('requested_by', '=', involving.requestedBy),
        ...(involving.managerIds.length > 0 ? [eb('from_manager_id', 'in', involving.managerIds), eb('to_manager_id', 'in', involving.managerIds)] : []),
      ]),
    );
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(transferFromRow);
}
