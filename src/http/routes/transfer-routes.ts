import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { getBriefing } from '../../app/transfers/briefing.js';
import { approveTransfer, cancelTransfer, rejectTransfer } from '../../app/transfers/decide-transfer.js';
import { transfersFor } from '../../app/transfers/read-transfers.js';
import { reassignLeads } from '../../app/transfers/reassign-leads.js';
import { requestTransfer } from '../../app/transfers/request-transfer.js';
import { bulkReassignSchema, MAX_BULK_REASSIGN, reassignSchema, transferApprovalSchema, transferRejectionSchema, transferRequestSchema } from '../../app/transfers/transfer-input.js';
import { errorBodySchema } from '../error-schema.js';

const TRANSFER_STATUSES = ['requested', 'approved', 'rejected', 'cancelled'] as const;

const transferView = z.object({
  id: z.string(),
  leadId: z.string(),
  fromManagerId: z.string().nullable(),
  toManagerId: z.string().nullable(),
  reason: z.string(),
  reasonLabel: z.string(),
  comment: z.string().nullable(),
  status: z.enum(TRANSFER_STATUSES),
  requestedBy: z.string(),
  decidedBy: z.string().nullable(),
  decisionComment: z.string().nullable(),
  overrideReason: z.string().nullable().describe('Why the head handed over although the recipient check failed'),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

const briefingView = z.object({
  leadId: z.string(),
  lastContacts: z.array(z.object({ id: z.string(), kind: z.string(), outcome: z.string().nullable(), note: z.string().nullable(), managerId: z.string().nullable(), occurredAt: z.string() })),
  openTasks: z.array(z.object({ id: z.string(), title: z.string(), offer: z.string().nullable(), dueAt: z.string(), assigneeId: z.string().nullable() })),
  transfer: z
    .object({ id: z.string(), status: z.string(), reason: z.string(), reasonLabel: z.string(), comment: z.string().nullable(), fromManagerId: z.string().nullable(), requestedAt: z.string() })
    .nullable(),
  sla: z.object({ kind: z.string(), dueAt: z.string() }).nullable(),
});

const reassignView = z.object({
  toManagerId: z.string(),
  items: z.array(z.object({ leadId: z.string(), fromManagerId: z.string().nullable() })),
  overriddenCheck: z.string().nullable(),
});

const idParams = z.object({ id: z.string().min(1).max(100) });

export function transferRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/leads/:id/transfers',
      {
        config: { scope: 'leads:work' },
        schema: {
          tags: ['transfers'],
          summary: 'Ask to hand the lead to a colleague, with a catalogue reason; one request per lead waits at a time',
          description: 'The owner or a head asks. A reason marked auto-approve hands the lead over at once when the recipient can take it; otherwise the head decides.',
          params: idParams,
          body: transferRequestSchema,
          response: { 201: z.object({ transfer: transferView, autoApproveSkipped: z.string().nullable() }), 404: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request, reply) => reply.code(201).send(await requestTransfer(ctx, request.principal, request.params.id, request.body)),
    );

    app.get(
      '/api/v1/transfers',
      {
        config: { scope: 'leads:read' },
        schema: {
          tags: ['transfers'],
          summary: 'Transfer requests, newest first: a manager sees those from, to or by them; a head the team’s',
          querystring: z.strictObject({ status: z.enum(TRANSFER_STATUSES).optional(), leadId: z.string().min(1).max(100).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: { 200: z.object({ items: z.array(transferView) }) },
        },
      },
      async (request) => ({ items: await transfersFor(ctx, request.principal, request.query) }),
    );

    app.post(
      '/api/v1/transfers/:id/approve',
      {
        config: { scope: 'leads:manage' },
        schema: {
          tags: ['transfers'],
          summary: 'Approve: the lead, its open tasks and a briefing go to the recipient; both managers are told',
          description: 'The recipient must be active, not paused or away, within working hours and under both caps; otherwise 422 names the failed check, unless `override: {reason}` is sent.',
          params: idParams,
          body: transferApprovalSchema.optional(),
          response: { 200: transferView, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema },
        },
      },
      async (request) => await approveTransfer(ctx, request.principal, request.params.id, request.body ?? {}),
    );

    app.post(
      '/api/v1/transfers/:id/reject',
      {
        config: { scope: 'leads:manage' },
        schema: { tags: ['transfers'], summary: 'Reject with a comment for the manager who asked', params: idParams, body: transferRejectionSchema, response: { 200: transferView, 404: errorBodySchema, 409: errorBodySchema } },
      },
      async (request) => await rejectTransfer(ctx, request.principal, request.params.id, request.body),
    );

    app.post(
      '/api/v1/transfers/:id/cancel',
      { config: { scope: 'leads:work' }, schema: { tags: ['transfers'], summary: 'Take a waiting request back (the one who asked)', params: idParams, response: { 200: transferView, 404: errorBodySchema, 409: errorBodySchema } } },
      async (request) => await cancelTransfer(ctx, request.principal, request.params.id),
    );

    app.get(
      '/api/v1/leads/:id/briefing',
      {
        config: { scope: 'leads:read' },
        schema: { tags: ['transfers'], summary: 'What to know when taking a lead over: last contacts, open tasks, the latest transfer reason, the SLA deadline', params: idParams, response: { 200: briefingView, 404: errorBodySchema } },
      },
      async (request) => await getBriefing(ctx, request.principal, request.params.id),
    );

    app.post(
      '/api/v1/leads/:id/reassign',
      {
        config: { scope: 'leads:manage' },
        schema: { tags: ['transfers'], summary: 'The head hands the lead to a manager directly, with a reason', params: idParams, body: reassignSchema, response: { 200: reassignView, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema } },
      },
      async (request) => await reassignLeads(ctx, request.principal, { ...request.body, leadIds: [request.params.id] }, true),
    );

    app.post(
      '/api/v1/leads/reassign',
      {
        config: { scope: 'leads:manage' },
        schema: {
          tags: ['transfers'],
          summary: `Hand up to ${MAX_BULK_REASSIGN} leads to one manager, all or none`,
          description: 'Any lead that cannot move is listed in `details` (path `leadIds[i]`) and nothing changes; the recipient’s caps count the whole batch.',
          body: bulkReassignSchema,
          response: { 200: reassignView, 422: errorBodySchema },
        },
      },
      async (request) => await reassignLeads(ctx, request.principal, request.body),
    );
  };
}
