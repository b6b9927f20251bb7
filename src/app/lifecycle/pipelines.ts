import { pipelineIssues, removedOpenStages, type Stage } from '../../core/lifecycle/pipeline.js';
import { teamExists } from '../../store/manager-queries.js';
import { BUILT_IN_PIPELINE, countLeadsInStatuses, findPipelineOfTeam, listPipelines, savePipeline, type PipelineRecord } from '../../store/pipeline-queries.js';
import type { Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { PipelineInput } from './lifecycle-input.js';

export interface PipelineList {
  default: PipelineRecord;
  teams: PipelineRecord[];
}

export async function pipelines(ctx: AppContext): Promise<PipelineList> {
  const all = await listPipelines(ctx.store.db);
  return { default: all.find((p) => p.teamId === null) ?? BUILT_IN_PIPELINE, teams: all.filter((p) => p.teamId !== null) };
}

/**
 * Replaces the default pipeline (teamId null) or a team's own. Refused while open leads sit in
 * a stage the new list drops: they would be stranded in a status nobody can see in the board.
 */
export async function replacePipeline(ctx: AppContext, principal: Principal, teamId: string | null, input: PipelineInput): Promise<PipelineRecord> {
  const stages: Stage[] = input.stages.map((s) => ({ key: s.key, label: s.label, kind: s.kind }));
  const issues = pipelineIssues(stages);
  if (issues.length > 0) throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `The pipeline has ${issues.length} problem(s): ${issues.map((i) => i.message).join('; ')}`, issues);
  if (teamId !== null && !(await teamExists(ctx.store.db, teamId))) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No team with id ${teamId}`);

  return await ctx.store.db.transaction().execute(async (trx) => {
    const before = await findPipelineOfTeam(trx, teamId);
    const removed = removedOpenStages(before.stages, stages);
    const inUse = await countLeadsInStatuses(trx, teamId, removed);
    if (inUse.size > 0) {
      const counts = [...inUse].map(([status, n]) => `${status}: ${n}`);
      throw new LeadRouterError(
        'LR_ERR_CONFLICT',
        `Open leads are still in stages this change removes (${counts.join(', ')}); move them to other stages first`,
        [...inUse].map(([status, n]) => ({ path: 'stages', code: 'stage_in_use', message: `${n} open lead(s) in "${status}"` })),
      );
    }
    const at = ctx.now().toISOString();
    const name = input.name ?? (teamId === null ? 'Default' : before.teamId === teamId ? before.name : `Team ${teamId}`);
    await savePipeline(trx, { teamId, name, stages }, at);
    await recordAudit(ctx, trx, principal, [
      { action: 'pipeline.replaced', entity: 'pipeline', entityId: teamId ?? 'default', before: before.teamId === teamId ? { name: before.name, stages: before.stages } : null, after: { name, stages } },
    ]);
    return { teamId, name, stages, updatedAt: at };
  });
}
