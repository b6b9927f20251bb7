import { refuseStatusChange, stageOf, type Stage } from '../../core/lifecycle/pipeline.js';
import type { LeadRecord } from '../../store/lead-queries.js';
import { findPipelineOfOwner } from '../../store/pipeline-queries.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { StatusChange } from './lifecycle-input.js';
import { moveLeadStatus, requireJunkReason } from './move-lead-status.js';
import { loadWorkableLead } from './workable-lead.js';

/** Moves a lead along its pipeline (its owner's team's, else the default), or marks it junk with a reason. */
export async function changeLeadStatus(ctx: AppContext, principal: Principal, leadId: string, input: StatusChange): Promise<LeadRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const lead = await loadWorkableLead(trx, principal, leadId);
    const pipeline = await findPipelineOfOwner(trx, lead.ownerId);
    const refusal = refuseStatusChange(pipeline.stages, { status: lead.status, hasOwner: lead.ownerId !== null }, input.status);
    if (refusal) {
      const code = refusal.code === 'unknown_stage' ? 'LR_ERR_UNPROCESSABLE' : 'LR_ERR_CONFLICT';
      throw new LeadRouterError(code, refusal.message, refusal.code === 'unknown_stage' ? [{ path: 'status', code: refusal.code, message: refusal.message }] : undefined);
    }
    const stage = stageOf(pipeline.stages, input.status) as Stage;
    const junkReason = stage.kind === 'junk' ? await requireJunkReason(trx, input.junkReason) : null;
    return await moveLeadStatus(ctx, trx, principal, { lead, to: stage.key, kind: stage.kind, junkReason, comment: input.comment ?? null, topic: 'lead.status_changed' });
  });
}
