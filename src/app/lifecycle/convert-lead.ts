import { recordBonusTerms } from '../bonus/bonus-report.js';
import type { Kysely } from 'kysely';
import { emptyControlPoints, isClosedDealStage } from '../../core/lifecycle/deals.js';
import { CONVERTED_STAGE, JUNK_STAGE } from '../../core/lifecycle/pipeline.js';
import { companyNameKey } from '../../core/normalize/index.js';
import { findCompaniesByKeys, findContactsByKeys, insertCompanies, insertContacts } from '../../store/client-queries.js';
import { isUniqueViolation } from '../../store/constraint-errors.js';
import { completeCompany, completeContact, findLeadContactKeys } from '../../store/conversion-queries.js';
import { insertDeal, type DealRecord } from '../../store/deal-queries.js';
import type { LeadRecord } from '../../store/lead-queries.js';
import type { Database } from '../../store/schema.js';
import { QUALIFICATION_STATUS } from '../access/lead-access.js';
import type { Principal } from '../access/principal.js';
import { recordAudit, type AuditedChange } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { ConvertInput } from './lifecycle-input.js';
import { moveLeadStatus } from './move-lead-status.js';
import { loadWorkableLead } from './workable-lead.js';

export interface Conversion {
  lead: LeadRecord;
  deal: DealRecord;
  contactId: string;
  companyId: string | null;
  created: { contact: boolean; company: boolean };
}

/**
 * Turns a lead into a client: links the contact and company it matches (or creates them,
 * owned by the lead's owner), registers the deal with the lead's originator (who brought the client
 * in), or the converting owner when nobody registered the lead, as its originator, and closes
 * the lead as converted, freeing a place in the owner's capacity. All in one transaction.
 */
export async function convertLead(ctx: AppContext, principal: Principal, leadId: string, input: ConvertInput): Promise<Conversion> {
  try {
    return await ctx.store.db.transaction().execute(async (trx) => {
      const lead = await loadWorkableLead(trx, principal, leadId);
      if (lead.status === CONVERTED_STAGE) throw new LeadRouterError('LR_ERR_CONFLICT', 'The lead is already converted');
      if (lead.status === JUNK_STAGE) throw new LeadRouterError('LR_ERR_CONFLICT', 'The lead is marked junk; a closed lead does not convert');
      if (lead.status === QUALIFICATION_STATUS) throw new LeadRouterError('LR_ERR_CONFLICT', 'The lead waits for qualification; qualify it first');
      if (!lead.ownerId) throw new LeadRouterError('LR_ERR_CONFLICT', 'Nobody owns this lead: the deal needs its originator, so claim or assign it first');
      const at = ctx.now().toISOString();
      const audit: AuditedChange[] = [];

      const company = await linkCompany(ctx, trx, lead, input, at);
      if (company.created) audit.push({ action: 'company.created', entity: 'company', entityId: company.id, after: { name: company.name, ownerId: lead.ownerId, fromLead: lead.id } });
      const contact = await linkContact(ctx, trx, lead, input, company.id, at);
      if (contact.created) audit.push({ action: 'contact.created', entity: 'contact', entityId: contact.id, after: { name: contact.name, ownerId: lead.ownerId, companyId: company.id, fromLead: lead.id } });

      const stage = input.deal.stage ?? 'open';
      const deal: DealRecord = {
        id: ctx.newId(), leadId: lead.id, contactId: contact.id, companyId: company.id, title: input.deal.title, amount: input.deal.amount ?? lead.dealValue ?? null,
        currency: input.deal.currency?.toUpperCase() ?? null, stage, originatorId: lead.originatorId ?? lead.ownerId, ownerId: lead.ownerId, controlPoints: emptyControlPoints(),
        createdAt: at, updatedAt: at, closedAt: isClosedDealStage(stage) ? at : null,
      };
      await insertDeal(trx, deal);
      // Registered already won: its bonus terms are fixed now, as for a deal won later.
      if (deal.stage === 'won') await recordBonusTerms(trx, deal, at);
      audit.push({ action: 'deal.created', entity: 'deal', entityId: deal.id, after: deal });
      await recordAudit(ctx, trx, principal, audit);

      const converted = await moveLeadStatus(ctx, trx, principal, {
        lead,
        to: CONVERTED_STAGE,
        kind: 'converted',
        topic: 'lead.converted',
        also: { contact_id: contact.id, company_id: company.id },
        details: { dealId: deal.id, contactId: contact.id, companyId: company.id, amount: deal.amount, currency: deal.currency },
      });
      return { lead: converted, deal, contactId: contact.id, companyId: company.id, created: { contact: contact.created, company: company.created } };
    });
  } catch (error) {
    // Two conversions at once: the deal's unique lead id lets only one through.
    if (isUniqueViolation(error)) throw new LeadRouterError('LR_ERR_CONFLICT', 'The lead is already converted');
    throw error;
  }
}

async function linkCompany(ctx: AppContext, trx: Kysely<Database>, lead: LeadRecord, input: ConvertInput, at: string): Promise<{ id: string | null; name: string | null; created: boolean }> {
  if (lead.companyId) {
    await completeCompany(trx, lead.companyId, { ownerId: lead.ownerId }, at);
    return { id: lead.companyId, name: null, created: false };
  }
  const name = input.company?.name ?? lead.companyName;
  const nameKey = input.company?.name ? companyNameKey(input.company.name) : lead.companyNameKey;
  const known = await findCompaniesByKeys(trx, {
    taxIds: lead.taxId ? [lead.taxId] : [],
    domains: lead.domain ? [lead.domain] : [],
    nameKeys: nameKey ? [nameKey] : [],
    ids: [],
  });
  // The strongest key wins: a tax id names one legal entity, a domain one organisation, a name may be shared.
  const match = known.find((c) => lead.taxId && c.taxId === lead.taxId) ?? known.find((c) => lead.domain && c.domain === lead.domain) ?? known.find((c) => nameKey && c.nameKey === nameKey);
  if (match) {
    await completeCompany(trx, match.id, { ownerId: lead.ownerId }, at);
    return { id: match.id, name: match.name, created: false };
  }
  if (!name) return { id: null, name: null, created: false };
  const id = ctx.newId();
  await insertCompanies(
    trx,
    [{ id, name, nameKey, taxId: lead.taxId, domain: lead.domain, parentId: null, size: lead.companySize, industry: lead.industry, region: lead.region, ownerId: lead.ownerId }],
    at,
  );
  return { id, name, created: true };
}

async function linkContact(ctx: AppContext, trx: Kysely<Database>, lead: LeadRecord, input: ConvertInput, companyId: string | null, at: string): Promise<{ id: string; name: string | null; created: boolean }> {
  const keys = await findLeadContactKeys(trx, lead.id);
  const existingId = lead.contactId ?? (await findContactsByKeys(trx, keys))[0]?.id;
  if (existingId) {
    await completeContact(trx, existingId, { companyId, ownerId: lead.ownerId }, at);
    return { id: existingId, name: null, created: false };
  }
  const id = ctx.newId();
  const name = input.contact?.name ?? lead.name;
  await insertContacts(trx, [{ id, name, companyId, ownerId: lead.ownerId, phones: keys.phones, emails: keys.emails }], at);
  return { id, name, created: true };
}
