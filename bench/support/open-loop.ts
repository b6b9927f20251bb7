/**
 * An open-loop lead sender: requests leave on a fixed schedule (`rate` per second) whether or
 * not earlier ones have been answered, so a stalled server shows as latency and a backlog of
 * requests in flight, never as a lower sending rate (a closed loop such as autocannon's waits
 * for each answer and so hides stalls). Keep-alive connections, as many as requests in flight.
 */
import { Agent, request } from 'node:http';
import type { BenchRequest } from './lead-bodies.js';

export interface Answer {
  /** When the request left, ms since the sender started. */
  sentAtMs: number;
  latencyMs: number;
  /** The HTTP status, or 0 when the request failed without one (refused, reset, timed out). */
  status: number;
  /** The answer's body when it was not 2xx (cut to 500 characters), or the error's message. */
  problem?: string;
  /** The created lead's id on a 2xx. */
  leadId?: string;
  /** Its owner's id on a 2xx, null when it went to the pool. */
  owner?: string | null;
}

export interface OpenLoop {
  /** Stops sending and waits (bounded) for the answers still in flight. */
  stop(): Promise<void>;
  /** Requests sent so far. */
  sent(): number;
  inFlight(): number;
}

export function startOpenLoop(options: { url: string; apiKey: string; rate: number; requests: BenchRequest[]; onAnswer(answer: Answer): void; timeoutMs?: number }): OpenLoop {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const intervalMs = 1000 / options.rate;
  const started = performance.now();
  let sent = 0;
  let inFlight = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const idle: Array<() => void> = [];

  const sendOne = (r: BenchRequest): void => {
    const body = Buffer.from(r.body);
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': body.length, 'x-api-key': options.apiKey };
    if (r.idempotencyKey) headers['idempotency-key'] = r.idempotencyKey;
    const at = performance.now();
    inFlight++;
    let done = false;
    const finish = (status: number, problem?: string, created?: { leadId?: string; owner: string | null }): void => {
      if (done) return;
      done = true;
      inFlight--;
      options.onAnswer({ sentAtMs: at - started, latencyMs: performance.now() - at, status, ...(problem !== undefined ? { problem } : {}), ...(created?.leadId !== undefined ? { leadId: created.leadId } : {}), ...(created ? { owner: created.owner } : {}) });
      if (inFlight === 0) for (const resolve of idle.splice(0)) resolve();
    };
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers, timeout: options.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        if (status >= 200 && status < 300) {
          const created: { leadId?: string; owner: string | null } = { owner: null };
          try {
            const parsed = JSON.parse(text) as { lead?: { id?: unknown }; owner?: { id?: unknown } | null };
            if (typeof parsed.lead?.id === 'string') created.leadId = parsed.lead.id;
            if (typeof parsed.owner?.id === 'string') created.owner = parsed.owner.id;
          } catch {
            // not JSON: no id
          }
          finish(status, undefined, created);
        } else finish(status, text.slice(0, 500));
      });
      res.on('error', (error) => finish(0, error.message));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => finish(0, error.message));
    req.end(body);
  };

  const tick = (): void => {
    if (stopped) return;
    const now = performance.now();
    // Everything whose time has come leaves now, so a late timer does not lower the rate.
    while (started + sent * intervalMs <= now) {
      sendOne(options.requests[sent % options.requests.length] as BenchRequest);
      sent++;
    }
    timer = setTimeout(tick, Math.max(0, started + sent * intervalMs - performance.now()));
  };
  tick();

  return {
    sent: () => sent,
    inFlight: () => inFlight,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (inFlight > 0) await Promise.race([new Promise<void>((resolve) => idle.push(resolve)), new Promise((resolve) => setTimeout(resolve, (options.timeoutMs ?? 30_000) + 5_000))]);
      agent.destroy();
    },
  };
}

/** The value at quantile `q` (0..1) of unsorted numbers, rounded to 0.1 ms; 0 for none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
  return Math.round(v * 10) / 10;
}
