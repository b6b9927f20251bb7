import { smartCaptcha, type CaptchaVerifier } from '../app/forms/captcha.js';
import { FormIntake } from '../app/forms/form-intake.js';
import { ImportJobs } from '../app/imports/import-jobs.js';
import { processMetrics } from '../app/telemetry/metrics.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app/app-context.js';
import { LeadRouterError } from '../app/errors.js';
import { LeadIntake } from '../app/intake/lead-intake.js';
import type { IntakeThread } from '../app/intake/intake-thread.js';
import { APP_VERSION } from '../app/version.js';
import { registerAuth } from './auth.js';
import { refuseUnstorableInput, sendError } from './error-reply.js';
import { errorBodySchema } from './error-schema.js';
import { healthRoutes, ServerState } from './routes/health-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { formSourceRoutes } from './routes/form-source-routes.js';
import { importRoutes } from './routes/import-routes.js';
import { formSubmissionRoutes } from './routes/form-submission-routes.js';
import { leadRoutes } from './routes/lead-routes.js';
import { ruleSetRoutes } from './routes/rule-set-routes.js';
import { simulateRoutes } from './routes/simulate-routes.js';
import { teamRoutes } from './routes/team-routes.js';
import { teamBoardRoutes } from './routes/team-board-routes.js';
import { slaRoutes } from './routes/sla-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { apiKeyRoutes } from './routes/api-key-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { userRoutes } from './routes/user-routes.js';
import { transferRoutes } from './routes/transfer-routes.js';
import { poolRoutes } from './routes/pool-routes.js';
import { pipelineRoutes } from './routes/pipeline-routes.js';
import { leadWorkRoutes } from './routes/lead-work-routes.js';
import { dealRoutes } from './routes/deal-routes.js';
import { clientRoutes } from './routes/client-routes.js';
import { clientSplitRoutes } from './routes/client-split-routes.js';
import { originatorRoutes } from './routes/originator-routes.js';
import { reportRoutes } from './routes/report-routes.js';
import { bonusRoutes } from './routes/bonus-routes.js';
import { motivationRoutes } from './routes/motivation-routes.js';
import { LiveFeed } from '../app/notifications/live-feed.js';
import { notificationRoutes } from './routes/notification-routes.js';
import { notificationAdminRoutes } from './routes/notification-admin-routes.js';
import { telegramRoutes, type TelegramRouteOptions } from './routes/telegram-routes.js';
import { crmConnectorRoutes, crmEventRoutes } from './routes/crm-connector-routes.js';
import { CrmConnectors } from '../app/connectors/crm-connectors.js';
import { Bitrix24Inbound } from '../app/connectors/bitrix24/bitrix24-inbound.js';
import { bitrix24Client, type Bitrix24Options } from '../app/connectors/bitrix24/bitrix24-client.js';
import { amocrmClient, type AmocrmOptions } from '../app/connectors/amocrm/amocrm-client.js';
import { AmocrmInbound } from '../app/connectors/amocrm/amocrm-inbound.js';
import { sourceHealthRoutes } from './routes/source-health-routes.js';
import { setupRoutes } from './routes/setup-routes.js';
import type { SetupToken } from '../app/people/first-admin.js';
import { registerWebApp } from './web-app.js';
import { registerRequestLog, requestIdFor } from './request-log.js';
import { registerSecurityHeaders } from './security-headers.js';
import { discardBody } from './discard-body.js';

/** Stands for an empty JSON body until validation: actions may omit the body, intake may not. */
const EMPTY_BODY = Symbol('empty body');

