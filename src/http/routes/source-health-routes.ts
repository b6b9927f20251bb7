import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { reportCsv } from '../../app/reports/report-csv.js';
import { knownSources, MAX_REPORT_DAYS, sourceHealthReport } from '../../app/source-health/source-health-report.js';
import { loadSourceHealthSettings, putSourceHealthSettings, sourceHealthSettingsSchema, sourceThresholdsSchema } from '../../app/source-health/source-health-settings.js';
import type { SourceHealthSettings } from '../../core/source-health/thresholds.js';
import { errorBodySchema } from '../error-schema.js';
import { instantSchema } from '../schema-types.js';

const localDate = z.iso.date().describe('YYYY-MM-DD');

const incidentView = z.object({
  id: z.string(),
  source: z.string(),
  kind: z.enum(['silence', 'junk']),
  openedAt: z.string(),
  resolvedAt: z.string().nullable().describe('null: still open'),
  details: z.record(z.string(), z.unknown()).describe('The figures that opened it: lastLeadAt, silentHours, expected, probability, … or the junk shares'),
  resolution: z.record(z.string(), z.unknown()).nullable().describe('The figures that closed it: firstLeadAt and silentHours, or the junk shares'),
});

const sourceRow = z.object({
  source: z.string(),
  state: z.enum(['ok', 'silent', 'junk_spike', 'learning', 'off_hours']).describe('silent / junk_spike: an incident is open; learning: too little history; off_hours: not one of its own hours now'),
  thresholds: sourceThresholdsSchema,
  lastLeadAt: z.string().nullable(),
  usualPerHourNow: z.number().describe('Leads it usually sends in the hour of the week now'),
  ownHourNow: z.boolean().describe('The hour now is one of its own hours (usually at least minExpectedPerHour leads): only then may it alert'),
  silence: z.object({
    hours: z.number().describe('Hours since its last lead'),
    ownHours: z.number().describe('Of them, its own hours'),
    expected: z.number().describe('Leads it would usually have sent since its last lead'),
    probability: z.number().describe('e^(−expected): the chance of so long a silence'),
  }),
  junk: z.object({
    windowHours: z.number(),
    recentLeads: z.number(),
    recentJunk: z.number(),
    recentRate: z.number().nullable(),
    usualRate: z.number().nullable(),
    probability: z.number().nullable().describe('The chance of so much junk at the usual share (binomial); null: too few leads to judge'),
  }),
  period: z.object({ leads: z.number(), usual: z.number() }),
  hours: z.array(z.object({ hourStart: z.string(), leads: z.number(), usual: z.number() })).describe('Each hour of the period: leads that arrived, and the usual for that hour of the week'),
  openIncidents: z.array(incidentView),
});

const reportView = z.object({
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  usualFrom: z.string().describe('The whole weeks the usual volume is counted over: from'),
  usualTo: z.string().describe('… to (the start of today)'),
  checkedAt: z.string().nullable().describe('When a check last ran'),
  sources: z.array(sourceRow),
  incidents: z.array(incidentView).describe('Incidents open at some moment of the period, latest first (at most 200)'),
});

const settingsView = sourceHealthSettingsSchema.extend({
  knownSources: z
    .array(z.object({ source: z.string(), thresholds: sourceThresholdsSchema, own: z.boolean().describe('The source has thresholds of its own') }))
    .describe('Every source a lead names, and those named in the settings, with the thresholds that apply'),
});

/** Source health: the hourly report with incidents, and the thresholds (admins and heads). */
export function sourceHealthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/reports/source-health',
      {
        config: { scope: 'leads:manage' },
        schema: {
          tags: ['reports'],
          summary: "Per lead source: leads per hour against its usual for that hour of the week, where it stands now, its incidents",
          description: `The period [from, to) is widened to whole hours (dates are whole local days in the company zone); it defaults to the last 24 hours and spans at most ${MAX_REPORT_DAYS} days. Definitions: docs/reports.md, "Source health". Admins and heads.`,
          querystring: z.strictObject({
            from: z.union([instantSchema, localDate]).optional().describe('An instant, or a local date in the company zone (its start)'),
            to: z.union([instantSchema, localDate]).optional().describe('An instant (excluded), or a local date in the company zone (included to its end)'),
            source: z.string().min(1).max(200).optional(),
            format: z.enum(['json', 'csv']).default('json').describe('csv: one table of the report (see `section`), UTF-8 with BOM'),
            section: z.enum(['sources', 'incidents']).optional().describe('With format=csv: `sources` (a row per source and hour, with the source\'s state and figures; the default) or `incidents`'),
          }),
          response: { 200: reportView, 400: errorBodySchema },
        },
      },
      async (request, reply) => {
        const { format, section, ...query } = request.query;
        const report = await sourceHealthReport(ctx, query);
        if (format !== 'csv') return report;
        const table = section ?? 'sources';
        void reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="source-health-${table}-${report.from.slice(0, 13)}-${report.to.slice(0, 13)}.csv"`);
        // The stream is the answer, sent past the JSON serializer.
        return (await (reply as FastifyReply).send(reportCsv(report as unknown as Record<string, unknown>, table))) as unknown as typeof report;
      },
    );
    app.get(
      '/api/v1/source-health/settings',
      { config: { scope: 'leads:manage' }, schema: { tags: ['reports'], summary: 'Source-health thresholds: the defaults, per source, and the sources known', response: { 200: settingsView } } },
      async () => await settingsWithSources(ctx, await loadSourceHealthSettings(ctx.store.db)),
    );
    app.put(
      '/api/v1/source-health/settings',
      {
        config: { scope: 'leads:manage' },
        schema: {
          tags: ['reports'],
          summary: 'Replace the source-health thresholds (admins and heads; audited)',
          body: sourceHealthSettingsSchema,
          response: { 200: settingsView, 400: errorBodySchema },
        },
      },
      async (request) => await settingsWithSources(ctx, await putSourceHealthSettings(ctx, request.principal, request.body as SourceHealthSettings)),
    );
  };
}

async function settingsWithSources(ctx: AppContext, settings: SourceHealthSettings): Promise<z.infer<typeof settingsView>> {
  return { ...settings, knownSources: await knownSources(ctx, settings) };
}
