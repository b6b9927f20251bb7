import { forgivingLead, type ForgivingOptions } from '../../core/intake/forgiving-lead.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LeadRouterError } from '../../app/errors.js';
import { LEAD_INPUT_FIELDS, leadBatchInputSchema, leadInputSchema, MAX_BATCH_LEADS } from '../../app/intake/lead-input.js';
import type { LeadIntake } from '../../app/intake/lead-intake.js';
import { registrationsOf } from '../../app/intake/lead-registration.js';
import { getLead, getLeadTimeline, listLeadPage } from '../../app/leads/read-leads.js';
import type { AppContext } from '../../app/app-context.js';
import { actorOf } from '../auth.js';
import { errorBodySchema } from '../error-schema.js';
import { instantSchema } from '../schema-types.js';
import { leadWithDecisionSchema, outcomeJson, toLeadWithDecision } from '../views/lead-view.js';

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe('Retries with the same key return the lead(s) of the first request instead of creating new ones'),
});

const leadIdParams = z.object({ id: z.string().min(1).max(100) });

const MAX_STATUSES = 20;
const statusList = z
  .string()
  .max(1000)
  .refine((text) => {
    // Empty means no filter, as it always did.
    if (text === '') return true;
    const statuses = statusesOf(text);
    return statuses.length > 0 && statuses.length <= MAX_STATUSES && statuses.every((status) => status.length <= 50);
  }, `one status or up to ${MAX_STATUSES} separated by commas, each at most 50 characters`)
  .describe(`A status, or up to ${MAX_STATUSES} separated by commas (any of them): new,in_progress`);

/** "new, in_progress," → ["new", "in_progress"]. */
function statusesOf(text: string): string[] {
  return text.split(',').flatMap((part) => (part.trim() ? [part.trim()] : []));
}

