import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { principalHasScope, type Principal, type UserPrincipal } from '../app/access/principal.js';
import { ApiKeyVerifier, type ApiKeyScope } from '../app/api-keys.js';
import type { AppContext } from '../app/app-context.js';
import { LeadRouterError } from '../app/errors.js';
import { csrfMatches, resolveSession } from '../app/people/sessions.js';
import type { ApiKeyRecord } from '../store/api-key-queries.js';
import { DEMO_API_KEY } from '../app/demo/demo-credentials.js';
import { localeFromAcceptLanguage, localeOf, type Locale } from '../core/i18n/locale.js';

/**
 * `self`: any signed-in person (not an API key); endpoints about that person (inbox, preferences).
 * A list: any one of the scopes lets the caller in, and the use case decides the rest (the team
 * board: team:write for every team, a head's leads:manage for the own team).
 */
export type RouteAccess = ApiKeyScope | 'self' | readonly ApiKeyScope[];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a route needs; routes without it are public (health, docs, sign-in). */
    scope?: RouteAccess;
  }
  interface FastifyRequest {
    apiKey: ApiKeyRecord | null;
    principal: Principal;
    /** The CSRF token of the request's session, when it came with the cookie. */
    sessionCsrfToken: string | null;
    /** The language server-written sentences take: a person's chosen one (Russian if none), else Accept-Language. */
    readerLocale: Locale;
  }
}

export const SESSION_COOKIE = 'lr_session';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ANONYMOUS: Principal = { kind: 'system', name: 'anonymous' };

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return undefined;
}

/**
 * People sign in and carry an httpOnly session cookie; integrations send an API key in
 * `X-Api-Key` or `Authorization: Bearer`. Checked before the body is parsed. A change made
 * with the cookie must repeat the session's CSRF token in `X-CSRF-Token`, which another site
 * cannot read, so a forged form post from elsewhere is refused.
 */
export async function registerAuth(app: FastifyInstance, ctx: AppContext, options: { acceptDemoCredentials: boolean }): Promise<ApiKeyVerifier> {
  await app.register(fastifyCookie);
  const verifier = new ApiKeyVerifier(ctx);
  app.decorateRequest('apiKey', null);
  app.decorateRequest('principal', null as never);
  app.decorateRequest('sessionCsrfToken', null);
  app.decorateRequest('readerLocale', 'ru');
  app.addHook('onRequest', async (request) => {
    request.principal = ANONYMOUS;
    request.readerLocale = localeFromAcceptLanguage(headerValue(request, 'accept-language'));
    const scope = request.routeOptions.config.scope;
    if (!scope) return;
    const plaintext = presentedKey(request);
    if (plaintext !== undefined) {
      if (plaintext.length > 200) throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'The API key is not valid');
      // The README publishes it: it opens only a server that listens on loopback.
      if (plaintext === DEMO_API_KEY && !options.acceptDemoCredentials) {
        request.log.warn('the demo API key was refused: this server does not listen on loopback only');
        throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'The demo API key works only on a server listening on 127.0.0.1; create a key with `leadrouter api-key create`');
      }
      const key = await verifier.verify(plaintext);
      if (!key) throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'The API key is not valid or was revoked');
      request.apiKey = key;
      request.principal = { kind: 'api-key', key };
    } else {
      const token = request.cookies[SESSION_COOKIE];
      const session = token && token.length <= 200 ? await resolveSession(ctx, token) : undefined;
      if (!session) throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'Sign in, or send an API key in the X-Api-Key header');
      if (UNSAFE_METHODS.has(request.method) && !csrfMatches(session.csrfToken, headerValue(request, 'x-csrf-token'))) {
        throw new LeadRouterError('LR_ERR_CSRF', 'Send the X-CSRF-Token header given at sign-in with every change');
      }
      request.principal = session.principal;
      request.sessionCsrfToken = session.csrfToken;
      // The web app shows Russian to whoever chose nothing, whatever the browser asks for: so do its sentences.
      request.readerLocale = localeOf(session.user.locale);
    }
    if (scope === 'self') {
      if (request.principal.kind !== 'user') throw new LeadRouterError('LR_ERR_FORBIDDEN', 'This endpoint is for signed-in people, not API keys');
    } else if (!scopesOf(scope).some((s) => principalHasScope(request.principal, s))) {
      throw new LeadRouterError('LR_ERR_FORBIDDEN', request.principal.kind === 'user' ? `The role ${request.principal.role} may not do this` : `The API key lacks the scope ${scopesOf(scope).join(' or ')}`);
    }
  });
  return verifier;
}

export function scopesOf(access: Exclude<RouteAccess, 'self'>): readonly ApiKeyScope[] {
  return typeof access === 'string' ? [access] : access;
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: string, secure: boolean): void {
  void reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: new Date(expiresAt) });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

export function actorOf(request: FastifyRequest): string {
  const p = request.principal;
  if (p.kind === 'api-key') return `api-key:${p.key.id}`;
  if (p.kind === 'user') return `user:${p.userId}`;
  return 'anonymous';
}

/** The signed-in person; refuses integrations on endpoints that are about one person (inbox, preferences). */
export function requireUser(request: FastifyRequest): UserPrincipal {
  if (request.principal.kind !== 'user') throw new LeadRouterError('LR_ERR_FORBIDDEN', 'This endpoint is for signed-in people, not API keys');
  return request.principal;
}
