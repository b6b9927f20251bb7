import { compactTrace } from '../../core/routing/compact-trace.js';
import { readJson, writeJson } from '../../store/json.js';
import { tracesToCompact, writeCompactTraces } from '../../store/trace-purge-queries.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';

/**
 * Compacts the traces of routing decisions older than `olderThanDays` (by the context's clock):
 * each keeps its summary, where the lead went and why in one sentence, and what the reports read
 * (src/core/routing/compact-trace.ts); every rule's evaluation and each candidate's exclusion go.
 * Works in transactions of `batch` decisions, so intake is never held for long; safe to run again
 * (compacted traces are passed by) and while servers run.
 */
export async function purgeDecisionTraces(ctx: AppContext, options: { olderThanDays: number; batch?: number; onProgress?: (done: number) => void }): Promise<{ compacted: number; before: string; bytesBefore: number; bytesAfter: number }> {
  if (!Number.isInteger(options.olderThanDays) || options.olderThanDays < 1) throw new LeadRouterError('LR_ERR_VALIDATION', 'The age of the traces to purge is a whole number of days, at least 1');
  const now = ctx.now();
  const before = new Date(now.getTime() - options.olderThanDays * 86_400_000).toISOString();
  const compactedAt = now.toISOString();
  const batch = options.batch ?? 500;
  let after: { createdAt: string; id: string } | null = null;
  let compacted = 0;
  let bytesBefore = 0;
  let bytesAfter = 0;
  for (;;) {
    const rows = await tracesToCompact(ctx.store.db, ctx.store.kind, before, after, batch);
    if (rows.length === 0) break;
    const updates = rows.map((r) => {
      const trace = writeJson(compactTrace(readJson<unknown>(r.trace, null), compactedAt));
      bytesBefore += Buffer.byteLength(r.trace);
      bytesAfter += Buffer.byteLength(trace);
      return { id: r.id, trace };
    });
    await writeCompactTraces(ctx.store.db, updates);
    compacted += rows.length;
    options.onProgress?.(compacted);
    const last = rows[rows.length - 1] as (typeof rows)[number];
    after = { createdAt: last.createdAt, id: last.id };
  }
  return { compacted, before, bytesBefore, bytesAfter };
}
