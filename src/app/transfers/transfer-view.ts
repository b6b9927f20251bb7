import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { transferReasonLabels, type TransferRecord } from '../../store/transfer-queries.js';

export interface TransferView extends TransferRecord {
  reasonLabel: string;
}

export async function toTransferViews(db: Kysely<Database>, transfers: TransferRecord[]): Promise<TransferView[]> {
  if (transfers.length === 0) return [];
  const labels = await transferReasonLabels(db);
  return transfers.map((t) => ({ ...t, reasonLabel: labels.get(t.reason) ?? t.reason }));
}
