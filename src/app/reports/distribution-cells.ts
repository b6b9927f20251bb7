import { createHash } from 'node:crypto';
import {
  decisionFactOf,
  decodeDistributionTally,
  distributionTallyIsEmpty,
  emptyDistributionTally,
  encodeDistributionTally,
  isQualificationHold,
  mergeDistributionTally,
  tallyDecision,
  type DistributionTally,
} from '../../core/reports/distribution.js';
import { ownerAt } from '../../core/reports/lead-history.js';
import type { Cell, TallyKind } from '../../core/reports/report-cells.js';
import type { DecisionRow } from '../../store/report-queries.js';
import type { CohortLead, LeadBundle } from './lead-cohort.js';

export const DISTRIBUTION_TALLY: TallyKind<DistributionTally> = {
  empty: emptyDistributionTally,
  merge: mergeDistributionTally,
  isEmpty: distributionTallyIsEmpty,
  encode: encodeDistributionTally,
  decode: decodeDistributionTally,
};

/**
 * One cell per routing decision, at the moment it was made: the winner, the lead's source, the
 * decision's rule and, for a fair-share decision, the candidates who had a share (in the tally;
 * a digest of the set is the cell's extra key) — what the distribution report needs to tell whose decisions concern whom.
 */
export function distributionCells(decisions: readonly DecisionRow[]): Array<Cell<DistributionTally>> {
  const out: Array<Cell<DistributionTally>> = [];
  for (const row of decisions) {
    // Intake parking a lead for a qualifier is no routing decision; the qualifier's pass is.
    if (isQualificationHold(row)) continue;
    const d = decisionFactOf(row, row.trace);
    const tally = emptyDistributionTally();
    tallyDecision(tally, d);
    const candidates = d.kind === 'fair_share' ? Object.keys(d.shares ?? {}).sort() : [];
    tally.candidates = candidates;
    out.push({ managerId: d.managerId, source: row.source, campaign: null, ruleId: d.ruleId, extra: candidates.length > 0 ? candidateSetKey(candidates) : null, at: d.at, tally });
  }
  return out;
}

/** A short key for a set of candidates (a group of 70 managers' ids would not fit an index entry). */
function candidateSetKey(candidates: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(candidates)).digest('base64url').slice(0, 22);
}

export function candidatesOf(cell: Cell<DistributionTally>): string[] {
  return cell.tally.candidates;
}

/** A change in a manager's open leads: +1 when a lead became theirs and open, -1 when it stopped. */
export interface LoadTally {
  delta: number;
}

export const LOAD_TALLY: TallyKind<LoadTally> = {
  empty: () => ({ delta: 0 }),
  merge: (into, from, sign = 1) => {
    into.delta += sign * from.delta;
  },
  isEmpty: (t) => t.delta === 0,
  encode: (t) => t.delta,
  decode: (v) => ({ delta: Number(v) }),
};

/**
 * The moments a lead started or stopped counting as one of its owner's open leads: it counts for
 * the owner it had at a moment (its owner history) from its arrival until it closed. Summed from
 * the beginning, these give every manager's open leads at any moment.
 */
export function loadCells(bundle: LeadBundle): Array<Cell<LoadTally>> {
  const out: Array<Cell<LoadTally>> = [];
  for (const lead of bundle.leads) out.push(...loadChangesOf(lead));
  return out;
}

function loadChangesOf(lead: CohortLead): Array<Cell<LoadTally>> {
  const closedMs = lead.closedAt === null ? null : Date.parse(lead.closedAt);
  const stateAt = (ms: number): string | null => (lead.createdMs <= ms && !(closedMs !== null && closedMs <= ms) ? ownerAt(lead.changes, ms) : null);
  const moments = [...new Set([lead.createdMs, ...lead.changes.map((c) => c.at), ...(closedMs === null ? [] : [closedMs])])].sort((a, b) => a - b);
  const out: Array<Cell<LoadTally>> = [];
  const cell = (managerId: string, at: number, delta: number): Cell<LoadTally> => ({ managerId, source: lead.source, campaign: null, ruleId: null, extra: null, at, tally: { delta } });
  let previous: string | null = null;
  for (const at of moments) {
    const current = stateAt(at);
    if (current === previous) continue;
    if (previous !== null) out.push(cell(previous, at, -1));
    if (current !== null) out.push(cell(current, at, 1));
    previous = current;
  }
  return out;
}
