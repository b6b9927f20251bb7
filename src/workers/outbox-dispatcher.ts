import type { AppContext } from '../app/app-context.js';
import type { ChannelSet } from '../app/notifications/channels/channel.js';
import { createChannels, type ChannelSettings } from '../app/notifications/channels/create-channels.js';
import { deliverDue, type DeliverOptions, type DeliverReport } from '../app/notifications/deliver.js';
import { ChannelReachability } from '../app/notifications/channel-reachability.js';
import { fanOut, type FanOutOptions, type FanOutReport } from '../app/notifications/fan-out.js';
import { LiveFeed } from '../app/notifications/live-feed.js';
import { ClaimReleases } from '../app/notifications/claim-releases.js';

export interface DispatchReport {
  fanOut: FanOutReport;
  delivery: DeliverReport;
}

export interface DispatcherLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface OutboxDispatcherOptions {
  /** Pause between passes (DISPATCH_INTERVAL_MS). */
  intervalMs: number;
  /** Pause after a pass that found work before the next one; see BUSY_PAUSE_MS. */
  busyPauseMs?: number;
  logger?: DispatcherLogger;
  /** The channel adapters; without them they are built from `settings` and `liveFeed`. */
  channels?: ChannelSet;
  /** SMTP and Telegram settings (from the configuration); without them those channels wait, unconfigured. */
  settings?: ChannelSettings;
  /** The process's live hub, shared with the HTTP routes so open streams hear new notifications at once. */
  liveFeed?: LiveFeed;
  fanOut?: FanOutOptions;
  deliver?: DeliverOptions;
}

export interface OutboxDispatcher {
  /** Stops the loop after the pass in flight. */
  stop(): Promise<void>;
  /** Runs one pass now (after the one in flight): fan out the outbox, then send what is due. */
  dispatchNow(): Promise<DispatchReport>;
}

/**
 * After a pass that found work the next one follows almost at once, so a backlog still drains
 * at full speed (a pass takes up to 100 messages). Not synchronously, though: in-app delivery
 * never waits on the network, so back-to-back passes would keep the database (SQLite's one
 * connection and its write lock) busy while HTTP requests, intake above all, queue behind them.
 * A few milliseconds let the requests that arrived meanwhile run and commit between passes.
 */
const BUSY_PAUSE_MS = 5;

/**
 * How long a woken idle dispatcher waits for further changes to go out in the same pass: short,
 * as it adds to every lead's time to its owner's screen. Under load changes still share passes:
 * those committed while a pass runs go out together in the next one.
 */
const WAKE_PAUSE_MS = 2;

/** The longest pause after a busy pass (one that took long) before the next slice of a backlog. */
const MAX_BUSY_PAUSE_MS = 250;

const UNCONFIGURED: ChannelSettings = { smtpUrl: undefined, smtpFrom: 'leadrouter <leadrouter@localhost>', telegramBotToken: undefined, telegramApiBaseUrl: 'https://api.telegram.org' };

/**
 * The notification loop: fans outbox messages out to deliveries and sends them. Safe in
 * several processes at once: messages and deliveries are claimed in the database.
 */
