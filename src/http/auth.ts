import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiKeyVerifier, hasScope, type ApiKeyScope } from '../app/api-keys.js';
import type { AppContext } from '../app/app-context.js';
import { LeadRouterError } from '../app/errors.js';
import type { ApiKeyRecord } from '../store/api-key-queries.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are public (health, docs). */
    scope?: ApiKeyScope;
  }
  interface FastifyRequest {
    apiKey: ApiKeyRecord | null;
  }
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return undefined;
}

/** API keys in `X-Api-Key` or `Authorization: Bearer`; checked before the body is even parsed. */
export function registerApiKeyAuth(app: FastifyInstance, ctx: AppContext): ApiKeyVerifier {
  const verifier = new ApiKeyVerifier(ctx);
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (request) => {
    const scope = request.routeOptions.config.scope;
    if (!scope) return;
    const plaintext = presentedKey(request);
    if (!plaintext) throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'Send an API key in the X-Api-Key header');
    if (plaintext.length > 200) throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'The API key is not valid');
    const key = await verifier.verify(plaintext);
    if (!key) throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'The API key is not valid or was revoked');
    if (!hasScope(key, scope)) throw new LeadRouterError('LR_ERR_FORBIDDEN', `The API key lacks the scope ${scope}`);
    request.apiKey = key;
  });
  return verifier;
}

export function actorOf(request: FastifyRequest): string {
  return request.apiKey ? `api-key:${request.apiKey.id}` : 'anonymous';
}

export function requireApiKey(request: FastifyRequest): ApiKeyRecord {
  if (!request.apiKey) throw new LeadRouterError('LR_ERR_UNAUTHORIZED');
  return request.apiKey;
}
