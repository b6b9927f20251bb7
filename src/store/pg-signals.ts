import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** What one process tells the others: whose notifications were just written, or that a change wants a dispatcher. */
export interface Signal {
  /** Users with new in-app notifications; '*' when there were too many to name. */
  users?: string[] | '*';
  /** A change was committed by a process without a dispatcher of its own: some dispatcher should run a pass. */
  wake?: boolean;
}

/** How processes tell each other of changes at once; polling stays the safety net. */
export interface LiveSignals {
  /** Tells the other processes; coalesced with whatever else is sent in the same turn. Never throws. */
  send(signal: Signal): void;
  /**
   * Hears the other processes' signals; `resync` runs after the listening connection was
   * re-established, when signals may have been missed. The returned function stops.
   */
  listen(handler: (signal: Signal) => void, resync?: () => void): () => void;
  close(): Promise<void>;
}

export interface SignalsLogger {
  warn(details: object, message: string): void;
  info?(details: object, message: string): void;
}

const CHANNEL = 'leadrouter_live';
/** NOTIFY payloads must stay under 8,000 bytes. */
const MAX_PAYLOAD = 7_000;
const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 5_000;

/**
 * PostgreSQL LISTEN/NOTIFY on one dedicated connection per process (a pooled connection cannot
 * keep a LISTEN): the same connection sends this process's NOTIFYs, so intake and the pool never
 * wait on them. A lost connection is re-established with a growing pause (0.25 s to 5 s); the
 * listeners are then told to resync, as signals sent meanwhile were lost. Signals are hints
 * only: whoever hears one reads the database, and polling finds anything a lost signal missed.
 */
export class PostgresSignals implements LiveSignals {
  /** This process: its own signals come back to it and are ignored. */
  private readonly origin = randomUUID();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private everConnected = false;
  private readonly handlers = new Set<{ handler: (signal: Signal) => void; resync: (() => void) | undefined }>();
  private pendingUsers = new Set<string>();
  private pendingAll = false;
  private pendingWake = false;
  private flushing: NodeJS.Immediate | null = null;

  constructor(
    private readonly url: string,
    private readonly logger?: SignalsLogger,
  ) {
    this.connect();
  }

  /** Resolves once listening (for tests and benchmarks); a connection that fails keeps retrying. */
  async ready(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.client === null) {
      if (this.closed) throw new Error('the signals are closed');
      if (Date.now() > deadline) throw new Error(`not listening after ${timeoutMs} ms`);
      await (this.connecting ?? new Promise((r) => setTimeout(r, 25)));
    }
  }

  send(signal: Signal): void {
    if (this.closed) return;
    if (signal.users === '*') this.pendingAll = true;
    else for (const user of signal.users ?? []) this.pendingUsers.add(user);
    if (signal.wake) this.pendingWake = true;
    this.flushing ??= setImmediate(() => this.flush());
  }

  listen(handler: (signal: Signal) => void, resync?: () => void): () => void {
    const entry = { handler, resync };
    this.handlers.add(entry);
    return () => this.handlers.delete(entry);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.flushing !== null) clearImmediate(this.flushing);
    this.handlers.clear();
    await this.connecting?.catch(() => {});
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private flush(): void {
    this.flushing = null;
    const client = this.client;
    const users = this.pendingAll ? '*' : [...this.pendingUsers];
    const wake = this.pendingWake;
    this.pendingUsers = new Set();
    this.pendingAll = false;
    this.pendingWake = false;
    if (client === null) return; // Not listening now: the others' polling finds it.
    let payload = JSON.stringify({ o: this.origin, ...(users === '*' || users.length > 0 ? { u: users } : {}), ...(wake ? { w: 1 } : {}) });
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) payload = JSON.stringify({ o: this.origin, u: '*', ...(wake ? { w: 1 } : {}) });
    client.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch((error: unknown) => {
      this.logger?.warn({ err: error }, 'could not tell the other processes of a change (they find it by polling)');
    });
  }

  private connect(): void {
    if (this.closed || this.connecting) return;
    const client = new pg.Client({ connectionString: this.url });
    this.connecting = (async () => {
      let lost = false;
      const onLost = (error?: unknown): void => {
        if (lost) return;
        lost = true;
        if (this.client === client) this.client = null;
        client.end().catch(() => {});
        if (this.closed) return;
        this.logger?.warn({ err: error }, 'lost the PostgreSQL connection that hears other processes; reconnecting (polling covers the gap)');
        this.retryLater();
      };
      client.on('error', onLost);
      client.on('end', () => onLost());
      client.on('notification', (message) => {
        if (message.channel === CHANNEL && message.payload) this.hear(message.payload);
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${CHANNEL}`);
      } catch (error) {
        onLost(error);
        return;
      }
      if (this.closed) {
        await client.end().catch(() => {});
        return;
      }
      this.client = client;
      this.retryMs = FIRST_RETRY_MS;
      const reconnected = this.everConnected;
      this.everConnected = true;
      if (reconnected) {
        this.logger?.info?.({}, 'hearing other processes again');
        for (const { resync } of this.handlers) resync?.();
      }
    })().finally(() => {
      this.connecting = null;
    });
  }

  private retryLater(): void {
    if (this.closed || this.retryTimer !== null) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(LAST_RETRY_MS, this.retryMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private hear(payload: string): void {
    let parsed: { o?: unknown; u?: unknown; w?: unknown };
    try {
      parsed = JSON.parse(payload) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.o === this.origin) return;
    const signal: Signal = {
      ...(parsed.u === '*' ? { users: '*' as const } : Array.isArray(parsed.u) ? { users: parsed.u.filter((u): u is string => typeof u === 'string') } : {}),
      ...(parsed.w ? { wake: true } : {}),
    };
    for (const { handler } of this.handlers) {
      try {
        handler(signal);
      } catch {
        // One listener's failure must not keep the others from hearing it.
      }
    }
  }
}
