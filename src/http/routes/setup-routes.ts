import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { createFirstAdmin, firstAdminInputSchema, setupOpen, type SetupToken } from '../../app/people/first-admin.js';
import { errorBodySchema } from '../error-schema.js';
import { userView } from './user-routes.js';

/** The first admin of an empty database, made with the one-time token the server printed at start. */
export function setupRoutes(ctx: AppContext, token: SetupToken | undefined): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/setup',
      {
        schema: {
          tags: ['people'],
          summary: 'Whether the first admin may still be created with the setup token',
          description: 'open: true only while the database has no person and this server printed a setup token at start that is not spent yet.',
          security: [],
          response: { 200: z.object({ open: z.boolean() }) },
        },
      },
      async () => ({ open: await setupOpen(ctx, token) }),
    );
    app.post(
      '/api/v1/setup',
      {
        schema: {
          tags: ['people'],
          summary: 'Create the first admin with the one-time setup token printed in the server log',
          description: 'Works once, on a database without people: 403 for a wrong token, 409 once the first admin exists (made here or by `leadrouter create-admin`). Then sign in with POST /api/v1/session.',
          security: [],
          body: firstAdminInputSchema,
          response: { 201: userView, 403: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request, reply) => {
        const user = await createFirstAdmin(ctx, token, request.body);
        request.log.info({ userId: user.id }, 'first admin created with the setup token');
        return reply.code(201).send(user);
      },
    );
  };
}
