import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SweepReport } from '../sla/sweep-sla.js';
import type { IntakeOutcome } from '../intake/intake-leads.js';

/**
 * What a process tells Prometheus (GET /metrics). Counters and histograms count what this
 * process did, so Prometheus sums them over processes; the gauges of shared state (outbox,
 * deliveries, the pool) are read from the database at each scrape by `operationalFigures`.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly leadsAccepted = new Counter({
    name: 'leadrouter_leads_accepted_total',
    help: 'Leads stored by intake (replays of an idempotent request not counted), by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  readonly routingDecisions = new Counter({
    name: 'leadrouter_routing_decisions_total',
    help: 'Routing decisions at intake, by outcome (assigned, pool, spam: kept as junk, not routed) and the rule that decided (none: fallback or no rule)',
    labelNames: ['outcome', 'rule'] as const,
    registers: [this.registry],
  });

  readonly intakeSeconds = new Histogram({
    name: 'leadrouter_intake_duration_seconds',
    help: 'From a lead request handed to intake to its answer (routing, commit and sync included)',
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly intakeBatchLeads = new Histogram({
    name: 'leadrouter_intake_batch_leads',
    help: 'Leads per group-commit intake transaction in this process (the intake thread on PostgreSQL counts in its own thread and is not included)',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [this.registry],
  });

  readonly slaEvents = new Counter({
    name: 'leadrouter_sla_events_total',
    help: 'SLA sweeps by this process: warnings, breaches, reassignments and escalations',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly outboxBacklog = new Gauge({ name: 'leadrouter_outbox_backlog', help: 'Outbox messages not yet fanned out to deliveries', registers: [this.registry] });
  readonly outboxOldestSeconds = new Gauge({ name: 'leadrouter_outbox_oldest_age_seconds', help: 'Age of the oldest outbox message not yet fanned out (0 when none)', registers: [this.registry] });
  readonly outboxLaneBacklog = new Gauge({
    name: 'leadrouter_outbox_lane_backlog',
    help: 'Outbox messages not yet fanned out, by lane (live: person-facing, sent first while fresh; bulk: the rest, worked in bounded slices)',
    labelNames: ['lane'] as const,
    registers: [this.registry],
  });
  readonly outboxLaneOldestSeconds = new Gauge({
    name: 'leadrouter_outbox_lane_oldest_age_seconds',
    help: 'Age of the oldest outbox message not yet fanned out, by lane (0 when none)',
    labelNames: ['lane'] as const,
    registers: [this.registry],
  });
  readonly deliveriesLanePending = new Gauge({ name: 'leadrouter_deliveries_lane_pending', help: 'Notifications waiting to be sent, by lane', labelNames: ['lane'] as const, registers: [this.registry] });
  readonly deliveryLaneLagSeconds = new Gauge({
    name: 'leadrouter_delivery_lane_lag_seconds',
    help: 'Age of the oldest notification still waiting to be sent, by lane (0 when none)',
    labelNames: ['lane'] as const,
    registers: [this.registry],
  });
  readonly deliveriesPending = new Gauge({ name: 'leadrouter_deliveries_pending', help: 'Notifications waiting to be sent, by channel', labelNames: ['channel'] as const, registers: [this.registry] });
  readonly deliveryLagSeconds = new Gauge({
    name: 'leadrouter_delivery_lag_seconds',
    help: 'Age of the oldest notification still waiting to be sent, by channel (0 when none): how far behind delivery is',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly poolLeads = new Gauge({ name: 'leadrouter_pool_leads', help: 'Leads waiting in the shared pool', registers: [this.registry] });
  readonly databaseConnections = new Gauge({
    name: 'leadrouter_db_pool_connections',
    help: 'PostgreSQL connections of this process by state (total, idle, waiting requests); absent on SQLite',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  constructor() {
    // Process figures: CPU, memory, heap, GC, and the event-loop lag (nodejs_eventloop_lag_*).
    collectDefaultMetrics({ register: this.registry });
  }

  recordIntake(outcomes: readonly IntakeOutcome[], seconds: number): void {
    this.intakeSeconds.observe(seconds);
    for (const o of outcomes) {
      if (o.status !== 'created') continue;
      this.leadsAccepted.inc({ channel: o.lead.channel ?? 'none' });
      this.routingDecisions.inc({ outcome: o.assignment.via === 'spam' ? 'spam' : o.assignment.outcome, rule: o.assignment.ruleId ?? 'none' });
    }
  }

  recordSweep(report: Omit<SweepReport, 'errors' | 'more'>): void {
    for (const kind of ['warned', 'breached', 'reassigned', 'escalated'] as const) if (report[kind] > 0) this.slaEvents.inc({ kind }, report[kind]);
  }
}

/** The one registry of this process (a Prometheus target is a process). */
export const processMetrics = new Metrics();