export interface BuildAppOptions {
  ctx: AppContext;
  /** One log line per request (ACCESS_LOG); off when not given. */
  accessLog?: boolean;
  /** A pino logger; without one the app logs nothing (tests). */
  logger?: FastifyBaseLogger;
  bodyLimitBytes?: number;
  /**
   * The proxies in front (TRUST_PROXY): their X-Forwarded-For / -Proto / -Host are believed, so
   * the visitor's address (forms' rate limits, SmartCaptcha, logs) and the public https address
   * are the real ones. Not given: nothing forwarded is believed.
   */
  trustProxy?: boolean | string[] | number;
  /** Session cookies only over HTTPS (COOKIE_SECURE); off for local HTTP. */
  secureCookies?: boolean;
  /** The process's live notification hub, shared with the outbox dispatcher; made here when not given. */
  liveFeed?: LiveFeed;
  /** How often live notification streams send a heartbeat and re-check their session (15 s); tests shorten it. */
  streamHeartbeatMs?: number;
  /** Where intake transactions run; in the request thread when not given (tests, in-memory SQLite). */
  intakeThread?: IntakeThread;
  /** The built browser app (web/dist) to serve at `/`; without it only the API is served. */
  webAppDir?: string;
  /**
   * Whether the published demo API key and demo password let anyone in: only when `serve` listens
   * on loopback (or with --demo-public); refused when not given.
   */
  acceptDemoCredentials?: boolean;
  /** The one-time token that creates the first admin of an empty database (POST /api/v1/setup). */
  setupToken?: SetupToken;
  /** GET /metrics: with a token, answered to `Authorization: Bearer <token>`; without, to loopback only. */
  metricsToken?: string;
  /** Where uploaded import files are kept (DATA_DIR/imports for `serve`); a directory under the system's temporary one when not given. */
  importDir?: string;
  /** How web forms check SmartCaptcha tokens; Yandex's service when not given. */
  captcha?: CaptchaVerifier;
  /** The Telegram bot: its username for deep links, and in webhook mode the bot and its secret. */
  telegram?: TelegramRouteOptions;
  /** How CRM connectors call the CRM (tests pace a local fake faster). */
  crm?: { bitrix24?: Bitrix24Options; amocrm?: AmocrmOptions };
}

export interface LeadRouterApp {
  app: FastifyInstance;
  intake: LeadIntake;
  liveFeed: LiveFeed;
  /** Draining: readiness answers 503 from `startDraining()` on (a shutdown). */
  state: ServerState;
  /** Leads from connected CRMs: events and polls (the CRM poller of `serve` uses this one). */
  crmInbound: Bitrix24Inbound;
  /** amoCRM's webhooks and polls (the CRM poller of `serve` uses this one too). */
  amocrmInbound: AmocrmInbound;
  /** Every endpoint with what it requires, for the access tests. */
  endpoints: Array<{ method: string; url: string; scope: string | null }>;
}

/**
 * The HTTP application, without a socket: tests drive it with `app.inject()`, the CLI calls
 * `listen()`. Routes only parse, call a use case and map its answer.
 */
