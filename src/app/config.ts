import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isCountryCode } from '../core/normalize/phone.js';
import { parseWebhookAllowList, type WebhookAllowList } from './notifications/webhook-target.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^(postgres(ql)?:\/\/|sqlite:)/.test(url), {
      message: 'must start with postgres:// or postgresql:// (PostgreSQL) or sqlite: (a SQLite file); leave it unset for SQLite in DATA_DIR',
    }),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  DEFAULT_COUNTRY: z
    .string()
    .default('RU')
    .refine((c) => isCountryCode(c), { message: 'must be an ISO 3166-1 alpha-2 country code such as RU' }),
  INTAKE_MAX_BATCH: z.coerce.number().int().min(1).max(1000).default(500),
  INTAKE_THREAD: z.enum(['auto', 'true', 'false']).default('auto'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(4 * 1024 * 1024),
  LEADROUTER_ADMIN_API_KEY: z.string().min(24).optional(),
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  SMTP_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^smtps?:\/\/[^/]/.test(url), { message: 'must look like smtp://user:password@host:587 or smtps://host:465' }),
  SMTP_FROM: z.string().min(3).default('leadrouter <leadrouter@localhost>'),
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  TELEGRAM_BOT_USERNAME: z
    .string()
    .optional()
    .refine((v) => !v || /^@?[A-Za-z][A-Za-z0-9_]{3,31}$/.test(v), { message: "the bot's username as BotFather gave it, e.g. acme_leads_bot" }),
  TELEGRAM_MODE: z.enum(['polling', 'webhook', 'off']).default('polling'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .optional()
    .refine((v) => !v || /^[A-Za-z0-9_-]{16,256}$/.test(v), { message: '16–256 characters of A-Z, a-z, 0-9, _ and -' }),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SLA_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  SOURCE_HEALTH_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(300_000),
  RUN_WORKERS: z.enum(['true', 'false']).default('true'),
  COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  NODE_ENV: z.string().optional(),
  LEADROUTER_DEMO_PUBLIC: z.enum(['true', 'false']).default('false'),
  ACCESS_LOG: z.enum(['true', 'false']).default('true'),
  WEBHOOK_ALLOW_HOSTS: z
    .string()
    .optional()
    .superRefine((text, issues) => {
      try {
        parseWebhookAllowList(text);
      } catch (error) {
        issues.addIssue({ code: 'custom', message: `a comma-separated list of host names, IP addresses and CIDR ranges: ${(error as Error).message}` });
      }
    }),
  DISPATCH_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
  LIVE_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  SMARTCAPTCHA_URL: z.url({ protocol: /^https?$/ }).default('https://smartcaptcha.yandexcloud.net/validate'),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  DECISION_TRACE_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
  TRUST_PROXY: z
    .string()
    .optional()
    .refine((v) => !v || /^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/.test(v.trim()), { message: 'true, a number of hops, or addresses / CIDR ranges of your proxies such as 127.0.0.1,10.0.0.0/8' }),
});

/** Every environment variable the server reads (the deploy files are checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export interface AppConfig {
  port: number;
  host: string;
  /** `postgres://…` for PostgreSQL; unset for the SQLite file in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  sqliteFile: string;
  logLevel: (typeof LOG_LEVELS)[number];
  defaultCountry: string;
  intakeMaxBatch: number;
  /**
   * Whether `serve` runs intake transactions on a thread of their own (never for an in-memory
   * SQLite database). `auto`: on PostgreSQL only — on SQLite the thread measured no faster, and
   * the other writers of the process then wait for its write lock (see docs/benchmarks.md).
   */
  intakeThread: 'auto' | 'on' | 'off';
  bodyLimitBytes: number;
  /** When set, an admin API key with this exact value is ensured at start (deployments, scripts). */
  adminApiKey: string | undefined;
  /** FULL: a committed lead survives a power cut; NORMAL: only a process crash (faster on slow fsync). */
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** Where notification e-mail goes out; unset leaves e-mail deliveries waiting, not lost. */
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** Unset leaves Telegram deliveries waiting. */
  telegramBotToken: string | undefined;
  /** The Bot API, or a server speaking the same contract. */
  telegramApiBaseUrl: string;
  /** The bot's username (without @), for the deep links that link a person's chat. */
  telegramBotUsername: string | undefined;
  /** How the bot hears presses and /start: long polling (default, works behind NAT), a webhook, or not at all. */
  telegramMode: 'polling' | 'webhook' | 'off';
  /** The secret Telegram repeats in X-Telegram-Bot-Api-Secret-Token on webhook calls. */
  telegramWebhookSecret: string | undefined;
  /** The web app's public address (links in messages, the Telegram webhook); no trailing slash. */
  publicUrl: string | undefined;
  /** Pause between passes of the outbox dispatcher. */
  dispatchIntervalMs: number;
  /** How often open live streams look for notifications other processes wrote (the safety net under LISTEN/NOTIFY on PostgreSQL). */
  livePollIntervalMs: number;
  /** Pause between SLA sweeps (warnings, breaches, reassignment, escalation). */
  slaSweepIntervalMs: number;
  /** Pause between source-health checks (a source gone silent, a junk spike). */
  sourceHealthIntervalMs: number;
  /** Whether `serve` also runs the SLA sweeper and the outbox dispatcher (false when `leadrouter worker` runs them). */
  runWorkers: boolean;
  /** Session cookies only over HTTPS; set behind a TLS-terminating proxy. */
  cookieSecure: boolean;
  /** NODE_ENV=production: `serve --demo` loads nothing and the demo key and password are refused. */
  production: boolean;
  /** LEADROUTER_DEMO_PUBLIC=true: a demo may listen off loopback with its published key and password (a shared demo). */
  demoPublic: boolean;
  /** One log line per HTTP request (method, path, status, time, request id); ACCESS_LOG=false turns it off. */
  accessLog: boolean;
  /** WEBHOOK_ALLOW_HOSTS: hosts and address ranges webhooks may reach although they are loopback, private or link-local. */
  webhookAllowList: WebhookAllowList;
  /** Set: GET /metrics answers anyone sending `Authorization: Bearer <token>`; unset: only loopback scrapers. */
  metricsToken: string | undefined;
  /** `leadrouter purge-traces` compacts decision traces older than this many days (unset: only with --older-than-days). */
  decisionTraceMaxAgeDays: number | undefined;
  /** TRUST_PROXY: which proxies' X-Forwarded-* headers are believed (Fastify's trustProxy); undefined: none. */
  trustProxy: boolean | string[] | number | undefined;
  /** How long SIGTERM's graceful shutdown may take before the process exits anyway with code 1. */
  shutdownTimeoutMs: number;
  /** Where web forms check SmartCaptcha tokens (Yandex's service, or one speaking its contract). */
  smartCaptchaUrl: string;
}

