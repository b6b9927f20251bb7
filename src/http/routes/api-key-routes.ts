import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiKeyInputSchema, apiKeyPatchSchema, apiKeys, changeApiKey, issueApiKey, revokeApiKeyAs } from '../../app/access/api-key-admin.js';
import { API_KEY_SCOPES, type ApiKeyVerifier } from '../../app/api-keys.js';
import type { AppContext } from '../../app/app-context.js';
import { errorBodySchema } from '../error-schema.js';

export const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to tell keys apart; the rest is never shown again'),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: z.string(),
  createdBy: z
    .object({ actor: z.string().describe('user:<id>, api-key:<id> or system:<name>, as in the audit log'), name: z.string().nullable().describe("The person's name, when a person made it") })
    .nullable()
    .describe('null for keys made before this was kept'),
  lastUsedAt: z.string().nullable().describe('When the key last got through; kept at most once a minute, so it may lag by that much'),
  revokedAt: z.string().nullable(),
  keepUnknownFields: z.boolean().describe("Leads sent with the key keep fields intake does not know as custom fields instead of being refused"),
});
const idParams = z.object({ id: z.string().min(1).max(100) });

/** Keys for integrations: the administrator lists, creates (the key shown once) and revokes them. */
export function apiKeyRoutes(ctx: AppContext, verifier: ApiKeyVerifier): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/api-keys',
      { config: { scope: 'admin' }, schema: { tags: ['people'], summary: 'API keys, active and revoked, with their last use (never the key itself)', response: { 200: z.object({ items: z.array(apiKeyView) }) } } },
      async () => {
        // This process's pending last-use writes land first, so a key just used shows it.
        await verifier.settled();
        return { items: await apiKeys(ctx) };
      },
    );
    app.post(
      '/api/v1/api-keys',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['people'],
          summary: 'Create a key for an integration; the answer carries the key itself, the only time it is ever shown',
          body: apiKeyInputSchema,
          response: { 201: z.object({ key: apiKeyView, plaintext: z.string().describe('The key to send in X-Api-Key; store it now, it cannot be shown again') }) },
        },
      },
      async (request, reply) => reply.code(201).send(await issueApiKey(ctx, request.principal, request.body)),
    );
    app.patch(
      '/api/v1/api-keys/:id',
      {
        config: { scope: 'admin' },
        schema: { tags: ['people'], summary: "Change how the key's leads treat unknown fields (other servers see it within 10 s)", params: idParams, body: apiKeyPatchSchema, response: { 200: apiKeyView, 404: errorBodySchema } },
      },
      async (request) => {
        const key = await changeApiKey(ctx, request.principal, request.params.id, request.body);
        verifier.forgetKey(key.id);
        return key;
      },
    );
    app.delete(
      '/api/v1/api-keys/:id',
      {
        config: { scope: 'admin' },
        schema: { tags: ['people'], summary: 'Revoke a key: it is refused from the next request on (within 10 s on other server processes); revoking again changes nothing', params: idParams, response: { 200: apiKeyView, 404: errorBodySchema } },
      },
      async (request) => {
        const { key } = await revokeApiKeyAs(ctx, request.principal, request.params.id);
        verifier.forgetKey(key.id);
        return key;
      },
    );
  };
}
