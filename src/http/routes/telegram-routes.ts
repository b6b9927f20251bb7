import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { LeadRouterError } from '../../app/errors.js';
import type { TelegramUpdate } from '../../app/telegram/bot-api.js';
import type { TelegramBot } from '../../app/telegram/telegram-bot.js';
import { createLinkCode } from '../../app/telegram/telegram-link.js';
import { WEBHOOK_PATH } from '../../app/telegram/telegram-setup.js';
import { requireUser } from '../auth.js';
import { errorBodySchema } from '../error-schema.js';

export interface TelegramRouteOptions {
  /** TELEGRAM_BOT_USERNAME: deep links need it. */
  botUsername?: string | undefined;
  /** Webhook mode: the bot that handles pushed updates and the secret Telegram sends with them. */
  webhook?: { bot: TelegramBot; secret: string } | undefined;
}

const linkView = z.object({
  url: z.string().describe('https://t.me/<bot>?start=<one-time code>: opening it in Telegram links that chat to you'),
  expiresAt: z.string().describe('The link works once, until then'),
});

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

function secretMatches(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Linking a person's Telegram by deep link, and the webhook Telegram pushes updates to (webhook mode). */
export function telegramRoutes(ctx: AppContext, options: TelegramRouteOptions = {}): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/me/telegram/link',
      {
        config: { scope: 'self' },
        schema: {
          tags: ['notifications'],
          summary: 'A one-time link that connects your Telegram (valid 15 minutes)',
          description: 'Open the returned t.me link in Telegram and press Start: the bot links that chat to you and replies. 422 when the bot is not set up on this server.',
          response: { 201: linkView, 403: errorBodySchema, 422: errorBodySchema },
        },
      },
      async (request, reply) => {
        void reply.code(201);
        return await createLinkCode(ctx, requireUser(request), options.botUsername);
      },
    );

    const webhook = options.webhook;
    if (!webhook) return;
    app.post(
      WEBHOOK_PATH,
      { schema: { hide: true }, bodyLimit: 1024 * 1024 },
      async (request, reply) => {
        if (!secretMatches(webhook.secret, request.headers[SECRET_HEADER])) throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'Not Telegram: the secret token is missing or wrong');
        const update = request.body as TelegramUpdate | null;
        if (!update || typeof update !== 'object' || typeof update.update_id !== 'number') throw new LeadRouterError('LR_ERR_VALIDATION', 'Not a Telegram update');
        await webhook.bot.handle(update);
        return await reply.code(200).send({ ok: true });
      },
    );
  };
}
