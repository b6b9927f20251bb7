import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { actorDisplayNames } from '../../app/access/actor-names.js';
import { createDraft, getRuleSet, listRuleSetHistory, publishDraft, revisionOf, updateDraft, validateDefinition } from '../../app/routing/rule-sets.js';
import type { StoredRuleSet } from '../../store/rule-set-queries.js';
import { actorOf } from '../auth.js';
import { errorBodySchema } from '../error-schema.js';
import { versionSchema } from '../schema-types.js';

const ruleSetView = z.object({
  version: z.number(),
  status: z.enum(['draft', 'published', 'superseded']),
  definition: z.unknown().describe('The definition as saved: a RuleSetDefinition (components/schemas/RuleSetDefinition), or a draft on its way to one'),
  author: z.string().describe('Who saved it, as the audit log names actors (user:<id>, api-key:<id>, system:<name>)'),
  authorName: z.string().nullable().describe('The author\'s name: a person, an API key or a system job'),
  comment: z.string().nullable(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
  publishedByName: z.string().nullable(),
  revision: z.string().describe('Fingerprint of the definition and comment as stored; send it back with PUT to refuse overwriting a newer save'),
});

const validationView = z.object({
  ok: z.boolean(),
  issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
});

const versionParams = z.object({ version: versionSchema });
const draftBody = z.strictObject({
  definition: z.record(z.string(), z.unknown()).describe('A RuleSetDefinition (components/schemas/RuleSetDefinition; docs/rules.md): ownership, ordered rules, fallback. A draft is saved even before it fits; the answer lists its issues'),
  comment: z.string().max(2000).optional(),
  revision: z.string().max(64).optional().describe('PUT only: the revision you loaded; a draft changed since then answers 409 instead of being overwritten'),
});

type Names = Map<string, string>;

const view = (r: StoredRuleSet, names: Names): z.infer<typeof ruleSetView> => ({
  version: r.version, status: r.status, definition: r.definition, author: r.author, authorName: names.get(r.author) ?? null, comment: r.comment,
  createdAt: r.createdAt, publishedAt: r.publishedAt, publishedBy: r.publishedBy, publishedByName: r.publishedBy ? (names.get(r.publishedBy) ?? null) : null,
  revision: revisionOf(r),
});

/** Versions as answered: with the names of who saved and published them. */
async function viewsOf(ctx: AppContext, ruleSets: StoredRuleSet[]): Promise<Array<z.infer<typeof ruleSetView>>> {
  const names = await actorDisplayNames(ctx, ruleSets.flatMap((r) => [r.author, r.publishedBy]));
  return ruleSets.map((r) => view(r, names));
}

const viewOf = async (ctx: AppContext, ruleSet: StoredRuleSet) => (await viewsOf(ctx, [ruleSet]))[0] as z.infer<typeof ruleSetView>;

export function ruleSetRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/v1/rule-sets', { config: { scope: 'rules:read' }, schema: { tags: ['routing'], summary: 'Every rule set version, newest first: drafts, the published one and history', response: { 200: z.object({ items: z.array(ruleSetView) }) } } }, async () => ({
      items: await viewsOf(ctx, await listRuleSetHistory(ctx)),
    }));

    app.get('/api/v1/rule-sets/:version', { config: { scope: 'rules:read' }, schema: { tags: ['routing'], params: versionParams, response: { 200: ruleSetView, 404: errorBodySchema } } }, async (request) =>
      await viewOf(ctx, await getRuleSet(ctx, request.params.version)),
    );

    app.post('/api/v1/rule-sets', { config: { scope: 'rules:write' }, schema: { tags: ['routing'], summary: 'Save a new draft (kept even while invalid; the answer lists its issues)', body: draftBody, response: { 201: z.object({ ruleSet: ruleSetView, validation: validationView }) } } }, async (request, reply) => {
      const { ruleSet, validation } = await createDraft(ctx, { definition: request.body.definition, comment: request.body.comment ?? null, author: actorOf(request) });
      return reply.code(201).send({ ruleSet: await viewOf(ctx, ruleSet), validation });
    });

    app.put('/api/v1/rule-sets/:version', { config: { scope: 'rules:write' }, schema: { tags: ['routing'], summary: 'Replace a draft', params: versionParams, body: draftBody, response: { 200: z.object({ ruleSet: ruleSetView, validation: validationView }), 409: errorBodySchema } } }, async (request) => {
      const { ruleSet, validation } = await updateDraft(ctx, request.params.version, { definition: request.body.definition, comment: request.body.comment ?? null, revision: request.body.revision });
      return { ruleSet: await viewOf(ctx, ruleSet), validation };
    });

    app.post('/api/v1/rule-sets/validate', { config: { scope: 'rules:read' }, schema: { tags: ['routing'], summary: 'Validate a definition without saving it', body: z.strictObject({ definition: z.unknown() }), response: { 200: validationView } } }, async (request) =>
      await validateDefinition(ctx, request.body.definition),
    );

    app.post('/api/v1/rule-sets/:version/validate', { config: { scope: 'rules:read' }, schema: { tags: ['routing'], summary: 'Validate a stored version against the managers and teams of today', params: versionParams, response: { 200: validationView, 404: errorBodySchema } } }, async (request) =>
      await validateDefinition(ctx, (await getRuleSet(ctx, request.params.version)).definition),
    );

    app.post('/api/v1/rule-sets/:version/publish', { config: { scope: 'rules:write' }, schema: { tags: ['routing'], summary: 'Publish a valid draft; it routes every lead from now on', params: versionParams, response: { 200: ruleSetView, 409: errorBodySchema, 422: errorBodySchema } } }, async (request) =>
      await viewOf(ctx, await publishDraft(ctx, request.params.version, actorOf(request))),
    );
  };
}
