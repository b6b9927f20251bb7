import type { Logger } from 'pino';
import { ensureApiKey } from '../app/api-keys.js';
import type { AppContext } from '../app/app-context.js';
import type { AppConfig } from '../app/config.js';
import { DEMO_API_KEY, DEMO_PASSWORD, demoPolicy, isLoopbackHost } from '../app/demo/demo-credentials.js';
import { hasDemoData, seedDemoData } from '../app/demo/seed-demo.js';
import { hasNoUsers, SetupToken } from '../app/people/first-admin.js';

export interface StartOptions {
  /** `serve --demo`: fill an empty database with demo data (on loopback only, never in production). */
  demo: boolean;
  /** `serve --demo-public`: the demo may listen off loopback with its published key and password. */
  demoPublic?: boolean;
  /** How many demo leads (tests load a few). */
  demoLeads?: number;
}

export interface PreparedStart {
  /** Whether the demo API key and password let anyone in. */
  acceptDemoCredentials: boolean;
  /** Printed when the database has nobody who can sign in; creates the first admin once. */
  setupToken: SetupToken | undefined;
}

/**
 * What `serve` does before it listens: ensures LEADROUTER_ADMIN_API_KEY, loads the demo when
 * asked and allowed, and prints a one-time setup token when nobody can sign in yet. The demo
 * key and password are published, so they are accepted only on a loopback address (or with
 * --demo-public), and a production start (NODE_ENV=production) never seeds anything.
 */
export async function prepareStart(ctx: AppContext, config: AppConfig, options: StartOptions, logger: Logger, url: string): Promise<PreparedStart> {
  if (config.adminApiKey) {
    const key = await ensureApiKey(ctx, { name: 'admin (LEADROUTER_ADMIN_API_KEY)', scopes: ['admin'], plaintext: config.adminApiKey });
    // A revocation sticks even for the configured key; say so rather than fail silently at the first request.
    if (key.revokedAt) logger.warn({ keyId: key.id, revokedAt: key.revokedAt }, 'LEADROUTER_ADMIN_API_KEY names a revoked key; it will be refused');
  }
  const policy = demoPolicy({ host: config.host, production: config.production, demoPublic: config.demoPublic || options.demoPublic === true });
  if (options.demo && !policy.seed) {
    logger.error(`--demo ignored: ${policy.refusal}`);
  } else if (options.demo) {
    if (!isLoopbackHost(config.host)) logger.warn(`demo on a public address (HOST=${config.host}, --demo-public): anyone who reads the README can sign in and use the admin API key`);
    if (await hasDemoData(ctx)) {
      logger.info('demo data already present; using it');
    } else {
      const started = Date.now();
      const seeded = await seedDemoData(ctx, options.demoLeads !== undefined ? { leads: options.demoLeads } : {});
      logger.info({ leads: seeded.leads, ms: Date.now() - started }, 'demo data loaded');
    }
    logger.info(`demo sign-in: admin@demo.leadrouter.local, head@demo.leadrouter.local, qualifier@demo.leadrouter.local or anna@demo.leadrouter.local, password ${DEMO_PASSWORD}`);
    logger.info(`demo API key: ${DEMO_API_KEY}  (try: curl -H 'X-Api-Key: ${DEMO_API_KEY}' ${url}/api/v1/leads?limit=5)`);
  } else if (!policy.credentials) {
    // Demo data loaded earlier (on loopback) may still be in the database: its key and password stay shut.
    logger.info(`demo API key and demo password refused: ${policy.refusal}`);
  }
  let setupToken: SetupToken | undefined;
  if (await hasNoUsers(ctx)) {
    setupToken = new SetupToken();
    logger.warn(
      `nobody can sign in yet. Create the first admin at ${url}/setup with the one-time setup token ${setupToken.plaintext} ` +
        `(or POST /api/v1/setup {"token","email","name","password"}, or run: leadrouter create-admin --email E --name N)`,
    );
  }
  return { acceptDemoCredentials: policy.credentials, setupToken };
}
