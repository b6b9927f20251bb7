import { processMetrics } from '../telemetry/metrics.js';
import type { CountryCode } from '../../core/normalize/index.js';
import type { AppContext } from '../app-context.js';
import { RoutingSnapshotLoader } from '../routing/routing-snapshot.js';
import { intakeLeads, type IntakeOutcome } from './intake-leads.js';
import { IntakeQueue } from './intake-queue.js';
import type { IntakeThread } from './intake-thread.js';
import type { LeadInput } from './lead-input.js';
import { prepareLead, type Registration, type SpamMark } from './prepare-lead.js';

/**
 * The intake use case: normalise the leads of one request, then hand them to the group-commit
 * queue that matches, routes and stores them, in this thread or, when given one, on the intake
 * thread. Resolves after the commit.
 */
export class LeadIntake {
  private readonly queue: IntakeQueue;
  readonly snapshots = new RoutingSnapshotLoader();

  constructor(
    private readonly ctx: AppContext,
    private readonly thread: IntakeThread | null = null,
  ) {
    this.queue = new IntakeQueue((requests) => intakeLeads(ctx, this.snapshots, requests), ctx.config.intakeMaxBatch);
  }

  /** `registrations`: per lead, the manager who registered it (see lead-registration.ts); absent for none. */
  async accept(input: {
    leads: LeadInput[];
    apiKeyId: string | null;
    idempotencyKey: string | null;
    actor: string;
    registrations?: ReadonlyArray<Registration | null> | null;
    /** Per lead, what a form's spam check found: such a lead is stored as junk, never routed. */
    spam?: ReadonlyArray<SpamMark | null> | null;
    /** A bulk import: no message per lead; SLA clocks only when asked (see IntakeRequest.bulk). */
    bulk?: { slaClocks: boolean };
  }): Promise<IntakeOutcome[]> {
    const country = this.ctx.config.defaultCountry as CountryCode;
    const hash = input.idempotencyKey !== null && input.apiKeyId !== null;
    const leads = input.leads.map((l, i) => {
      const prepared = prepareLead(l, country, { hash });
      const registration = input.registrations?.[i];
      if (registration) prepared.registration = registration;
      const spam = input.spam?.[i];
      if (spam) prepared.spam = spam;
      return prepared;
    });
    const request = { leads, apiKeyId: input.apiKeyId, idempotencyKey: input.idempotencyKey, actor: input.actor, ...(input.bulk ? { bulk: input.bulk } : {}) };
    const started = performance.now();
    const result = await (this.thread ? this.thread.submit(request, this.ctx.now()) : this.queue.submit(request));
    if (!result.ok) throw result.error;
    processMetrics.recordIntake(result.items, (performance.now() - started) / 1000);
    return result.items;
  }

  async idle(): Promise<void> {
    await this.queue.idle();
    await this.thread?.idle();
  }

  /** Waits for the accepted leads to be answered, then ends the intake thread if there is one. */
  async close(): Promise<void> {
    await this.queue.idle();
    await this.thread?.close();
  }
}
