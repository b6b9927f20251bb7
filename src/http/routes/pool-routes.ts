import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { claimLead, takeNextLead } from '../../app/pool/claim-lead.js';
import { getPoolSettings, poolSettingsSchema, putPoolSettings } from '../../app/pool/pool-settings.js';
import { poolFor } from '../../app/pool/read-pool.js';
import { releaseLead } from '../../app/pool/release-lead.js';
import { errorBodySchema } from '../error-schema.js';
import { leadViewSchema, toLeadView } from '../views/lead-view.js';

const settingsView = poolSettingsSchema.extend({ teamId: z.string().nullable(), inherited: z.boolean() });
const teamQuery = z.strictObject({ teamId: z.string().min(1).max(100).optional() });

export function poolRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/pool',
      {
        config: { scope: 'leads:read' },
        schema: {
          tags: ['pool'],
          summary: "Leads waiting in the pool, in the team's order; a manager whose team takes the next lead sees only the count",
          querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
          response: { 200: z.object({ settings: settingsView, total: z.number(), items: z.array(leadViewSchema) }) },
        },
      },
      async (request) => {
        const page = await poolFor(ctx, request.principal, request.query);
        return { settings: page.settings, total: page.total, items: page.items.map(toLeadView) };
      },
    );

    app.post(
      '/api/v1/pool/:leadId/claim',
      {
        config: { scope: 'leads:work' },
        schema: {
          tags: ['pool'],
          summary: 'Take this lead from the pool; of simultaneous claims exactly one wins, the others get 409',
          description: 'Refused with 403 (code in details: take_next_only) where the team takes the next lead, 422 at a cap, 429 over the claims per hour.',
          params: z.object({ leadId: z.string().min(1).max(100) }),
          response: { 200: z.object({ lead: leadViewSchema }), 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema, 429: errorBodySchema },
        },
      },
      async (request) => ({ lead: toLeadView(await claimLead(ctx, request.principal, request.params.leadId)) }),
    );

    app.post(
      '/api/v1/pool/take-next',
      {
        config: { scope: 'leads:work' },
        schema: {
          tags: ['pool'],
          summary: "Take the next lead in the team's order (oldest or highest score)",
          response: { 200: z.object({ lead: leadViewSchema }), 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema, 429: errorBodySchema },
        },
      },
      async (request) => ({ lead: toLeadView(await takeNextLead(ctx, request.principal)) }),
    );

    app.post(
      '/api/v1/leads/:id/release',
      {
        config: { scope: 'leads:work' },
        schema: {
          tags: ['pool'],
          summary: 'The owner gives the lead up to the pool, with a reason',
          params: z.object({ id: z.string().min(1).max(100) }),
          body: z.strictObject({ reason: z.string().trim().min(1).max(500) }),
          response: { 200: z.object({ lead: leadViewSchema }), 404: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request) => ({ lead: toLeadView(await releaseLead(ctx, request.principal, request.params.id, request.body)) }),
    );

    app.get(
      '/api/v1/pool/settings',
      { config: { scope: 'leads:manage' }, schema: { tags: ['pool'], summary: "A team's pool mode, order and claim limit (the default without teamId)", querystring: teamQuery, response: { 200: settingsView } } },
      async (request) => await getPoolSettings(ctx, request.principal, request.query.teamId),
    );

    app.put(
      '/api/v1/pool/settings',
      {
        config: { scope: 'leads:manage' },
        schema: { tags: ['pool'], summary: 'Set the pool mode, order and claim limit: a head for the own team, an admin for any team or the default', querystring: teamQuery, body: poolSettingsSchema, response: { 200: settingsView } },
      },
      async (request) => await putPoolSettings(ctx, request.principal, request.query.teamId, request.body),
    );
  };
}
