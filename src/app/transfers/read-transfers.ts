import type { Principal } from '../access/principal.js';
import { listTransfers, type TransferStatus } from '../../store/transfer-queries.js';
import type { AppContext } from '../app-context.js';
import { transferScopeOf } from './transfer-access.js';
import { toTransferViews, type TransferView } from './transfer-view.js';

export async function transfersFor(ctx: AppContext, principal: Principal, filter: { status?: TransferStatus; leadId?: string; limit: number }): Promise<TransferView[]> {
  const db = ctx.store.db;
  const scope = await transferScopeOf(db, principal);
  const transfers = await listTransfers(db, {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.leadId ? { leadId: filter.leadId } : {}),
    involving: scope.kind === 'all' ? null : { managerIds: scope.managerIds, requestedBy: scope.requestedBy },
    limit: filter.limit,
  });
  return await toTransferViews(db, transfers);
}
