import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { signIn, signOut } from '../../app/people/sessions.js';
import { localeInputSchema, loginInputSchema } from '../../app/people/user-input.js';
import { changeOwnLocale, getUser } from '../../app/people/users.js';
import { clearSessionCookie, requireUser, SESSION_COOKIE, setSessionCookie } from '../auth.js';
import { errorBodySchema } from '../error-schema.js';
import { isLeadRouterError, LeadRouterError } from '../../app/errors.js';
import { DEMO_PASSWORD } from '../../app/demo/demo-credentials.js';
import { userView } from './user-routes.js';

const sessionView = z.object({ user: userView, csrfToken: z.string(), expiresAt: z.string().optional() });

export function sessionRoutes(ctx: AppContext, options: { secureCookies: boolean; acceptDemoCredentials: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/session',
      {
        schema: {
          tags: ['people'],
          summary: 'Sign in with e-mail and password',
          description: 'Sets the httpOnly session cookie and returns the CSRF token to send as X-CSRF-Token with every change. Five failures per e-mail (or 30 per address) in 15 minutes lock sign-in for that e-mail/address with 429.',
          security: [],
          body: loginInputSchema,
          response: { 200: sessionView, 401: errorBodySchema, 429: errorBodySchema },
        },
      },
      async (request, reply) => {
        // The demo people's password is published: it opens only a server that listens on loopback.
        if (request.body.password === DEMO_PASSWORD && !options.acceptDemoCredentials) {
          request.log.warn('sign-in with the demo password refused: this server does not listen on loopback only');
          throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'The demo password works only on a server listening on 127.0.0.1; an admin sets a real password');
        }
        const session = await signIn(ctx, request.body, request.ip).catch((error: unknown) => {
          // Who failed from where, never the password: enough to see a guessing run in the logs.
          if (isLeadRouterError(error) && error.code === 'LR_ERR_UNAUTHORIZED') request.log.warn({ email: request.body.email, ip: request.ip }, 'sign-in failed');
          if (isLeadRouterError(error) && error.code === 'LR_ERR_RATE_LIMITED') request.log.warn({ email: request.body.email, ip: request.ip }, 'sign-in refused: locked out after too many failures');
          throw error;
        });
        setSessionCookie(reply, session.token, session.expiresAt, options.secureCookies);
        return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
      },
    );

    app.get(
      '/api/v1/session',
      { config: { scope: 'self' }, schema: { tags: ['people'], summary: 'Who is signed in, with the CSRF token (for a page reload)', response: { 200: sessionView } } },
      async (request) => {
        const user = requireUser(request);
        return { user: await getUser(ctx, user.userId), csrfToken: request.sessionCsrfToken ?? '' };
      },
    );

    app.put(
      '/api/v1/me/locale',
      {
        config: { scope: 'self' },
        schema: {
          tags: ['people'],
          summary: 'Choose your interface language (ru or en); kept for every device you sign in on',
          body: localeInputSchema,
          response: { 200: userView, 403: errorBodySchema },
        },
      },
      async (request) => await changeOwnLocale(ctx, requireUser(request), request.body),
    );

    app.delete(
      '/api/v1/session',
      { config: { scope: 'self' }, schema: { tags: ['people'], summary: 'Sign out: the session ends on the server too', response: { 204: z.null() } } },
      async (request, reply) => {
        requireUser(request);
        await signOut(ctx, request.cookies[SESSION_COOKIE] ?? '');
        clearSessionCookie(reply, options.secureCookies);
        return reply.code(204).send(null);
      },
    );
  };
}
