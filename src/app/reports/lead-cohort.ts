import type { OwnerChange } from '../../core/reports/lead-history.js';
import { routingRuleOf } from '../../core/reports/lead-history.js';
import {
  cohortAssignments,
  cohortDeals,
  cohortEvents,
  cohortLeads,
  poolMovesMadeIn,
  routingDecisions,
  transfersMadeIn,
  type AssignmentRow,
  type DealRow,
  type DecisionRow,
  type EventRow,
  type LeadSelection,
  type PoolMoveRow,
  type ReportLeadRow,
  type TransferRow,
} from '../../store/report-queries.js';
import type { AppContext } from '../app-context.js';
import type { ReportContext } from './report-context.js';

/** A lead that arrived in the period, with who had it when and the rule that first placed it. */
export interface CohortLead extends ReportLeadRow {
  createdMs: number;
  changes: OwnerChange[];
  ruleId: string | null;
}

/** The leads that arrived in [from, to) (source filter applied), narrowed to the rule asked for. */
export async function loadCohort(ctx: AppContext, rc: ReportContext): Promise<CohortLead[]> {
  const leads = await loadLeads(ctx, rc.cohort);
  return rc.filters.rule === null ? leads : leads.filter((l) => l.ruleId === rc.filters.rule);
}

/** The timeline events the reports read about a lead. */
export const REPORT_EVENT_TYPES = ['lead.status_changed', 'lead.qualified', 'sla.breached'];

/** Leads with their deals and the timeline events the reports read: what a lead's report facts are computed from. */
export interface LeadBundle {
  leads: CohortLead[];
  deals: DealRow[];
  events: EventRow[];
  /** The leads' routing decisions with their traces, when asked for. */
  decisions: DecisionRow[];
  /** Their moves to and claims from the pool, every owner change and their transfer requests, when asked for. */
  poolMoves: PoolMoveRow[];
  assignments: AssignmentRow[];
  transfers: TransferRow[];
}

export async function loadLeadBundle(ctx: AppContext, selection: LeadSelection, ruleFilter: string | null = null, options: { everything?: boolean } = {}): Promise<LeadBundle> {
  const db = ctx.store.db;
  const all = options.everything === true;
  const [leads, deals, events, decisions, poolMoves, assignments, transfers] = await Promise.all([
    loadLeads(ctx, selection),
    cohortDeals(db, selection),
    cohortEvents(db, selection, REPORT_EVENT_TYPES),
    all ? routingDecisions(db, selection) : [],
    all ? poolMovesMadeIn(db, selection) : [],
    all ? cohortAssignments(db, selection) : [],
    all ? transfersMadeIn(db, selection) : [],
  ]);
  return { leads: ruleFilter === null ? leads : leads.filter((l) => l.ruleId === ruleFilter), deals, events, decisions, poolMoves, assignments, transfers };
}

/** Leads with who had them when and the rule that first placed them. */
export async function loadLeads(ctx: AppContext, selection: LeadSelection): Promise<CohortLead[]> {
  const [rows, assignments] = await Promise.all([cohortLeads(ctx.store.db, selection), cohortAssignments(ctx.store.db, selection)]);
  const changes = new Map<string, OwnerChange[]>();
  for (const a of assignments) {
    const list = changes.get(a.leadId) ?? [];
    list.push({ managerId: a.managerId, at: Date.parse(a.createdAt), via: a.via, outcome: a.outcome, ruleId: a.ruleId });
    changes.set(a.leadId, list);
  }
  const out: CohortLead[] = [];
  for (const row of rows) {
    const history = changes.get(row.id) ?? [];
    const ruleId = routingRuleOf(history);
    out.push({ ...row, createdMs: Date.parse(row.createdAt), changes: history, ruleId });
  }
  return out;
}

/** Rows of a breakdown: one per key, in the order given by `order` (largest first by default). */
export function breakdown<T, K extends string | number | null>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}
