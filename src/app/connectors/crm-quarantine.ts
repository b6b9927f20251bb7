import { insertQuarantined } from '../../store/form-source-queries.js';
import { noteCrmError, type CrmConnectorRecord } from '../../store/crm-connector-queries.js';
import type { AppContext } from '../app-context.js';
import type { FieldIssue } from '../errors.js';

/** The CRM lead's own fields as the quarantine shows them ("what was sent"): scalars as text. */
function flatFields(crmId: string, input: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = { id: crmId };
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined && v !== null && typeof v !== 'object') out[`${key}.${k}`] = String(v);
    } else out[key] = String(value);
  }
  return out;
}

/**
 * A lead the CRM holds but intake refused (no way to reach the person, a phone that is no
 * phone): kept in the quarantine an admin works (fix and replay, or discard) under the
 * connector and the lead's intake key, once — a repeated event or the poll keep no second
 * entry. Also noted as the connector's last error.
 */
export async function quarantineCrmLead(ctx: AppContext, connector: CrmConnectorRecord, q: { crmId: string; idempotencyKey: string; input: Record<string, unknown>; issues: FieldIssue[] }): Promise<boolean> {
  const at = ctx.now().toISOString();
  const kept = await insertQuarantined(ctx.store.db, {
    id: ctx.newId(),
    formId: null,
    connectorId: connector.id,
    fields: flatFields(q.crmId, q.input),
    input: { ...q.input },
    issues: q.issues,
    idempotencyKey: q.idempotencyKey,
    status: 'waiting',
    leadId: null,
    receivedAt: at,
    resolvedAt: null,
    resolvedBy: null,
  });
  if (!kept) return false;
  const crm = connector.kind === 'amocrm' ? 'amoCRM' : 'Bitrix24';
  const why = q.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  await noteCrmError(ctx.store.db, connector.id, `${crm} lead ${q.crmId} was not taken in (kept in the quarantine): ${why}`, at);
  return true;
}
