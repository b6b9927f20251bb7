import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../app/access/roles.js';
import type { AppContext } from '../../app/app-context.js';
import { LOCALES, userInputSchema, userPatchSchema } from '../../app/people/user-input.js';
import { changeUser, createUser, getUser, users } from '../../app/people/users.js';
import { errorBodySchema } from '../error-schema.js';

export const userView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  teamId: z.string().nullable(),
  managerId: z.string().nullable(),
  active: z.boolean(),
  locale: z.enum(LOCALES).nullable().describe('The interface language the person chose; null: none chosen (show Russian)'),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
const idParams = z.object({ id: z.string().min(1).max(100) });

export function userRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/v1/users', { config: { scope: 'admin' }, schema: { tags: ['people'], summary: 'People who sign in, with their roles', response: { 200: z.object({ items: z.array(userView) }) } } }, async () => ({
      items: await users(ctx),
    }));
    app.get('/api/v1/users/:id', { config: { scope: 'admin' }, schema: { tags: ['people'], params: idParams, response: { 200: userView, 404: errorBodySchema } } }, async (request) =>
      await getUser(ctx, request.params.id),
    );
    app.post(
      '/api/v1/users',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['people'],
          summary: 'Add a person: admin, head (of a team), manager (linked to a routing profile) or qualifier',
          body: userInputSchema,
          response: { 201: userView, 409: errorBodySchema },
        },
      },
      async (request, reply) => reply.code(201).send(await createUser(ctx, request.principal, request.body)),
    );
    app.patch(
      '/api/v1/users/:id',
      {
        config: { scope: 'admin' },
        schema: { tags: ['people'], summary: 'Change a role, team, link, password, or deactivate (signs the person out everywhere)', params: idParams, body: userPatchSchema, response: { 200: userView, 404: errorBodySchema, 409: errorBodySchema } },
      },
      async (request) => await changeUser(ctx, request.principal, request.params.id, request.body),
    );
  };
}