export class ConfigError extends Error {}

/** Reads the configuration from environment variables; every variable is listed in docs/configuration.md. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.TELEGRAM_MODE === 'webhook' && e.TELEGRAM_BOT_TOKEN && (!e.PUBLIC_URL || !e.TELEGRAM_WEBHOOK_SECRET)) {
    throw new ConfigError('Invalid configuration:\n  TELEGRAM_MODE: webhook needs PUBLIC_URL (the https address Telegram calls) and TELEGRAM_WEBHOOK_SECRET');
  }
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir,
    sqliteFile: join(dataDir, 'leadrouter.sqlite'),
    logLevel: e.LOG_LEVEL,
    defaultCountry: e.DEFAULT_COUNTRY.toUpperCase(),
    intakeMaxBatch: e.INTAKE_MAX_BATCH,
    intakeThread: e.INTAKE_THREAD === 'auto' ? 'auto' : e.INTAKE_THREAD === 'true' ? 'on' : 'off',
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    adminApiKey: e.LEADROUTER_ADMIN_API_KEY,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    smtpUrl: e.SMTP_URL || undefined,
    smtpFrom: e.SMTP_FROM,
    telegramBotToken: e.TELEGRAM_BOT_TOKEN || undefined,
    telegramApiBaseUrl: e.TELEGRAM_API_BASE_URL,
    telegramBotUsername: e.TELEGRAM_BOT_USERNAME ? e.TELEGRAM_BOT_USERNAME.replace(/^@/, '') : undefined,
    telegramMode: e.TELEGRAM_MODE,
    telegramWebhookSecret: e.TELEGRAM_WEBHOOK_SECRET || undefined,
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, '') : undefined,
    dispatchIntervalMs: e.DISPATCH_INTERVAL_MS,
    livePollIntervalMs: e.LIVE_POLL_INTERVAL_MS,
    slaSweepIntervalMs: e.SLA_SWEEP_INTERVAL_MS,
    sourceHealthIntervalMs: e.SOURCE_HEALTH_INTERVAL_MS,
    runWorkers: e.RUN_WORKERS === 'true',
    cookieSecure: e.COOKIE_SECURE === 'true',
    production: e.NODE_ENV === 'production',
    demoPublic: e.LEADROUTER_DEMO_PUBLIC === 'true',
    accessLog: e.ACCESS_LOG === 'true',
    webhookAllowList: parseWebhookAllowList(e.WEBHOOK_ALLOW_HOSTS),
    metricsToken: e.METRICS_TOKEN || undefined,
    decisionTraceMaxAgeDays: e.DECISION_TRACE_MAX_AGE_DAYS,
    trustProxy: trustProxyOf(e.TRUST_PROXY),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    smartCaptchaUrl: e.SMARTCAPTCHA_URL,
  };
}

/** TRUST_PROXY as Fastify takes it: true, a hop count, or a list of addresses and CIDR ranges. */
function trustProxyOf(value: string | undefined): boolean | string[] | number | undefined {
  const v = value?.trim();
  if (!v || v === 'false') return undefined;
  if (v === 'true') return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  return v.split(',').map((part) => part.trim()).filter(Boolean);
}
