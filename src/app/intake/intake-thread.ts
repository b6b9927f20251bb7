import { Worker } from 'node:worker_threads';
import { settingsGeneration } from '../settings-generation.js';
import type { IntakeRequest, IntakeResult } from './intake-leads.js';
import { fromWireError, fromWireResult, type FromThread, type IntakeThreadData, type RequestsMessage, type ToThread } from './intake-thread-messages.js';

interface Waiting {
  resolve: (result: IntakeResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs intake transactions (matching, routing, writing) on a thread of their own with its own
 * database connection and group-commit queue, while the request thread goes on parsing,
 * validating and normalising the next requests and answering the last ones.
 *
 * A thread that dies fails the requests it held (their callers get an error; nothing of a
 * transaction is kept unless all of it is) and is started again for the next request.
 */
export class IntakeThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private outgoing: RequestsMessage['requests'] = [];
  private outgoingAt = 0;
  private flushScheduled = false;
  private closed = false;

  constructor(private readonly data: IntakeThreadData) {}

  /** Decides and stores one request's leads; resolves once they are committed and durable. */
  submit(request: IntakeRequest, at: Date): Promise<IntakeResult> {
    if (this.closed) return Promise.reject(new Error('the intake thread is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.outgoing.push({ id, request });
      this.outgoingAt = Math.max(this.outgoingAt, at.getTime());
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      // Requests parsed in the same turn of the event loop travel in one message.
      setImmediate(() => this.flush());
    });
  }

  /** Resolves once every submitted request has been answered. */
  async idle(): Promise<void> {
    while (this.waiting.size > 0) await new Promise((r) => setTimeout(r, 5));
  }

  /** Ends the thread after it answered everything it was sent; call once no more requests come. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.flushScheduled) this.flush();
    await this.idle();
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToThread);
    const timeout = setTimeout(() => void worker.terminate(), 30_000);
    await exited;
    clearTimeout(timeout);
  }

  private flush(): void {
    if (!this.flushScheduled) return;
    this.flushScheduled = false;
    const message: RequestsMessage = { type: 'requests', at: this.outgoingAt, settingsGeneration: settingsGeneration(), requests: this.outgoing };
    this.outgoing = [];
    (this.worker ?? this.start()).postMessage(message);
  }

  private start(): Worker {
    // The entry has this module's own extension: .ts from the sources (tests), .js from dist/.
    const entry = new URL(`./intake-thread-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
    // Started from a line of JavaScript, so that the TypeScript loader the process runs under
    // (tsx) is registered in the thread before the entry is imported: threads do not inherit it.
    // The loader is named by its resolved URL: the thread's code resolves bare names from the working directory.
    const code = entry.endsWith('.ts')
      ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`
      : `import(${JSON.stringify(entry)});`;
    const worker = new Worker(code, { eval: true, workerData: this.data, name: 'leadrouter-intake' });
    // The thread never keeps the process alive on its own: the server's socket does.
    worker.unref();
    worker.on('message', (message: FromThread) => this.receive(message));
    worker.on('error', (error) => this.failAll(error));
    worker.on('messageerror', (error) => this.failAll(error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error(`the intake thread stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: FromThread): void {
    if (message.type === 'closed') return;
    for (const answer of message.answers) {
      const waiting = this.waiting.get(answer.id);
      if (!waiting) continue;
      this.waiting.delete(answer.id);
      if ('error' in answer) waiting.reject(fromWireError(answer.error));
      else waiting.resolve(fromWireResult(answer.result));
    }
  }

  private failAll(error: unknown): void {
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
