import { Worker } from 'node:worker_threads';
import { settingsGeneration } from '../settings-generation.js';
import type { IntakeRequest, IntakeResult } from './intake-leads.js';
import { fromWireError, fromWireResult, type FromThread, type IntakeThreadData, type ToThread } from './intake-thread-messages.js';

interface Waiting {
  resolve: (results: IntakeResult[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs the intake transactions (matching, routing, writing) on a thread of their own with its
 * own database connection, while the main thread goes on parsing, validating and normalising
 * the next requests and answering the last ones. The two halves of an intake cost about the
 * same, so on a machine with two or more cores this nearly doubles what one process accepts.
 *
 * A thread that dies fails the batches it held (their callers get an error; nothing of a
 * batch is committed unless all of it is) and is started again for the next batch.
 */
export class IntakeThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private closed = false;

  constructor(private readonly data: IntakeThreadData) {}

  /** Decides and stores the requests of one batch at `at`; resolves after the commit. */
  run(requests: IntakeRequest[], at: Date): Promise<IntakeResult[]> {
    if (this.closed) return Promise.reject(new Error('the intake thread is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const message: ToThread = { type: 'batch', id, at: at.getTime(), settingsGeneration: settingsGeneration(), requests };
      worker.postMessage(message);
    });
  }

  /** Closes the thread's connection and ends it; call after the last batch was answered. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToThread);
    const timeout = setTimeout(() => void worker.terminate(), 10_000);
    await exited;
    clearTimeout(timeout);
  }

  private start(): Worker {
    const entry = new URL('./intake-thread-entry.ts', import.meta.url).href;
    // Started from a line of JavaScript, so that the TypeScript loader the process runs under
    // (tsx) is registered in the thread before the entry is imported: threads do not inherit it.
    const code = entry.endsWith('.ts') ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });` : `import(${JSON.stringify(entry)});`;
    const worker = new Worker(code, { eval: true, workerData: this.data, name: 'leadrouter-intake' });
    // The thread never keeps the process alive on its own: the server's socket does.
    worker.unref();
    worker.on('message', (message: FromThread) => this.receive(message));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error(`the intake thread stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: FromThread): void {
    if (message.type === 'closed') return;
    const waiting = this.waiting.get(message.id);
    if (!waiting) return;
    this.waiting.delete(message.id);
    if (message.type === 'failed') waiting.reject(fromWireError(message.error));
    else waiting.resolve(message.results.map(fromWireResult));
  }

  private failAll(error: unknown): void {
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
