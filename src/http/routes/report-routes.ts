import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import type { Principal } from '../../app/access/principal.js';
import { distributionReport } from '../../app/reports/distribution-report.js';
import { funnelReport } from '../../app/reports/funnel-report.js';
import { withRawFallback, type ReportCellsOptions } from '../../app/reports/rollups/report-cells-source.js';
import { junkReport } from '../../app/reports/junk-report.js';
import { transfersReport } from '../../app/reports/transfers-report.js';
import { slaReport } from '../../app/reports/sla-report.js';
import { speedReport } from '../../app/reports/speed-report.js';
import { reportCsv } from '../../app/reports/report-csv.js';
import { reportXlsx } from '../../app/reports/report-xlsx.js';
import type { ReportQuery } from '../../app/reports/report-context.js';
import { changeReportSettings, reportSettings, reportSettingsSchema } from '../../app/reports/report-settings.js';

const id = z.string().trim().min(1).max(100);
const reportQuery = z.strictObject({
  from: z.string().max(40).optional().describe('A date (YYYY-MM-DD, the start of that local day) or an instant with an offset; 30 local days before `to` by default'),
  to: z.string().max(40).optional().describe('A date (YYYY-MM-DD, that whole local day included) or an instant (excluded); now by default'),
  grouping: z.string().max(20).optional().describe('day (default), week (ISO, Monday first) or month: the buckets of `series`'),
  tz: z.string().max(100).optional().describe("An IANA zone the period and buckets read in; by default the team's zone (the filtered team, or the asker's), else the company's"),
  team: id.optional(),
  manager: id.optional(),
  source: z.string().trim().min(1).max(200).optional(),
  rule: id.optional().describe("The routing rule that placed the lead (the lead's first routing decision)"),
  format: z.enum(['json', 'csv', 'xlsx']).default('json').describe('csv: one table of the report (see `section`), UTF-8 with BOM; xlsx: the same table as an Excel workbook'),
  section: z.string().max(50).optional().describe('With format=csv or xlsx: which table (byManager, bySource, series, …)'),
});

const nullableNumber = z.number().nullable();
const header = {
  period: z.object({ from: z.string(), to: z.string(), timeZone: z.string(), grouping: z.enum(['day', 'week', 'month']) }),
  scope: z.object({ kind: z.enum(['all', 'team', 'self']), teamId: z.string().nullable(), managerId: z.string().nullable() }),
  filters: z.object({ team: z.string().nullable(), manager: z.string().nullable(), source: z.string().nullable(), rule: z.string().nullable() }),
};
const managerLabel = { managerId: z.string().nullable(), name: z.string().nullable(), teamId: z.string().nullable(), self: z.boolean(), anonymous: z.boolean() };
const bucket = { bucket: z.string(), start: z.string(), end: z.string() };

const shareRow = z.object({
  ...managerLabel,
  assigned: z.number(),
  fairShareLeads: z.number(),
  expectedLeads: z.number(),
  actualShare: nullableNumber,
  targetShare: nullableNumber,
  deviationLeads: z.number(),
  deviationPp: nullableNumber,
});
const distributionView = z.object({
  ...header,
  totals: z.object({ decisions: z.number(), assigned: z.number(), pooled: z.number(), fairShareDecisions: z.number(), ownership: z.number(), person: z.number(), fallbackAssigned: z.number() }),
  byManager: z.array(shareRow),
  byRule: z.array(z.object({ ruleId: z.string(), ruleName: z.string().nullable(), decisions: z.number(), fairShareDecisions: z.number(), managers: z.array(shareRow) })),
  fallbacks: z.array(z.object({ reason: z.string(), assigned: z.number(), pooled: z.number(), total: z.number() })),
  pooledReasons: z.array(z.object({ reason: z.string(), count: z.number() })),
  series: z.array(z.object({ ...bucket, decisions: z.number(), assigned: z.number(), pooled: z.number(), fallbacks: z.number() })),
  load: z.array(z.object({ ...bucket, at: z.string(), managers: z.array(z.object({ ...managerLabel, openLeads: z.number(), maxOpen: nullableNumber, loadRatio: nullableNumber })) })),
});

const speedFigures = {
  leads: z.number(),
  contacted: z.number(),
  medianMinutes: nullableNumber,
  p90Minutes: nullableNumber,
  within5Share: nullableNumber,
  within15Share: nullableNumber,
  within60Share: nullableNumber,
  businessMedianMinutes: nullableNumber,
  businessP90Minutes: nullableNumber,
  businessWithin5Share: nullableNumber,
  businessWithin15Share: nullableNumber,
  businessWithin60Share: nullableNumber,
};
const teamKey = { teamId: z.string().nullable(), teamName: z.string().nullable() };
const speedView = z.object({
  ...header,
  totals: z.object(speedFigures),
  byManager: z.array(z.object({ ...managerLabel, ...speedFigures })),
  byTeam: z.array(z.object({ ...teamKey, ...speedFigures })),
  bySource: z.array(z.object({ source: z.string().nullable(), ...speedFigures })),
  byHourOfDay: z.array(z.object({ hour: z.number(), ...speedFigures })),
  series: z.array(z.object({ ...bucket, ...speedFigures })),
});

