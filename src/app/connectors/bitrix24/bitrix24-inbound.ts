import { timingSafeEqual } from 'node:crypto';
import { leadInputOfBitrix24, LEADROUTER_ORIGINATOR, type Bitrix24Lead } from '../../../core/connectors/bitrix24-lead.js';
import { findCrmLinkByCrmId, insertCrmLink, noteCrmError, noteCrmSuccess, savePollMark, type CrmConnectorRecord } from '../../../store/crm-connector-queries.js';
import { findLeadsByIdempotencyKeys } from '../../../store/lead-queries.js';
import type { AppContext } from '../../app-context.js';
import { isLeadRouterError, LeadRouterError } from '../../errors.js';
import { leadInputSchema } from '../../intake/lead-input.js';
import type { LeadIntake } from '../../intake/lead-intake.js';
import { CrmApiError } from '../crm-api-error.js';
import { quarantineCrmLead } from '../crm-quarantine.js';
import type { Bitrix24Client } from './bitrix24-client.js';

/** The intake idempotency key of a Bitrix24 lead: the same CRM lead never makes a second leadrouter lead. */
export const bitrix24IdempotencyKey = (crmId: string): string => `bitrix24:lead:${crmId}`;

/** The CRM lead id an idempotency key of this CRM names, or null when the key is not one. */
export function crmIdOfIdempotencyKey(key: string | null, kind: 'bitrix24' | 'amocrm' = 'bitrix24'): string | null {
  const match = key ? /^(bitrix24|amocrm):lead:(\d+)$/.exec(key) : null;
  return match && match[1] === kind ? (match[2] as string) : null;
}

/** Multifields and everything else a lead has; custom fields are not brought in. */
const LEAD_SELECT = ['*', 'PHONE', 'EMAIL', 'WEB'];
/** Bitrix24 lists 50 records a page (crm-lead-list.md). */
const PAGE = 50;

export type EventOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'lead'; crmId: string; leadId: string | null; created: boolean };

export interface BroughtIn {
  crmId: string;
  leadId: string | null;
  created: boolean;
  /** Why no lead was made (a lead leadrouter created itself, or one intake refused). */
  skipped?: string;
}

