import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { changeDeal, getDeal, visibleDeals } from '../../app/lifecycle/deals.js';
import { dealListQuerySchema, dealPatchSchema } from '../../app/lifecycle/lifecycle-input.js';
import type { DealRecord } from '../../store/deal-queries.js';
import { errorBodySchema } from '../error-schema.js';

export const dealView = z.object({
  id: z.string(),
  leadId: z.string(),
  contactId: z.string().nullable(),
  companyId: z.string().nullable(),
  title: z.string(),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  stage: z.string().describe('open, presentation, proposal, contract, won, lost'),
  originatorId: z.string().nullable().describe('The manager who registered the deal; the bonus share is theirs'),
  ownerId: z.string().nullable(),
  controlPoints: z.array(z.object({ key: z.string(), at: z.string().nullable(), by: z.string().nullable().describe('The manager who reached it: the one who recorded it, else the deal owner then') })).describe('presentation, proposal, contract: when each was reached and by whom'),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});

export const toDealView = (d: DealRecord): z.infer<typeof dealView> => ({ ...d, controlPoints: d.controlPoints.map((p) => ({ ...p })) });

const idParams = z.object({ id: z.string().min(1).max(100) });

export function dealRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/deals',
      { config: { scope: 'leads:read' }, schema: { tags: ['lifecycle'], summary: 'Deals the caller may see, newest first', querystring: dealListQuerySchema, response: { 200: z.object({ items: z.array(dealView) }) } } },
      async (request) => ({ items: (await visibleDeals(ctx, request.principal, { ...(request.query.stage ? { stage: request.query.stage } : {}), limit: request.query.limit })).map(toDealView) }),
    );
    app.get(
      '/api/v1/deals/:id',
      { config: { scope: 'leads:read' }, schema: { tags: ['lifecycle'], params: idParams, response: { 200: dealView, 404: errorBodySchema } } },
      async (request) => toDealView(await getDeal(ctx, request.principal, request.params.id)),
    );
    app.patch(
      '/api/v1/deals/:id',
      {
        config: { scope: 'leads:work' },
        schema: { tags: ['lifecycle'], summary: 'Move a deal along its stages, record control points, or close it won or lost', params: idParams, body: dealPatchSchema, response: { 200: dealView, 404: errorBodySchema, 409: errorBodySchema } },
      },
      async (request) => toDealView(await changeDeal(ctx, request.principal, request.params.id, request.body)),
    );
  };
}