const slaFigures = {
  leads: z.number(),
  due: z.number(),
  met: z.number(),
  breached: z.number(),
  pending: z.number(),
  compliance: nullableNumber,
  breaches: z.number(),
  firstContactBreaches: z.number(),
  nextStepBreaches: z.number(),
  reassignments: z.number(),
  escalations: z.number(),
};
const slaView = z.object({
  ...header,
  totals: z.object(slaFigures),
  byManager: z.array(z.object({ ...managerLabel, ...slaFigures })),
  byTeam: z.array(z.object({ ...teamKey, ...slaFigures })),
  bySource: z.array(z.object({ source: z.string().nullable(), ...slaFigures })),
  byPolicy: z.array(z.object({ policyId: z.string().nullable(), policyName: z.string().nullable(), ...slaFigures })),
  series: z.array(z.object({ ...bucket, ...slaFigures })),
});

const funnelFigures = {
  leads: z.number(),
  qualified: z.number(),
  deals: z.number(),
  won: z.number(),
  qualifiedRate: nullableNumber,
  dealRate: nullableNumber,
  dealFromQualifiedRate: nullableNumber,
  winRate: nullableNumber,
  leadToWonRate: nullableNumber,
  dealValue: z.number(),
  wonValue: z.number(),
  medianMinutesToQualified: nullableNumber,
  medianMinutesQualifiedToDeal: nullableNumber,
  medianMinutesDealToWon: nullableNumber,
};
const funnelView = z.object({
  ...header,
  totals: z.object(funnelFigures),
  bySource: z.array(z.object({ source: z.string().nullable(), ...funnelFigures })),
  byCampaign: z.array(z.object({ campaign: z.string().nullable(), ...funnelFigures })),
  byManager: z.array(z.object({ ...managerLabel, ...funnelFigures })),
  byRule: z.array(z.object({ ruleId: z.string().nullable(), ...funnelFigures })),
  series: z.array(z.object({ ...bucket, ...funnelFigures })),
});

const junkFigures = { leads: z.number(), junk: z.number(), junkRate: nullableNumber };
const reasonCount = z.object({ reason: z.string().nullable(), label: z.string().nullable(), count: z.number() });
const junkRow = { ...junkFigures, standsOut: z.boolean().describe('At least 3 leads and a junk rate of 50% or twice the overall rate'), reasons: z.array(reasonCount) };
const junkView = z.object({
  ...header,
  totals: z.object(junkFigures),
  reasons: z.array(reasonCount),
  bySource: z.array(z.object({ source: z.string().nullable(), ...junkRow })),
  byCampaign: z.array(z.object({ campaign: z.string().nullable(), ...junkRow })),
  byMarker: z.array(z.object({ ...managerLabel, actor: z.string().nullable(), actorName: z.string().nullable(), marked: z.number(), markedRate: nullableNumber, reasons: z.array(reasonCount) })),
  series: z.array(z.object({ ...bucket, ...junkFigures })),
});

const outcomeCounts = { total: z.number(), pending: z.number(), approved: z.number(), rejected: z.number(), cancelled: z.number(), approvalRate: nullableNumber };
const transfersView = z.object({
  ...header,
  from: z.string(),
  to: z.string(),
  totals: z.object(outcomeCounts),
  byReason: z.array(z.object({ reason: z.string(), label: z.string(), ...outcomeCounts })),
  byFromManager: z.array(z.object({ ...managerLabel, ...outcomeCounts })),
  byToManager: z.array(z.object({ ...managerLabel, ...outcomeCounts })),
  pool: z.object({ entered: z.number(), claimed: z.number(), leftOtherwise: z.number(), stillWaiting: z.number(), medianWaitMinutes: nullableNumber, p90WaitMinutes: nullableNumber }),
  claims: z.array(z.object({ ...managerLabel, claims: z.number() })),
  series: z.array(z.object({ ...bucket, requests: z.number(), approved: z.number(), pooled: z.number(), claims: z.number() })),
});

const settingsView = z.object({ timeZone: z.string(), teamFiguresNamed: z.boolean() });

type Query = z.infer<typeof reportQuery>;

function reportQueryOf(q: Query): ReportQuery {
  return { from: q.from, to: q.to, grouping: q.grouping, tz: q.tz, team: q.team, manager: q.manager, source: q.source, rule: q.rule };
}

/**
 * Reports (issue 13): every one takes the same period and filters, answers what the asker may
 * see, and exports any of its tables as CSV. Definitions: docs/reports.md.
 */