const listQuery = z.strictObject({
  status: statusList.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('Search: name or company name contains it (any case, ё = е), e-mail contains it, or for digits and phone signs only ("916 123-45") a phone contains those digits'),
  sla: z
    .enum(['breached', 'running', 'none'])
    .optional()
    .describe('breached: open and past its SLA deadline now (or its clock stopped by a breach); running: a clock runs, not yet due; none: neither'),
  decisions: z
    .enum(['true', 'false'])
    .default('true')
    .describe('false: each item comes with decision null, for boards and lists that do not show the trace (most of an item\'s size)'),
  ownerId: z.string().max(100).optional(),
  source: z.string().max(100).optional(),
  channel: z.string().max(100).optional(),
  region: z.string().max(100).optional(),
  createdFrom: instantSchema.optional(),
  createdTo: instantSchema.optional(),
  duplicates: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

/** Sends JSON already serialised (the schema above still documents its shape). */
async function sendJsonText(reply: FastifyReply, status: number, json: string): Promise<FastifyReply> {
  // A string payload skips the serializer; the type provider only knows object payloads.
  return await reply.code(status).type('application/json; charset=utf-8').send(json as never);
}

const toIso = (s: string | undefined): string | undefined => (s ? new Date(s).toISOString() : undefined);

/** Intake's own field names, which a forgiving reading maps aliases and snake_case onto. */
const INTAKE_FIELDS: ReadonlySet<string> = new Set([...LEAD_INPUT_FIELDS, 'originatorId']);

/** Aliases, snake_case and numbers as text always; unknown fields kept as custom ones when the key says so. */
function forgivingOptions(request: FastifyRequest): ForgivingOptions {
  return { known: INTAKE_FIELDS, keepUnknown: request.apiKey?.keepUnknownFields ?? false };
}

export function leadRoutes(ctx: AppContext, intake: LeadIntake): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/leads',
      {
        config: { scope: 'leads:write' },
        preValidation: async (request) => {
          // Before validation: what the schema then checks is the lead in intake's own names.
          request.body = forgivingLead(request.body, forgivingOptions(request)) as typeof request.body;
        },
        schema: {
          tags: ['leads'],
          summary: 'Accept one lead: normalise, match, route and store it',
          description:
            'Answers 201 after the lead, its decision, its events and outbox rows are committed. A lead a manager registers (signed in, or named by originatorId) stays with them as owner unless their team routes registered leads; 403 when the caller may not name that manager, 422 when it is no active manager.',
          headers: idempotencyHeaders,
          body: leadInputSchema,
          response: { 201: leadWithDecisionSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 422: errorBodySchema },
        },
      },
      async (request, reply) => {
        const registrations = await registrationsOf(ctx.store.db, request.principal, [request.body]);
        const [outcome] = await intake.accept({ leads: [request.body], apiKeyId: request.apiKey?.id ?? null, idempotencyKey: request.headers['idempotency-key'] ?? null, actor: actorOf(request), registrations });
        if (!outcome) throw new LeadRouterError('LR_ERR_INTERNAL');
        if (outcome.status === 'replayed') void reply.header('idempotent-replayed', 'true');
        return await sendJsonText(reply, 201, outcomeJson(outcome, request.readerLocale));
      },
    );

    app.post(
      '/api/v1/leads/batch',
      {
        config: { scope: 'leads:write' },
        // Checked before validation so an oversized batch gets its own clear answer.
        preValidation: async (request) => {
          const body = request.body as { leads?: unknown } | undefined;
          if (body && Array.isArray(body.leads) && body.leads.length > MAX_BATCH_LEADS) {
            throw new LeadRouterError('LR_ERR_BATCH_TOO_LARGE', `A batch holds at most ${MAX_BATCH_LEADS} leads; this one has ${body.leads.length}`);
          }
          if (body && Array.isArray(body.leads)) {
            const options = forgivingOptions(request);
            body.leads = body.leads.map((lead) => forgivingLead(lead, options));
          }
        },
        schema: {
          tags: ['leads'],
          summary: `Accept up to ${MAX_BATCH_LEADS} leads at once, all or none`,
          headers: idempotencyHeaders,
          body: leadBatchInputSchema,
          response: { 201: z.object({ items: z.array(leadWithDecisionSchema) }), 400: errorBodySchema, 403: errorBodySchema, 413: errorBodySchema, 422: errorBodySchema },
        },
      },
      async (request, reply) => {
        const registrations = await registrationsOf(ctx.store.db, request.principal, request.body.leads, (i) => `leads.${i}.originatorId`);
        const outcomes = await intake.accept({ leads: request.body.leads, apiKeyId: request.apiKey?.id ?? null, idempotencyKey: request.headers['idempotency-key'] ?? null, actor: actorOf(request), registrations });
        if (outcomes.some((o) => o.status === 'replayed')) void reply.header('idempotent-replayed', 'true');
        return await sendJsonText(reply, 201, `{"items":[${outcomes.map((o) => outcomeJson(o, request.readerLocale)).join(',')}]}`);
      },
    );

    app.get(
      '/api/v1/leads/:id',
      {
        config: { scope: 'leads:read' },
        schema: { tags: ['leads'], summary: 'One lead with its owner and the latest routing decision', params: leadIdParams, response: { 200: leadWithDecisionSchema, 404: errorBodySchema } },
      },
      async (request) => {
        const details = await getLead(ctx, request.principal, request.params.id);
        return toLeadWithDecision(details.lead, details.assignment, details.owner, details.originator, request.readerLocale);
      },
    );

    app.get(
      '/api/v1/leads/:id/events',
      {
        config: { scope: 'leads:read' },
        schema: {
          tags: ['leads'],
          summary: 'The timeline of a lead: everything that happened to it, oldest first',
          params: leadIdParams,
          response: { 200: z.object({ items: z.array(z.object({ id: z.string(), type: z.string(), actor: z.string(), payload: z.unknown(), createdAt: z.string() })) }), 404: errorBodySchema },
        },
      },
      async (request) => {
        const events = await getLeadTimeline(ctx, request.principal, request.params.id);
        return { items: events.map((e) => ({ id: e.id, type: e.type, actor: e.actor, payload: e.payload, createdAt: e.createdAt })) };
      },
    );

    app.get(
      '/api/v1/leads',
      {
        config: { scope: 'leads:read' },
        schema: {
          tags: ['leads'],
          summary: 'Leads, newest first, with keyset pagination (pass nextCursor back as cursor); filters and search combine with AND',
          querystring: listQuery,
          response: { 200: z.object({ items: z.array(leadWithDecisionSchema), nextCursor: z.string().nullable() }), 400: errorBodySchema },
        },
      },
      async (request) => {
        const q = request.query;
        const page = await listLeadPage(
          ctx,
          request.principal,
          {
            statuses: q.status === undefined ? undefined : statusesOf(q.status), q: q.q, sla: q.sla, ownerId: q.ownerId, source: q.source?.toLowerCase(), channel: q.channel?.toLowerCase(), region: q.region,
            createdFrom: toIso(q.createdFrom), createdTo: toIso(q.createdTo), duplicates: q.duplicates === undefined ? undefined : q.duplicates === 'true',
          },
          { limit: q.limit, cursor: q.cursor },
        );
        const withDecisions = q.decisions === 'true';
        return { items: page.items.map((d) => toLeadWithDecision(d.lead, withDecisions ? d.assignment : undefined, d.owner, d.originator, request.readerLocale)), nextCursor: page.nextCursor };
      },
    );
  };
}