function tokenMatches(expected: string | null, given: string | undefined): boolean {
  if (!expected || typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Leads from Bitrix24. An outbound handler's ONCRMLEADADD carries only the lead's id: the lead
 * is read with crm.lead.get and taken in like any lead, under the idempotency key of its CRM
 * id. Bitrix24 does not retry an event that failed, so the poll asks crm.lead.list for leads
 * past the last id it saw; whichever comes first makes the lead, the other finds it.
 */
export class Bitrix24Inbound {
  constructor(
    private readonly ctx: AppContext,
    private readonly intake: LeadIntake,
    private readonly clientOf: (connector: CrmConnectorRecord) => Bitrix24Client,
  ) {}

  /** An outbound-webhook call, as its form fields (`event`, `data[FIELDS][ID]`, `auth[application_token]`). */
  async event(connector: CrmConnectorRecord, fields: Record<string, string | undefined>): Promise<EventOutcome> {
    if (!connector.active || connector.kind !== 'bitrix24') throw new LeadRouterError('LR_ERR_NOT_FOUND', 'This CRM connector is switched off in leadrouter');
    if (connector.eventToken === null) throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'Set the outbound webhook’s application token in leadrouter first');
    if (!tokenMatches(connector.eventToken, fields['auth[application_token]'])) throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'The application token does not match the one set in leadrouter');
    const event = (fields.event ?? '').toUpperCase();
    if (event !== 'ONCRMLEADADD') return { kind: 'ignored', reason: `event ${event || '(none)'} is not handled` };
    const crmId = (fields['data[FIELDS][ID]'] ?? '').trim();
    if (!/^\d{1,18}$/.test(crmId)) throw new LeadRouterError('LR_ERR_VALIDATION', 'data[FIELDS][ID] is not a lead id');
    try {
      const lead = await this.fetch(connector, crmId);
      const brought = await this.bringIn(connector, lead);
      return { kind: 'lead', crmId, leadId: brought.leadId, created: brought.created };
    } catch (error) {
      // The poll brings the lead in later: Bitrix24 would not send the event again anyway.
      await noteCrmError(this.ctx.store.db, connector.id, errorText(error), this.ctx.now().toISOString());
      if (error instanceof CrmApiError) return { kind: 'lead', crmId, leadId: null, created: false };
      throw error;
    }
  }

  async fetch(connector: CrmConnectorRecord, crmId: string): Promise<Bitrix24Lead> {
    const { result } = await this.clientOf(connector).call<Bitrix24Lead>('crm.lead.get', { id: crmId });
    await noteCrmSuccess(this.ctx.store.db, connector.id, this.ctx.now().toISOString());
    return result;
  }

  /** One CRM lead into leadrouter, once; a lead leadrouter itself created in the CRM is not brought back. */
  async bringIn(connector: CrmConnectorRecord, record: Bitrix24Lead): Promise<BroughtIn> {
    const db = this.ctx.store.db;
    const crmId = String(record.ID);
    const linked = await findCrmLinkByCrmId(db, connector.id, crmId);
    if (linked) return { crmId, leadId: linked, created: false };
    if (record.ORIGINATOR_ID === LEADROUTER_ORIGINATOR) return { crmId, leadId: typeof record.ORIGIN_ID === 'string' ? record.ORIGIN_ID : null, created: false, skipped: 'created by leadrouter' };
    const key = bitrix24IdempotencyKey(crmId);
    const input = leadInputSchema.safeParse(leadInputOfBitrix24(record, { source: connector.settings.source }));
    const at = () => this.ctx.now().toISOString();
    if (!input.success) {
      const issues = input.error.issues.map((i) => ({ path: i.path.join('.') || 'lead', code: i.code, message: i.message }));
      await quarantineCrmLead(this.ctx, connector, { crmId, idempotencyKey: key, input: leadInputOfBitrix24(record, { source: connector.settings.source }), issues });
      return { crmId, leadId: null, created: false, skipped: issues.map((i) => `${i.path}: ${i.message}`).join('; ') };
    }
    let leadId: string;
    let created: boolean;
    try {
      const [outcome] = await this.intake.accept({ leads: [input.data], apiKeyId: connector.apiKeyId, idempotencyKey: key, actor: `crm:${connector.id}` });
      if (!outcome) throw new LeadRouterError('LR_ERR_INTERNAL');
      leadId = outcome.lead.id;
      created = outcome.status === 'created';
    } catch (error) {
      // The lead changed in the CRM between the event and the poll: it was taken in already under its key.
      // Intake refused what the schema let through (a phone that is no phone): kept for an admin.
      if (isLeadRouterError(error) && (error.code === 'LR_ERR_VALIDATION' || error.code === 'LR_ERR_UNPROCESSABLE')) {
        const issues = error.details ?? [{ path: 'lead', code: 'unprocessable', message: error.message }];
        await quarantineCrmLead(this.ctx, connector, { crmId, idempotencyKey: key, input: { ...input.data }, issues });
        return { crmId, leadId: null, created: false };
      }
      if (!isLeadRouterError(error) || error.code !== 'LR_ERR_IDEMPOTENCY_MISMATCH') throw error;
      const [first] = await findLeadsByIdempotencyKeys(db, connector.apiKeyId, [key]);
      if (!first) throw error;
      leadId = first.id;
      created = false;
    }
    await insertCrmLink(db, { connectorId: connector.id, crmId, leadId, direction: 'in', at: at() });
    return { crmId, leadId, created };
  }

  /**
   * Leads created since the last id the poll saw, oldest first, a page at a time; the mark
   * moves after each lead, so an interrupted poll resumes where it stopped. A connector that
   * never polled starts from the newest lead there is: the CRM's history is not imported.
   */
  async poll(connector: CrmConnectorRecord, options: { maxPages?: number } = {}): Promise<{ seen: number; created: number }> {
    const db = this.ctx.store.db;
    const client = this.clientOf(connector);
    let mark = connector.lastSeenId;
    if (mark === null) {
      const { result } = await client.call<Array<{ ID: string }>>('crm.lead.list', { order: { ID: 'DESC' }, select: ['ID'], start: 0 });
      mark = result[0]?.ID ?? '0';
      await savePollMark(db, connector.id, mark, this.ctx.now().toISOString());
      await noteCrmSuccess(db, connector.id, this.ctx.now().toISOString());
      return { seen: 0, created: 0 };
    }
    let seen = 0;
    let created = 0;
    for (let page = 0; page < (options.maxPages ?? 10); page += 1) {
      const answer: { result: Bitrix24Lead[] } = await client.call<Bitrix24Lead[]>('crm.lead.list', { filter: { '>ID': mark }, order: { ID: 'ASC' }, select: LEAD_SELECT, start: 0 });
      await noteCrmSuccess(db, connector.id, this.ctx.now().toISOString());
      const result = answer.result;
      for (const record of result) {
        const brought = await this.bringIn(connector, record);
        seen += 1;
        if (brought.created) created += 1;
        mark = String(record.ID);
        await savePollMark(db, connector.id, mark, this.ctx.now().toISOString());
      }
      if (result.length < PAGE) break;
    }
    await savePollMark(db, connector.id, mark, this.ctx.now().toISOString());
    return { seen, created };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
