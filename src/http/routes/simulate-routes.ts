import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { LeadRouterError } from '../../app/errors.js';
import { parseLeadFile } from '../../app/intake/parse-lead-file.js';
import { simulateRouting, type SimulationSource } from '../../app/routing/simulate-routing.js';
import { errorBodySchema } from '../error-schema.js';
import { instantSchema, versionSchema } from '../schema-types.js';

const MAX_SIMULATED_INPUTS = 20_000;

const simulateBody = z
  .strictObject({
    version: versionSchema.optional().describe('A stored rule set version (draft or published); default: the published one'),
    definition: z.record(z.string(), z.unknown()).optional().describe('An unsaved rule set definition to try'),
    period: z.strictObject({ from: instantSchema, to: instantSchema }).optional().describe('Replay stored leads created in [from, to)'),
    leads: z.array(z.unknown()).max(MAX_SIMULATED_INPUTS).optional().describe('Leads in the intake format'),
    csv: z.string().optional().describe('A CSV file whose header names intake fields (within the body limit)'),
    at: instantSchema.optional().describe('When leads from a file are taken to arrive (working hours are checked then); default now'),
  })
  .refine((b) => [b.period, b.leads, b.csv].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of period, leads or csv' })
  .refine((b) => !(b.version !== undefined && b.definition !== undefined), { message: 'give version or definition, not both' });

const reportSchema = z.object({
  ruleSetVersion: z.number().nullable(),
  leads: z.number(),
  assigned: z.number(),
  pool: z.number(),
  perManager: z.array(z.object({ managerId: z.string(), name: z.string(), count: z.number(), share: z.number(), targetShare: z.number(), maxDeviation: z.number() })),
  maxDeviation: z.number(),
  byRule: z.record(z.string(), z.number()),
  fairness: z.array(z.object({ ruleId: z.string(), leads: z.number(), maxDeviation: z.number() })).describe('Per fair-share rule: largest gap between leads received and owed'),
  truncated: z.boolean(),
  byVia: z.record(z.string(), z.number()),
  fallback: z.object({ count: z.number(), reasons: z.record(z.string(), z.number()), examples: z.array(z.object({ index: z.number(), summary: z.string() })) }),
  rejected: z.array(z.object({ row: z.number(), issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })) })).describe('Rows left out, numbered as a spreadsheet shows them (JSON leads from 1)'),
  ignoredColumns: z.array(z.string()).describe('CSV columns that are not intake fields'),
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
        let source: SimulationSource;
        let rejected: Array<{ row: number; issues: Array<{ path: string; code: string; message: string }> }> = [];
        let ignoredColumns: string[] = [];
        if (body.period) {
          const from = new Date(body.period.from).toISOString();
          const to = new Date(body.period.to).toISOString();
          if (from >= to) throw new LeadRouterError('LR_ERR_VALIDATION', 'period.from must be before period.to', [{ path: 'period', code: 'invalid_range', message: 'from must be before to' }]);
          source = { kind: 'stored', from, to };
        } else {
          let parsed;
          try {
            parsed = body.csv !== undefined ? parseLeadFile(body.csv, 'csv') : parseLeadFile(JSON.stringify(body.leads), 'json');
          } catch (error) {
            throw new LeadRouterError('LR_ERR_VALIDATION', `The file cannot be read: ${(error as Error).message}`, [{ path: body.csv !== undefined ? 'csv' : 'leads', code: 'unreadable', message: (error as Error).message }]);
          }
          if (parsed.leads.length > MAX_SIMULATED_INPUTS) throw new LeadRouterError('LR_ERR_BATCH_TOO_LARGE', `At most ${MAX_SIMULATED_INPUTS} leads per simulation`);
          source = { kind: 'inputs', leads: parsed.leads, ...(body.at ? { at: new Date(body.at) } : {}) };
          rejected = parsed.rejected;
          ignoredColumns = parsed.ignoredColumns;
        }
        const report = await simulateRouting(ctx, { ...(body.version !== undefined ? { version: body.version } : {}), ...(body.definition !== undefined ? { definition: body.definition } : {}), source });
        return { ...report, rejected, ignoredColumns };
      },
    );
  };
}
