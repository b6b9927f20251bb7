/**
 * Every message the outbox carries. Producers write them in the transaction of the change;
 * the dispatcher (src/workers/outbox-dispatcher.ts) fans them out to people and webhooks.
 */
export const TOPICS = [
  'lead.assigned',
  'lead.pooled',
  'lead.reassigned',
  'lead.claimed',
  'lead.status_changed',
  'lead.converted',
  'lead.awaiting_qualification',
  'sla.warning',
  'sla.breached',
  'lead.escalated',
  'transfer.requested',
  'transfer.decided',
  'source.silent',
  'source.junk_spike',
  'source.recovered',
  'leads.imported',
  'lead.offered',
] as const;
export type Topic = (typeof TOPICS)[number];

/**
 * Who should hear about a message, by routing profile: the dispatcher maps manager ids to
 * their users, and `headsOf` to the heads of those managers' teams. Webhooks get every topic
 * they subscribed to regardless.
 */
export interface Audience {
  managers?: string[];
  headsOf?: string[];
  /** Users named directly (a head who decided a transfer, an admin). */
  users?: string[];
  /** Everyone with a routing profile, who may take a pool lead (a pool offer, lead.offered). */
  pool?: boolean;
  /** Webhooks named by id: only these get the message, whatever they subscribed to (a test event). */
  webhooks?: string[];
}

/** The topic of a test event an admin sends to one webhook; no one subscribes to it. */
export const WEBHOOK_TEST_TOPIC = 'webhook.test';

export interface OutboxPayload {
  leadId: string | null;
  /** A one-line human text for e-mail subjects, Telegram and the in-app feed. */
  text: string;
  audience: Audience;
  [detail: string]: unknown;
}
