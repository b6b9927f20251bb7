import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { bonusCsv, bonusXlsx } from '../../app/bonus/bonus-export.js';
import { bonusReport, closeBonusPeriod, localeOf } from '../../app/bonus/bonus-report.js';
import { bonusSettingsSchema, getBonusSettings, putBonusSettings } from '../../app/bonus/bonus-settings.js';
import { errorBodySchema } from '../error-schema.js';

const id = z.string().trim().min(1).max(100);
const month = z.string().max(20).describe('A calendar month, YYYY-MM, in the team’s time zone');

const total = z.object({ currency: z.string().nullable(), creditedMinor: z.number().describe('Minor units (kopecks)'), bonusMinor: z.number().nullable().describe('null: the team sets no bonus rate') });
const line = z.object({
  dealId: z.string(),
  dealTitle: z.string(),
  leadId: z.string(),
  teamId: z.string().nullable(),
  teamName: z.string(),
  period: z.string(),
  managerId: z.string().nullable(),
  managerName: z.string().nullable(),
  role: z.string().describe('originator, closer, controlPoint:presentation | controlPoint:proposal | controlPoint:contract'),
  shareBp: z.number().describe('The share in basis points (2000 = 20%)'),
  amountMinor: z.number().nullable().describe('Credited value in minor units; null: the deal was won without an amount. An adjustment may be negative'),
  currency: z.string().nullable(),
  rateBp: z.number().nullable(),
  bonusMinor: z.number().nullable(),
  adjustment: z.boolean().describe('A correction of a deal of an earlier, closed period'),
  adjustsPeriod: z.string().nullable(),
  wonAt: z.string(),
  rule: z.string().describe('The rule that applied, in words (an adjustment names the month it corrects)'),
  basis: z.string().describe('The share\'s rule alone, without the adjustment\'s month'),
});
export const bonusReportView = z.object({
  period: z.string(),
  scope: z.object({ kind: z.enum(['all', 'team', 'self']), teamId: z.string().nullable(), managerId: z.string().nullable() }),
  filters: z.object({ team: z.string().nullable(), manager: z.string().nullable() }),
  teams: z.array(
    z.object({
      teamId: z.string().nullable(),
      teamName: z.string(),
      timeZone: z.string(),
      from: z.string(),
      to: z.string(),
      closed: z.object({ closedAt: z.string(), closedBy: z.string() }).nullable(),
    }),
  ),
  managers: z.array(z.object({ managerId: z.string().nullable(), name: z.string().nullable(), teamId: z.string().nullable(), self: z.boolean(), totals: z.array(total), lines: z.array(line) })),
  totals: z.array(total),
});

const reportQuery = z.strictObject({
  period: month.optional().describe('The month; the current one by default'),
  team: id.optional(),
  manager: id.optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json').describe('xlsx or csv: the lines and totals for payroll'),
});

const settingsView = bonusSettingsSchema.extend({ teamId: z.string(), inherited: z.boolean() });
const teamQuery = z.strictObject({ team: id.optional() });

/** The bonus report, its period close, and the teams' bonus settings (docs/motivation.md, "Bonus"). */
export function bonusRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/bonuses',
      {
        config: { scope: ['team:read', 'leads:manage'] },
        schema: {
          tags: ['motivation'],
          summary: "Per manager, each won deal that credited them in the month, with the rule that applied, and sums per currency; a closed month reads its frozen lines. An admin sees all, a head the team's, a manager the own lines",
          querystring: reportQuery,
          response: { 200: bonusReportView, 400: errorBodySchema },
        },
      },
      async (request, reply) => {
        const { format, ...query } = request.query;
        const report = await bonusReport(ctx, request.principal, query);
        if (format === 'json') return report;
        const locale = await localeOf(ctx, request.principal);
        const scopeName = report.filters.team ?? report.scope.teamId ?? 'all';
        const stream = format === 'xlsx' ? bonusXlsx(report, locale) : bonusCsv(report, locale);
        const type = format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8';
        void reply.type(type).header('content-disposition', `attachment; filename="bonuses-${scopeName}-${report.period}.${format}"`);
        return (await reply.send(stream as never)) as unknown as typeof report;
      },
    );

    app.post(
      '/api/v1/bonuses/periods/:period/close',
      {
        config: { scope: 'leads:manage' },
        schema: {
          tags: ['motivation'],
          summary: "Close a team's bonus month (once it has ended): its lines are frozen, later corrections of its deals come as adjustments in the next open month. A head closes the own team's, an admin names the team. Audited",
          params: z.object({ period: month }),
          body: z.strictObject({ teamId: id.optional().describe("The team; a head's own team by default") }).default({}),
          response: { 200: bonusReportView, 400: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request) => await closeBonusPeriod(ctx, request.principal, request.params.period, request.body.teamId),
    );

    app.get(
      '/api/v1/bonuses/settings',
      {
        config: { scope: 'leads:manage' },
        schema: { tags: ['motivation'], summary: "A team's bonus settings: the originator's share, control point weights, the bonus rate (a head: the own team)", querystring: teamQuery, response: { 200: settingsView, 400: errorBodySchema } },
      },
      async (request) => await getBonusSettings(ctx, request.principal, request.query.team),
    );
    app.put(
      '/api/v1/bonuses/settings',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['motivation'],
          summary: "Set a team's bonus settings (shares together at most 100%, else 400 shares_exceed_100). They apply to deals won from now on. Audited",
          querystring: teamQuery,
          body: bonusSettingsSchema,
          response: { 200: settingsView, 400: errorBodySchema },
        },
      },
      async (request) => await putBonusSettings(ctx, request.principal, request.query.team, request.body),
    );
  };
}
