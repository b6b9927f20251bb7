import {
  auditOfClient,
  dealsOfClient,
  eventsOfLeads,
  findCompaniesByIds,
  leadsOfClient,
  listContacts,
  listOwnerHistory,
  subsidiariesOf,
  type ClientDeal,
  type ClientKind,
  type ClientLead,
  type CompanyRecord,
  type ContactRecord,
  type OwnerHistoryEntry,
} from '../../store/client-base-queries.js';
import { findManagerNames } from '../../store/manager-queries.js';
import { actorDisplayNames } from '../access/actor-names.js';
import { leadScopeOf, scopeAllows, type LeadScope } from '../access/lead-access.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { loadCompany } from './companies.js';
import { loadContact } from './contacts.js';

export interface PersonRef {
  id: string;
  name: string;
}

export interface CompanyRef {
  id: string;
  name: string;
}

const ref = (id: string | null, names: Map<string, string>): PersonRef | null => (id ? { id, name: names.get(id) ?? id } : null);

export interface OwnerHistoryItem extends OwnerHistoryEntry {
  owner: PersonRef | null;
  previousOwner: PersonRef | null;
  actorName: string;
}

async function ownerHistoryOf(ctx: AppContext, kind: ClientKind, id: string): Promise<OwnerHistoryItem[]> {
  const entries = await listOwnerHistory(ctx.store.db, kind, id);
  const names = await findManagerNames(ctx.store.db, [...new Set(entries.flatMap((e) => [e.ownerId, e.previousOwnerId].filter((x): x is string => x !== null)))]);
  const actors = await actorDisplayNames(ctx, entries.map((e) => e.actor));
  return entries.map((e) => ({ ...e, owner: ref(e.ownerId, names), previousOwner: ref(e.previousOwnerId, names), actorName: actors.get(e.actor) ?? e.actor }));
}

/** Owner names for a page of clients. */
export async function ownerNames(ctx: AppContext, clients: ReadonlyArray<{ ownerId: string | null }>): Promise<Map<string, string>> {
  return await findManagerNames(ctx.store.db, [...new Set(clients.map((c) => c.ownerId).filter((x): x is string => x !== null))]);
}

/** Parent names for a page of companies (or the companies of a page of contacts). */
export async function companyNames(ctx: AppContext, ids: ReadonlyArray<string | null>): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((x): x is string => x !== null))];
  return new Map((await findCompaniesByIds(ctx.store.db, unique)).map((c) => [c.id, c.name]));
}

export interface CompanyCard {
  company: CompanyRecord;
  owner: PersonRef | null;
  parent: (CompanyRef & { owner: PersonRef | null }) | null;
  subsidiaries: Array<CompanyRecord & { owner: PersonRef | null }>;
  contacts: Array<ContactRecord & { owner: PersonRef | null }>;
  ownerHistory: OwnerHistoryItem[];
}

export async function companyCard(ctx: AppContext, id: string): Promise<CompanyCard> {
  const db = ctx.store.db;
  const company = await loadCompany(db, id);
  const [parent] = company.parentId ? await findCompaniesByIds(db, [company.parentId]) : [];
  const subsidiaries = await subsidiariesOf(db, id);
  const contacts = await listContacts(db, { companyId: id }, { limit: 500 });
  const names = await ownerNames(ctx, [company, ...(parent ? [parent] : []), ...subsidiaries, ...contacts]);
  return {
    company,
    owner: ref(company.ownerId, names),
    parent: parent ? { id: parent.id, name: parent.name, owner: ref(parent.ownerId, names) } : null,
    subsidiaries: subsidiaries.map((s) => ({ ...s, owner: ref(s.ownerId, names) })),
    contacts: contacts.map((c) => ({ ...c, owner: ref(c.ownerId, names) })),
    ownerHistory: await ownerHistoryOf(ctx, 'company', id),
  };
}

export interface ContactCard {
  contact: ContactRecord;
  owner: PersonRef | null;
  company: (CompanyRef & { owner: PersonRef | null }) | null;
  ownerHistory: OwnerHistoryItem[];
}

export async function contactCard(ctx: AppContext, id: string): Promise<ContactCard> {
  const db = ctx.store.db;
  const contact = await loadContact(db, id);
  const [company] = contact.companyId ? await findCompaniesByIds(db, [contact.companyId]) : [];
  const names = await ownerNames(ctx, [contact, ...(company ? [company] : [])]);
  return {
    contact,
    owner: ref(contact.ownerId, names),
    company: company ? { id: company.id, name: company.name, owner: ref(company.ownerId, names) } : null,
    ownerHistory: await ownerHistoryOf(ctx, 'contact', id),
  };
}

async function assertExists(ctx: AppContext, kind: ClientKind, id: string): Promise<void> {
  if (kind === 'company') await loadCompany(ctx.store.db, id);
  else await loadContact(ctx.store.db, id);
}

