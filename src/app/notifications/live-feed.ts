import { notificationsSince, type NotificationRecord } from '../../store/notification-queries.js';
import type { LiveSignals, Signal } from '../../store/pg-signals.js';
import type { AppContext } from '../app-context.js';

export type LiveListener = (notification: NotificationRecord) => void;

export interface LiveFeedOptions {
  /** How often rows written by other processes are looked for while someone is listening. */
  pollIntervalMs?: number;
  /** How far back each poll looks, so a row committed late (or by a process whose clock lags) is still seen. */
  lookBackMs?: number;
  /**
   * How processes tell each other at once (PostgreSQL LISTEN/NOTIFY): a notification written by
   * another process is looked for as soon as that process says so, not at the next poll.
   */
  signals?: LiveSignals;
}

/**
 * The in-process hub of the in-app live stream: the dispatcher publishes each new in-app
 * notification, every open stream of that person hears it at once. Other processes' rows are
 * found by polling the notifications table while anyone listens; each notification is handed
 * out once per process, whichever way it arrived. One instance per process, shared by the
 * dispatcher and the HTTP routes. With `signals` (PostgreSQL), a process that writes
 * notifications names their people to the others, which poll at once if one of them listens
 * there; the timer stays as the safety net for a signal lost with a connection.
 */
export class LiveFeed {
  private readonly listeners = new Map<string, Set<LiveListener>>();
  /** Notifications already handed out, by id → created_at, kept for the look-back window. */
  private readonly seen = new Map<string, string>();
  private highWater: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private readonly pollIntervalMs: number;
  private readonly lookBackMs: number;
  private readonly changeListeners = new Set<() => void>();
  private readonly signals: LiveSignals | undefined;
  private readonly stopSignals: (() => void) | undefined;
  /** A signal came while a poll ran, which may have read before that row was committed: poll once more. */
  private pollAgain = false;

  constructor(
    private readonly ctx: AppContext,
    options: LiveFeedOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.lookBackMs = options.lookBackMs ?? 10_000;
    this.signals = options.signals;
    this.stopSignals = options.signals?.listen(
      (signal) => this.hear(signal),
      () => this.pollNow(),
    );
  }

  /**
   * Says that a change was just committed in this process and may have written outbox messages;
   * the dispatcher then runs its next pass at once instead of after its idle pause, so a new
   * lead reaches its owner's open board within a fraction of a second.
   */
  changeCommitted(): void {
    for (const listener of this.changeListeners) listener();
    // No dispatcher here (RUN_WORKERS=false): wake one in another process.
    if (this.changeListeners.size === 0) this.signals?.send({ wake: true });
  }

  /** Hears changeCommitted(); the returned function stops. */
  onChangeCommitted(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Starts hearing one person's notifications; the returned function stops. */
  subscribe(userId: string, listener: LiveListener): () => void {
    let set = this.listeners.get(userId);
    if (!set) {
      set = new Set();
      this.listeners.set(userId, set);
    }
    set.add(listener);
    this.startPolling();
    return () => {
      const current = this.listeners.get(userId);
      current?.delete(listener);
      if (current && current.size === 0) this.listeners.delete(userId);
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  /** A new notification written in this process (and committed). */
  publish(notification: NotificationRecord): void {
    this.signals?.send({ users: [notification.userId] });
    if (this.timer === null) return;
    if (this.seen.has(notification.id)) return;
    this.seen.set(notification.id, notification.createdAt);
    this.emit(notification);
  }

  listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /** Looks once for rows other processes wrote; the timer calls it, tests may too. */
  async poll(): Promise<void> {
    if (this.polling) return await this.polling;
    this.polling = this.pollOnce().finally(() => {
      this.polling = null;
      if (this.pollAgain) {
        this.pollAgain = false;
        this.pollNow();
      }
    });
    await this.polling;
  }

  close(): void {
    this.listeners.clear();
    this.stopPolling();
    this.stopSignals?.();
  }

  private hear(signal: Signal): void {
    if (signal.wake) for (const listener of this.changeListeners) listener();
    const users = signal.users;
    if (users === undefined || this.timer === null) return;
    if (users === '*' || users.some((u) => this.listeners.has(u))) this.pollNow();
  }

  /** Polls at once; if a poll is running (it may have read before the signalled commit), once more after it. */
  private pollNow(): void {
    if (this.timer === null) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    void this.poll().catch(() => {});
  }

  private async pollOnce(): Promise<void> {
    const users = [...this.listeners.keys()];
    if (users.length === 0 || this.highWater === null) return;
    const since = new Date(Date.parse(this.highWater) - this.lookBackMs).toISOString();
    for (let i = 0; i < users.length; i += 500) {
      const rows = await notificationsSince(this.ctx.store.db, users.slice(i, i + 500), since, 1000);
      for (const row of rows) {
        if (row.createdAt > this.highWater) this.highWater = row.createdAt;
        if (this.seen.has(row.id)) continue;
        this.seen.set(row.id, row.createdAt);
        this.emit(row);
      }
    }
    // Older than any future poll looks: forget them.
    for (const [id, createdAt] of this.seen) if (createdAt < since) this.seen.delete(id);
  }

  private emit(notification: NotificationRecord): void {
    for (const listener of this.listeners.get(notification.userId) ?? []) {
      try {
        listener(notification);
      } catch {
        // One broken stream must not keep the others from hearing it.
      }
    }
  }

  private startPolling(): void {
    if (this.timer !== null) return;
    this.highWater = this.ctx.now().toISOString();
    this.timer = setInterval(() => void this.poll().catch(() => {}), this.pollIntervalMs);
    this.timer.unref();
  }

  private stopPolling(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.highWater = null;
    this.seen.clear();
  }
}
