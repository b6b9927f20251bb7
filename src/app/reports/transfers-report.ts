import { bucketIndex } from '../../core/reports/period.js';
import { outcomeCounts, poolFigures, type PoolStay } from '../../core/reports/transfers.js';
import { assignmentsOfLeads, poolMovesMadeIn, reasonLabels, transfersMadeIn, type TransferRow } from '../../store/report-queries.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { breakdown } from './lead-cohort.js';
import { counts, labelManagers, listedManager, reportContext, reportHeader, type ReportQuery } from './report-context.js';

/**
 * Report 6: transfer requests made in the period by reason, by who gave the lead up and who was
 * to take it, with outcomes and the approval rate; the pool: leads that went there in the
 * period, how long they waited, and claims per manager. A head sees transfers from or to the
 * team's managers, a manager their own. The rule filter does not apply here.
 */
export async function transfersReport(ctx: AppContext, principal: Principal, query: ReportQuery) {
  const rc = await reportContext(ctx, principal, query);
  const db = ctx.store.db;
  const [all, moves, labels] = await Promise.all([transfersMadeIn(db, rc.cohort), poolMovesMadeIn(db, rc.cohort), reasonLabels(db, 'transfer')]);
  const involves = (t: TransferRow) => counts(rc, t.fromManagerId) || counts(rc, t.toManagerId);
  const transfers = rc.counted === null ? all : all.filter(involves);
  const statuses = (list: TransferRow[]) => list.map((t) => t.status);

  const perManager = (key: 'fromManagerId' | 'toManagerId') => {
    const rows = [...breakdown(transfers, (t) => t[key])].map(([managerId, list]) => ({ managerId, ...outcomeCounts(statuses(list)) }));
    rows.sort((a, b) => b.total - a.total || String(a.managerId).localeCompare(String(b.managerId)));
    return labelManagers(rc, rows);
  };

  // The pool: each stay begins with a move to the pool and ends with the lead's next owner change or its closing.
  const entries = moves.filter((m) => m.outcome === 'pool' && !m.qualificationHold);
  const later = await assignmentsOfLeads(db, [...new Set(entries.map((e) => e.leadId))], rc.period.from);
  const laterOf = breakdown(later, (a) => a.leadId);
  const stays: Array<PoolStay & { managerId: string | null; createdMs: number }> = [];
  for (const e of entries) {
    const enteredMs = Date.parse(e.createdAt);
    const next = (laterOf.get(e.leadId) ?? []).find((a) => Date.parse(a.createdAt) > enteredMs || (a.createdAt === e.createdAt && a.id > e.id));
    const closedMs = e.closedAt ? Date.parse(e.closedAt) : null;
    const leftMs = next ? Date.parse(next.createdAt) : closedMs !== null && closedMs >= enteredMs ? closedMs : null;
    // Whose stay it is: the manager who took the lead out, else (for scoping) nobody.
    stays.push({ enteredMs, leftMs, claimed: next?.via === 'claim', managerId: next?.managerId ?? null, createdMs: enteredMs });
  }
  const scopedStays = rc.counted === null ? stays : stays.filter((s) => counts(rc, s.managerId));
  const claims = moves.filter((m) => m.via === 'claim' && m.managerId !== null && listedManager(rc, m.managerId));
  const claimRows = [...breakdown(claims, (c) => c.managerId)].map(([managerId, list]) => ({ managerId, claims: list.length })).sort((a, b) => b.claims - a.claims || String(a.managerId).localeCompare(String(b.managerId)));

  const tBuckets = breakdown(transfers, (t) => bucketIndex(rc.period.buckets, Date.parse(t.createdAt)));
  const pBuckets = breakdown(scopedStays, (s) => bucketIndex(rc.period.buckets, s.enteredMs));
  const cBuckets = breakdown(claims.filter((c) => counts(rc, c.managerId)), (c) => bucketIndex(rc.period.buckets, Date.parse(c.createdAt)));
  return {
    ...reportHeader(rc),
    from: rc.period.from,
    to: rc.period.to,
    totals: outcomeCounts(statuses(transfers)),
    byReason: [...breakdown(transfers, (t) => t.reason)].map(([reason, list]) => ({ reason, label: labels.get(reason) ?? reason, ...outcomeCounts(statuses(list)) })).sort((a, b) => b.total - a.total || a.reason.localeCompare(b.reason)),
    byFromManager: perManager('fromManagerId'),
    byToManager: perManager('toManagerId'),
    pool: poolFigures(scopedStays),
    claims: labelManagers(rc, claimRows),
    series: rc.period.buckets.map((b, i) => {
      const list = tBuckets.get(i) ?? [];
      return { bucket: b.key, start: b.start, end: b.end, requests: list.length, approved: list.filter((t) => t.status === 'approved').length, pooled: pBuckets.get(i)?.length ?? 0, claims: cBuckets.get(i)?.length ?? 0 };
    }),
  };
}