const LIMIT = 200;

/** The client's leads the caller may see (a manager: own and the pool), and how many others there are. */
export async function clientLeads(ctx: AppContext, principal: Principal, kind: ClientKind, id: string): Promise<{ items: Array<ClientLead & { owner: PersonRef | null }>; hidden: number }> {
  await assertExists(ctx, kind, id);
  const scope = await leadScopeOf(ctx.store.db, principal);
  const all = await leadsOfClient(ctx.store.db, kind, id, LIMIT);
  const visible = all.filter((l) => scopeAllows(scope, l));
  const names = await ownerNames(ctx, visible);
  return { items: visible.map((l) => ({ ...l, owner: ref(l.ownerId, names) })), hidden: all.length - visible.length };
}

function dealVisible(scope: LeadScope, deal: ClientDeal): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'qualification') return false;
  return [deal.ownerId, deal.originatorId].some((x) => x !== null && scope.managerIds.has(x));
}

/** The client's deals the caller may see (deals follow their people, as in /deals). */
export async function clientDeals(ctx: AppContext, principal: Principal, kind: ClientKind, id: string): Promise<{ items: Array<ClientDeal & { owner: PersonRef | null }>; hidden: number }> {
  await assertExists(ctx, kind, id);
  const scope = await leadScopeOf(ctx.store.db, principal);
  const all = await dealsOfClient(ctx.store.db, kind, id, LIMIT);
  const visible = all.filter((d) => dealVisible(scope, d));
  const names = await ownerNames(ctx, visible);
  return { items: visible.map((d) => ({ ...d, owner: ref(d.ownerId, names) })), hidden: all.length - visible.length };
}

export interface TimelineItem {
  id: string;
  at: string;
  /** owner.changed, company.created / changed / merged (contact.… alike), or a lead's event type (lead.created, lead.status_changed, deal.updated …). */
  type: string;
  actor: string;
  actorName: string;
  leadId: string | null;
  leadName: string | null;
  data: Record<string, unknown>;
}

/**
 * What happened to a client, newest first: its owners, its record's changes and merges, and the
 * journal of its leads the caller may see.
 */
export async function clientTimeline(ctx: AppContext, principal: Principal, kind: ClientKind, id: string): Promise<{ items: TimelineItem[] }> {
  await assertExists(ctx, kind, id);
  const db = ctx.store.db;
  const scope = await leadScopeOf(db, principal);
  const leads = (await leadsOfClient(db, kind, id, LIMIT)).filter((l) => scopeAllows(scope, l));
  const leadNames = new Map(leads.map((l) => [l.id, l.name ?? l.companyName ?? l.id]));
  const [history, audit, events] = await Promise.all([ownerHistoryOf(ctx, kind, id), auditOfClient(db, kind, id, LIMIT), eventsOfLeads(db, leads.map((l) => l.id), LIMIT)]);
  const actors = await actorDisplayNames(ctx, [...audit.map((a) => a.actor), ...events.map((e) => e.actor)]);
  const items: TimelineItem[] = [
    ...history.map((h) => ({
      id: h.id, at: h.at, type: 'owner.changed', actor: h.actor, actorName: h.actorName, leadId: null, leadName: null,
      data: { owner: h.owner, previousOwner: h.previousOwner, reason: h.reason },
    })),
    ...audit
      .filter((a) => !a.action.endsWith('owner_changed'))
      .map((a) => {
        const after = (a.after ?? {}) as Record<string, unknown>;
        const data: Record<string, unknown> = {};
        if (Array.isArray(after.changed)) data.changed = after.changed;
        if (typeof after.duplicateName === 'string' || after.duplicateName === null) data.duplicateName = after.duplicateName;
        if (after.moved) data.moved = after.moved;
        return { id: a.id, at: a.at, type: a.action, actor: a.actor, actorName: actors.get(a.actor) ?? a.actor, leadId: null, leadName: null, data };
      }),
    ...events.map((e) => {
      const payload = (e.payload ?? {}) as Record<string, unknown>;
      const data: Record<string, unknown> = {};
      for (const key of ['status', 'from', 'to', 'stage', 'amount', 'kind', 'outcome', 'junkReason']) if (payload[key] !== undefined) data[key] = payload[key];
      return { id: e.id, at: e.createdAt, type: e.type, actor: e.actor, actorName: actors.get(e.actor) ?? e.actor, leadId: e.leadId, leadName: e.leadId ? (leadNames.get(e.leadId) ?? null) : null, data };
    }),
  ];
  items.sort((a, b) => (a.at === b.at ? b.id.localeCompare(a.id) : b.at.localeCompare(a.at)));
  return { items: items.slice(0, LIMIT) };
}
