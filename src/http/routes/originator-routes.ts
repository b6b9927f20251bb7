import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { handOverDeal, setDealOriginator, setLeadOriginator } from '../../app/leads/originator.js';
import { getTeamLeadSettings, putTeamLeadSettings, teamLeadSettingsSchema } from '../../app/team/registered-leads.js';
import { errorBodySchema } from '../error-schema.js';
import { leadWithDecisionSchema, toLeadWithDecision } from '../views/lead-view.js';
import { dealView, toDealView } from './deal-routes.js';

const idParams = z.object({ id: z.string().min(1).max(100) });
const reason = z.string().trim().min(1).max(1000).describe('Why: kept in the audit log and shown in the timeline');
const managerId = z.string().trim().min(1).max(100);

const originatorBody = z.strictObject({
  managerId: managerId.nullable().describe('The manager who brought the client in; null: nobody'),
  reason,
});
const ownerBody = z.strictObject({ managerId: managerId.describe('The colleague who takes the deal and will close it'), reason });

const teamLeadSettingsView = teamLeadSettingsSchema.extend({ teamId: z.string(), inherited: z.boolean().describe('True while the team has not chosen and the default (keep) applies') });

/** Who brought a client in and who closes the deal (docs/motivation.md, "Originator and closer"). */
export function originatorRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      '/api/v1/leads/:id/originator',
      {
        config: { scope: 'leads:manage' },
        schema: {
          tags: ['leads'],
          summary: "Correct who brought the lead in (a head for the own team's leads, an admin for any), with a reason for the audit log",
          params: idParams,
          body: originatorBody,
          response: { 200: leadWithDecisionSchema, 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema },
        },
      },
      async (request) => {
        const d = await setLeadOriginator(ctx, request.principal, request.params.id, request.body);
        return toLeadWithDecision(d.lead, d.assignment, d.owner, d.originator, request.readerLocale);
      },
    );

    app.put(
      '/api/v1/deals/:id/originator',
      {
        config: { scope: 'leads:manage' },
        schema: {
          tags: ['lifecycle'],
          summary: 'Correct who brought the deal in (a head for the own team, an admin for any), with a reason for the audit log',
          params: idParams,
          body: originatorBody,
          response: { 200: dealView, 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema },
        },
      },
      async (request) => toDealView(await setDealOriginator(ctx, request.principal, request.params.id, request.body)),
    );

    app.put(
      '/api/v1/deals/:id/owner',
      {
        config: { scope: 'leads:work' },
        schema: {
          tags: ['lifecycle'],
          summary: "Hand an open deal to a colleague who will close it: its owner, the team's head or an admin, with a reason",
          params: idParams,
          body: ownerBody,
          response: { 200: dealView, 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema },
        },
      },
      async (request) => toDealView(await handOverDeal(ctx, request.principal, request.params.id, request.body)),
    );

    app.get(
      '/api/v1/teams/:id/lead-settings',
      {
        config: { scope: 'leads:manage' },
        schema: { tags: ['team'], summary: "What happens to leads the team's managers register: keep (theirs) or route", params: idParams, response: { 200: teamLeadSettingsView, 403: errorBodySchema, 404: errorBodySchema } },
      },
      async (request) => await getTeamLeadSettings(ctx, request.principal, request.params.id),
    );

    app.put(
      '/api/v1/teams/:id/lead-settings',
      {
        config: { scope: 'leads:manage' },
        schema: {
          tags: ['team'],
          summary: "Set whether leads the team's managers register stay with them (keep) or go through the rules (route): the team's head or an admin",
          params: idParams,
          body: teamLeadSettingsSchema,
          response: { 200: teamLeadSettingsView, 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
        },
      },
      async (request) => await putTeamLeadSettings(ctx, request.principal, request.params.id, request.body),
    );
  };
}
