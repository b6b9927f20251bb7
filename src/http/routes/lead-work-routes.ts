import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { leadActivities, logActivity } from '../../app/lifecycle/activities.js';
import { changeLeadStatus } from '../../app/lifecycle/change-status.js';
import { convertLead } from '../../app/lifecycle/convert-lead.js';
import { leadTimeline } from '../../app/lifecycle/lead-timeline.js';
import { activityInputSchema, callListQuerySchema, convertInputSchema, qualifyInputSchema, statusChangeSchema, taskInputSchema, taskPatchSchema } from '../../app/lifecycle/lifecycle-input.js';
import { qualifyLead } from '../../app/lifecycle/qualify-lead.js';
import { callList, changeTask, createTask } from '../../app/lifecycle/tasks.js';
import type { RoutingSnapshotLoader } from '../../app/routing/routing-snapshot.js';
import type { ActivityRecord } from '../../store/activity-queries.js';
import type { TaskRecord } from '../../store/task-queries.js';
import { errorBodySchema } from '../error-schema.js';
import { leadViewSchema, leadWithDecisionSchema, toLeadView, toLeadWithDecision } from '../views/lead-view.js';
import { leadDetailsOf } from '../../app/leads/read-leads.js';
import { dealView, toDealView } from './deal-routes.js';

const leadIdParams = z.object({ id: z.string().min(1).max(100) });
const leadAnswer = z.object({ lead: leadViewSchema });
const errors = { 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };

const activityView = z.object({
  id: z.string(), leadId: z.string(), kind: z.string(), outcome: z.string().nullable(), note: z.string().nullable(), managerId: z.string().nullable(),
  actor: z.string(), occurredAt: z.string(), createdAt: z.string(),
});
const toActivityView = (a: ActivityRecord): z.infer<typeof activityView> => ({ ...a });

const taskView = z.object({
  id: z.string(), leadId: z.string(), assigneeId: z.string().nullable(), title: z.string(), offer: z.string().nullable(), dueAt: z.string(),
  doneAt: z.string().nullable(), createdBy: z.string(), createdAt: z.string(), updatedAt: z.string(),
});
const toTaskView = (t: TaskRecord): z.infer<typeof taskView> => ({ ...t });

const callListItemView = taskView.extend({
  overdue: z.boolean(),
  assigneeName: z.string().nullable(),
  lead: z.object({ id: z.string(), name: z.string().nullable(), phone: z.string().nullable(), phoneRaw: z.string().nullable(), email: z.string().nullable(), companyName: z.string().nullable(), status: z.string(), ownerId: z.string().nullable() }),
});

const timelineItemView = z.object({ at: z.string(), type: z.string(), actor: z.string().nullable(), summary: z.string(), details: z.record(z.string(), z.unknown()) });

