import { findCrmConnector, insertCrmLink } from '../../store/crm-connector-queries.js';
import { findFormSource, findQuarantined, listQuarantined, resolveQuarantined, type QuarantinedSubmission } from '../../store/form-source-queries.js';
import { actorName, isAdmin, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { leadInputSchema } from '../intake/lead-input.js';
import type { LeadIntake } from '../intake/lead-intake.js';

/**
 * Submissions intake refused (a phone that is no phone, nothing to reach the person by): kept
 * until an admin fixes and replays them through intake, or discards them, so a visitor's
 * request is never lost because a site sent it badly.
 */
function requireAdmin(principal: Principal): void {
  if (!isAdmin(principal)) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Only an administrator works the quarantine of web forms and CRM leads');
}

export async function quarantined(ctx: AppContext, principal: Principal, filter: { formId?: string; connectorId?: string; status?: string; limit: number }): Promise<QuarantinedSubmission[]> {
  requireAdmin(principal);
  return await listQuarantined(ctx.store.db, filter);
}

async function waiting(ctx: AppContext, id: string): Promise<QuarantinedSubmission> {
  const q = await findQuarantined(ctx.store.db, id);
  if (!q) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No quarantined submission ${id}`);
  if (q.status !== 'waiting') throw new LeadRouterError('LR_ERR_CONFLICT', `The submission was ${q.status} already`);
  return q;
}

/** Runs the (corrected) lead through intake as the form would have; the lead is routed and announced as usual. */
export async function replayQuarantined(ctx: AppContext, intake: LeadIntake, principal: Principal, id: string, corrected: Record<string, unknown> | undefined): Promise<QuarantinedSubmission> {
  requireAdmin(principal);
  const q = await waiting(ctx, id);
  const apiKeyId = await apiKeyOf(ctx, q);
  const input = corrected ?? q.input;
  const parsed = leadInputSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: `input.${i.path.join('.')}`, code: i.code, message: i.message }));
    throw new LeadRouterError('LR_ERR_VALIDATION', `${issues[0]?.path}: ${issues[0]?.message}`, issues);
  }
  // The form's own key and submission id (or, without one, the quarantine entry's): replaying twice,
  // by a double click or two admins at once, or a late retry of the form, makes one lead. A CRM
  // lead's is the connector's key and its CRM id, so a later event or poll finds the lead made.
  const [outcome] = await intake.accept({ leads: [parsed.data], apiKeyId, idempotencyKey: q.idempotencyKey ?? `quarantine:${q.id}`, actor: actorName(principal) });
  if (!outcome) throw new LeadRouterError('LR_ERR_INTERNAL');
  const at = ctx.now().toISOString();
  const crmId = q.connectorId !== null ? /^(?:bitrix24|amocrm):lead:(\d+)$/.exec(q.idempotencyKey ?? '')?.[1] : undefined;
  if (q.connectorId !== null && crmId) await insertCrmLink(ctx.store.db, { connectorId: q.connectorId, crmId, leadId: outcome.lead.id, direction: 'in', at });
  if (!(await resolveQuarantined(ctx.store.db, id, { status: 'replayed', leadId: outcome.lead.id, input: parsed.data, at, by: actorName(principal) }))) {
    throw new LeadRouterError('LR_ERR_CONFLICT', 'Someone resolved this submission meanwhile');
  }
  await recordAudit(ctx, ctx.store.db, principal, [{ action: 'form_submission.replayed', entity: 'form_submission', entityId: id, before: { input: q.input, issues: q.issues }, after: { input: parsed.data, leadId: outcome.lead.id } }]);
  return { ...q, status: 'replayed', leadId: outcome.lead.id, input: parsed.data, resolvedAt: at, resolvedBy: actorName(principal) };
}

/** The API key a replayed lead is attributed to: its web form's, or its CRM connector's. */
async function apiKeyOf(ctx: AppContext, q: QuarantinedSubmission): Promise<string> {
  if (q.connectorId !== null) {
    const connector = await findCrmConnector(ctx.store.db, q.connectorId);
    if (!connector) throw new LeadRouterError('LR_ERR_NOT_FOUND', `The CRM connector of submission ${q.id} is gone`);
    return connector.apiKeyId;
  }
  const form = q.formId !== null ? await findFormSource(ctx.store.db, q.formId) : undefined;
  if (!form) throw new LeadRouterError('LR_ERR_NOT_FOUND', `The web form of submission ${q.id} is gone`);
  return form.apiKeyId;
}

export async function discardQuarantined(ctx: AppContext, principal: Principal, id: string): Promise<QuarantinedSubmission> {
  requireAdmin(principal);
  const q = await waiting(ctx, id);
  const at = ctx.now().toISOString();
  if (!(await resolveQuarantined(ctx.store.db, id, { status: 'discarded', leadId: null, at, by: actorName(principal) }))) {
    throw new LeadRouterError('LR_ERR_CONFLICT', 'Someone resolved this submission meanwhile');
  }
  await recordAudit(ctx, ctx.store.db, principal, [{ action: 'form_submission.discarded', entity: 'form_submission', entityId: id, before: { input: q.input, issues: q.issues } }]);
  return { ...q, status: 'discarded', resolvedAt: at, resolvedBy: actorName(principal) };
}
