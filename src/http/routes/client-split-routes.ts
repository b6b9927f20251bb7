import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { applySplit, listSplits, previewSplit, splitInputSchema, splitManagerNames, splitMethodSchema, splitSelectionSchema, undoSplit } from '../../app/clients/client-splits.js';
import type { ClientSplitRecord } from '../../store/client-split-queries.js';
import { errorBodySchema } from '../error-schema.js';

// Heads (the own team's managers and companies) and admins; the use case narrows a head.
const SPLITTERS = { scope: 'leads:manage' } as const;
const tags = ['clients'];

const previewView = z.object({
  total: z.number().describe('Companies chosen'),
  changes: z.number().describe('Companies that would get a new owner'),
  unchanged: z.number().describe('Companies that keep their owner (already theirs, or kept)'),
  outOfScope: z.number().describe("Companies owned by another team's manager: a head's split leaves them out"),
  fallback: z.number().describe('Companies no range or region covers: shared evenly by weight'),
  perManager: z.array(z.object({ managerId: z.string(), name: z.string(), count: z.number().describe('Companies the manager owns after the split, of those chosen'), newCount: z.number().describe('Of which new'), examples: z.array(z.string()) })),
  conflicts: z.object({
    count: z.number().describe('Owned companies the method would give to someone else'),
    kept: z.boolean().describe('True: they keep their owner (existing: keep)'),
    examples: z.array(z.object({ companyId: z.string(), name: z.string(), ownerId: z.string(), ownerName: z.string(), plannedManagerId: z.string(), plannedManagerName: z.string() })),
  }),
  rows: z.array(z.object({ companyId: z.string(), name: z.string(), ownerId: z.string().nullable(), managerId: z.string(), reason: z.string().describe('The range or region that matched, vip / rest, even, or fallback'), change: z.boolean() })),
});

const splitView = z
  .object({
    id: z.string(),
    method: z.enum(['alphabet', 'territory', 'tier', 'even']),
    params: z.object({ method: splitMethodSchema, selection: splitSelectionSchema, managerIds: z.array(z.string()), weights: z.record(z.string(), z.number()).nullable(), existing: z.enum(['keep', 'overwrite']) }),
    status: z.enum(['applied', 'undone']),
    companyCount: z.number(),
    changedCount: z.number(),
    perManager: z.array(z.object({ managerId: z.string(), name: z.string(), count: z.number() })),
    createdBy: z.string(),
    createdByName: z.string(),
    createdAt: z.string(),
    undoneBy: z.string().nullable(),
    undoneAt: z.string().nullable(),
    restoredCount: z.number().nullable(),
  })
  .meta({ id: 'ClientSplit' });

const idParams = z.object({ id: z.string().min(1).max(100) });

/** Splitting the client base among managers (issue 14 §3): preview, apply, list, undo. */
export function clientSplitRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const actorNames = async (actors: string[]): Promise<Map<string, string>> => {
      const userIds = actors.filter((a) => a.startsWith('user:')).map((a) => a.slice('user:'.length));
      if (userIds.length === 0) return new Map();
      const rows = await ctx.store.db.selectFrom('users').select(['id', 'name']).where('id', 'in', [...new Set(userIds)]).execute();
      return new Map(rows.map((r) => [`user:${r.id}`, r.name]));
    };
    const views = async (splits: ClientSplitRecord[]) => {
      const names = await splitManagerNames(ctx, splits);
      const people = await actorNames(splits.flatMap((s) => [s.createdBy]));
      return splits.map((s) => ({
        id: s.id,
        method: s.method as 'alphabet',
        params: s.params as z.infer<typeof splitView>['params'],
        status: s.status,
        companyCount: s.companyCount,
        changedCount: s.changedCount,
        perManager: Object.entries(s.perManager).map(([managerId, count]) => ({ managerId, name: names.get(managerId) ?? managerId, count })),
        createdBy: s.createdBy,
        createdByName: people.get(s.createdBy) ?? s.createdBy,
        createdAt: s.createdAt,
        undoneBy: s.undoneBy,
        undoneAt: s.undoneAt,
        restoredCount: s.restoredCount,
      }));
    };

    app.post(
      '/api/v1/client-splits/preview',
      {
        config: SPLITTERS,
        schema: {
          tags,
          summary: 'What a split would do, writing nothing: companies per manager with examples, conflicts with existing owners, the first changes',
          body: splitInputSchema,
          response: { 200: previewView, 400: errorBodySchema, 403: errorBodySchema },
        },
      },
      async (request) => await previewSplit(ctx, request.principal, request.body),
    );

    app.post(
      '/api/v1/client-splits',
      {
        config: SPLITTERS,
        schema: {
          tags,
          summary: 'Apply a split in one transaction: the owners, an owner-history entry per company and an audit record; undo restores the owners before',
          body: splitInputSchema,
          response: { 201: splitView, 400: errorBodySchema, 403: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request, reply) => reply.code(201).send((await views([await applySplit(ctx, request.principal, request.body)]))[0] as z.infer<typeof splitView>),
    );

    app.get('/api/v1/client-splits', { config: SPLITTERS, schema: { tags, summary: 'Recent splits, newest first (a head: the own team’s)', response: { 200: z.object({ items: z.array(splitView) }) } } }, async (request) => ({
      items: await views(await listSplits(ctx, request.principal)),
    }));

    app.post(
      '/api/v1/client-splits/:id/undo',
      {
        config: SPLITTERS,
        schema: {
          tags,
          summary: 'Undo a split: each company gets back the owner it had, unless it was handed over since (skipped)',
          params: idParams,
          response: { 200: z.object({ split: splitView, restored: z.number(), skipped: z.number() }), 404: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request) => {
        const result = await undoSplit(ctx, request.principal, request.params.id);
        return { split: (await views([result.split]))[0] as z.infer<typeof splitView>, restored: result.restored, skipped: result.skipped };
      },
    );
  };
}
