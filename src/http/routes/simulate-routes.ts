import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { LeadRouterError } from '../../app/errors.js';
import { parseLeadFile, parseLeadWorkbook } from '../../app/intake/parse-lead-file.js';
import { compareRuleSets, type RuleSetChoice } from '../../app/routing/compare-rule-sets.js';
import { routingVocabulary } from '../../app/routing/routing-vocabulary.js';
import { simulateRouting, type SimulationSource } from '../../app/routing/simulate-routing.js';
import { errorBodySchema } from '../error-schema.js';
import { instantSchema, versionSchema } from '../schema-types.js';

const MAX_SIMULATED_INPUTS = 20_000;
const DATA_URL_PREFIX = /^data:[\w.+/-]*;base64,/;

/** Standard base64 with padding, after an optional data: URL prefix; line breaks (as some encoders wrap) allowed. */
function isBase64(text: string): boolean {
  const data = text.replace(DATA_URL_PREFIX, '').replace(/\r?\n/g, '');
  return data.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(data);
}

type SourceBody = { period?: { from: string; to: string } | undefined; leads?: unknown[] | undefined; csv?: string | undefined; xlsx?: string | undefined; at?: string | undefined };

/** Where the leads of a simulation come from: a stored period, or a file read as intake reads it. */
async function simulationSourceOf(body: SourceBody): Promise<{ source: SimulationSource; rejected: Rejected; ignoredColumns: string[] }> {
  if (body.period) {
    const from = new Date(body.period.from).toISOString();
    const to = new Date(body.period.to).toISOString();
    if (from >= to) throw new LeadRouterError('LR_ERR_VALIDATION', 'period.from must be before period.to', [{ path: 'period', code: 'invalid_range', message: 'from must be before to' }]);
    return { source: { kind: 'stored', from, to }, rejected: [], ignoredColumns: [] };
  }
  const path = body.csv !== undefined ? 'csv' : body.xlsx !== undefined ? 'xlsx' : 'leads';
  let parsed;
  try {
    if (body.csv !== undefined) parsed = parseLeadFile(body.csv, 'csv');
    else if (body.xlsx !== undefined) parsed = await parseLeadWorkbook(Buffer.from(body.xlsx.replace(DATA_URL_PREFIX, ''), 'base64'));
    else parsed = parseLeadFile(JSON.stringify(body.leads), 'json');
  } catch (error) {
    throw new LeadRouterError('LR_ERR_VALIDATION', `The file cannot be read: ${(error as Error).message}`, [{ path, code: 'unreadable', message: (error as Error).message }]);
  }
  if (parsed.leads.length > MAX_SIMULATED_INPUTS) throw new LeadRouterError('LR_ERR_BATCH_TOO_LARGE', `At most ${MAX_SIMULATED_INPUTS} leads per simulation`);
  return { source: { kind: 'inputs', leads: parsed.leads, rows: parsed.rows, ...(body.at ? { at: new Date(body.at) } : {}) }, rejected: parsed.rejected, ignoredColumns: parsed.ignoredColumns };
}

type Rejected = Array<{ row: number; issues: Array<{ path: string; code: string; message: string }> }>;

const sourceFields = {
  period: z.strictObject({ from: instantSchema, to: instantSchema }).optional().describe('Replay stored leads created in [from, to)'),
  leads: z.array(z.unknown()).max(MAX_SIMULATED_INPUTS).optional().describe('Leads in the intake format'),
  csv: z.string().optional().describe('A CSV file whose header names intake fields (within the body limit)'),
  xlsx: z
    .string()
    .refine(isBase64, 'not base64: send the .xlsx file\'s bytes base64-encoded (a data: URL prefix is allowed)')
    .optional()
    .describe(
      'An .xlsx workbook, base64-encoded (a `data:…;base64,` prefix is allowed): its first sheet, the first row naming intake fields as a CSV header does. ' +
        'Base64 adds a third, so with the default body limit of 4 MiB (BODY_LIMIT_BYTES) a workbook of up to about 3 MiB fits',
    ),
  at: instantSchema.optional().describe('When leads from a file are taken to arrive (working hours are checked then); default now'),
};
const oneSource = (b: SourceBody) => [b.period, b.leads, b.csv, b.xlsx].filter((x) => x !== undefined).length === 1;

const simulateBody = z
  .strictObject({
    version: versionSchema.optional().describe('A stored rule set version (draft or published); default: the published one'),
    definition: z.record(z.string(), z.unknown()).optional().describe('An unsaved rule set definition to try'),
    ...sourceFields,
  })
  .refine(oneSource, { message: 'give exactly one of period, leads, csv or xlsx' })
  .refine((b) => !(b.version !== undefined && b.definition !== undefined), { message: 'give version or definition, not both' });

const simulationReport = z.object({
  ruleSetVersion: z.number().nullable(),
  leads: z.number(),
  assigned: z.number(),
  pool: z.number(),
  perManager: z.array(z.object({ managerId: z.string(), name: z.string(), count: z.number(), share: z.number(), targetShare: z.number(), maxDeviation: z.number() })),
  maxDeviation: z.number(),
  byRule: z.record(z.string(), z.number()),
  fairness: z.array(z.object({ ruleId: z.string(), leads: z.number(), maxDeviation: z.number() })).describe('Per fair-share rule: largest gap between leads received and owed'),
  byVia: z.record(z.string(), z.number()),
  fallback: z.object({ count: z.number(), reasons: z.record(z.string(), z.number()), examples: z.array(z.object({ index: z.number(), summary: z.string(), summaryText: z.string().describe("The sentence in the reader's language (the person's, or Accept-Language)") })) }),
});

