import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { LeadRouterError } from '../../app/errors.js';
import { APP_VERSION } from '../../app/version.js';
import { schemaVersion } from '../../store/migrate.js';

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['system'],
          summary: 'Liveness and readiness: answers 200 only when the database answers',
          // Public: probes call it without a key, so the document must not inherit the global apiKey requirement.
          security: [],
          response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']), schemaVersion: z.number(), version: z.string() }) },
        },
      },
      async () => {
        let version: number;
        try {
          version = await schemaVersion(ctx.store);
        } catch {
          throw new LeadRouterError('LR_ERR_UNAVAILABLE');
        }
        return { status: 'ok' as const, database: ctx.store.kind, schemaVersion: version, version: APP_VERSION };
      },
    );
  };
}
