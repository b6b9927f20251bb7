import { leadInputOfAmocrm, type AmoCompany, type AmoContact, type AmoLead } from '../../../core/connectors/amocrm-lead.js';
import { findCrmLinkByCrmId, insertCrmLink, noteCrmError, noteCrmSuccess, savePollMark, type CrmConnectorRecord } from '../../../store/crm-connector-queries.js';
import { findLeadsByIdempotencyKeys } from '../../../store/lead-queries.js';
import type { AppContext } from '../../app-context.js';
import { isLeadRouterError, LeadRouterError } from '../../errors.js';
import { leadInputSchema } from '../../intake/lead-input.js';
import type { LeadIntake } from '../../intake/lead-intake.js';
import { CrmApiError } from '../crm-api-error.js';
import { quarantineCrmLead } from '../crm-quarantine.js';
import { amocrmSubdomainOf, type AmocrmClient } from './amocrm-client.js';

export const amocrmIdempotencyKey = (crmId: string): string => `amocrm:lead:${crmId}`;

/** amoCRM lists at most 250 records a page (GET /api/v4/leads `limit`). */
const PAGE = 250;

/** An amoCRM lead as GET /api/v4/leads lists it: with its creation time (Unix seconds). */
export type AmoListedLead = AmoLead & { created_at?: number };

/**
 * Leads created at or after `fromSeconds`, oldest first, a page of 250 at a time, with their
 * contacts and tags (filter[created_at][from], order[created_at]=asc; 204 when there are none).
 */
export async function amocrmLeadsSince(client: AmocrmClient, fromSeconds: number, page: number): Promise<AmoListedLead[]> {
  const query = new URLSearchParams({ 'filter[created_at][from]': String(fromSeconds), 'order[created_at]': 'asc', limit: String(PAGE), page: String(page), with: 'contacts' });
  const answer = await client.request<{ _embedded?: { leads?: AmoListedLead[] } } | null>('GET', `/api/v4/leads?${query.toString()}`);
  return answer?._embedded?.leads ?? [];
}

export interface AmoEventOutcome {
  leads: Array<{ crmId: string; leadId: string | null; created: boolean }>;
}

/**
 * Leads from amoCRM. Its webhook posts `leads[add][0][id]=…` (form-urlencoded, no signature): the
 * address's unguessable key and `account[subdomain]` say it is this account. Each lead is read
 * with GET /api/v4/leads/{id}?with=contacts, its main contact and company too, and taken in
 * once under the idempotency key of its amoCRM id. Leads leadrouter created there (tagged
 * «leadrouter») are not brought back.
 */
export class AmocrmInbound {
  constructor(
    private readonly ctx: AppContext,
    private readonly intake: LeadIntake,
    private readonly clientOf: (connector: CrmConnectorRecord) => AmocrmClient,
  ) {}

