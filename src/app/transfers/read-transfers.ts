import { isAdmin, type Principal } from '../access/principal.js';
import { findManagerNames } from '../../store/manager-queries.js';
import { countTransfers, listTransfers, transferReasonLabels, type TransferStatus } from '../../store/transfer-queries.js';
import type { AppContext } from '../app-context.js';
import { teamManagerIds, transferScopeOf } from './transfer-access.js';
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

export interface OutcomeCounts {
  total: number;
  pending: number;
  approved: number;
  rejected: number;
  cancelled: number;
}

export interface TransferReport {
  from: string | null;
  to: string | null;
  totals: OutcomeCounts;
  byReason: Array<OutcomeCounts & { reason: string; label: string }>;
  byFromManager: Array<OutcomeCounts & { managerId: string | null; name: string | null }>;
  byToManager: Array<OutcomeCounts & { managerId: string | null; name: string | null }>;
}

const emptyCounts = (): OutcomeCounts => ({ total: 0, pending: 0, approved: 0, rejected: 0, cancelled: 0 });
const OUTCOME_OF: Record<TransferStatus, keyof Omit<OutcomeCounts, 'total'>> = { requested: 'pending', approved: 'approved', rejected: 'rejected', cancelled: 'cancelled' };

/**
 * Why leads change hands, and between whom: requests made in [from, to), counted by reason,
 * by the manager who gave the lead up and by the one who got it. A head sees the team's requests.
 */
export async function transferReport(ctx: AppContext, principal: Principal, period: { from?: string; to?: string }): Promise<TransferReport> {
  const db = ctx.store.db;
  const fromManagerIds = principal.kind === 'user' && !isAdmin(principal) ? await teamManagerIds(db, principal.teamId) : null;
  const rows = await countTransfers(db, { ...period, fromManagerIds });
  const totals = emptyCounts();
  const byReason = new Map<string, OutcomeCounts>();
  const byFrom = new Map<string | null, OutcomeCounts>();
  const byTo = new Map<string | null, OutcomeCounts>();
  const add = <K>(map: Map<K, OutcomeCounts>, key: K, status: TransferStatus, n: number): void => {
    const counts = map.get(key) ?? emptyCounts();
    counts.total += n;
    counts[OUTCOME_OF[status]] += n;
    map.set(key, counts);
  };
  for (const r of rows) {
    totals.total += r.count;
    totals[OUTCOME_OF[r.status]] += r.count;
    add(byReason, r.reason, r.status, r.count);
    add(byFrom, r.fromManagerId, r.status, r.count);
    add(byTo, r.toManagerId, r.status, r.count);
  }
  const [labels, names] = await Promise.all([transferReasonLabels(db), findManagerNames(db, [...new Set([...byFrom.keys(), ...byTo.keys()].filter((id): id is string => id !== null))])]);
  const byCount = <T extends OutcomeCounts>(a: T, b: T): number => b.total - a.total;
  const perManager = (map: Map<string | null, OutcomeCounts>) =>
    [...map].map(([managerId, counts]) => ({ managerId, name: managerId ? (names.get(managerId) ?? managerId) : null, ...counts })).sort(byCount);
  return {
    from: period.from ?? null,
    to: period.to ?? null,
    totals,
    byReason: [...byReason].map(([reason, counts]) => ({ reason, label: labels.get(reason) ?? reason, ...counts })).sort(byCount),
    byFromManager: perManager(byFrom),
    byToManager: perManager(byTo),
  };
}
