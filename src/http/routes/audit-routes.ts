import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { readAuditLog } from '../../app/audit/read-audit-log.js';
import { errorBodySchema } from '../error-schema.js';
import { instantSchema } from '../schema-types.js';

const auditQuery = z.strictObject({
  entity: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  actor: z.string().max(120).optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
});

const auditEntryView = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  at: z.string(),
});

export function auditRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/audit',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['people'],
          summary: 'Every change by a person or an integration: who, when, what, before and after (newest first)',
          querystring: auditQuery,
          response: { 200: z.object({ items: z.array(auditEntryView), nextCursor: z.string().nullable() }), 400: errorBodySchema },
        },
      },
      async (request) => {
        const q = request.query;
        return await readAuditLog(
          ctx,
          { entity: q.entity, entityId: q.entityId, actor: q.actor, from: q.from ? new Date(q.from).toISOString() : undefined, to: q.to ? new Date(q.to).toISOString() : undefined },
          { limit: q.limit, cursor: q.cursor },
        );
      },
    );
  };
}
