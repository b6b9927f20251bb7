import type { Kysely } from 'kysely';
import type { SummaryFacts } from '../core/routing/trace.js';
import type { TimelineAssignment, TimelineTransfer } from '../core/lifecycle/timeline.js';
import { readJson } from './json.js';
import type { Database } from './schema.js';

/** Every routing decision and hand-over of the lead, with the one-sentence summary of its trace. */
export async function listLeadAssignments(db: Kysely<Database>, leadId: string): Promise<TimelineAssignment[]> {
  const rows = await db
    .selectFrom('assignments')
    .select(['id', 'manager_id', 'outcome', 'via', 'rule_id', 'actor', 'created_at', 'trace'])
    .where('lead_id', '=', leadId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map((r) => {
    const trace = readJson<{ summary?: unknown; facts?: unknown } | null>(r.trace, null);
    return {
      id: r.id, managerId: r.manager_id, outcome: r.outcome, via: r.via, ruleId: r.rule_id, actor: r.actor, createdAt: r.created_at,
      summary: typeof trace?.summary === 'string' ? trace.summary : null,
      facts: typeof trace?.facts === 'object' && trace.facts !== null ? (trace.facts as SummaryFacts) : null,
    };
  });
}

export async function listLeadTransfers(db: Kysely<Database>, leadId: string): Promise<TimelineTransfer[]> {
  const rows = await db.selectFrom('transfers').selectAll().where('lead_id', '=', leadId).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  return rows.map((r) => ({
    id: r.id, fromManagerId: r.from_manager_id, toManagerId: r.to_manager_id, reason: r.reason, comment: r.comment, status: r.status,
    requestedBy: r.requested_by, decidedBy: r.decided_by, decisionComment: r.decision_comment, createdAt: r.created_at, decidedAt: r.decided_at,
  }));
}
