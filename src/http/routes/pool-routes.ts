import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { claimLead, takeNextLead } from '../../app/pool/claim-lead.js';
import { poolStanding } from '../../app/pool/claim-standing.js';
import { getPoolSettings, poolSettingsSchema, putPoolSettings } from '../../app/pool/pool-settings.js';
import { poolFor } from '../../app/pool/read-pool.js';
import { releaseLead } from '../../app/pool/release-lead.js';
import { errorBodySchema } from '../error-schema.js';
import { leadViewSchema, toLeadView } from '../views/lead-view.js';

const settingsView = poolSettingsSchema.extend({ teamId: z.string().nullable(), inherited: z.boolean() });
const standingView = z.object({
  managerId: z.string(),
  claimsPerHour: z.number().int().describe("The team's claims per manager in any rolling hour"),
  claimsLeftThisHour: z.number().int().min(0).describe('Claims left now: claimsPerHour less the claims of the last 60 minutes'),
  openLeads: z.number().int().describe('Open leads now, as the open cap counts them'),
  maxOpen: z.number().int().nullable().describe('The open-lead cap; null: none'),
  assignedToday: z.number().int().describe("Leads assigned since the start of the manager's local day, as the daily cap counts them"),
  maxPerDay: z.number().int().nullable().describe('The daily cap; null: none'),
  paused: z.boolean().describe('Paused for routing; a paused manager may still claim'),
});
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

    app.get(
      '/api/v1/pool/standing',
      {
        config: { scope: 'leads:work' },
        schema: {
          tags: ['pool'],
          summary: 'What the signed-in manager may still take from the pool: claims left this hour, open and daily load against the caps',
          description: 'For a person with a manager profile; an API key or a person without one gets 403.',
          response: { 200: standingView },
        },
      },
      async (request) => await poolStanding(ctx, request.principal),
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
