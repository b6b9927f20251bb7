import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { clientDeals, clientLeads, clientTimeline, companyCard, companyNames, contactCard, ownerNames } from '../../app/clients/client-card.js';
import {
  companyCreateSchema,
  companyListQuerySchema,
  companyPatchSchema,
  contactCreateSchema,
  contactListQuerySchema,
  contactPatchSchema,
  mergeSchema,
  ownerChangeSchema,
} from '../../app/clients/client-input.js';
import { changeCompany, changeCompanyOwner, createCompany, listCompanyPage, mergeCompanies } from '../../app/clients/companies.js';
import { changeContact, changeContactOwner, createContact, listContactPage, mergeContacts } from '../../app/clients/contacts.js';
import type { CompanyRecord, ContactRecord } from '../../store/client-base-queries.js';
import { errorBodySchema } from '../error-schema.js';

const personRef = z.object({ id: z.string(), name: z.string() }).nullable();

export const companyView = z
  .object({
    id: z.string(),
    name: z.string(),
    taxId: z.string().nullable().describe('ИНН'),
    domain: z.string().nullable().describe('Registrable domain, IDN in Unicode'),
    phones: z.array(z.string()),
    parentId: z.string().nullable(),
    size: z.number().nullable(),
    industry: z.string().nullable(),
    region: z.string().nullable(),
    note: z.string().nullable(),
    ownerId: z.string().nullable(),
    owner: personRef,
    parent: z.object({ id: z.string(), name: z.string() }).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Company' });

export const contactView = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    companyId: z.string().nullable(),
    company: z.object({ id: z.string(), name: z.string() }).nullable(),
    phones: z.array(z.string()),
    emails: z.array(z.string()),
    position: z.string().nullable(),
    note: z.string().nullable(),
    ownerId: z.string().nullable(),
    owner: personRef,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Contact' });

const ownerHistoryView = z.object({
  id: z.string(),
  at: z.string(),
  owner: personRef,
  previousOwner: personRef,
  actor: z.string(),
  actorName: z.string(),
  reason: z.string().nullable(),
});

const leadItem = z.object({ id: z.string(), name: z.string().nullable(), companyName: z.string().nullable(), status: z.string(), ownerId: z.string().nullable(), owner: personRef, dealValue: z.number().nullable(), createdAt: z.string() });
const dealItem = z.object({
  id: z.string(), leadId: z.string(), title: z.string(), amount: z.number().nullable(), currency: z.string().nullable(), stage: z.string(), ownerId: z.string().nullable(), owner: personRef,
  originatorId: z.string().nullable(), createdAt: z.string(), closedAt: z.string().nullable(),
});
const leadsView = z.object({ items: z.array(leadItem), hidden: z.number().describe("Leads of this client the caller may not see (other managers')") });
const dealsView = z.object({ items: z.array(dealItem), hidden: z.number() });
const timelineView = z.object({
  items: z.array(
    z.object({
      id: z.string(), at: z.string(), type: z.string().describe('owner.changed, company.created, company.changed, company.merged (contact.… alike), or a lead event: lead.created, lead.status_changed, deal.updated …'),
      actor: z.string(), actorName: z.string(), leadId: z.string().nullable(), leadName: z.string().nullable(), data: z.record(z.string(), z.unknown()),
    }),
  ),
});

type Names = Map<string, string>;
const ref = (id: string | null, names: Names) => (id ? { id, name: names.get(id) ?? id } : null);

const toCompanyView = (c: CompanyRecord, owners: Names, companies: Names): z.infer<typeof companyView> => ({
  id: c.id, name: c.name, taxId: c.taxId, domain: c.domain, phones: c.phones, parentId: c.parentId, size: c.size, industry: c.industry, region: c.region, note: c.note,
  ownerId: c.ownerId, owner: ref(c.ownerId, owners), parent: ref(c.parentId, companies), createdAt: c.createdAt, updatedAt: c.updatedAt,
});

const toContactView = (c: ContactRecord, owners: Names, companies: Names): z.infer<typeof contactView> => ({
  id: c.id, name: c.name, companyId: c.companyId, company: ref(c.companyId, companies), phones: c.phones, emails: c.emails, position: c.position, note: c.note,
  ownerId: c.ownerId, owner: ref(c.ownerId, owners), createdAt: c.createdAt, updatedAt: c.updatedAt,
});

const idParams = z.object({ id: z.string().min(1).max(100) });
const READ = { scope: 'leads:read' } as const;
// Heads (their team's clients) and admins; the use case narrows a head to the own team.
const WRITE = { scope: 'leads:manage' } as const;
const tags = ['clients'];

export function clientRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const companyOut = async (c: CompanyRecord) => toCompanyView(c, await ownerNames(ctx, [c]), await companyNames(ctx, [c.parentId]));
    const contactOut = async (c: ContactRecord) => toContactView(c, await ownerNames(ctx, [c]), await companyNames(ctx, [c.companyId]));

    app.get(
      '/api/v1/companies',
      { config: READ, schema: { tags, summary: 'Companies by name, filtered and searched (name, ИНН, phone, e-mail, domain), in keyset pages', querystring: companyListQuerySchema, response: { 200: z.object({ items: z.array(companyView), nextCursor: z.string().nullable() }) } } },
      async (request) => {
        const page = await listCompanyPage(ctx, request.query);
        const owners = await ownerNames(ctx, page.items);
        const parents = await companyNames(ctx, page.items.map((c) => c.parentId));
        return { items: page.items.map((c) => toCompanyView(c, owners, parents)), nextCursor: page.nextCursor };
      },
    );
    app.post(
      '/api/v1/companies',
      { config: WRITE, schema: { tags, summary: 'Add a company to the client base', body: companyCreateSchema, response: { 201: companyView, 409: errorBodySchema } } },
      async (request, reply) => reply.code(201).send(await companyOut(await createCompany(ctx, request.principal, request.body))),
    );
    app.get(
      '/api/v1/companies/:id',
      {
        config: READ,
        schema: {
          tags, summary: 'A company card: details, owner and owner history, holding, subsidiaries and contacts', params: idParams,
          response: { 200: z.object({ company: companyView, subsidiaries: z.array(companyView), contacts: z.array(contactView), ownerHistory: z.array(ownerHistoryView) }), 404: errorBodySchema },
        },
      },
      async (request) => {
        const card = await companyCard(ctx, request.params.id);
        const owners = new Map([card.owner, card.parent?.owner ?? null, ...card.subsidiaries.map((s) => s.owner), ...card.contacts.map((c) => c.owner)].flatMap((p) => (p ? [[p.id, p.name] as const] : [])));
        const companies = new Map<string, string>([[card.company.id, card.company.name], ...(card.parent ? [[card.parent.id, card.parent.name] as const] : [])]);
        return {
          company: toCompanyView(card.company, owners, companies),
          subsidiaries: card.subsidiaries.map((s) => toCompanyView(s, owners, companies)),
          contacts: card.contacts.map((c) => toContactView(c, owners, companies)),
          ownerHistory: card.ownerHistory.map((h) => ({ id: h.id, at: h.at, owner: h.owner, previousOwner: h.previousOwner, actor: h.actor, actorName: h.actorName, reason: h.reason })),
        };
      },
    );
    app.patch(
      '/api/v1/companies/:id',
      { config: WRITE, schema: { tags, summary: 'Change a company’s details or holding (the owner has its own endpoint)', params: idParams, body: companyPatchSchema, response: { 200: companyView, 404: errorBodySchema, 409: errorBodySchema } } },
      async (request) => await companyOut(await changeCompany(ctx, request.principal, request.params.id, request.body)),
    );
    app.put(
      '/api/v1/companies/:id/owner',
      { config: WRITE, schema: { tags, summary: 'Give the company to another manager (or nobody); kept in its owner history and the audit log', params: idParams, body: ownerChangeSchema, response: { 200: companyView, 404: errorBodySchema } } },
      async (request) => await companyOut(await changeCompanyOwner(ctx, request.principal, request.params.id, request.body)),
    );
    app.post(
      '/api/v1/companies/:id/merge',
      {
        config: WRITE,
        schema: {
          tags, summary: 'Merge a duplicate into this company: its leads, deals, contacts, subsidiaries and owner history move here, then it is deleted', params: idParams, body: mergeSchema,
          response: { 200: z.object({ company: companyView, moved: z.object({ leads: z.number(), deals: z.number(), contacts: z.number(), subsidiaries: z.number() }) }), 404: errorBodySchema },
        },
      },
      async (request) => {
        const result = await mergeCompanies(ctx, request.principal, request.params.id, request.body.duplicateId);
        return { company: await companyOut(result.company), moved: result.moved };
      },
    );
    app.get('/api/v1/companies/:id/leads', { config: READ, schema: { tags, summary: "The company's leads the caller may see, newest first", params: idParams, response: { 200: leadsView, 404: errorBodySchema } } }, async (request) =>
      await clientLeads(ctx, request.principal, 'company', request.params.id),
    );
    app.get('/api/v1/companies/:id/deals', { config: READ, schema: { tags, summary: "The company's deals the caller may see", params: idParams, response: { 200: dealsView, 404: errorBodySchema } } }, async (request) =>
      await clientDeals(ctx, request.principal, 'company', request.params.id),
    );
    app.get('/api/v1/companies/:id/timeline', { config: READ, schema: { tags, summary: 'What happened to the company: owners, changes, merges and its leads’ events, newest first', params: idParams, response: { 200: timelineView, 404: errorBodySchema } } }, async (request) =>
      await clientTimeline(ctx, request.principal, 'company', request.params.id),
    );

    app.get(
      '/api/v1/contacts',
      { config: READ, schema: { tags, summary: 'Contacts by name, filtered and searched (name, phone, e-mail, or their company’s ИНН or domain), in keyset pages', querystring: contactListQuerySchema, response: { 200: z.object({ items: z.array(contactView), nextCursor: z.string().nullable() }) } } },
      async (request) => {
        const page = await listContactPage(ctx, request.query);
        const owners = await ownerNames(ctx, page.items);
        const companies = await companyNames(ctx, page.items.map((c) => c.companyId));
        return { items: page.items.map((c) => toContactView(c, owners, companies)), nextCursor: page.nextCursor };
      },
    );
    app.post(
      '/api/v1/contacts',
      { config: WRITE, schema: { tags, summary: 'Add a contact (a person) to the client base', body: contactCreateSchema, response: { 201: contactView, 409: errorBodySchema } } },
      async (request, reply) => reply.code(201).send(await contactOut(await createContact(ctx, request.principal, request.body))),
    );
    app.get(
      '/api/v1/contacts/:id',
      { config: READ, schema: { tags, summary: 'A contact card: details, company, owner and owner history', params: idParams, response: { 200: z.object({ contact: contactView, ownerHistory: z.array(ownerHistoryView) }), 404: errorBodySchema } } },
      async (request) => {
        const card = await contactCard(ctx, request.params.id);
        const owners = new Map([card.owner].flatMap((p) => (p ? [[p.id, p.name] as const] : [])));
        const companies = new Map(card.company ? [[card.company.id, card.company.name] as const] : []);
        return {
          contact: toContactView(card.contact, owners, companies),
          ownerHistory: card.ownerHistory.map((h) => ({ id: h.id, at: h.at, owner: h.owner, previousOwner: h.previousOwner, actor: h.actor, actorName: h.actorName, reason: h.reason })),
        };
      },
    );
    app.patch(
      '/api/v1/contacts/:id',
      { config: WRITE, schema: { tags, summary: 'Change a contact’s details or company', params: idParams, body: contactPatchSchema, response: { 200: contactView, 404: errorBodySchema, 409: errorBodySchema } } },
      async (request) => await contactOut(await changeContact(ctx, request.principal, request.params.id, request.body)),
    );
    app.put(
      '/api/v1/contacts/:id/owner',
      { config: WRITE, schema: { tags, summary: 'Give the contact to another manager (or nobody); kept in its owner history and the audit log', params: idParams, body: ownerChangeSchema, response: { 200: contactView, 404: errorBodySchema } } },
      async (request) => await contactOut(await changeContactOwner(ctx, request.principal, request.params.id, request.body)),
    );
    app.post(
      '/api/v1/contacts/:id/merge',
      {
        config: WRITE,
        schema: { tags, summary: 'Merge a duplicate into this contact: its phones, e-mails, leads, deals and owner history move here', params: idParams, body: mergeSchema, response: { 200: z.object({ contact: contactView, moved: z.object({ leads: z.number(), deals: z.number() }) }), 404: errorBodySchema } },
      },
      async (request) => {
        const result = await mergeContacts(ctx, request.principal, request.params.id, request.body.duplicateId);
        return { contact: await contactOut(result.contact), moved: result.moved };
      },
    );
    app.get('/api/v1/contacts/:id/leads', { config: READ, schema: { tags, summary: "The contact's leads the caller may see", params: idParams, response: { 200: leadsView, 404: errorBodySchema } } }, async (request) =>
      await clientLeads(ctx, request.principal, 'contact', request.params.id),
    );
    app.get('/api/v1/contacts/:id/deals', { config: READ, schema: { tags, summary: "The contact's deals the caller may see", params: idParams, response: { 200: dealsView, 404: errorBodySchema } } }, async (request) =>
      await clientDeals(ctx, request.principal, 'contact', request.params.id),
    );
    app.get('/api/v1/contacts/:id/timeline', { config: READ, schema: { tags, summary: 'What happened to the contact, newest first', params: idParams, response: { 200: timelineView, 404: errorBodySchema } } }, async (request) =>
      await clientTimeline(ctx, request.principal, 'contact', request.params.id),
    );
  };
}
