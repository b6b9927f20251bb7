import type { Kysely } from 'kysely';
import { reachableChannels, type NotificationPrefs } from '../../core/notifications/channel-preferences.js';
import { FRESH_MS, type Lane } from '../../core/notifications/lanes.js';
import { retryDelayMs } from '../../core/notifications/retry-schedule.js';
import { insertDeliveries, type NewDelivery } from '../../store/delivery-queries.js';
import { claimOutboxMessages, deferOutboxMessage, markOutboxFannedOut, type ClaimedOutboxMessage } from '../../store/outbox-queries.js';
import { loadAudiences, type AudienceIds } from '../../store/recipient-queries.js';
import type { Database } from '../../store/schema.js';
import { activeWebhooks, subscribedTo } from '../../store/webhook-queries.js';
import type { AppContext } from '../app-context.js';
import type { OutgoingMessage } from './channels/channel.js';
import { crmDeliveryTargets } from '../connectors/crm-targets.js';
import type { ClaimReleases } from './claim-releases.js';

export interface FanOutOptions {
  /** Messages claimed per slice: up to this many fresh live ones, then as many again from the backlog. */
  limit?: number;
  /**
   * Which slices this call works: `live`, the fresh messages of the live lane only (a few
   * entries of an index, however large the backlog); `backlog`, the oldest due messages of any
   * lane; `both` (the default), the live slice first.
   */
  slice?: 'live' | 'backlog' | 'both';
  /** How long a live message counts as fresh (FRESH_MS). */
  freshMs?: number;
  /** How long a claim keeps other dispatchers off a message. */
  claimMs?: number;
  /** In [0, 1): spreads the retries of messages that failed together. */
  random?: () => number;
  /** Where a slice that fails after claiming leaves its claims, for the next pass to give back. */
  releases?: ClaimReleases;
}

export interface FanOutReport {
  /** Outbox messages turned into deliveries. */
  messages: number;
  /** Deliveries those messages made (before dropping ones another dispatcher had already made). */
  deliveries: number;
  /** Messages that could not be fanned out this time and wait for another pass. */
  deferred: number;
}

interface ReadableMessage {
  outgoing: OutgoingMessage;
  audience: AudienceIds;
  /** Webhooks named by id (an admin's test event): only these get it, subscribed or not. */
  webhooks: string[] | null;
  attempts: number;
  /** Its deliveries' lane: live for a fresh message of the live lane. */
  lane: Lane;
}

/**
 * Turns outbox messages into deliveries: one per person the message's audience names and per
 * channel that person chose for the topic, plus one per webhook subscribed to it. The messages
 * are claimed first, so dispatchers in several processes share the work. A pass costs the same
 * few statements however many messages it takes: their people and the webhooks are read once,
 * and all their deliveries and "fanned out" marks commit together. Should that transaction
 * fail, each message is tried alone, so only one the database refuses waits for a retry.
 * The fresh messages of the live lane (a lead assigned now, an SLA warning, a pool offer) are
 * taken in a slice of their own before the backlog, and their deliveries are live too, so they
 * are sent first; the backlog is worked oldest first, one bounded slice per call.
 */
export async function fanOut(ctx: AppContext, options: FanOutOptions = {}): Promise<FanOutReport> {
  const report: FanOutReport = { messages: 0, deliveries: 0, deferred: 0 };
  const slice = options.slice ?? 'both';
  if (slice !== 'backlog') await fanOutSlice(ctx, options, report, 'live');
  if (slice !== 'live') await fanOutSlice(ctx, options, report, 'backlog');
  return report;
}

async function fanOutSlice(ctx: AppContext, options: FanOutOptions, report: FanOutReport, slice: 'live' | 'backlog'): Promise<void> {
  const now = ctx.now();
  const freshSince = new Date(now.getTime() - (options.freshMs ?? FRESH_MS)).toISOString();
  const until = new Date(now.getTime() + (options.claimMs ?? 60_000)).toISOString();
  const claimed = await claimOutboxMessages(ctx.store.db, ctx.store.kind, {
    now: now.toISOString(),
    until,
    limit: options.limit ?? 100,
    ...(slice === 'live' ? { liveSince: freshSince } : {}),
  });
  try {
    await fanOutClaimed(ctx, options, report, claimed, freshSince);
  } catch (error) {
    // The database went away mid-slice (even deferring failed): the claims are given back next pass.
    options.releases?.owe(
      'outbox',
      claimed.map((m) => m.id),
      until,
    );
    throw error;
  }
}

