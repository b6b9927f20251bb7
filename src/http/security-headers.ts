import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** What a client is told to wait after a 429 or 503 that names no time of its own. */
export const DEFAULT_RETRY_AFTER_SECONDS = { 429: 60, 503: 5 } as const;

/** The ways to authenticate, named on every 401: an API key header (or Bearer), or the session cookie from sign-in. */
export const WWW_AUTHENTICATE = 'ApiKey realm="leadrouter", header="X-Api-Key", Bearer realm="leadrouter", Session realm="leadrouter", cookie="lr_session", sign-in="/api/v1/session"';

/**
 * Security headers from @fastify/helmet with a Content-Security-Policy the web app and the API
 * docs work under: scripts only from this origin, styles from this origin plus inline ones
 * (Mantine writes its CSS variables into a <style> element and components set style attributes),
 * images from this origin and data: URIs (the favicon, Swagger UI's icons), requests and the live
 * stream to this origin only, no framing, no plugins. HSTS and upgrade-insecure-requests only when
 * the deployment runs behind HTTPS (COOKIE_SECURE), so a plain-HTTP install on a LAN still loads.
 * Also: Retry-After on every 429 and 503, WWW-Authenticate on every 401.
 */
export async function registerSecurityHeaders(app: FastifyInstance, options: { https: boolean }): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(options.https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // The API is read by integrations from other origins (server side); browsers of other sites get nothing usable without CORS anyway.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  app.addHook('onSend', async (_request, reply) => {
    const status = reply.statusCode;
    if ((status === 429 || status === 503) && !reply.hasHeader('retry-after')) void reply.header('retry-after', String(DEFAULT_RETRY_AFTER_SECONDS[status]));
    if (status === 401 && !reply.hasHeader('www-authenticate')) void reply.header('www-authenticate', WWW_AUTHENTICATE);
  });
}
