import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { leaderboard, planFact } from '../../app/motivation/plan-fact.js';
import { copyPlans, readPlans, savePlans } from '../../app/motivation/plans.js';
import { PLAN_METRICS } from '../../core/motivation/metrics.js';
import { errorBodySchema } from '../error-schema.js';

const id = z.string().trim().min(1).max(100);
const period = z.string().max(20).describe('A calendar month, YYYY-MM, read in the team’s time zone; the month running now by default');
const metricEnum = z.enum(PLAN_METRICS);
const n = z.number().nullable();
const targets = z.object({ leadsWorked: n, firstContacts: n, conversions: n, wonValue: n, calls: n, emails: n, meetings: n }).describe('null: no target. calls, emails, meetings are norms per working day');

const teamPlan = z.object({
  teamId: z.string(),
  teamName: z.string(),
  timeZone: z.string(),
  closed: z.boolean().describe('The month has ended in the team’s zone; its plan no longer changes'),
  editable: z.boolean().describe('The asker may change it'),
  team: z.object({ targets }),
  managers: z.array(z.object({ managerId: z.string(), name: z.string(), targets })),
});
const plansView = z.object({
  period: z.string(),
  metrics: z.array(z.object({ key: metricEnum, unit: z.enum(['count', 'money']), per: z.enum(['period', 'workingDay']) })),
  teams: z.array(teamPlan),
});
const plansBody = z.strictObject({
  team: id.optional().describe('The team (a head: the own team by default; an administrator names it)'),
  targets: z
    .array(
      z.strictObject({
        manager: id.nullable().describe("A manager of the team, or null for the team's own target"),
        metric: z.string().max(50).describe(`One of ${PLAN_METRICS.join(', ')}`),
        target: z.number().nullable().describe('Not negative; whole for counts over the period; null removes the target'),
      }),
    )
    .max(1000),
});
const copyBody = z.strictObject({
  team: id.optional(),
  from: z.string().max(20).optional().describe('The month to copy from; the previous one by default'),
  overwrite: z.boolean().optional().describe('Replace targets already set (by default only empty ones are filled)'),
});

const progressFields = {
  metric: metricEnum,
  unit: z.enum(['count', 'money']),
  per: z.enum(['period', 'workingDay']),
  norm: n,
  target: n,
  fact: z.number(),
  factPerDay: n,
  done: n,
  remaining: n,
  remainingDays: z.number(),
  pacePerDay: n,
  forecast: n,
  state: z.enum(['none', 'done', 'ahead', 'behind']),
};
const header = {
  period: z.string(),
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  scope: z.object({ kind: z.enum(['all', 'team', 'self']), teamId: z.string().nullable(), managerId: z.string().nullable() }),
};
const planFactView = z.object({
  ...header,
  managers: z.array(z.object({ managerId: z.string(), name: z.string(), self: z.boolean(), workingDays: z.number(), elapsedDays: z.number(), metrics: z.array(z.object(progressFields)) })),
  team: z
    .object({
      workingDays: z.number(),
      elapsedDays: z.number(),
      metrics: z.array(z.object({ ...progressFields, targetFrom: z.enum(['team', 'managers', 'none']) })),
    })
    .nullable(),
});
const leaderboardView = z.object({
  ...header,
  metric: metricEnum,
  unit: z.enum(['count', 'money']),
  rows: z.array(z.object({ rank: z.number(), managerId: z.string().nullable(), name: z.string(), self: z.boolean(), anonymous: z.boolean(), fact: z.number(), target: n, done: n })),
});

const periodParams = z.object({ period: z.string().max(20) });
const readScope = { scope: ['team:read', 'leads:manage'] as const };

/** Plans, plan / fact and the leaderboard (issue 13, motivation). Definitions: docs/reports.md, "Motivation". */
export function motivationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/plans',
      {
        config: readScope,
        schema: {
          tags: ['motivation'],
          summary: "A month's targets per manager and for the team (a manager: the own and the team's; an administrator every team unless one is named)",
          querystring: z.strictObject({ period: period.optional(), team: id.optional() }),
          response: { 200: plansView, 400: errorBodySchema },
        },
      },
      async (request) => await readPlans(ctx, request.principal, request.query),
    );
    app.put(
      '/api/v1/plans/:period',
      {
        config: { scope: 'leads:manage' },
        schema: {
          tags: ['motivation'],
          summary: "Set or remove targets of the team's managers and of the team for a month not yet ended (the team's head or an administrator; audited)",
          params: periodParams,
          body: plansBody,
          response: { 200: teamPlan, 400: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request) => await savePlans(ctx, request.principal, request.params.period, request.body),
    );
    app.post(
      '/api/v1/plans/:period/copy',
      {
        config: { scope: 'leads:manage' },
        schema: {
          tags: ['motivation'],
          summary: "Copy another month's targets (the previous by default) for the team and its managers into this month; audited",
          params: periodParams,
          body: copyBody,
          response: { 200: teamPlan.extend({ copied: z.number() }), 400: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request) => await copyPlans(ctx, request.principal, request.params.period, request.body),
    );
    app.get(
      '/api/v1/motivation/plan-fact',
      {
        config: readScope,
        schema: {
          tags: ['motivation'],
          summary: "Plan against fact per manager (a manager: the own row) and for the team: progress, the pace needed per remaining working day and a straight-line forecast",
          querystring: z.strictObject({ period: period.optional(), team: id.optional(), manager: id.optional() }),
          response: { 200: planFactView, 400: errorBodySchema },
        },
      },
      async (request) => await planFact(ctx, request.principal, request.query),
    );
    app.get(
      '/api/v1/motivation/leaderboard',
      {
        config: readScope,
        schema: {
          tags: ['motivation'],
          summary: "The team's managers ranked by one metric for the month (ties share a rank), with the share of their plan; colleagues anonymised for a manager unless the reports setting names them",
          querystring: z.strictObject({ period: period.optional(), team: id.optional(), metric: z.string().max(50).optional().describe(`One of ${PLAN_METRICS.join(', ')}; wonValue by default`) }),
          response: { 200: leaderboardView, 400: errorBodySchema },
        },
      },
      async (request) => await leaderboard(ctx, request.principal, request.query),
    );
  };
}
