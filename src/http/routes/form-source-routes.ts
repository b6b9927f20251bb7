import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { formSourceCreateSchema, formSourcePatchSchema } from '../../app/forms/form-source-input.js';
import { changeFormSource, createFormSource, formSource, formSources, formSourceView } from '../../app/forms/form-sources.js';
import { discardQuarantined, quarantined, replayQuarantined } from '../../app/forms/quarantine.js';
import type { LeadIntake } from '../../app/intake/lead-intake.js';
import type { FormSourceRecord } from '../../store/form-source-queries.js';
import { errorBodySchema } from '../error-schema.js';

const formView = z.object({
  id: z.string(),
  name: z.string(),
  publicKey: z.string().describe('The key in the public address /f/<publicKey>'),
  endpointPath: z.string().describe('Where the form posts (prefix it with this server’s address): Tilda’s webhook URL, an HTML form’s action'),
  embedPath: z.string().describe('The embed script: <script src="…/f/<key>/embed.js" async></script>'),
  source: z.string().nullable(),
  channel: z.string().nullable(),
  campaign: z.string().nullable(),
  fieldMap: z.record(z.string(), z.string()),
  allowedOrigins: z.array(z.string()),
  thankYouUrl: z.string().nullable(),
  honeypotField: z.string().nullable(),
  minSeconds: z.number(),
  keepUnknown: z.boolean(),
  perIpPerMinute: z.number(),
  perFormPerMinute: z.number(),
  captcha: z.boolean().describe('Whether a SmartCaptcha server key is set (the key itself is never shown)'),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const view = (f: FormSourceRecord): z.infer<typeof formView> => ({
  ...formSourceView(f),
  endpointPath: `/f/${encodeURIComponent(f.publicKey)}`,
  embedPath: `/f/${encodeURIComponent(f.publicKey)}/embed.js`,
});

const quarantineView = z.object({
  id: z.string(),
  formId: z.string().nullable().describe('The web form; null for a lead a CRM connector holds'),
  connectorId: z.string().nullable().describe('The CRM connector (Bitrix24, amoCRM) whose lead intake refused; null for a web form’s'),
  fields: z.record(z.string(), z.string()).describe('What the visitor’s browser sent (for a CRM lead: its id and fields)'),
  input: z.record(z.string(), z.unknown()).describe('The lead those fields made'),
  issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
  status: z.enum(['waiting', 'replayed', 'discarded']),
  leadId: z.string().nullable(),
  receivedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});

const idParams = z.object({ id: z.string().min(1).max(100) });

export function formSourceRoutes(ctx: AppContext, intake: LeadIntake): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/v1/form-sources', { config: { scope: 'admin' }, schema: { tags: ['forms'], summary: 'Web forms and their settings', response: { 200: z.object({ items: z.array(formView) }) } } }, async (request) => ({
      items: (await formSources(ctx, request.principal)).map(view),
    }));
    app.post(
      '/api/v1/form-sources',
      { config: { scope: 'admin' }, schema: { tags: ['forms'], summary: 'Add a web form: it gets its public address at once', body: formSourceCreateSchema, response: { 201: formView, 400: errorBodySchema } } },
      async (request, reply) => reply.code(201).send(view(await createFormSource(ctx, request.principal, request.body))),
    );
    app.get('/api/v1/form-sources/:id', { config: { scope: 'admin' }, schema: { tags: ['forms'], summary: 'One web form', params: idParams, response: { 200: formView, 404: errorBodySchema } } }, async (request) =>
      view(await formSource(ctx, request.principal, request.params.id)),
    );
    app.patch(
      '/api/v1/form-sources/:id',
      { config: { scope: 'admin' }, schema: { tags: ['forms'], summary: 'Change a web form (its address stays)', params: idParams, body: formSourcePatchSchema, response: { 200: formView, 404: errorBodySchema } } },
      async (request) => view(await changeFormSource(ctx, request.principal, request.params.id, request.body)),
    );
    app.get(
      '/api/v1/form-submissions/quarantine',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['forms'],
          summary: 'Submissions intake refused, newest first: fix and replay them, or discard them',
          querystring: z.object({ formId: z.string().max(100).optional(), connectorId: z.string().max(100).optional(), status: z.enum(['waiting', 'replayed', 'discarded']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: { 200: z.object({ items: z.array(quarantineView) }) },
        },
      },
      async (request) => ({ items: await quarantined(ctx, request.principal, request.query) }),
    );
    app.post(
      '/api/v1/form-submissions/quarantine/:id/replay',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['forms'],
          summary: 'Run a quarantined submission through intake, as sent or corrected',
          params: idParams,
          body: z.strictObject({ input: z.record(z.string(), z.unknown()).optional().describe('The corrected lead (intake’s lead fields); absent: as stored') }),
          response: { 200: quarantineView, 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request) => await replayQuarantined(ctx, intake, request.principal, request.params.id, request.body.input),
    );
    app.post(
      '/api/v1/form-submissions/quarantine/:id/discard',
      { config: { scope: 'admin' }, schema: { tags: ['forms'], summary: 'Discard a quarantined submission (kept, marked discarded)', params: idParams, response: { 200: quarantineView, 404: errorBodySchema, 409: errorBodySchema } } },
      async (request) => await discardQuarantined(ctx, request.principal, request.params.id),
    );
  };
}
