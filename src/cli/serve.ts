import { smartCaptcha } from '../app/forms/captcha.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { buildApp } from '../http/build-app.js';
import { IntakeThread } from '../app/intake/intake-thread.js';
import { LiveFeed } from '../app/notifications/live-feed.js';
import { PostgresSignals } from '../store/pg-signals.js';
import { openRuntime } from './bootstrap.js';
import { startWorkers } from './workers.js';
import { registerWebhook, telegramRuntime } from '../app/telegram/telegram-setup.js';
import { prepareStart, type StartOptions } from './prepare-start.js';

/** Starts the HTTP server; with `demo`, an empty database is first filled with demo data (on loopback, not in production). */
export async function serve(options: StartOptions & { port?: number | undefined }): Promise<void> {
  const runtime = await openRuntime();
  const { config, ctx, target } = runtime;
  const logger = pino({ level: config.logLevel });
  const port = options.port ?? config.port;
  const { acceptDemoCredentials, setupToken } = await prepareStart(ctx, config, options, logger, `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`);
  // On PostgreSQL the processes tell each other of new notifications and changes at once.
  const signals = target.kind === 'postgres' ? new PostgresSignals(target.url, logger.child({ component: 'live-signals' })) : undefined;
  const liveFeed = new LiveFeed(ctx, { pollIntervalMs: config.livePollIntervalMs, ...(signals ? { signals } : {}) });
  // An in-memory SQLite database exists only on the connection that made it: no second thread can share it.
  const threadable = target.kind === 'postgres' || target.file !== ':memory:';
  const wanted = config.intakeThread === 'on' || (config.intakeThread === 'auto' && target.kind === 'postgres');
  const intakeThread = wanted && threadable ? new IntakeThread({ target: target.kind === 'postgres' ? { ...target, poolSize: 2 } : target, config: { defaultCountry: config.defaultCountry, intakeMaxBatch: config.intakeMaxBatch } }) : undefined;
  const telegram = telegramRuntime(ctx, config, logger.child({ worker: 'telegram' }));
  const webhook = telegram && config.telegramMode === 'webhook' && config.telegramWebhookSecret ? { bot: telegram.bot, secret: config.telegramWebhookSecret } : undefined;
  const webAppDir = fileURLToPath(new URL('../../web/dist', import.meta.url));
  const { app, intake, state, crmInbound, amocrmInbound } = await buildApp({ ctx, logger, bodyLimitBytes: config.bodyLimitBytes, accessLog: config.accessLog, secureCookies: config.cookieSecure, liveFeed, webAppDir, acceptDemoCredentials, importDir: join(config.dataDir, 'imports'), ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}), ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}), captcha: smartCaptcha(config.smartCaptchaUrl), ...(setupToken ? { setupToken } : {}), ...(intakeThread ? { intakeThread } : {}), telegram: { botUsername: config.telegramBotUsername, webhook } });
  const workers = config.runWorkers ? startWorkers(ctx, config, logger, liveFeed, telegram, crmInbound, amocrmInbound) : null;
  if (telegram && webhook && config.publicUrl) {
    registerWebhook(telegram.api, config.publicUrl, webhook.secret).catch((error: unknown) => logger.error({ err: error }, 'Telegram setWebhook failed: the bot hears nothing until it succeeds (restart to try again)'));
  }
  const address = await app.listen({ port, host: config.host });
  logger.info({ address, database: ctx.store.kind, intakeThread: intakeThread !== undefined, docs: `${address}/docs` }, 'leadrouter listening');

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    forceExitAfter(config.shutdownTimeoutMs, logger);
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: finishing accepted leads');
    // /health/ready answers 503 from now on, so a balancer stops sending new requests.
    state.startDraining();
    await app.close();
    await intake.close();
    await workers?.stop();
    liveFeed.close();
    await signals?.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Runs only the SLA sweeper and the outbox dispatcher, for deployments that scale them apart from the API. */
export async function work(): Promise<void> {
  const runtime = await openRuntime();
  const { config, ctx, target } = runtime;
  const logger = pino({ level: config.logLevel });
  // On PostgreSQL a change committed by an API process without workers wakes this dispatcher at once.
  const signals = target.kind === 'postgres' ? new PostgresSignals(target.url, logger.child({ component: 'live-signals' })) : undefined;
  const liveFeed = new LiveFeed(ctx, { pollIntervalMs: config.livePollIntervalMs, ...(signals ? { signals } : {}) });
  const workers = startWorkers(ctx, config, logger, liveFeed, telegramRuntime(ctx, config, logger.child({ worker: 'telegram' })));
  logger.info({ database: ctx.store.kind, slaSweepIntervalMs: config.slaSweepIntervalMs, dispatchIntervalMs: config.dispatchIntervalMs }, 'leadrouter worker running');
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    forceExitAfter(config.shutdownTimeoutMs, logger);
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'worker shutting down after the pass in flight');
    await workers.stop();
    liveFeed.close();
    await signals?.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * The hard limit of a graceful shutdown: a client that never finishes its request, or a pass
 * stuck on a dead network peer, must not keep the process from stopping. What was committed
 * is safe either way; what was not is answered by nobody and retried by its sender.
 */
function forceExitAfter(timeoutMs: number, logger: { error(details: object, message: string): void }): void {
  setTimeout(() => {
    logger.error({ timeoutMs }, 'shutdown did not finish in time; exiting now');
    process.exit(1);
  }, timeoutMs).unref();
}