export function reportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const answer = async <T extends { period: { from: string; to: string; timeZone: string } }>(
      name: string,
      defaultSection: string,
      build: (ctx: AppContext, principal: Principal, query: ReportQuery, options?: ReportCellsOptions) => Promise<T>,
      principal: Principal,
      query: Query,
      reply: FastifyReply,
    ): Promise<T> => {
      const report = await withRawFallback((options) => build(ctx, principal, reportQueryOf(query), options));
      if (query.format === 'json') return report;
      const section = query.section ?? defaultSection;
      const table = report as unknown as Record<string, unknown>;
      const stream = query.format === 'xlsx' ? reportXlsx(table, section) : reportCsv(table, section);
      // Named by the local days it covers: 1 March to 31 March, whatever the zone's offset.
      const day = (ms: number) => DateTime.fromMillis(ms, { zone: report.period.timeZone }).toFormat('yyyy-MM-dd');
      const fromMs = Date.parse(report.period.from);
      const lastMs = Math.max(fromMs, Date.parse(report.period.to) - 1);
      const type = query.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8';
      void reply.type(type).header('content-disposition', `attachment; filename="${name}-${section}-${day(fromMs)}-${day(lastMs)}.${query.format}"`);
      // The stream is the answer; fastify sends it as it is read, past the JSON serializer.
      return (await reply.send(stream)) as unknown as T;
    };

    const reportConfig = { scope: ['team:read', 'leads:manage'] as const };

    app.get(
      '/api/v1/reports/distribution',
      {
        config: reportConfig,
        schema: {
          tags: ['reports'],
          summary: 'Leads per manager against the target share (overall and per rule), fallbacks and pooled leads with reasons, decisions per bucket',
          querystring: reportQuery,
          response: { 200: distributionView },
        },
      },
      async (request, reply) => await answer('distribution', 'byManager', distributionReport, request.principal, request.query, reply),
    );

    app.get(
      '/api/v1/reports/speed-to-lead',
      {
        config: reportConfig,
        schema: {
          tags: ['reports'],
          summary: 'Arrival to the first real contact: median, p90 and the share within 5/15/60 minutes, wall clock and business hours, by manager, team, source, hour of day and bucket',
          querystring: reportQuery,
          response: { 200: speedView },
        },
      },
      async (request, reply) => await answer('speed-to-lead', 'byManager', speedReport, request.principal, request.query, reply),
    );

    app.get(
      '/api/v1/reports/sla',
      {
        config: reportConfig,
        schema: {
          tags: ['reports'],
          summary: 'First-contact SLA compliance (contacted within the deadline ÷ leads whose deadline passed), breaches, reassignments and escalations by manager, team, source, policy and bucket',
          querystring: reportQuery,
          response: { 200: slaView },
        },
      },
      async (request, reply) => await answer('sla', 'byManager', slaReport, request.principal, request.query, reply),
    );

    app.get(
      '/api/v1/reports/funnel',
      {
        config: reportConfig,
        schema: {
          tags: ['reports'],
          summary: 'Lead → qualified → deal → won: counts, rates, deal value and time between stages, by source, campaign, manager, rule and bucket',
          querystring: reportQuery,
          response: { 200: funnelView },
        },
      },
      async (request, reply) => await answer('funnel', 'bySource', funnelReport, request.principal, request.query, reply),
    );

    app.get(
      '/api/v1/reports/junk',
      {
        config: reportConfig,
        schema: {
          tags: ['reports'],
          summary: 'Junk rate by source and campaign with the reasons (the ones that stand out flagged), who marked leads junk, and junk per bucket',
          querystring: reportQuery,
          response: { 200: junkView },
        },
      },
      async (request, reply) => await answer('junk', 'bySource', junkReport, request.principal, request.query, reply),
    );

    app.get(
      '/api/v1/reports/transfers',
      {
        config: reportConfig,
        schema: {
          tags: ['reports'],
          summary: 'Transfer requests made in the period by reason, by the manager giving up and the one taking, with outcomes and approval rate; pool waiting time and claims per manager',
          querystring: reportQuery,
          response: { 200: transfersView },
        },
      },
      async (request, reply) => await answer('transfers', 'byReason', transfersReport, request.principal, request.query, reply),
    );

    app.get(
      '/api/v1/settings/reports',
      { config: { scope: ['team:read', 'leads:manage'] }, schema: { tags: ['reports'], summary: "The company's default report time zone and whether managers see colleagues' figures by name", response: { 200: settingsView } } },
      async () => await reportSettings(ctx),
    );
    app.put(
      '/api/v1/settings/reports',
      { config: { scope: 'admin' }, schema: { tags: ['reports'], summary: 'Change the report settings (audited)', body: reportSettingsSchema, response: { 200: settingsView } } },
      async (request) => await changeReportSettings(ctx, request.principal, request.body),
    );
  };
}
