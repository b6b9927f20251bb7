import type { Cell, TallyKind } from '../../core/reports/report-cells.js';
import { decodePoolTally, emptyOutcomeTally, emptyPoolTally, encodePoolTally, mergeOutcomeTally, mergePoolTally, tallyOutcome, tallyPoolStay, type OutcomeTally, type PoolTally } from '../../core/reports/transfers.js';
import type { AssignmentRow, PoolMoveRow, TransferRow } from '../../store/report-queries.js';
import { breakdown } from './lead-cohort.js';

export const OUTCOME_TALLY: TallyKind<OutcomeTally> = {
  empty: emptyOutcomeTally,
  merge: mergeOutcomeTally,
  isEmpty: (t) => t.total === 0 && t.pending === 0 && t.approved === 0 && t.rejected === 0 && t.cancelled === 0,
  encode: (t) => [t.total, t.pending, t.approved, t.rejected, t.cancelled],
  decode: (v) => {
    const a = v as number[];
    return { total: a[0] as number, pending: a[1] as number, approved: a[2] as number, rejected: a[3] as number, cancelled: a[4] as number };
  },
};

export const POOL_TALLY: TallyKind<PoolTally> = {
  empty: emptyPoolTally,
  merge: mergePoolTally,
  isEmpty: (t) => t.entered === 0 && t.claimed === 0 && t.ended === 0 && t.waits.size === 0,
  encode: encodePoolTally,
  decode: decodePoolTally,
};

export interface CountTally {
  n: number;
}

export const COUNT_TALLY: TallyKind<CountTally> = {
  empty: () => ({ n: 0 }),
  merge: (into, from, sign = 1) => {
    into.n += sign * from.n;
  },
  isEmpty: (t) => t.n === 0,
  encode: (t) => t.n,
  decode: (v) => ({ n: Number(v) }),
};

/** One cell per transfer request, when it was made: who gave the lead up (the cell's manager), who was to take it and the reason (the extra key). */
export function transferCells(transfers: readonly TransferRow[]): Array<Cell<OutcomeTally>> {
  return transfers.map((t) => {
    const tally = emptyOutcomeTally();
    tallyOutcome(tally, t.status);
    return { managerId: t.fromManagerId, source: t.source, campaign: null, ruleId: null, extra: JSON.stringify([t.toManagerId, t.reason]), at: Date.parse(t.createdAt), tally };
  });
}

export function transferTarget(cell: Cell<OutcomeTally>): { toManagerId: string | null; reason: string } {
  const [toManagerId, reason] = JSON.parse(cell.extra as string) as [string | null, string];
  return { toManagerId, reason };
}

/**
 * One cell per stay in the pool, when it began: it ends with the lead's next owner change (the
 * cell's manager is who took it out) or its closing. `assignments` are the leads' owner changes
 * from the stays' beginning on.
 */
export function poolStayCells(moves: readonly PoolMoveRow[], assignments: readonly AssignmentRow[]): Array<Cell<PoolTally>> {
  const laterOf = breakdown(assignments, (a) => a.leadId);
  const out: Array<Cell<PoolTally>> = [];
  for (const e of moves) {
    if (e.outcome !== 'pool' || e.qualificationHold) continue;
    const enteredMs = Date.parse(e.createdAt);
    const next = (laterOf.get(e.leadId) ?? []).find((a) => Date.parse(a.createdAt) > enteredMs || (a.createdAt === e.createdAt && a.id > e.id));
    const closedMs = e.closedAt ? Date.parse(e.closedAt) : null;
    const leftMs = next ? Date.parse(next.createdAt) : closedMs !== null && closedMs >= enteredMs ? closedMs : null;
    const tally = emptyPoolTally();
    tallyPoolStay(tally, { enteredMs, leftMs, claimed: next?.via === 'claim' });
    out.push({ managerId: next?.managerId ?? null, source: e.source, campaign: null, ruleId: null, extra: null, at: enteredMs, tally });
  }
  return out;
}

/** One cell per claim from the pool, when it was made. */
export function claimCells(moves: readonly PoolMoveRow[]): Array<Cell<CountTally>> {
  return moves.filter((m) => m.via === 'claim' && m.managerId !== null).map((m) => ({ managerId: m.managerId, source: m.source, campaign: null, ruleId: null, extra: null, at: Date.parse(m.createdAt), tally: { n: 1 } }));
}
