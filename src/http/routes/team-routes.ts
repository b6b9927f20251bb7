import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { absenceInputSchema, absencesQuerySchema, managerInputSchema, managerPatchSchema, teamInputSchema, teamPatchSchema, weeklyHoursSchema } from '../../app/team/manager-input.js';
import { absences, absencesBetween, addAbsence, changeManager, changeTeam, createManager, createTeam, getManager, managers, removeAbsence, teams } from '../../app/team/manage-team.js';
import { errorBodySchema } from '../error-schema.js';

const managerView = z.object({
  id: z.string(),
  teamId: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  role: z.string(),
  weight: z.number(),
  priority: z.number().describe('Priority tier in group rules: 1 is tried first (high 1, normal 2, low 3)'),
  maxOpen: z.number().nullable(),
  maxPerDay: z.number().nullable(),
  skills: z.array(z.string()),
  industries: z.array(z.string()),
  regions: z.array(z.string()),
  languages: z.array(z.string()),
  timeZone: z.string(),
  workingHours: weeklyHoursSchema.nullable(),
  paused: z.boolean(),
  openLeads: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const absenceKind = z.enum(['vacation', 'sick', 'other']);
const absenceView = z.object({ id: z.string(), kind: absenceKind, from: z.string(), to: z.string(), reason: z.string().nullable() });
const teamView = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  heads: z.array(z.object({ id: z.string(), name: z.string() })).describe('Active people with the role head who run the team'),
  createdAt: z.string(),
});
const idParams = z.object({ id: z.string().min(1).max(100) });
/**
 * The team board: admins and team:write keys for every manager, heads (leads:manage) for the
 * own team's; the use case narrows it down (src/app/team/team-access.ts).
 */
const TEAM_BOARD = ['team:write', 'leads:manage'] as const;

export function teamRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/v1/teams', { config: { scope: 'team:read' }, schema: { tags: ['team'], summary: 'Teams with their time zone and heads', response: { 200: z.object({ items: z.array(teamView) }) } } }, async () => ({
      items: await teams(ctx),
    }));
    app.post('/api/v1/teams', { config: { scope: 'team:write' }, schema: { tags: ['team'], body: teamInputSchema, response: { 201: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }), 409: errorBodySchema } } }, async (request, reply) =>
      reply.code(201).send(await createTeam(ctx, request.body)),
    );
    app.patch(
      '/api/v1/teams/:id',
      {
        // Like POST /teams: team:write renames a team and moves its zone; appointing its head
        // changes a person's role, which stays with admins (changeTeam).
        config: { scope: 'team:write' },
        schema: {
          tags: ['team'],
          summary: 'Rename a team or change its time zone (team:write), or appoint its head (admins; never an admin: 409)',
          params: idParams,
          body: teamPatchSchema,
          response: { 200: teamView, 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request) => await changeTeam(ctx, request.principal, request.params.id, request.body),
    );
    app.get(
      '/api/v1/absences',
      { config: { scope: 'team:read' }, schema: { tags: ['team'], summary: "Absences overlapping the local dates from..to (inclusive): who is away this week (an admin everyone's, a head the own team's, a manager their own)", querystring: absencesQuerySchema, response: { 200: z.object({ items: z.array(absenceView.extend({ managerId: z.string() })) }) } } },
      async (request) => ({ items: await absencesBetween(ctx, request.principal, request.query) }),
    );

    app.get('/api/v1/managers', { config: { scope: 'team:read' }, schema: { tags: ['team'], summary: 'Managers with their routing profile and current open leads', response: { 200: z.object({ items: z.array(managerView) }) } } }, async () => ({
      items: await managers(ctx),
    }));
    app.get('/api/v1/managers/:id', { config: { scope: 'team:read' }, schema: { tags: ['team'], params: idParams, response: { 200: managerView, 404: errorBodySchema } } }, async (request) =>
      await getManager(ctx, request.params.id),
    );
    app.post('/api/v1/managers', { config: { scope: 'team:write' }, schema: { tags: ['team'], body: managerInputSchema, response: { 201: managerView, 400: errorBodySchema, 409: errorBodySchema } } }, async (request, reply) =>
      reply.code(201).send(await createManager(ctx, request.body)),
    );
    app.patch(
      '/api/v1/managers/:id',
      {
        config: { scope: TEAM_BOARD },
        schema: {
          tags: ['team'],
          summary: 'Change a profile, caps, hours, or pause (`{"paused": true}`); applies to the next lead',
          description: 'Admins change any field of any manager. A head changes the routing profile (weight, caps, skills, industries, regions, languages, time zone, working hours, pause) of the own team\'s managers only: another team\'s manager, or teamId, role, name or e-mail, is a 403.',
          params: idParams,
          body: managerPatchSchema,
          response: { 200: managerView, 404: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request) => await changeManager(ctx, request.principal, request.params.id, request.body),
    );

    app.get('/api/v1/managers/:id/absences', { config: { scope: 'team:read' }, schema: { tags: ['team'], params: idParams, response: { 200: z.object({ items: z.array(absenceView) }), 404: errorBodySchema } } }, async (request) => ({
      items: await absences(ctx, request.principal, request.params.id),
    }));
    app.post(
      '/api/v1/managers/:id/absences',
      { config: { scope: TEAM_BOARD }, schema: { tags: ['team'], summary: "Vacation or sick leave: whole local dates, inclusive (a head: the own team's managers)", params: idParams, body: absenceInputSchema, response: { 201: absenceView, 404: errorBodySchema } } },
      async (request, reply) => reply.code(201).send(await addAbsence(ctx, request.principal, request.params.id, request.body)),
    );
    app.delete(
      '/api/v1/managers/:id/absences/:absenceId',
      { config: { scope: TEAM_BOARD }, schema: { tags: ['team'], params: z.object({ id: z.string().min(1).max(100), absenceId: z.string().min(1).max(100) }), response: { 204: z.null(), 404: errorBodySchema } } },
      async (request, reply) => {
        await removeAbsence(ctx, request.principal, request.params.id, request.params.absenceId);
        return reply.code(204).send(null);
      },
    );
  };
}
