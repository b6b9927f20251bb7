import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { teamBoard } from '../../app/team/team-board.js';
import { errorBodySchema } from '../error-schema.js';

const CALENDAR_AVAILABILITY = ['available', 'off_hours', 'absent'] as const;

const boardManagerView = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  localTime: z.string().describe("Now on the manager's wall clock, ISO-8601 with the zone's offset: 2026-11-25T12:00:00+03:00"),
  availability: z
    .enum([...CALENDAR_AVAILABILITY, 'paused', 'inactive'])
    .describe('As routing judges it now: within working hours, off hours, on an absence, paused, or switched off'),
  absentUntil: z.string().nullable().describe('Last day (local date) of the current absence, when absent'),
  nextChange: z
    .object({
      at: z.string().describe("When, ISO-8601 with the manager's offset"),
      availability: z.enum(CALENDAR_AVAILABILITY),
      absentUntil: z.string().nullable(),
    })
    .nullable()
    .describe('The next change by working hours or absences within about a week (after a current absence); null for paused, switched-off, always-on or never-on managers'),
  openLeads: z.number().int(),
  maxOpen: z.number().int().nullable(),
  assignedToday: z.number().int().describe("Leads taken since the start of the manager's local day, as the daily cap counts them"),
  maxPerDay: z.number().int().nullable(),
  slaBreachedOpen: z.number().int().describe('Open leads of theirs whose SLA is breached now (sla=breached on the lead list)'),
  weight: z.number(),
  skills: z.array(z.string()),
  regions: z.array(z.string()),
  languages: z.array(z.string()),
});

const teamBoardView = z.object({
  team: z.object({ id: z.string(), name: z.string() }),
  at: z.string().describe('When the board was read (UTC)'),
  poolSize: z.number().int().describe("Leads waiting in the pool, which every team's managers share"),
  managers: z.array(boardManagerView).describe('Every manager of the team, by name'),
});

export function teamBoardRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/teams/:id/board',
      {
        config: { scope: 'team:read' },
        schema: {
          tags: ['team'],
          summary: "A team's live board: each manager's availability on their own clock, load against the caps, breached SLAs; the pool's size",
          description: "The head of the team and admins (API keys with team:read: every team). Another team's head: 403; managers: 403.",
          params: z.object({ id: z.string().min(1).max(100) }),
          response: { 200: teamBoardView, 404: errorBodySchema },
        },
      },
      async (request) => await teamBoard(ctx, request.principal, request.params.id),
    );
  };
}
