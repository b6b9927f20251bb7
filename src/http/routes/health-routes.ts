import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { LeadRouterError } from '../../app/errors.js';
import { APP_VERSION } from '../../app/version.js';
import { LATEST_SCHEMA_VERSION, schemaVersion } from '../../store/migrate.js';

/** Whether the process is shutting down: readiness answers 503 from then on, so a balancer stops sending. */
export class ServerState {
  private drainingSince: Date | null = null;

  startDraining(at = new Date()): void {
    this.drainingSince ??= at;
  }

  get draining(): boolean {
    return this.drainingSince !== null;
  }
}

/** Seconds a probe or client should wait before asking again after a 503. */
export const READY_RETRY_AFTER_SECONDS = 5;

const notReady = z.object({
  status: z.literal('not_ready'),
  reason: z.enum(['database_unreachable', 'migrations_pending', 'draining']),
  message: z.string(),
});

export function healthRoutes(ctx: AppContext, state: ServerState): FastifyPluginAsyncZod {
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

    app.get(
      '/health/live',
      {
        schema: {
          tags: ['system'],
          summary: 'Liveness: the process is up and answers (touches no database); restart it when this fails',
          security: [],
          response: { 200: z.object({ status: z.literal('live'), version: z.string(), uptimeSeconds: z.number() }) },
        },
      },
      async () => ({ status: 'live' as const, version: APP_VERSION, uptimeSeconds: Math.round(process.uptime()) }),
    );

    app.get(
      '/health/ready',
      {
        schema: {
          tags: ['system'],
          summary: 'Readiness: 200 when the database answers, its schema is current and the process is not shutting down',
          description: `Otherwise 503 with Retry-After (${READY_RETRY_AFTER_SECONDS} s) and a reason: database_unreachable, migrations_pending or draining.`,
          security: [],
          response: {
            200: z.object({ status: z.literal('ready'), database: z.enum(['sqlite', 'postgres']), schemaVersion: z.number(), version: z.string() }),
            503: notReady,
          },
        },
      },
      async (_request, reply) => {
        const refuse = (reason: z.infer<typeof notReady>['reason'], message: string) =>
          reply.code(503).header('retry-after', String(READY_RETRY_AFTER_SECONDS)).send({ status: 'not_ready' as const, reason, message });
        if (state.draining) return refuse('draining', 'The server is shutting down; send requests to another instance');
        let version: number;
        try {
          version = await schemaVersion(ctx.store);
        } catch {
          return refuse('database_unreachable', 'The database does not answer');
        }
        if (version < LATEST_SCHEMA_VERSION) return refuse('migrations_pending', `The database schema is at version ${version} of ${LATEST_SCHEMA_VERSION}; run leadrouter migrate`);
        return { status: 'ready' as const, database: ctx.store.kind, schemaVersion: version, version: APP_VERSION };
      },
    );
  };
}
