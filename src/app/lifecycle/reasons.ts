import { isUniqueViolation } from '../../store/constraint-errors.js';
import { findReasonById, insertReason, listReasons, updateReason, type ReasonKind, type ReasonRecord } from '../../store/reason-queries.js';
import type { Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { ReasonInput, ReasonPatch } from './lifecycle-input.js';

/** The catalogue people pick from: active reasons only, unless an admin asks for all. */
export async function reasons(ctx: AppContext, filter: { kind?: ReasonKind; includeInactive?: boolean }): Promise<ReasonRecord[]> {
  return await listReasons(ctx.store.db, { ...(filter.kind ? { kind: filter.kind } : {}), activeOnly: !filter.includeInactive });
}

function refuseJunkAutoApprove(kind: ReasonKind, autoApprove: boolean | undefined): void {
  if (kind === 'junk' && autoApprove) {
    throw new LeadRouterError('LR_ERR_UNPROCESSABLE', 'autoApprove applies to transfer reasons only', [{ path: 'autoApprove', code: 'transfer_only', message: 'only transfer reasons auto-approve' }]);
  }
}

export async function createReason(ctx: AppContext, principal: Principal, input: ReasonInput): Promise<ReasonRecord> {
  refuseJunkAutoApprove(input.kind, input.autoApprove);
  const reason: ReasonRecord = {
    id: ctx.newId(), kind: input.kind, key: input.key, label: input.label, autoApprove: input.autoApprove ?? false, active: input.active ?? true, createdAt: ctx.now().toISOString(),
  };
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      await insertReason(trx, reason);
      await recordAudit(ctx, trx, principal, [{ action: 'reason.created', entity: 'reason', entityId: reason.id, after: reason }]);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new LeadRouterError('LR_ERR_CONFLICT', `A ${input.kind} reason with the key ${input.key} already exists; change it with PATCH`);
    throw error;
  }
  return reason;
}

/** Keys never change (leads and transfers keep them); labels, the active flag and auto-approval do. */
export async function changeReason(ctx: AppContext, principal: Principal, id: string, patch: ReasonPatch): Promise<ReasonRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const before = await findReasonById(trx, id);
    if (!before) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No reason with id ${id}`);
    refuseJunkAutoApprove(before.kind, patch.autoApprove);
    await updateReason(trx, id, patch);
    const after = (await findReasonById(trx, id)) as ReasonRecord;
    await recordAudit(ctx, trx, principal, [{ action: 'reason.changed', entity: 'reason', entityId: id, before, after }]);
    return after;
  });
}
