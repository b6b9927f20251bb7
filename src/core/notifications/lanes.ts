/**
 * The outbox's two lanes. `live`: a person is waiting for it now (a lead assigned or offered,
 * an SLA warning, a transfer to decide, an admin's test event); while fresh it goes before
 * everything else. `bulk`: digests, reports of change and alerts about sources, and anything a
 * backlog holds; worked oldest first in bounded slices.
 */
export type Lane = 'live' | 'bulk';

export const LANES: readonly Lane[] = ['live', 'bulk'];

const LIVE_TOPICS: ReadonlySet<string> = new Set([
  'lead.assigned',
  'lead.reassigned',
  'lead.claimed',
  'lead.offered',
  'lead.escalated',
  'lead.awaiting_qualification',
  'sla.warning',
  'sla.breached',
  'transfer.requested',
  'transfer.decided',
  'webhook.test',
]);

export function laneOfTopic(topic: string): Lane {
  return LIVE_TOPICS.has(topic) ? 'live' : 'bulk';
}

/**
 * How long a live message counts as fresh: one due within this window goes first; one waiting
 * longer (a dispatcher was down, a channel retried) takes its turn with the backlog, oldest first.
 */
export const FRESH_MS = 10 * 60_000;