/** Working a lead: status, qualification, activities, tasks, conversion and its timeline. */
export function leadWorkRoutes(ctx: AppContext, snapshots: RoutingSnapshotLoader): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/leads/:id/status',
      {
        config: { scope: 'leads:work' },
        schema: { tags: ['lifecycle'], summary: "Move a lead to another stage of its pipeline, or mark it junk with a reason", params: leadIdParams, body: statusChangeSchema, response: { 200: leadAnswer, ...errors } },
      },
      async (request) => ({ lead: toLeadView(await changeLeadStatus(ctx, request.principal, request.params.id, request.body)) }),
    );

    app.post(
      '/api/v1/leads/:id/qualify',
      {
        config: { scope: 'leads:work' },
        schema: {
          tags: ['lifecycle'],
          summary: 'Qualifiers (and heads, admins): pass a lead waiting for qualification on to routing, or mark it junk',
          params: leadIdParams,
          body: qualifyInputSchema,
          response: { 200: leadWithDecisionSchema.describe('The lead with its owner and the decision that routed it (null for junk)'), 403: errorBodySchema, ...errors },
        },
      },
      async (request) => {
        const lead = await qualifyLead(ctx, snapshots, request.principal, request.params.id, request.body);
        const details = await leadDetailsOf(ctx, lead);
        // A junked lead keeps no decision of its own; only a routed one answers where it went.
        return toLeadWithDecision(details.lead, lead.status === 'junk' ? undefined : details.assignment, details.owner, details.originator, request.readerLocale);
      },
    );

    app.post(
      '/api/v1/leads/:id/activities',
      {
        config: { scope: 'leads:work' },
        schema: {
          tags: ['lifecycle'],
          summary: 'Log a call, e-mail, meeting or note with its outcome; the first real contact stops the first-contact clock',
          params: leadIdParams,
          body: activityInputSchema,
          response: { 201: z.object({ activity: activityView, firstContact: z.boolean() }), ...errors },
        },
      },
      async (request, reply) => {
        const logged = await logActivity(ctx, request.principal, request.params.id, request.body);
        return reply.code(201).send({ activity: toActivityView(logged.activity), firstContact: logged.firstContact });
      },
    );
    app.get(
      '/api/v1/leads/:id/activities',
      { config: { scope: 'leads:read' }, schema: { tags: ['lifecycle'], summary: "The lead's activities, oldest first", params: leadIdParams, response: { 200: z.object({ items: z.array(activityView) }), 404: errorBodySchema } } },
      async (request) => ({ items: (await leadActivities(ctx, request.principal, request.params.id)).map(toActivityView) }),
    );

    app.post(
      '/api/v1/leads/:id/tasks',
      { config: { scope: 'leads:work' }, schema: { tags: ['lifecycle'], summary: 'Plan a call or step: what, by when, with which offer', params: leadIdParams, body: taskInputSchema, response: { 201: taskView, 403: errorBodySchema, ...errors } } },
      async (request, reply) => reply.code(201).send(toTaskView(await createTask(ctx, request.principal, request.params.id, request.body))),
    );
    app.patch(
      '/api/v1/tasks/:id',
      { config: { scope: 'leads:work' }, schema: { tags: ['lifecycle'], summary: 'Mark a task done, or move or reword it', params: leadIdParams, body: taskPatchSchema, response: { 200: taskView, ...errors } } },
      async (request) => toTaskView(await changeTask(ctx, request.principal, request.params.id, request.body)),
    );
    app.get(
      '/api/v1/tasks',
      {
        config: { scope: 'leads:read' },
        schema: {
          tags: ['lifecycle'],
          summary: 'The call list: whom to call (lead, phone, company), when, with which offer; soonest first',
          querystring: callListQuerySchema,
          response: { 200: z.object({ items: z.array(callListItemView) }), 403: errorBodySchema, 422: errorBodySchema },
        },
      },
      async (request) => ({
        items: (await callList(ctx, request.principal, request.query)).map((e) => ({ ...toTaskView(e.task), overdue: e.overdue, assigneeName: e.assigneeName, lead: e.lead })),
      }),
    );

    app.post(
      '/api/v1/leads/:id/convert',
      {
        config: { scope: 'leads:work' },
        schema: {
          tags: ['lifecycle'],
          summary: 'Convert a lead into contact + company + deal; the lead\'s originator (else the owner) becomes the deal\'s originator',
          params: leadIdParams,
          body: convertInputSchema,
          response: { 201: z.object({ lead: leadViewSchema, deal: dealView, contactId: z.string(), companyId: z.string().nullable(), created: z.object({ contact: z.boolean(), company: z.boolean() }) }), ...errors },
        },
      },
      async (request, reply) => {
        const c = await convertLead(ctx, request.principal, request.params.id, request.body);
        return reply.code(201).send({ lead: toLeadView(c.lead), deal: toDealView(c.deal), contactId: c.contactId, companyId: c.companyId, created: c.created });
      },
    );

    app.get(
      '/api/v1/leads/:id/timeline',
      {
        config: { scope: 'leads:read' },
        schema: { tags: ['lifecycle'], summary: 'Everything that happened to the lead: events, decisions, activities, tasks, transfers, deals; oldest first', params: leadIdParams, response: { 200: z.object({ items: z.array(timelineItemView) }), 404: errorBodySchema } },
      },
      async (request) => ({ items: await leadTimeline(ctx, request.principal, request.params.id, request.readerLocale) }),
    );
  };
}
