/**
 * A decision trace after its detail has aged out (`leadrouter purge-traces`): what a person and
 * the reports still read — the summary and its facts (the sentence in each language), where the
 * lead went (winner, ownership outcome, fallback reason), the fair-share targets and the winning
 * rule's name (the distribution report, also after `rebuild-rollups`) — without every rule's
 * evaluation, each candidate and each exclusion's reason, which make most of a trace's size.
 */

/** Marks a trace already compacted, so a second purge passes it by. */
export const COMPACT_TRACE_MARK = 'compacted';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The kept part of a stored trace (null or anything else that is not a trace comes back as it is). */
export function compactTrace(trace: unknown, compactedAt: string): unknown {
  if (!isObject(trace) || trace[COMPACT_TRACE_MARK] !== undefined) return trace;
  const kept: Json = { [COMPACT_TRACE_MARK]: compactedAt };
  for (const key of ['ruleSetVersion', 'at', 'summary', 'facts'] as const) if (trace[key] !== undefined) kept[key] = trace[key];
  const ownership = trace.ownership;
  if (isObject(ownership)) kept.ownership = { ownerId: ownership.ownerId, outcome: ownership.outcome };
  const fallback = trace.fallback;
  if (isObject(fallback)) kept.fallback = { reason: fallback.reason, target: fallback.target };
  const winner = trace.winner;
  if (isObject(winner)) {
    const explanation = winner.explanation;
    kept.winner = {
      managerId: winner.managerId,
      ...(winner.ruleId !== undefined ? { ruleId: winner.ruleId } : {}),
      ...(isObject(explanation)
        ? { explanation: { strategy: explanation.strategy, ...(explanation.shares !== undefined ? { shares: explanation.shares } : {}), ...(explanation.loads !== undefined ? { loads: explanation.loads } : {}) } }
        : {}),
    };
  }
  // A trace with steps keeps the rule that decided (its name), so it still reads as a routing decision.
  if (Array.isArray(trace.steps)) {
    const ruleId = isObject(winner) ? winner.ruleId : undefined;
    kept.steps = trace.steps.filter((s): s is Json => isObject(s) && ruleId !== undefined && s.ruleId === ruleId).map((s) => ({ ruleId: s.ruleId, ruleName: s.ruleName, outcome: s.outcome }));
  }
  return kept;
}
