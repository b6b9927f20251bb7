import type { ManagerId } from '../../core/ids.js';
import type { HoldingOwnerPolicy } from '../../core/routing/rule-set.js';
import type { OwnershipVia } from '../../core/routing/routing-session.js';
import type { KnownCompany, KnownContact } from '../../store/client-queries.js';
import type { LeadMatch } from '../../store/lead-queries.js';
import type { PreparedLead } from './prepare-lead.js';

export interface OpenLeadRef {
  id: string;
  /** Set when this lead itself repeats an earlier one; matches then point at that original. */
  duplicateOf: string | null;
  ownerId: string | null;
  keys: Array<{ kind: string; value: string }>;
}

/**
 * What is already known about a batch's clients. Leads accepted earlier in the same batch are
 * added as they are decided, so the second of two identical leads is a duplicate of the first.
 */
export class ClientIndex {
  private readonly contactsByKey = new Map<string, KnownContact>();
  private readonly companiesById = new Map<string, KnownCompany>();
  private readonly companiesByKey = new Map<string, KnownCompany>();
  private readonly openLeadsByKey = new Map<string, OpenLeadRef>();

  constructor(contacts: KnownContact[], companies: KnownCompany[], openLeads: OpenLeadRef[]) {
    for (const c of contacts) for (const k of c.keys) this.contactsByKey.set(`${k.kind}:${k.value}`, c);
    for (const c of companies) {
      this.companiesById.set(c.id, c);
      if (c.taxId) this.companiesByKey.set(`tax:${c.taxId}`, c);
      if (c.domain) this.companiesByKey.set(`domain:${c.domain}`, c);
      if (c.nameKey) this.companiesByKey.set(`name:${c.nameKey}`, c);
    }
    // Oldest first: the first open lead seen for a key is the original the others duplicate.
    for (const l of openLeads) this.addOpenLead(l);
  }

  addOpenLead(lead: OpenLeadRef): void {
    const original = lead.duplicateOf ? { ...lead, id: lead.duplicateOf, duplicateOf: null } : lead;
    for (const { kind, value } of lead.keys) {
      const key = `${kind}:${value}`;
      if (!this.openLeadsByKey.has(key)) this.openLeadsByKey.set(key, original);
    }
  }

  /** `holdingOwner`: the rule set's ownership.holdingOwner, whose owner a subsidiary's lead follows. */
  match(lead: PreparedLead, holdingOwner: HoldingOwnerPolicy = 'fallback'): LeadMatch {
    const match: LeadMatch = {};
    const contact = [...lead.keys.phones.map((p) => `phone:${p}`), ...lead.keys.emails.map((e) => `email:${e}`)]
      .map((k) => this.contactsByKey.get(k))
      .find((c) => c !== undefined);
    if (contact) match.contactId = contact.id;

    const company =
      (contact?.companyId ? this.companiesById.get(contact.companyId) : undefined) ??
      (lead.keys.taxId ? this.companiesByKey.get(`tax:${lead.keys.taxId}`) : undefined) ??
      (lead.keys.domain ? this.companiesByKey.get(`domain:${lead.keys.domain}`) : undefined) ??
      (lead.keys.companyNameKey ? this.companiesByKey.get(`name:${lead.keys.companyNameKey}`) : undefined);
    if (company) match.companyId = company.id;
    const parent = company?.parentId ? this.companiesById.get(company.parentId) : undefined;
    if (parent) match.parentCompanyId = parent.id;

    const duplicateBy: string[] = [];
    let original: OpenLeadRef | undefined;
    for (const [kind, values] of [
      ['phone', lead.keys.phones],
      ['email', lead.keys.emails],
      ['taxId', lead.keys.taxId ? [lead.keys.taxId] : []],
    ] as const) {
      for (const value of values) {
        const found = this.openLeadsByKey.get(`${kind}:${value}`);
        if (found) {
          original ??= found;
          if (!duplicateBy.includes(kind)) duplicateBy.push(kind);
        }
      }
    }
    if (original) {
      match.duplicateOf = original.id;
      match.duplicateBy = duplicateBy;
    }

    // The person already working this client wins: an open lead's owner, then the contact's,
    // the company's, and last the parent company's — or the holding's first, or never, as the
    // ownership policy says.
    const holding: Array<[string | null | undefined, OwnershipVia]> = holdingOwner === 'never' ? [] : [[parent?.ownerId, 'parent_company']];
    const own: Array<[string | null | undefined, OwnershipVia]> = [
      [contact?.ownerId, 'contact'],
      [company?.ownerId, 'company'],
    ];
    const owners: Array<[string | null | undefined, OwnershipVia]> = [
      [original?.ownerId, 'open_lead'],
      ...(holdingOwner === 'holding' ? [...holding, ...own] : [...own, ...holding]),
    ];
    const owner = owners.find(([id]) => Boolean(id));
    if (owner) {
      match.ownerId = owner[0] as string;
      match.ownerVia = owner[1];
    }
    return match;
  }
}

export function ownerOf(match: LeadMatch): { managerId: ManagerId; via: OwnershipVia } | null {
  return match.ownerId && match.ownerVia ? { managerId: match.ownerId as ManagerId, via: match.ownerVia } : null;
}
