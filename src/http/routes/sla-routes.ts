import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { holidayInputSchema, slaMatchSchema, slaPolicyInputSchema, slaPolicyPatchSchema, slaPreviewInputSchema } from '../../app/sla/sla-input.js';
import { previewSla } from '../../app/sla/preview-sla.js';
import { addHoliday, changeSlaPolicy, createSlaPolicy, holidays, removeHoliday, removeSlaPolicy, slaPolicies } from '../../app/sla/manage-sla.js';
import { CALENDAR_DAYS_AFTER, CALENDAR_DAYS_BEFORE, managerCalendar } from '../../app/sla/manager-calendar.js';
import { weeklyHoursSchema } from '../../app/team/manager-input.js';
import { errorBodySchema } from '../error-schema.js';

const policyView = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number(),
  match: slaMatchSchema,
  firstContactMinutes: z.number(),
  nextStepMinutes: z.number().nullable(),
  warnBeforeMinutes: z.number().nullable(),
  maxReassignments: z.number(),
  onExhausted: z.enum(['head', 'pool']),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const previewView = z.object({
  policy: z.object({
    id: z.string().nullable(),
    name: z.string().nullable(),
    firstContactMinutes: z.number(),
    warnBeforeMinutes: z.number().nullable(),
    teamMatches: z.boolean().describe("Whether the policy's team match covers this manager's team (a policy without teams covers all)"),
  }),
  manager: z.object({ id: z.string(), name: z.string(), teamId: z.string().nullable() }),
  at: z.string().describe('When the lead arrives'),
  clockStartsAt: z.string().describe('When the clock starts counting: the arrival inside working time, else the start of the next working interval'),
  dueAt: z.string().describe('The first-contact deadline'),
  warnAt: z.string().nullable().describe('When the owner is warned; null: the policy does not warn'),
  calendar: z.object({
    timeZone: z.string(),
    workingHours: weeklyHoursSchema.nullable().describe('null: always working (apart from holidays)'),
    workingAtArrival: z.boolean(),
    businessMinutes: z.number().describe('Working minutes from arrival to the deadline'),
    elapsedMinutes: z.number().describe('Plain minutes from arrival to the deadline'),
    skippedDays: z
      .array(z.object({ day: z.string(), reason: z.enum(['holiday', 'weekend']), holiday: z.string().nullable(), teamId: z.string().nullable() }))
      .describe("The manager's local dates from arrival to the deadline without working time (at most 60)"),
  }),
});
const holidayView = z.object({ id: z.string(), day: z.string(), name: z.string(), teamId: z.string().nullable(), createdAt: z.string() });
const idParams = z.object({ id: z.string().min(1).max(100) });
const calendarView = z.object({
  timeZone: z.string().describe("The IANA zone the manager's clocks count in"),
  workingHours: weeklyHoursSchema.nullable().describe("Working intervals per weekday in that zone, as on the manager's profile; null: always working"),
  holidays: z.array(z.string()).describe(`Local dates (YYYY-MM-DD) without working time for this manager (company-wide and the team's), from \`from\` to \`to\``),
  from: z.string().describe(`The first date covered: ${CALENDAR_DAYS_BEFORE} days before the manager's local today`),
  to: z.string().describe(`The last date covered: ${CALENDAR_DAYS_AFTER} days after it`),
});

/** SLA policies and days off: everyone who works leads may read them, only an administrator changes them. */
export function slaRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/managers/:id/calendar',
      {
        config: { scope: 'team:read' },
        schema: {
          tags: ['sla'],
          summary: "The business calendar the SLA clocks of a manager's leads count in, for counting a deadline down in the browser",
          description: 'Readable by whoever may read the manager (GET /api/v1/managers/:id): admins, heads, managers, API keys with team:read.',
          params: idParams,
          response: { 200: calendarView, 404: errorBodySchema },
        },
      },
      async (request) => await managerCalendar(ctx, request.params.id),
    );
    app.get('/api/v1/sla/policies', { config: { scope: 'leads:read' }, schema: { tags: ['sla'], summary: 'SLA policies, in the order they are matched', response: { 200: z.object({ items: z.array(policyView) }) } } }, async () => ({
      items: await slaPolicies(ctx),
    }));
    app.post(
      '/api/v1/sla/policies',
      { config: { scope: 'admin' }, schema: { tags: ['sla'], summary: 'Add a policy; it applies to clocks started from now on', body: slaPolicyInputSchema, response: { 201: policyView } } },
      async (request, reply) => reply.code(201).send(await createSlaPolicy(ctx, request.principal, request.body)),
    );
    app.patch(
      '/api/v1/sla/policies/:id',
      { config: { scope: 'admin' }, schema: { tags: ['sla'], summary: 'Change a policy; the running clocks of its leads are recomputed', params: idParams, body: slaPolicyPatchSchema, response: { 200: policyView, 404: errorBodySchema } } },
      async (request) => await changeSlaPolicy(ctx, request.principal, request.params.id, request.body),
    );
    app.delete(
      '/api/v1/sla/policies/:id',
      { config: { scope: 'admin' }, schema: { tags: ['sla'], summary: 'Remove a policy; its leads move to the next policy that fits them', params: idParams, response: { 204: z.null(), 404: errorBodySchema } } },
      async (request, reply) => {
        await removeSlaPolicy(ctx, request.principal, request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/sla/preview',
      {
        config: { scope: 'leads:manage' },
        schema: {
          tags: ['sla'],
          summary: 'When a lead arriving now (or at `at`) for a manager would be due under a policy, saved or draft, and why',
          description:
            "Counted by the code that arms real clocks: the manager's zone and working hours, company-wide holidays and the team's. Nothing is saved. Admins and heads.",
          body: slaPreviewInputSchema,
          response: { 200: previewView },
        },
      },
      async (request) => await previewSla(ctx, request.principal, request.body),
    );

    app.get('/api/v1/sla/holidays', { config: { scope: 'leads:read' }, schema: { tags: ['sla'], summary: 'Days off the SLA clocks skip', response: { 200: z.object({ items: z.array(holidayView) }) } } }, async () => ({
      items: await holidays(ctx),
    }));
    app.post(
      '/api/v1/sla/holidays',
      { config: { scope: 'admin' }, schema: { tags: ['sla'], summary: 'Add a day off for everyone or one team', body: holidayInputSchema, response: { 201: holidayView, 409: errorBodySchema } } },
      async (request, reply) => reply.code(201).send(await addHoliday(ctx, request.principal, request.body)),
    );
    app.delete(
      '/api/v1/sla/holidays/:id',
      { config: { scope: 'admin' }, schema: { tags: ['sla'], params: idParams, response: { 204: z.null(), 404: errorBodySchema } } },
      async (request, reply) => {
        await removeHoliday(ctx, request.principal, request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
