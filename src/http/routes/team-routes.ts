import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { absenceInputSchema, managerInputSchema, managerPatchSchema, teamInputSchema, weeklyHoursSchema } from '../../app/team/manager-input.js';
import { absences, addAbsence, changeManager, createManager, createTeam, getManager, managers, removeAbsence, teams } from '../../app/team/manage-team.js';
import { errorBodySchema } from '../error-schema.js';

const managerView = z.object({
  id: z.string(),
  teamId: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  role: z.string(),
  weight: z.number(),
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
const absenceView = z.object({ id: z.string(), from: z.string(), to: z.string(), reason: z.string().nullable() });
const idParams = z.object({ id: z.string().min(1).max(100) });

export function teamRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/v1/teams', { config: { scope: 'team:read' }, schema: { tags: ['team'], response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string() })) }) } } }, async () => ({
      items: await teams(ctx),
    }));
    app.post('/api/v1/teams', { config: { scope: 'team:write' }, schema: { tags: ['team'], body: teamInputSchema, response: { 201: z.object({ id: z.string(), name: z.string() }), 409: errorBodySchema } } }, async (request, reply) =>
      reply.code(201).send(await createTeam(ctx, request.body)),
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
      { config: { scope: 'team:write' }, schema: { tags: ['team'], summary: 'Change a profile, caps, hours, or pause (`{"paused": true}`); applies to the next lead', params: idParams, body: managerPatchSchema, response: { 200: managerView, 404: errorBodySchema } } },
      async (request) => await changeManager(ctx, request.params.id, request.body),
    );

    app.get('/api/v1/managers/:id/absences', { config: { scope: 'team:read' }, schema: { tags: ['team'], params: idParams, response: { 200: z.object({ items: z.array(absenceView) }), 404: errorBodySchema } } }, async (request) => ({
      items: await absences(ctx, request.params.id),
    }));
    app.post(
      '/api/v1/managers/:id/absences',
      { config: { scope: 'team:write' }, schema: { tags: ['team'], summary: 'Vacation or sick leave: whole local dates, inclusive', params: idParams, body: absenceInputSchema, response: { 201: absenceView, 404: errorBodySchema } } },
      async (request, reply) => reply.code(201).send(await addAbsence(ctx, request.params.id, request.body)),
    );
    app.delete(
      '/api/v1/managers/:id/absences/:absenceId',
      { config: { scope: 'team:write' }, schema: { tags: ['team'], params: z.object({ id: z.string().min(1).max(100), absenceId: z.string().min(1).max(100) }), response: { 204: z.null(), 404: errorBodySchema } } },
      async (request, reply) => {
        await removeAbsence(ctx, request.params.id, request.params.absenceId);
        return reply.code(204).send(null);
      },
    );
  };
}
