import { bucketIndex } from '../../core/reports/period.js';
import { sumCells, sumCellsBy, type Cell } from '../../core/reports/report-cells.js';
import { emptyOutcomeTally, emptyPoolTally, outcomeCountsOf, poolFiguresOf, type OutcomeTally } from '../../core/reports/transfers.js';
import { reasonLabels } from '../../store/report-queries.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { counts, labelManagers, listedManager, reportContext, reportHeader, type ReportQuery } from './report-context.js';
import { chooseCellSource, readCellsFrom, type ReportCellsOptions } from './rollups/report-cells-source.js';
import { COUNT_TALLY, OUTCOME_TALLY, POOL_TALLY, transferTarget } from './transfers-cells.js';

/**
 * Report 6: transfer requests made in the period by reason, by who gave the lead up and who was
 * to take it, with outcomes and the approval rate; the pool: leads that went there in the
 * period, how long they waited, and claims per manager. A head sees transfers from or to the
 * team's managers, a manager their own. The rule filter does not apply here.
 */
export async function transfersReport(ctx: AppContext, principal: Principal, query: ReportQuery, options: ReportCellsOptions = {}) {
  const asked = await reportContext(ctx, principal, query);
  const rc = { ...asked, filters: { ...asked.filters, rule: null } };
  const source = await chooseCellSource(ctx, rc, 'transfers', options);
  const [requests, stays, claimed, labels] = await Promise.all([readCellsFrom(ctx, rc, 'transfers', source), readCellsFrom(ctx, rc, 'pool-stays', source), readCellsFrom(ctx, rc, 'claims', source), reasonLabels(ctx.store.db, 'transfer')]);
  const withTarget = requests.map((c) => ({ ...c, ...transferTarget(c) }));
  const transfers = rc.counted === null ? withTarget : withTarget.filter((t) => counts(rc, t.managerId) || counts(rc, t.toManagerId));

  const perManager = (keyOf: (t: (typeof transfers)[number]) => string | null) => {
    const rows = [...sumCellsBy(OUTCOME_TALLY, transfers, keyOf)].map(([managerId, t]) => ({ managerId, ...outcomeCountsOf(t) }));
    rows.sort((a, b) => b.total - a.total || String(a.managerId).localeCompare(String(b.managerId)));
    return labelManagers(rc, rows);
  };
  const scopedStays = rc.counted === null ? stays : stays.filter((s) => counts(rc, s.managerId));
  const claims = claimed.filter((c) => c.managerId !== null && listedManager(rc, c.managerId));
  const claimRows = [...sumCellsBy(COUNT_TALLY, claims, (c) => c.managerId)].map(([managerId, t]) => ({ managerId, claims: t.n })).sort((a, b) => b.claims - a.claims || String(a.managerId).localeCompare(String(b.managerId)));

  const bucketOf = (c: Cell<unknown>) => bucketIndex(rc.period.buckets, c.at);
  const tBuckets = sumCellsBy(OUTCOME_TALLY, transfers, bucketOf);
  const pBuckets = sumCellsBy(POOL_TALLY, scopedStays, bucketOf);
  const cBuckets = sumCellsBy(COUNT_TALLY, claims.filter((c) => counts(rc, c.managerId)), bucketOf);
  const byReason = [...sumCellsBy(OUTCOME_TALLY, transfers, (t) => t.reason)].map(([reason, t]) => ({ reason: reason as string, label: labels.get(reason as string) ?? reason, ...outcomeCountsOf(t) }));
  return {
    ...reportHeader(asked),
    from: rc.period.from,
    to: rc.period.to,
    totals: outcomeCountsOf(sumCells(OUTCOME_TALLY, transfers)),
    byReason: byReason.sort((a, b) => b.total - a.total || a.reason.localeCompare(b.reason)),
    byFromManager: perManager((t) => t.managerId),
    byToManager: perManager((t) => t.toManagerId),
    pool: poolFiguresOf(sumCells(POOL_TALLY, scopedStays)),
    claims: labelManagers(rc, claimRows),
    series: rc.period.buckets.map((b, i) => {
      const t: OutcomeTally = tBuckets.get(i) ?? emptyOutcomeTally();
      return { bucket: b.key, start: b.start, end: b.end, requests: t.total, approved: t.approved, pooled: (pBuckets.get(i) ?? emptyPoolTally()).entered, claims: cBuckets.get(i)?.n ?? 0 };
    }),
  };
}
