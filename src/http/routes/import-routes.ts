import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LeadRouterError } from '../../app/errors.js';
import { COMPANY_IMPORT_FIELDS } from '../../app/imports/company-import.js';
import { IMPORT_FIELDS } from '../../app/imports/import-mapping.js';
import { MAX_IMPORT_BYTES, type ImportJobs } from '../../app/imports/import-jobs.js';
import { errorBodySchema } from '../error-schema.js';

const IMPORTERS = 'leads:manage';

const mappingSchema = z.record(z.string().max(300), z.string().max(100).nullable()).describe('Column of the file → lead field (name, phone, companyName, utm.source, custom.<key> …); null leaves the column out');

const issueSchema = z.object({ path: z.string(), code: z.string(), message: z.string() });

const jobView = z.object({
  id: z.string(),
  kind: z.enum(['leads', 'companies']).describe('What the rows become: leads, or companies and contacts (the client base)'),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  sizeBytes: z.number(),
  header: z.array(z.string()).describe('The columns of the file, as its first row names them'),
  csv: z.object({ encoding: z.string(), delimiter: z.string() }).nullable().describe('How a CSV was read (detected)'),
  mapping: mappingSchema,
  fields: z.array(z.string()).describe('The lead fields a column may feed (and custom.<key>)'),
  status: z.enum(['uploaded', 'running', 'done', 'failed', 'cancelled', 'interrupted']).describe('interrupted: the server stopped during the run; start resumes it where it stopped'),
  slaClocks: z.boolean(),
  progress: z.object({
    fraction: z.number().describe('Share of the file read, 0..1'),
    rowsRead: z.number(),
    rowsPerSec: z.number(),
    secondsLeft: z.number().nullable(),
    created: z.number(),
    alreadyImported: z.number().describe('Rows this file made before (a re-run): left as they are'),
    rejected: z.number(),
    assigned: z.number(),
    pooled: z.number(),
    managersTold: z.number().describe('Managers sent one digest each (topic leads.imported)'),
    contactsCreated: z.number().optional().describe('A company import: contacts added'),
    parentsLinked: z.number().optional().describe('A company import: companies linked to their holding'),
  }),
  error: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

const dryRunView = z.object({
  rows: z.array(
    z.object({
      row: z.number().describe('As the spreadsheet numbers it (the header is row 1)'),
      status: z.enum(['valid', 'error', 'duplicate']),
      label: z.string().nullable(),
      issues: z.array(issueSchema),
      duplicateOf: z.object({ leadId: z.string().nullable(), companyId: z.string().optional().describe('A company import: the stored company the row would fill'), row: z.number().nullable(), label: z.string() }).nullable().describe('The open lead, or the earlier row of this file, the row repeats'),
      outcome: z.enum(['assigned', 'pool']).nullable(),
      managerId: z.string().nullable(),
      managerName: z.string().nullable(),
      via: z.string().nullable(),
    }),
  ),
  totals: z.object({
    rows: z.number(),
    valid: z.number(),
    errors: z.number(),
    duplicates: z.number(),
    assigned: z.number(),
    pool: z.number(),
    perManager: z.array(z.object({ managerId: z.string(), name: z.string(), count: z.number() })),
    routedRows: z.number(),
    sampled: z.boolean().describe('True when the file had more valid rows than a dry run routes (50,000): the routing figures are of the first ones'),
  }),
  ruleSetVersion: z.number().nullable(),
});

const presetView = z.object({ id: z.string(), name: z.string(), mapping: mappingSchema, createdBy: z.string(), createdAt: z.string(), updatedAt: z.string() });

const idParams = z.object({ id: z.string().min(1).max(100) });

/**
 * File imports (issue 14): upload a CSV or .xlsx as a job, adjust the suggested mapping, dry-run
 * it, run it in the background with progress, download the refused rows. Admins and heads.
 */
export function importRoutes(jobs: ImportJobs): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(fastifyMultipart, { limits: { files: 1, fields: 10, fileSize: MAX_IMPORT_BYTES, parts: 12 }, throwFileSizeLimit: false });
    const view = (job: Parameters<ImportJobs['view']>[0]) => ({ ...jobs.view(job), fields: job.kind === 'companies' ? [...COMPANY_IMPORT_FIELDS] : [...IMPORT_FIELDS] });

    app.get('/api/v1/imports', { config: { scope: IMPORTERS }, schema: { tags: ['imports'], summary: 'Recent imports (an admin everyone’s, a head their own)', response: { 200: z.object({ items: z.array(jobView) }) } } }, async (request) => ({
      items: (await jobs.list(request.principal)).map(view),
    }));

    app.post(
      '/api/v1/imports',
      {
        config: { scope: IMPORTERS },
        bodyLimit: MAX_IMPORT_BYTES + 1024 * 1024,
        schema: {
          tags: ['imports'],
          summary: 'Upload a CSV (any common encoding and delimiter, detected) or .xlsx as multipart/form-data, field `file`: kept as a job, with a mapping suggested from its header. `?kind=companies` imports companies and contacts instead of leads',
          querystring: z.strictObject({ kind: z.enum(['leads', 'companies']).optional().describe('leads (default), or companies: a client base (name, ИНН, site, phones, region, size, revenue, owner e-mail, holding, a contact)') }),
          response: { 201: jobView, 400: errorBodySchema, 413: errorBodySchema, 415: errorBodySchema },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw new LeadRouterError('LR_ERR_UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data, in the field `file`');
        const part = await request.file();
        if (!part || part.fieldname !== 'file') throw new LeadRouterError('LR_ERR_VALIDATION', 'Send the file in the multipart field `file`', [{ path: 'file', code: 'required', message: 'no file' }]);
        const job = await jobs.upload(request.principal, { fileName: part.filename, stream: part.file, truncated: () => part.file.truncated }, request.query.kind ?? 'leads');
        return reply.code(201).send(view(job));
      },
    );

    app.get('/api/v1/imports/:id', { config: { scope: IMPORTERS }, schema: { tags: ['imports'], summary: 'An import with its progress (rows per second, time left)', params: idParams, response: { 200: jobView, 404: errorBodySchema } } }, async (request) =>
      view(await jobs.get(request.principal, request.params.id)),
    );

    app.put(
      '/api/v1/imports/:id/mapping',
      { config: { scope: IMPORTERS }, schema: { tags: ['imports'], summary: 'Set which lead field each column feeds (before the run)', params: idParams, body: z.strictObject({ mapping: mappingSchema }), response: { 200: jobView, 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema } } },
      async (request) => view(await jobs.setMapping(request.principal, request.params.id, request.body.mapping)),
    );

    app.post(
      '/api/v1/imports/:id/dry-run',
      {
        config: { scope: IMPORTERS },
        schema: {
          tags: ['imports'],
          summary: 'What the import would do, writing nothing: per row valid / error with the field / duplicate of a lead / routed to whom by the published rules, and totals',
          params: idParams,
          body: z.strictObject({ limit: z.number().int().min(1).max(1000).optional().describe('Rows reported one by one (100)') }).optional(),
          response: { 200: dryRunView, 400: errorBodySchema, 404: errorBodySchema },
        },
      },
      async (request) => await jobs.dryRun(request.principal, request.params.id, request.body?.limit ?? 100),
    );

    app.post(
      '/api/v1/imports/:id/start',
      {
        config: { scope: IMPORTERS },
        schema: {
          tags: ['imports'],
          summary: 'Run the import in the background (or resume one that failed or was interrupted); poll GET /imports/:id for progress',
          params: idParams,
          body: z.strictObject({ slaClocks: z.boolean().optional().describe("Start the owners' SLA clocks on the imported leads (default false: a base is worked at its own pace)") }).optional(),
          response: { 202: jobView, 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request, reply) => reply.code(202).send(view(await jobs.start(request.principal, request.params.id, { slaClocks: request.body?.slaClocks ?? false }))),
    );

    app.post('/api/v1/imports/:id/cancel', { config: { scope: IMPORTERS }, schema: { tags: ['imports'], summary: 'Stop a run after the chunk in flight (what was imported stays)', params: idParams, response: { 200: jobView, 404: errorBodySchema, 409: errorBodySchema } } }, async (request) =>
      view(await jobs.cancel(request.principal, request.params.id)),
    );

    app.get('/api/v1/imports/:id/errors.csv', { config: { scope: IMPORTERS }, schema: { tags: ['imports'], summary: 'The refused rows as CSV: row, field, code, message', params: idParams, response: { 404: errorBodySchema } } }, async (request, reply) => {
      const report = await jobs.errorReport(request.principal, request.params.id);
      void reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="errors.csv"; filename*=UTF-8''${encodeURIComponent(report.fileName)}`);
      // The stream is the answer, sent as it is read, past the JSON serializer.
      return (await reply.send(report.stream as never)) as unknown as never;
    });

    app.get('/api/v1/import-presets', { config: { scope: IMPORTERS }, schema: { tags: ['imports'], summary: 'Saved column mappings', response: { 200: z.object({ items: z.array(presetView) }) } } }, async () => ({ items: await jobs.presets() }));
    app.post(
      '/api/v1/import-presets',
      { config: { scope: IMPORTERS }, schema: { tags: ['imports'], summary: 'Save a column mapping under a name (the same name replaces it)', body: z.strictObject({ name: z.string().trim().min(1).max(100), mapping: mappingSchema }), response: { 201: presetView, 400: errorBodySchema } } },
      async (request, reply) => reply.code(201).send(await jobs.savePreset(request.principal, request.body)),
    );
    app.delete('/api/v1/import-presets/:id', { config: { scope: IMPORTERS }, schema: { tags: ['imports'], params: idParams, response: { 204: z.null(), 404: errorBodySchema } } }, async (request, reply) => {
      await jobs.deletePreset(request.params.id);
      return reply.code(204).send(null);
    });
  };
}
