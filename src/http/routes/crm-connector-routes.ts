import fastifyFormbody from '@fastify/formbody';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import type { Bitrix24Inbound } from '../../app/connectors/bitrix24/bitrix24-inbound.js';
import type { AmocrmInbound } from '../../app/connectors/amocrm/amocrm-inbound.js';
import { amocrmConnectSchema, bitrix24ConnectSchema, crmConnectorPatchSchema, userMapSchema, type CrmConnectors } from '../../app/connectors/crm-connectors.js';
import { LeadRouterError } from '../../app/errors.js';
import { isAdmin } from '../../app/access/principal.js';
import { findCrmConnector, findCrmConnectorByKey } from '../../store/crm-connector-queries.js';
import { errorBodySchema } from '../error-schema.js';

const connectorView = z.object({
  id: z.string(),
  kind: z.enum(['bitrix24', 'amocrm']),
  name: z.string(),
  endpoint: z.string().describe('Bitrix24: the inbound webhook URL with its code masked'),
  eventPath: z.string().describe('Where the CRM posts its events (prefix it with this server’s public address): the outbound handler’s URL'),
  eventTokenSet: z.boolean().describe('Whether the outbound handler’s application token is set (it is never shown)'),
  createLeads: z.boolean(),
  pollIntervalSeconds: z.number(),
  source: z.string(),
  locale: z.enum(['ru', 'en']),
  active: z.boolean(),
  status: z.object({
    lastSyncAt: z.string().nullable().describe('The last call to the CRM that went through'),
    lastPolledAt: z.string().nullable(),
    lastSeenId: z.string().nullable().describe('The newest CRM lead id the poll has seen'),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
    leadsIn: z.number().describe('Leads brought in from the CRM'),
    queue: z.number().describe('Owner changes waiting to be sent to the CRM'),
    failed: z.number().describe('Owner changes that gave up (see the delivery log; an admin may retry them)'),
    mappedManagers: z.number(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const mappingView = z.object({ managerId: z.string(), crmUserId: z.string(), crmUserName: z.string().nullable() });
const usersView = z.object({
  managers: z.array(
    z.object({
      managerId: z.string(),
      name: z.string(),
      email: z.string().nullable(),
      crmUserId: z.string().nullable(),
      crmUserName: z.string().nullable(),
      suggestedCrmUserId: z.string().nullable().describe('The CRM user with the same e-mail, when the manager is not mapped'),
    }),
  ),
  crmUsers: z.array(z.object({ id: z.string(), name: z.string(), email: z.string().nullable() })),
});

const idParams = z.object({ id: z.string().min(1).max(100) });
const TAGS = ['connectors'];

/** The admin side of CRM connectors, under /api/v1/crm-connectors. */
export function crmConnectorRoutes(ctx: AppContext, connectors: CrmConnectors, inbound: Bitrix24Inbound, amocrm?: AmocrmInbound): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = { scope: 'admin' } as const;
    app.get('/api/v1/crm-connectors', { config: admin, schema: { tags: TAGS, summary: 'Connected CRMs with their status', response: { 200: z.object({ items: z.array(connectorView) }) } } }, async (request) => ({
      items: await connectors.list(request.principal),
    }));
    app.post(
      '/api/v1/crm-connectors/bitrix24',
      {
        config: admin,
        schema: {
          tags: TAGS,
          summary: 'Connect a Bitrix24 portal by its inbound webhook',
          description: 'The webhook is tried at once (crm.lead.list); a wrong one is refused with 422 and the portal’s answer. The answer holds eventPath: set it as the outbound handler of ONCRMLEADADD.',
          body: bitrix24ConnectSchema,
          response: { 201: connectorView, 422: errorBodySchema },
        },
      },
      async (request, reply) => reply.code(201).send(await connectors.connectBitrix24(request.principal, request.body)),
    );
    app.post(
      '/api/v1/crm-connectors/amocrm',
      {
        config: admin,
        schema: {
          tags: TAGS,
          summary: 'Connect an amoCRM account by its subdomain and a long-lived token',
          description: 'The token is tried at once (GET /api/v4/account); a wrong one is refused with 422. The answer holds eventPath: add it as the account’s webhook for «lead added» (leads[add]).',
          body: amocrmConnectSchema,
          response: { 201: connectorView, 422: errorBodySchema },
        },
      },
      async (request, reply) => reply.code(201).send(await connectors.connectAmocrm(request.principal, request.body)),
    );
    app.get('/api/v1/crm-connectors/:id', { config: admin, schema: { tags: TAGS, summary: 'One connector and its status', params: idParams, response: { 200: connectorView, 404: errorBodySchema } } }, async (request) =>
      await connectors.one(request.principal, request.params.id),
    );
    app.patch(
      '/api/v1/crm-connectors/:id',
      { config: admin, schema: { tags: TAGS, summary: 'Change a connector (a new webhook is tried first)', params: idParams, body: crmConnectorPatchSchema, response: { 200: connectorView, 404: errorBodySchema, 422: errorBodySchema } } },
      async (request) => await connectors.change(request.principal, request.params.id, request.body),
    );
    app.delete(
      '/api/v1/crm-connectors/:id',
      { config: admin, schema: { tags: TAGS, summary: 'Disconnect; its waiting owner changes are marked failed, the leads stay', params: idParams, response: { 204: z.null(), 404: errorBodySchema } } },
      async (request, reply) => {
        await connectors.remove(request.principal, request.params.id);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/api/v1/crm-connectors/:id/users',
      { config: admin, schema: { tags: TAGS, summary: 'Managers, the CRM users mapped to them, the CRM’s users (user.get) and e-mail suggestions', params: idParams, response: { 200: usersView, 404: errorBodySchema, 422: errorBodySchema } } },
      async (request) => await connectors.users(request.principal, request.params.id),
    );
    app.put(
      '/api/v1/crm-connectors/:id/users',
      { config: admin, schema: { tags: TAGS, summary: 'Replace the manager → CRM user map', params: idParams, body: userMapSchema, response: { 200: z.object({ items: z.array(mappingView) }), 404: errorBodySchema } } },
      async (request) => ({ items: await connectors.saveUserMap(request.principal, request.params.id, request.body.items) }),
    );
    app.post(
      '/api/v1/crm-connectors/:id/users/match-by-email',
      { config: admin, schema: { tags: TAGS, summary: 'Map every unmapped manager to the CRM user with the same e-mail', params: idParams, response: { 200: z.object({ matched: z.number(), items: z.array(mappingView) }), 404: errorBodySchema, 422: errorBodySchema } } },
      async (request) => {
        const { matched, mapping } = await connectors.matchByEmail(request.principal, request.params.id);
        return { matched, items: mapping };
      },
    );
    app.post(
      '/api/v1/crm-connectors/:id/poll',
      { config: admin, schema: { tags: TAGS, summary: 'Ask the CRM now for leads created since the last one seen', params: idParams, response: { 200: z.object({ seen: z.number(), created: z.number() }), 404: errorBodySchema, 422: errorBodySchema } } },
      async (request) => {
        if (!isAdmin(request.principal)) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Only an administrator connects a CRM');
        const connector = await findCrmConnector(ctx.store.db, request.params.id);
        if (!connector) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No CRM connector ${request.params.id}`);
        if (!connector.active) throw new LeadRouterError('LR_ERR_CONFLICT', 'The connector is switched off');
        const source = connector.kind === 'amocrm' ? amocrm : inbound;
        if (!source) throw new LeadRouterError('LR_ERR_CONFLICT', 'This server does not poll amoCRM');
        try {
          return await source.poll(connector);
        } catch (error) {
          throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `The CRM did not answer the poll: ${error instanceof Error ? error.message : String(error)}`);
        }
      },
    );
  };
}

const keyParams = z.object({ key: z.string().min(1).max(100) });

/**
 * The public side: amoCRM's webhook posts leads[add] to /crm/amocrm/<key>/events. Bitrix24's outbound handler posts ONCRMLEADADD here, form-urlencoded, with the
 * application token in auth[application_token]. The connector's unguessable key is the address.
 * Answered 200 whenever the event was authentic, even if the CRM could not be read just then:
 * the poll brings the lead in later.
 */
export function crmEventRoutes(ctx: AppContext, inbound: Bitrix24Inbound, amocrm: AmocrmInbound): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
    app.post(
      '/crm/bitrix24/:key/events',
      { schema: { hide: true, params: keyParams } },
      async (request) => {
        const connector = await findCrmConnectorByKey(ctx.store.db, request.params.key);
        if (!connector || connector.kind !== 'bitrix24') throw new LeadRouterError('LR_ERR_NOT_FOUND', 'No CRM connector with this address; copy it again from leadrouter');
        const body = request.body;
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new LeadRouterError('LR_ERR_VALIDATION', 'Send the event as application/x-www-form-urlencoded');
        const fields: Record<string, string> = {};
        for (const [name, value] of Object.entries(body as Record<string, unknown>).slice(0, 100)) if (typeof value === 'string' || typeof value === 'number') fields[name] = String(value);
        const outcome = await inbound.event(connector, fields);
        return outcome.kind === 'ignored' ? { ok: true, ignored: outcome.reason } : { ok: true, leadId: outcome.leadId, created: outcome.created };
      },
    );
    // amoCRM's account webhook: leads[add][0][id]=…, form-urlencoded, no signature (the key is the secret).
    app.post(
      '/crm/amocrm/:key/events',
      { schema: { hide: true, params: keyParams } },
      async (request) => {
        const connector = await findCrmConnectorByKey(ctx.store.db, request.params.key);
        if (!connector || connector.kind !== 'amocrm') throw new LeadRouterError('LR_ERR_NOT_FOUND', 'No CRM connector with this address; copy it again from leadrouter');
        const body = request.body;
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new LeadRouterError('LR_ERR_VALIDATION', 'Send the webhook as application/x-www-form-urlencoded');
        const fields: Record<string, string> = {};
        for (const [name, value] of Object.entries(body as Record<string, unknown>).slice(0, 500)) if (typeof value === 'string' || typeof value === 'number') fields[name] = String(value);
        return { ok: true, ...(await amocrm.event(connector, fields)) };
      },
    );
  };
}
