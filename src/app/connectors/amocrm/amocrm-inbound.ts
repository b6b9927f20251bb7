import { leadInputOfAmocrm, type AmoCompany, type AmoContact, type AmoLead } from '../../../core/connectors/amocrm-lead.js';
import { findCrmLinkByCrmId, insertCrmLink, noteCrmError, noteCrmSuccess, type CrmConnectorRecord } from '../../../store/crm-connector-queries.js';
import { findLeadsByIdempotencyKeys } from '../../../store/lead-queries.js';
import type { AppContext } from '../../app-context.js';
import { isLeadRouterError, LeadRouterError } from '../../errors.js';
import { leadInputSchema } from '../../intake/lead-input.js';
import type { LeadIntake } from '../../intake/lead-intake.js';
import { CrmApiError } from '../crm-api-error.js';
import { amocrmSubdomainOf, type AmocrmClient } from './amocrm-client.js';

export const amocrmIdempotencyKey = (crmId: string): string => `amocrm:lead:${crmId}`;

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
    const db = this.ctx.store.db;
    const linked = await findCrmLinkByCrmId(db, connector.id, crmId);
    if (linked) return { crmId, leadId: linked, created: false };
    const client = this.clientOf(connector);
    const lead = await client.request<AmoLead | null>('GET', `/api/v4/leads/${crmId}?with=contacts`);
    // 204: no such lead (deleted meanwhile).
    if (!lead) return { crmId, leadId: null, created: false };
    if ((lead._embedded?.tags ?? []).some((t) => t.name === 'leadrouter')) return { crmId, leadId: null, created: false };
    const main = lead._embedded?.contacts?.find((c) => c.is_main) ?? lead._embedded?.contacts?.[0];
    const contact = main ? await client.request<AmoContact>('GET', `/api/v4/contacts/${main.id}`) : null;
    const companyRef = lead._embedded?.companies?.[0];
    const company = companyRef ? await client.request<AmoCompany>('GET', `/api/v4/companies/${companyRef.id}`) : null;
    await noteCrmSuccess(db, connector.id, this.ctx.now().toISOString());
    const parsed = leadInputSchema.safeParse(leadInputOfAmocrm(lead, contact, company, { source: connector.settings.source }));
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'lead'}: ${i.message}`).join('; ');
      await noteCrmError(db, connector.id, `amoCRM lead ${crmId} was not taken in: ${why}`, this.ctx.now().toISOString());
      return { crmId, leadId: null, created: false };
    }
    const key = amocrmIdempotencyKey(crmId);
    let leadId: string;
    let created: boolean;
    try {
      const [outcome] = await this.intake.accept({ leads: [parsed.data], apiKeyId: connector.apiKeyId, idempotencyKey: key, actor: `crm:${connector.id}` });
      if (!outcome) throw new LeadRouterError('LR_ERR_INTERNAL');
      leadId = outcome.lead.id;
      created = outcome.status === 'created';
    } catch (error) {
      if (!isLeadRouterError(error) || error.code !== 'LR_ERR_IDEMPOTENCY_MISMATCH') throw error;
      const [first] = await findLeadsByIdempotencyKeys(db, connector.apiKeyId, [key]);
      if (!first) throw error;
      leadId = first.id;
      created = false;
    }
    await insertCrmLink(db, { connectorId: connector.id, crmId, leadId, direction: 'in', at: this.ctx.now().toISOString() });
    return { crmId, leadId, created };
  }
}