async function fanOutClaimed(ctx: AppContext, options: FanOutOptions, report: FanOutReport, claimed: ClaimedOutboxMessage[], freshSince: string): Promise<void> {
  const readable: ReadableMessage[] = [];
  for (const message of claimed) {
    try {
      readable.push(read(message, message.lane === 'live' && message.createdAt >= freshSince ? 'live' : 'bulk'));
    } catch (error) {
      await defer(ctx, { id: message.id, attempts: message.attempts }, error, options, report);
    }
  }
  if (readable.length === 0) return;
  try {
    report.deliveries += await fanOutTogether(ctx, readable);
    report.messages += readable.length;
  } catch {
    for (const message of readable) {
      try {
        report.deliveries += await fanOutTogether(ctx, [message]);
        report.messages += 1;
      } catch (error) {
        await defer(ctx, { id: message.outgoing.id, attempts: message.attempts }, error, options, report);
      }
    }
  }
}

async function fanOutTogether(ctx: AppContext, messages: ReadableMessage[]): Promise<number> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const deliveries = await deliveriesFor(ctx, trx, messages);
    const at = ctx.now().toISOString();
    await insertDeliveries(trx, deliveries, at);
    await markOutboxFannedOut(
      trx,
      messages.map((m) => m.outgoing.id),
      at,
    );
    return deliveries.length;
  });
}

async function deliveriesFor(ctx: AppContext, db: Kysely<Database>, messages: ReadableMessage[]): Promise<NewDelivery[]> {
  const peopleOf = await loadAudiences(
    db,
    messages.map((m) => m.audience),
  );
  const webhooks = await activeWebhooks(db);
  const deliveries: NewDelivery[] = [];
  for (const { outgoing, audience, webhooks: named, lane } of messages) {
    const add = (channel: string, recipient: string): void => {
      deliveries.push({ id: ctx.newId(), outboxId: outgoing.id, topic: outgoing.topic, channel, recipient, payload: outgoing, lane });
    };
    for (const person of peopleOf(audience)) {
      for (const channel of reachableChannels(outgoing.topic, person.prefs as NotificationPrefs | null, person)) add(channel, person.id);
    }
    for (const webhook of webhooks) if (named ? named.includes(webhook.id) : subscribedTo(webhook, outgoing.topic)) add('webhook', webhook.id);
  }
  // Owner changes also go to the connected CRMs that know the lead (or create leads there).
  const crm = await crmDeliveryTargets(db, messages.filter((m) => m.webhooks === null).map((m) => m.outgoing));
  for (const { outgoing, connectorId } of crm) deliveries.push({ id: ctx.newId(), outboxId: outgoing.id, topic: outgoing.topic, channel: 'crm', recipient: connectorId, payload: outgoing });
  return deliveries;
}

/** Throws when the payload is not JSON: such a message waits alone, without failing the pass's transaction. */
function read(message: ClaimedOutboxMessage, lane: Lane): ReadableMessage {
  const parsed: unknown = JSON.parse(message.payloadJson);
  const payload = isRecord(parsed) ? parsed : {};
  const { audience, ...rest } = payload;
  return { outgoing: { id: message.id, topic: message.topic, payload: rest, createdAt: message.createdAt }, audience: audienceOf(audience), webhooks: namedWebhooks(audience), attempts: message.attempts, lane };
}

async function defer(ctx: AppContext, message: { id: string; attempts: number }, error: unknown, options: FanOutOptions, report: FanOutReport): Promise<void> {
  report.deferred += 1;
  const retryAt = new Date(ctx.now().getTime() + retryDelayMs(message.attempts + 1, (options.random ?? Math.random)())).toISOString();
  await deferOutboxMessage(ctx.store.db, message.id, `Fan-out failed: ${errorText(error)}`, retryAt);
}

function audienceOf(value: unknown): AudienceIds {
  const a = isRecord(value) ? value : {};
  const ids = (v: unknown): string[] => (Array.isArray(v) ? [...new Set(v.filter((x): x is string => typeof x === 'string' && x.length > 0))] : []);
  return { managers: ids(a.managers), headsOf: ids(a.headsOf), users: ids(a.users), ...(a.pool === true ? { pool: true } : {}) };
}

function namedWebhooks(value: unknown): string[] | null {
  const named = isRecord(value) ? value.webhooks : undefined;
  return Array.isArray(named) ? named.filter((x): x is string => typeof x === 'string') : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