export function startOutboxDispatcher(ctx: AppContext, options: OutboxDispatcherOptions): OutboxDispatcher {
  const owned = options.channels ? null : createChannels(ctx, options.settings ?? UNCONFIGURED, options.liveFeed ?? new LiveFeed(ctx));
  const channels: ChannelSet = options.channels ?? (owned as ChannelSet);
  // Which channels were unreachable, across passes: the first send through brings their backlog forward.
  const deliverOptions: DeliverOptions = { reachability: new ChannelReachability(), ...options.deliver };
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  /** A pass is running, or scheduled after a short pause rather than the idle interval. */
  let soon = false;
  /** A change was committed while a pass ran: the next pass follows at once. */
  let woken = false;

  /** How long the last pass took: the pause after a busy pass is as long, so a backlog takes at most half the time. */
  let lastPassMs = 0;
  // Claims of a pass the database failed under, given back when it answers again.
  const releases = new ClaimReleases();
  const pass = async (): Promise<DispatchReport> => {
    if (releases.size > 0) await releases.release(ctx.store.db);
    const started = performance.now();
    // The fresh live messages first, to their deliveries and sent, before a backlog slice is touched.
    const fannedLive = await fanOut(ctx, { ...options.fanOut, releases, slice: 'live' });
    const deliveredLive = await deliverDue(ctx, channels, { ...deliverOptions, releases, slice: 'live' });
    const fannedRest = await fanOut(ctx, { ...options.fanOut, releases, slice: 'backlog' });
    const deliveredRest = await deliverDue(ctx, channels, { ...deliverOptions, releases, slice: 'all' });
    lastPassMs = performance.now() - started;
    const fanned = sum(fannedLive, fannedRest);
    const delivery = sum(deliveredLive, deliveredRest);
    if (delivery.retried + delivery.failed > 0) options.logger?.warn({ ...delivery }, 'some notifications could not be delivered; they are retried with backoff');
    if (delivery.claimLost > 0) options.logger?.warn({ ...delivery }, 'some sends outlived their claim and were taken over by another dispatcher; their results were dropped');
    return { fanOut: fanned, delivery };
  };

  const dispatchNow = (): Promise<DispatchReport> => {
    const run = chain.then(pass);
    chain = run.catch(() => undefined);
    return run;
  };

  /**
   * After a pass that found work: as long as that pass took (at least BUSY_PAUSE_MS, at most
   * MAX_BUSY_PAUSE_MS), so working a backlog leaves the process and the database to requests at
   * least half the time; a wake still cuts the pause short.
   */
  const busyPause = (): number => Math.max(options.busyPauseMs ?? BUSY_PAUSE_MS, Math.min(MAX_BUSY_PAUSE_MS, lastPassMs));
  let timerDue = 0;
  let running = false;

  const schedule = (delayMs: number): void => {
    if (stopped) return;
    soon = delayMs < options.intervalMs;
    timerDue = Date.now() + delayMs;
    timer = setTimeout(() => {
      soon = true;
      running = true;
      woken = false;
      timer = null;
      dispatchNow()
        .finally(() => (running = false))
        .then((report) => schedule(woken ? (options.busyPauseMs ?? BUSY_PAUSE_MS) : hadWork(report) ? busyPause() : options.intervalMs))
        .catch((error: unknown) => {
          options.logger?.error({ err: error }, 'outbox dispatch pass failed; trying again next time');
          schedule(options.intervalMs);
        });
    }, delayMs);
  };
  schedule(options.intervalMs);

  // A change committed in this process wakes an idle dispatcher: the pass follows after a short
  // pause (changes arriving together share it) instead of waiting out the idle interval.
  const wake = (): void => {
    if (stopped) return;
    if (running || (soon && timerDue <= Date.now() + WAKE_PAUSE_MS)) {
      woken = true;
      return;
    }
    if (timer !== null) clearTimeout(timer);
    woken = false;
    schedule(WAKE_PAUSE_MS);
  };
  const stopHearing = options.liveFeed?.onChangeCommitted(wake);

  return {
    dispatchNow,
    async stop() {
      stopped = true;
      stopHearing?.();
      if (timer !== null) clearTimeout(timer);
      await chain;
      owned?.close();
    },
  };
}

function sum<T extends object>(a: T, b: T): T {
  const total = { ...a } as Record<string, number>;
  for (const [key, value] of Object.entries(b)) total[key] = (total[key] ?? 0) + (value as number);
  return total as T;
}

function hadWork(report: DispatchReport): boolean {
  const { fanOut: f, delivery: d } = report;
  return f.messages + f.deferred + d.delivered + d.retried + d.failed + d.postponed + d.claimLost > 0;
}