const reportSchema = simulationReport.extend({
  truncated: z.boolean(),
  rejected: z.array(z.object({ row: z.number(), issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })) })).describe('Rows left out, numbered as a spreadsheet shows them (JSON leads from 1)'),
  ignoredColumns: z.array(z.string()).describe('Columns of a CSV or workbook that are not intake fields'),
});

const ruleSetChoice = z
  .strictObject({
    version: versionSchema.optional().describe('A stored rule set version (draft or published)'),
    definition: z.record(z.string(), z.unknown()).optional().describe('An unsaved rule set definition'),
  })
  .refine((c) => !(c.version !== undefined && c.definition !== undefined), { message: 'give version or definition, not both' });

const compareBody = z
  .strictObject({
    baseline: ruleSetChoice.optional().describe('What the candidate is compared with; default: the published rule set'),
    candidate: ruleSetChoice.refine((c) => c.version !== undefined || c.definition !== undefined, { message: 'give the candidate\'s version or definition' }),
    ...sourceFields,
    changedLimit: z.number().int().min(0).max(1000).optional().describe('How many leads whose owner changes to list (default 200); all are counted'),
  })
  .refine(oneSource, { message: 'give exactly one of period, leads, csv or xlsx' });

const outcomeSketch = z.object({
  outcome: z.enum(['assigned', 'pool']),
  managerId: z.string().nullable(),
  managerName: z.string().nullable(),
  ruleId: z.string().nullable(),
  via: z.enum(['registered', 'ownership', 'rule', 'fallback']),
  strategy: z.string(),
  fallbackReason: z.string().nullable(),
  summary: z.string().describe('The engine\'s one-line summary, in English'),
  summaryText: z.string().describe("The same sentence in the reader's language: the signed-in person's, or Accept-Language (ru, en) for an API key"),
});

const comparisonSchema = z.object({
  baseline: simulationReport,
  candidate: simulationReport,
  leads: z.number(),
  truncated: z.boolean(),
  changed: z.object({
    count: z.number().describe('Leads whose owner (or pool) differs between the two'),
    items: z.array(z.object({ index: z.number(), leadId: z.string().nullable(), label: z.string(), before: outcomeSketch, after: outcomeSketch })),
  }),
  rejected: z.array(z.object({ row: z.number(), issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })) })),
  ignoredColumns: z.array(z.string()),
});

const vocabularyValues = z.array(z.object({ value: z.string(), leads: z.number() }));
const vocabularySchema = z.object({
  leads: z.object({ source: vocabularyValues, channel: vocabularyValues, campaign: vocabularyValues, region: vocabularyValues, country: vocabularyValues, industry: vocabularyValues, language: vocabularyValues, priority: vocabularyValues }),
  profiles: z.object({ skills: z.array(z.string()), regions: z.array(z.string()), languages: z.array(z.string()), industries: z.array(z.string()) }),
  days: z.number(),
});

export function simulateRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/routing/simulate',
      {
        config: { scope: 'rules:read' },
        schema: {
          tags: ['routing'],
          summary: 'Run a rule set over past leads or a file of leads and report who would get what; writes nothing',
          body: simulateBody,
          response: { 200: reportSchema, 400: errorBodySchema, 422: errorBodySchema },
        },
      },
      async (request) => {
        const body = request.body;
        const { source, rejected, ignoredColumns } = await simulationSourceOf(body);
        const report = await simulateRouting(ctx, { ...(body.version !== undefined ? { version: body.version } : {}), ...(body.definition !== undefined ? { definition: body.definition } : {}), source, locale: request.readerLocale });
        return { ...report, rejected, ignoredColumns };
      },
    );

    app.post(
      '/api/v1/routing/compare',
      {
        config: { scope: 'rules:read' },
        schema: {
          tags: ['routing'],
          summary: 'Replay the same leads through two rule sets (default: the published one against a draft) and list the leads whose owner would change; writes nothing',
          body: compareBody,
          response: { 200: comparisonSchema, 400: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema },
        },
      },
      async (request) => {
        const body = request.body;
        const { source, rejected, ignoredColumns } = await simulationSourceOf(body);
        const comparison = await compareRuleSets(ctx, {
          ...(body.baseline ? { baseline: choiceOf(body.baseline) } : {}),
          candidate: choiceOf(body.candidate),
          source,
          changedLimit: body.changedLimit ?? 200,
          locale: request.readerLocale,
        });
        return { ...comparison, rejected, ignoredColumns };
      },
    );

    app.get(
      '/api/v1/routing/vocabulary',
      {
        config: { scope: 'rules:read' },
        schema: {
          tags: ['routing'],
          summary: 'Values a rule editor offers: what recent leads held per field, and what managers\' profiles hold',
          querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(90) }),
          response: { 200: vocabularySchema },
        },
      },
      async (request) => await routingVocabulary(ctx, request.query.days),
    );
  };
}

const choiceOf = (c: { version?: number | undefined; definition?: Record<string, unknown> | undefined }): RuleSetChoice => ({
  ...(c.version !== undefined ? { version: c.version } : {}),
  ...(c.definition !== undefined ? { definition: c.definition } : {}),
});