export async function buildApp(options: BuildAppOptions): Promise<LeadRouterApp> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: options.bodyLimitBytes ?? 4 * 1024 * 1024,
    trustProxy: (options.trustProxy ?? false) as FastifyServerOptions['trustProxy'],
    // fastify's two lines per request are replaced by one access line (request-log.ts), which ACCESS_LOG can turn off.
    logController: new LogController({ disableRequestLogging: true }),
    // X-Request-Id: the caller's when sane, else a new one; it is the reqId of every log line of the request.
    requestIdHeader: false,
    genReqId: requestIdFor,
    // A malformed URL or an over-long path parameter gets the documented error shape too.
    frameworkErrors: (error, request, reply) => void sendError(request, reply.header('x-request-id', request.id), error),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Responses are built from typed views; validating them again on every answer costs intake throughput.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // Only JSON is accepted, so a form post or plain text gets a clear 415 instead of a schema error.
  app.removeContentTypeParser('text/plain');
  // An action without a body (publish) may still be sent as JSON by generic clients.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') done(null, EMPTY_BODY);
    else parseJson(request, text, done);
  });

  app.addHook('preValidation', async (request) => {
    if (request.body !== EMPTY_BODY) return;
    const schema = request.routeOptions.schema?.body as { safeParse?: (v: unknown) => { success: boolean } } | undefined;
    // A body that is optional (an approval's comment) may be left out even when declared as JSON.
    if (schema && !(schema.safeParse?.(undefined).success ?? false)) throw new LeadRouterError('LR_ERR_INVALID_JSON', 'The body is empty; send a JSON object');
    request.body = undefined;
  });

  app.setErrorHandler(async (error, request, reply) => {
    // A too-large body is read to its end (within a bound) first, so its sender gets the 413 and not a reset.
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') await discardBody(request.raw);
    await sendError(request, reply, error);
  });
  registerRequestLog(app, { accessLog: options.accessLog ?? false });
  await registerSecurityHeaders(app, { https: options.secureCookies ?? false });
  app.addHook('preValidation', refuseUnstorableInput);
  let webAppFallback: Awaited<ReturnType<typeof registerWebApp>> = null;
  app.setNotFoundHandler(async (request, reply) => {
    if (webAppFallback?.(request, reply)) return reply;
    await sendError(request, reply, new LeadRouterError('LR_ERR_ROUTE_NOT_FOUND', `No endpoint ${request.method} ${request.url.split('?')[0]}`));
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'leadrouter API', version: APP_VERSION, description: 'Lead intake, routing rules, decisions and simulation. Errors: docs/errors.md.' },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' }, session: { type: 'apiKey', in: 'cookie', name: 'lr_session' } } },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas registered with an id (the rule-set format: RuleSetDefinition, Rule, RuleCondition, …) become named components.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  // Every route can answer these; declaring them once keeps the OpenAPI document complete.
  const endpoints: LeadRouterApp['endpoints'] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/')) {
      for (const method of [route.method].flat()) if (method !== 'HEAD') endpoints.push({ method, url: route.url, scope: [route.config?.scope ?? []].flat().join(' | ') || null });
    }
    if (!route.schema) return;
    const common: Record<number, typeof errorBodySchema> = { 400: errorBodySchema, 500: errorBodySchema };
    if (route.config?.scope) Object.assign(common, { 401: errorBodySchema, 403: errorBodySchema });
    if (route.schema.body) Object.assign(common, { 413: errorBodySchema, 415: errorBodySchema });
    route.schema.response = { ...common, ...(route.schema.response as object | undefined) };
  });

  const acceptDemoCredentials = options.acceptDemoCredentials ?? false;
  const keyVerifier = await registerAuth(app, options.ctx, { acceptDemoCredentials });
  // Last-use writes still pending land before the store closes.
  app.addHook('onClose', async () => await keyVerifier.settled());
  const intake = new LeadIntake(options.ctx, options.intakeThread ?? null);
  const state = new ServerState();
  await app.register(healthRoutes(options.ctx, state));
  await app.register(metricsRoutes(options.ctx, processMetrics, options.metricsToken));
  await app.register(leadRoutes(options.ctx, intake));
  await app.register(formSourceRoutes(options.ctx, intake));
  await app.register(formSubmissionRoutes(new FormIntake(options.ctx, intake, options.captcha ?? smartCaptcha())));
  await app.register(ruleSetRoutes(options.ctx));
  await app.register(simulateRoutes(options.ctx));
  await app.register(teamRoutes(options.ctx));
  await app.register(teamBoardRoutes(options.ctx));
  await app.register(slaRoutes(options.ctx));
  await app.register(sessionRoutes(options.ctx, { secureCookies: options.secureCookies ?? false, acceptDemoCredentials }));
  await app.register(setupRoutes(options.ctx, options.setupToken));
  await app.register(userRoutes(options.ctx));
  await app.register(auditRoutes(options.ctx));
  await app.register(apiKeyRoutes(options.ctx, keyVerifier));
  await app.register(transferRoutes(options.ctx));
  await app.register(poolRoutes(options.ctx));
  await app.register(pipelineRoutes(options.ctx));
  await app.register(leadWorkRoutes(options.ctx, intake.snapshots));
  await app.register(dealRoutes(options.ctx));
  await app.register(clientRoutes(options.ctx));
  await app.register(clientSplitRoutes(options.ctx));
  await app.register(originatorRoutes(options.ctx));
  await app.register(reportRoutes(options.ctx));
  await app.register(bonusRoutes(options.ctx));
  await app.register(motivationRoutes(options.ctx));
  const importJobs = new ImportJobs(options.ctx, intake, options.importDir ?? join(tmpdir(), 'leadrouter-imports'));
  app.addHook('onClose', async () => await importJobs.close());
  await app.register(importRoutes(importJobs));
  const liveFeed = options.liveFeed ?? new LiveFeed(options.ctx);
  // Every successful change may have written outbox messages: wake this process's dispatcher.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 300) liveFeed.changeCommitted();
  });
  await app.register(notificationRoutes(options.ctx, liveFeed, options.streamHeartbeatMs !== undefined ? { heartbeatMs: options.streamHeartbeatMs } : {}));
  await app.register(notificationAdminRoutes(options.ctx));
  await app.register(telegramRoutes(options.ctx, options.telegram));
  await app.register(sourceHealthRoutes(options.ctx));
  const bitrix24Clients = (c: { endpoint: string }) => bitrix24Client(c.endpoint, options.crm?.bitrix24);
  const crmInbound = new Bitrix24Inbound(options.ctx, intake, bitrix24Clients);
  const amocrmClients = (c: { endpoint: string; accessToken: string | null }) => amocrmClient(c.endpoint, c.accessToken ?? '', options.crm?.amocrm);
  const amocrmInbound = new AmocrmInbound(options.ctx, intake, amocrmClients);
  await app.register(crmConnectorRoutes(options.ctx, new CrmConnectors(options.ctx, bitrix24Clients, amocrmClients), crmInbound, amocrmInbound));
  await app.register(crmEventRoutes(options.ctx, crmInbound, amocrmInbound));
  if (options.webAppDir) webAppFallback = await registerWebApp(app, options.webAppDir);
  await app.ready();
  return { app, intake, liveFeed, state, endpoints, crmInbound, amocrmInbound };
}
