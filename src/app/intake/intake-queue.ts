import { processMetrics } from '../telemetry/metrics.js';
import type { IntakeRequest, IntakeResult } from './intake-leads.js';

interface Pending {
  request: IntakeRequest;
  resolve: (result: IntakeResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for intake: requests that arrive while a transaction is running wait and are
 * then decided together in the next one, so the cost of a transaction is shared by every lead
 * that arrived meanwhile. Each caller is answered only after the transaction holding its
 * leads has committed, and after `durable` says the commit is on disk: meanwhile the next
 * transaction already runs. Routing is serialised anyway (one lock), so one transaction in
 * flight per connection loses nothing.
 */
export class IntakeQueue {
  private pending: Pending[] = [];
  private running = false;
  private syncing = 0;

  constructor(
    private readonly run: (requests: IntakeRequest[]) => Promise<IntakeResult[]>,
    private readonly maxLeadsPerTransaction: number,
    private readonly durable: () => Promise<void> = async () => {},
  ) {}

  submit(request: IntakeRequest): Promise<IntakeResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Let the requests already parsed in this turn of the event loop join the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Resolves once every submitted request has been answered. */
  async idle(): Promise<void> {
    while (this.running || this.syncing > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.takeBatch();
        await this.process(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private takeBatch(): Pending[] {
    let leads = 0;
    let count = 0;
    for (const p of this.pending) {
      if (count > 0 && leads + p.request.leads.length > this.maxLeadsPerTransaction) break;
      leads += p.request.leads.length;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private async process(batch: Pending[]): Promise<void> {
    let results: IntakeResult[];
    try {
      results = await this.run(batch.map((p) => p.request));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One request's failure must not fail the others that happened to share its transaction.
      for (const p of batch) await this.process([p]);
      return;
    }
    // Committed: from here on the batch is never run again, whatever the sync does.
    processMetrics.intakeBatchLeads.observe(batch.reduce((n, p) => n + p.request.leads.length, 0));
    this.syncing++;
    void Promise.resolve()
      .then(() => this.durable())
      .then(
        () => batch.forEach((p, i) => p.resolve(results[i] as IntakeResult)),
        // Committed but perhaps not on disk: not "stored" for the callers.
        (error: unknown) => batch.forEach((p) => p.reject(error)),
      )
      .finally(() => this.syncing--);
  }
}
