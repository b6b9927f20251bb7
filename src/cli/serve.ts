import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { ensureApiKey } from '../app/api-keys.js';
import { hasDemoData, seedDemoData, DEMO_API_KEY, DEMO_PASSWORD } from '../app/demo/seed-demo.js';
import { buildApp } from '../http/build-app.js';
import { IntakeThread } from '../app/intake/intake-thread.js';
import { LiveFeed } from '../app/notifications/live-feed.js';
import { openRuntime } from './bootstrap.js';
import { startWorkers } from './workers.js';

/** Starts the HTTP server; with `demo`, an empty database is first filled with demo data. */
export async function serve(options: { demo: boolean; port?: number | undefined }): Promise<void> {
  const runtime = await openRuntime();
  const { config, ctx, target } = runtime;
  const logger = pino({ level: config.logLevel });
  if (config.adminApiKey) {
    const key = await ensureApiKey(ctx, { name: 'admin (LEADROUTER_ADMIN_API_KEY)', scopes: ['admin'], plaintext: config.adminApiKey });
    // A revocation sticks even for the configured key; say so rather than fail silently at the first request.
    if (key.revokedAt) logger.warn({ keyId: key.id, revokedAt: key.revokedAt }, 'LEADROUTER_ADMIN_API_KEY names a revoked key; it will be refused');
  }
  if (options.demo) {
    if (await hasDemoData(ctx)) {
      logger.info('demo data already present; using it');
    } else {
      const started = Date.now();
      const seeded = await seedDemoData(ctx);
      logger.info({ leads: seeded.leads, ms: Date.now() - started }, 'demo data loaded');
    }
    logger.info(`demo sign-in: admin@demo.leadrouter.local, head@demo.leadrouter.local, qualifier@demo.leadrouter.local or anna@demo.leadrouter.local, password ${DEMO_PASSWORD}`);
    logger.info(`demo API key: ${DEMO_API_KEY}  (try: curl -H 'X-Api-Key: ${DEMO_API_KEY}' http://${config.host}:${options.port ?? config.port}/api/v1/leads?limit=5)`);
  }
  const liveFeed = new LiveFeed(ctx);
  // An in-memory SQLite database exists only on the connection that made it: no second thread can share it.
  const threadable = target.kind === 'postgres' || target.file !== ':memory:';
  const wanted = config.intakeThread === 'on' || (config.intakeThread === 'auto' && target.kind === 'postgres');
  const intakeThread = wanted && threadable ? new IntakeThread({ target: target.kind === 'postgres' ? { ...target, poolSize: 2 } : target, config: { defaultCountry: config.defaultCountry, intakeMaxBatch: config.intakeMaxBatch } }) : undefined;
  const webAppDir = fileURLToPath(new URL('../../web/dist', import.meta.url));
  const { app, intake } = await buildApp({ ctx, logger, bodyLimitBytes: config.bodyLimitBytes, secureCookies: config.cookieSecure, liveFeed, webAppDir, ...(intakeThread ? { intakeThread } : {}) });
  const workers = config.runWorkers ? startWorkers(ctx, config, logger, liveFeed) : null;
  const address = await app.listen({ port: options.port ?? config.port, host: config.host });
  logger.info({ address, database: ctx.store.kind, intakeThread: intakeThread !== undefined, docs: `${address}/docs` }, 'leadrouter listening');

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing accepted leads');
    await app.close();
    await intake.close();
    await workers?.stop();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Runs only the SLA sweeper and the outbox dispatcher, for deployments that scale them apart from the API. */
export async function work(): Promise<void> {
  const runtime = await openRuntime();
  const { config, ctx } = runtime;
  const logger = pino({ level: config.logLevel });
  const workers = startWorkers(ctx, config, logger);
  logger.info({ database: ctx.store.kind, slaSweepIntervalMs: config.slaSweepIntervalMs, dispatchIntervalMs: config.dispatchIntervalMs }, 'leadrouter worker running');
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'worker shutting down after the pass in flight');
    await workers.stop();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