  async event(connector: CrmConnectorRecord, fields: Record<string, string | undefined>): Promise<AmoEventOutcome> {
    if (!connector.active || connector.kind !== 'amocrm') throw new LeadRouterError('LR_ERR_NOT_FOUND', 'This CRM connector is switched off in leadrouter');
    const subdomain = fields['account[subdomain]'];
    const own = amocrmSubdomainOf(connector.endpoint);
    if (subdomain !== undefined && own !== null && subdomain.toLowerCase() !== own) throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'The webhook comes from another amoCRM account');
    const ids = Object.entries(fields)
      .filter(([k]) => /^leads\[add\]\[\d+\]\[id\]$/.test(k))
      .map(([, v]) => (v ?? '').trim())
      .filter((v) => /^\d{1,18}$/.test(v))
      .slice(0, 50);
    const leads: AmoEventOutcome['leads'] = [];
    for (const crmId of ids) {
      try {
        leads.push(await this.bringIn(connector, crmId));
      } catch (error) {
        await noteCrmError(this.ctx.store.db, connector.id, error instanceof Error ? error.message : String(error), this.ctx.now().toISOString());
        if (!(error instanceof CrmApiError)) throw error;
        // amoCRM is asked again when it repeats the webhook; the answer says the lead is not taken yet.
        throw new LeadRouterError('LR_ERR_UNAVAILABLE', `amoCRM could not be read: ${error.message}`);
      }
    }
    return { leads };
  }

  async bringIn(connector: CrmConnectorRecord, crmId: string): Promise<{ crmId: string; leadId: string | null; created: boolean }> {
    const linked = await findCrmLinkByCrmId(this.ctx.store.db, connector.id, crmId);
    if (linked) return { crmId, leadId: linked, created: false };
    const lead = await this.clientOf(connector).request<AmoLead | null>('GET', `/api/v4/leads/${crmId}?with=contacts`);
    // 204: no such lead (deleted meanwhile).
    if (!lead) return { crmId, leadId: null, created: false };
    return await this.bringInLead(connector, lead);
  }

  /** One amoCRM lead (read or listed) into leadrouter, once; one that intake refuses is kept in the quarantine. */
  async bringInLead(connector: CrmConnectorRecord, lead: AmoLead): Promise<{ crmId: string; leadId: string | null; created: boolean }> {
    const db = this.ctx.store.db;
    const crmId = String(lead.id);
    const linked = await findCrmLinkByCrmId(db, connector.id, crmId);
    if (linked) return { crmId, leadId: linked, created: false };
    const client = this.clientOf(connector);
    if ((lead._embedded?.tags ?? []).some((t) => t.name === 'leadrouter')) return { crmId, leadId: null, created: false };
    const main = lead._embedded?.contacts?.find((c) => c.is_main) ?? lead._embedded?.contacts?.[0];
    const contact = main ? await client.request<AmoContact>('GET', `/api/v4/contacts/${main.id}`) : null;
    const companyRef = lead._embedded?.companies?.[0];
    const company = companyRef ? await client.request<AmoCompany>('GET', `/api/v4/companies/${companyRef.id}`) : null;
    await noteCrmSuccess(db, connector.id, this.ctx.now().toISOString());
    const input = leadInputOfAmocrm(lead, contact, company, { source: connector.settings.source });
    const parsed = leadInputSchema.safeParse(input);
    const key = amocrmIdempotencyKey(crmId);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'lead', code: i.code, message: i.message }));
      await quarantineCrmLead(this.ctx, connector, { crmId, idempotencyKey: key, input, issues });
      return { crmId, leadId: null, created: false };
    }
    let leadId: string;
    let created: boolean;
    try {
      const [outcome] = await this.intake.accept({ leads: [parsed.data], apiKeyId: connector.apiKeyId, idempotencyKey: key, actor: `crm:${connector.id}` });
      if (!outcome) throw new LeadRouterError('LR_ERR_INTERNAL');
      leadId = outcome.lead.id;
      created = outcome.status === 'created';
    } catch (error) {
      // Intake refused what the schema let through (a phone that is no phone): kept for an admin.
      if (isLeadRouterError(error) && (error.code === 'LR_ERR_VALIDATION' || error.code === 'LR_ERR_UNPROCESSABLE')) {
        const issues = error.details ?? [{ path: 'lead', code: 'unprocessable', message: error.message }];
        await quarantineCrmLead(this.ctx, connector, { crmId, idempotencyKey: key, input: { ...parsed.data }, issues });
        return { crmId, leadId: null, created: false };
      }
      if (!isLeadRouterError(error) || error.code !== 'LR_ERR_IDEMPOTENCY_MISMATCH') throw error;
      const [first] = await findLeadsByIdempotencyKeys(db, connector.apiKeyId, [key]);
      if (!first) throw error;
      leadId = first.id;
      created = false;
    }
    await insertCrmLink(db, { connectorId: connector.id, crmId, leadId, direction: 'in', at: this.ctx.now().toISOString() });
    return { crmId, leadId, created };
  }

  /**
   * amoCRM does not deliver a webhook again once it gave up (leadrouter down, the network
   * failed): leads created since the newest one the poll saw are listed, oldest first
   * (filter[created_at][from], inclusive, so a lead created in the same second is not missed),
   * and brought in by their CRM id, which makes a lead once whatever brought it first. The mark
   * (`lastSeenId`) is that lead's creation time in Unix seconds, moved after each lead. A
   * connector that never polled starts from now: the account's history is not imported.
   */
  async poll(connector: CrmConnectorRecord, options: { maxPages?: number } = {}): Promise<{ seen: number; created: number }> {
    const db = this.ctx.store.db;
    const client = this.clientOf(connector);
    const at = () => this.ctx.now().toISOString();
    if (connector.lastSeenId === null) {
      const [newest] = (await client.request<{ _embedded?: { leads?: AmoListedLead[] } } | null>('GET', '/api/v4/leads?order[created_at]=desc&limit=1'))?._embedded?.leads ?? [];
      await savePollMark(db, connector.id, String(newest?.created_at ?? Math.floor(Date.now() / 1000)), at());
      await noteCrmSuccess(db, connector.id, at());
      return { seen: 0, created: 0 };
    }
    const from = Number(connector.lastSeenId);
    let mark = from;
    let seen = 0;
    let created = 0;
    for (let page = 1; page <= (options.maxPages ?? 10); page += 1) {
      const leads = await amocrmLeadsSince(client, from, page);
      await noteCrmSuccess(db, connector.id, at());
      for (const lead of leads) {
        const brought = await this.bringInLead(connector, lead);
        seen += 1;
        if (brought.created) created += 1;
        if (typeof lead.created_at === 'number' && lead.created_at > mark) {
          mark = lead.created_at;
          await savePollMark(db, connector.id, String(mark), at());
        }
      }
      if (leads.length < PAGE) break;
    }
    await savePollMark(db, connector.id, String(mark), at());
    return { seen, created };
  }
}
