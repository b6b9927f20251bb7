import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { pipelineInputSchema, qualificationSettingSchema, reasonInputSchema, reasonPatchSchema } from '../../app/lifecycle/lifecycle-input.js';
import { pipelines, replacePipeline } from '../../app/lifecycle/pipelines.js';
import { changeQualificationSetting, qualificationSetting } from '../../app/lifecycle/qualification-setting.js';
import { changeReason, createReason, reasons } from '../../app/lifecycle/reasons.js';
import { errorBodySchema } from '../error-schema.js';

const stageView = z.object({ key: z.string(), label: z.string(), kind: z.enum(['open', 'converted', 'junk']) });
const pipelineView = z.object({
  teamId: z.string().nullable().describe('null for the default pipeline'),
  name: z.string(),
  stages: z.array(stageView),
  updatedAt: z.string().nullable().describe('null while the built-in default was never changed'),
});
const reasonView = z.object({ id: z.string(), kind: z.enum(['junk', 'transfer']), key: z.string(), label: z.string(), autoApprove: z.boolean(), active: z.boolean(), createdAt: z.string() });
const qualificationView = z.object({ enabled: z.boolean(), sources: z.array(z.string()).optional() });

/** Pipelines, the reasons catalogue and the qualification switch: what admins configure for the lead's working life. */
export function pipelineRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/pipelines',
      { config: { scope: 'leads:read' }, schema: { tags: ['lifecycle'], summary: "The default status pipeline and the teams' own; a lead follows its owner's team's", response: { 200: z.object({ default: pipelineView, teams: z.array(pipelineView) }) } } },
      async () => await pipelines(ctx),
    );
    const pipelineSchema = (summary: string) => ({
      tags: ['lifecycle'],
      summary,
      description: 'The first stage is "new"; exactly one stage of kind converted (key "converted") and one of kind junk (key "junk"); labels are free. Refused with 409 while open leads are in a stage the change removes.',
      body: pipelineInputSchema,
      response: { 200: pipelineView, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema },
    });
    app.put('/api/v1/pipelines/default', { config: { scope: 'admin' }, schema: pipelineSchema('Replace the default pipeline') }, async (request) => await replacePipeline(ctx, request.principal, null, request.body));
    app.put(
      '/api/v1/pipelines/teams/:teamId',
      { config: { scope: 'admin' }, schema: { ...pipelineSchema("Replace a team's own pipeline"), params: z.object({ teamId: z.string().min(1).max(100) }) } },
      async (request) => await replacePipeline(ctx, request.principal, request.params.teamId, request.body),
    );

    app.get(
      '/api/v1/reasons',
      {
        config: { scope: 'leads:read' },
        schema: {
          tags: ['lifecycle'],
          summary: 'The catalogue of junk and transfer reasons',
          querystring: z.strictObject({ kind: z.enum(['junk', 'transfer']).optional(), includeInactive: z.enum(['true', 'false']).optional() }),
          response: { 200: z.object({ items: z.array(reasonView) }) },
        },
      },
      async (request) => ({ items: await reasons(ctx, { ...(request.query.kind ? { kind: request.query.kind } : {}), includeInactive: request.query.includeInactive === 'true' }) }),
    );
    app.post(
      '/api/v1/reasons',
      { config: { scope: 'admin' }, schema: { tags: ['lifecycle'], summary: 'Add a reason to the catalogue', body: reasonInputSchema, response: { 201: reasonView, 409: errorBodySchema, 422: errorBodySchema } } },
      async (request, reply) => reply.code(201).send(await createReason(ctx, request.principal, request.body)),
    );
    app.patch(
      '/api/v1/reasons/:id',
      {
        config: { scope: 'admin' },
        schema: { tags: ['lifecycle'], summary: 'Relabel, retire (active: false) or auto-approve a reason; keys never change', params: z.object({ id: z.string().min(1).max(100) }), body: reasonPatchSchema, response: { 200: reasonView, 404: errorBodySchema, 422: errorBodySchema } },
      },
      async (request) => await changeReason(ctx, request.principal, request.params.id, request.body),
    );

    app.get(
      '/api/v1/settings/qualification',
      { config: { scope: 'leads:read' }, schema: { tags: ['lifecycle'], summary: 'Whether new leads wait for a qualifier before routing', response: { 200: qualificationView } } },
      async () => await qualificationSetting(ctx),
    );
    app.put(
      '/api/v1/settings/qualification',
      { config: { scope: 'admin' }, schema: { tags: ['lifecycle'], summary: 'Turn the qualification stage on or off, for all sources or some', body: qualificationSettingSchema, response: { 200: qualificationView } } },
      async (request) => await changeQualificationSetting(ctx, request.principal, request.body),
    );
  };
}
