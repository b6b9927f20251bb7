import { FRESH_MS } from '../../core/notifications/lanes.js';
import { afterFailure } from '../../core/notifications/retry-schedule.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  claimDueDeliveries, markDeliveriesDelivered, postponeDeliveries, postponeDueOnChannel, recordDeliveryFailure, type ChannelFilter, type DeliveryRecord,
} from '../../store/delivery-queries.js';
import { findRecipients, type RecipientRecord } from '../../store/recipient-queries.js';
import { listWebhooks, type WebhookRecord } from '../../store/webhook-queries.js';
import type { AppContext } from '../app-context.js';
import type { ClaimReleases } from './claim-releases.js';
import { resumeChannelsBack, type ChannelReachability } from './channel-reachability.js';
import { ChannelNotConfigured, TryLater, Undeliverable, Unreachable, type Attempt, type ChannelSet, type OutgoingMessage } from './channels/channel.js';

export interface DeliverOptions {
  /** Most deliveries handled per pass: the in-app ones in one batch, and as many again over the outside channels. */
  limit?: number;
  /** Outside deliveries (e-mail, Telegram, webhooks) sent at once; they spend most of their time waiting. */
  concurrency?: number;
  /** How long a claim keeps other dispatchers off a delivery: longer than the slowest channel's timeout. */
  claimMs?: number;
  /** How long a delivery waits when its channel is not configured here. */
  postponeMs?: number;
  /** In [0, 1): the jitter of the retry schedule. */
  random?: () => number;
  /**
   * Which channels this process found unreachable, kept across passes by the dispatcher: the
   * first send that goes through again brings the deliveries waiting for that channel forward.
   */
  reachability?: ChannelReachability;
  /**
   * `live`: only the fresh live deliveries (those of a fresh live-lane message); `all` (the
   * default): the fresh live ones first, then the rest oldest first, `limit` in all.
   */
  slice?: 'live' | 'all';
  /** How long a live delivery counts as fresh (FRESH_MS). */
  freshMs?: number;
  /** Where an in-app batch that fails after claiming leaves its claims, for the next pass to give back. */
  releases?: ClaimReleases;
}

export interface DeliverReport {
  delivered: number;
  /** Failed attempts with another one scheduled. */
  retried: number;
  /** Given up: the last retry failed, or retrying cannot help. Admins see them and may retry by hand. */
  failed: number;
  /** Waiting for the channel to be configured. */
  postponed: number;
  /**
   * Sends that finished after their claim ran out and another dispatcher (or an admin's retry)
   * took the delivery over: their result was dropped so it cannot overwrite the newer one.
   */
  claimLost: number;
}

type Outcome = keyof DeliverReport;

const IN_APP: ChannelFilter = { only: ['in_app'] };
const PERSON_CHANNELS = ['email', 'telegram'] as const;

/** What one pass has read about recipients, so each person and the webhooks are read once per pass. */
interface Pass {
  ctx: AppContext;
  channels: ChannelSet;
  options: DeliverOptions;
  report: DeliverReport;
  people: Map<string, RecipientRecord | null>;
  webhooks: Map<string, WebhookRecord> | null;
}

/**
 * Sends the deliveries that are due. Each is claimed in the database just before it is sent,
 * never earlier, so a claim does not run out while its delivery waits its turn behind a slow
 * channel; and its result is recorded only if the row still carries that claim, so a send that
 * outlived it (and was taken over by another dispatcher) cannot overwrite the other's result.
 * In-app deliveries are rows in this database: all due ones are written in one transaction.
 * Outside channels are sent `concurrency` at a time, a free slot claiming the next one. A
 * channel that is down only delays: the delivery is retried with exponential backoff and
 * marked failed, never dropped, after the last attempt.
 */
export async function deliverDue(ctx: AppContext, channels: ChannelSet, options: DeliverOptions = {}): Promise<DeliverReport> {
  const pass: Pass = { ctx, channels, options, report: { delivered: 0, retried: 0, failed: 0, postponed: 0, claimLost: 0 }, people: new Map(), webhooks: null };
  // The live slice leaves the channels that are not set up to the full pass (bounded postponing).
  const unconfigured = options.slice === 'live' ? PERSON_CHANNELS.filter((c) => channels[c].notConfigured !== undefined) : await postponeUnconfigured(pass);
  await deliverInApp(pass);
  await deliverOutside(pass, { except: ['in_app', ...unconfigured] });
  return pass.report;
}

async function deliverInApp(pass: Pass): Promise<void> {
  const { claim, claimed } = await claimDue(pass, IN_APP, pass.options.limit ?? 100);
  if (claimed.length === 0) return;
  try {
    await deliverClaimedInApp(pass, claim, claimed);
  } catch (error) {
    // The database went away mid-batch (even recording the failures failed). In-app deliveries
    // commit with their "delivered" mark, so giving the claims back next pass sends none twice.
    pass.options.releases?.owe(
      'deliveries',
      claimed.map((d) => d.id),
      claim,
    );
    throw error;
  }
}

async function deliverClaimedInApp(pass: Pass, claim: string, claimed: DeliveryRecord[]): Promise<void> {
  const { ctx, report } = pass;
  await readRecipients(pass, claimed);
  const sendable: Array<{ delivery: DeliveryRecord; person: RecipientRecord }> = [];
  for (const delivery of claimed) {
    const person = pass.people.get(delivery.recipient) ?? null;
    if (person?.active) sendable.push({ delivery, person });
    else report[await settle(pass, delivery, claim, new Undeliverable(person ? 'The user is deactivated' : 'The user no longer exists'))] += 1;
  }
  if (sendable.length === 0) return;
  try {
    const { written, completed } = await ctx.store.db.transaction().execute(async (trx) => {
      const written = await pass.channels.in_app.write(
        trx,
        sendable.map(({ delivery, person }) => ({ attempt: attemptOf(delivery), person })),
      );
      const ids = sendable.map((s) => s.delivery.id);
      return { written, completed: await markDeliveriesDelivered(trx, ids, claim, ctx.now().toISOString()) };
    });
    pass.channels.in_app.announce(written);
    report.delivered += completed;
    report.claimLost += sendable.length - completed;
  } catch (error) {
    for (const { delivery } of sendable) report[await settle(pass, delivery, claim, error)] += 1;
  }
}

/**
 * A channel not set up in this process (no SMTP_URL, no bot token) makes its deliveries wait
 * without using up retries: all that are due are postponed in one statement, and the claims
 * below leave them alone. Returns those channels.
 */
async function postponeUnconfigured(pass: Pass): Promise<string[]> {
  const { ctx } = pass;
  const now = ctx.now();
  const until = new Date(now.getTime() + (pass.options.postponeMs ?? 5 * 60_000)).toISOString();
  const unconfigured: string[] = [];
  for (const channel of PERSON_CHANNELS) {
    const reason = pass.channels[channel].notConfigured;
    if (reason === undefined) continue;
    unconfigured.push(channel);
    pass.report.postponed += await postponeDueOnChannel(ctx.store.db, channel, reason, now.toISOString(), until);
  }
  return unconfigured;
}

async function deliverOutside(pass: Pass, outside: ChannelFilter): Promise<void> {
  const limit = pass.options.limit ?? 100;
  const concurrency = Math.max(1, pass.options.concurrency ?? 8);
  const inFlight = new Set<Promise<void>>();
  const finished: Finished[] = [];
  let handled = 0;
  // Sends that went out must be recorded even if the pass fails half-way (a lost connection):
  // an unrecorded send keeps its claim, which runs out, and the delivery goes out again.
  let failure: unknown = null;
  try {
    while (handled < limit) {
      await record(pass, finished.splice(0));
      const room = Math.min(concurrency - inFlight.size, limit - handled);
      const { claim, claimed } = await claimDue(pass, outside, room);
      handled += claimed.length;
      await readRecipients(pass, claimed);
      for (const delivery of claimed) {
        const sending: Promise<void> = send(pass, delivery)
          .then(
            () => ({ kind: 'sent' }) as const,
            (error: unknown) => ({ kind: 'error', error }) as const,
          )
          .then((result) => {
            finished.push({ delivery, claim, result });
          })
          .finally(() => inFlight.delete(sending));
        inFlight.add(sending);
      }
      if (claimed.length < room) break;
      await Promise.race(inFlight);
      // Sends that finish together are recorded, and their slots refilled, with one statement each.
      await nextTurn();
    }
  } catch (error) {
    failure = error;
  }
  await Promise.all(inFlight);
  try {
    await record(pass, finished.splice(0));
  } catch (error) {
    failure ??= error;
  }
  if (failure !== null) throw failure;
}

interface Finished {
  delivery: DeliveryRecord;
  claim: string;
  result: { kind: 'sent' } | { kind: 'error'; error: unknown };
}

/**
 * Writes the results of finished sends: the delivered ones, and those waiting for their channel
 * to be configured, with one statement per claim; failed attempts one by one, as each has its
 * own retry time. Every write is tried even when one fails, so one bad statement does not leave
 * the others' sends unrecorded (and sent again); the first error is thrown at the end.
 */
async function record(pass: Pass, finished: Finished[]): Promise<void> {
  if (finished.length === 0) return;
  const { ctx, report } = pass;
  const at = ctx.now();
  const groups = new Map<string, { claim: string; reason: string | null; until: string | null; ids: string[] }>();
  const failed: Finished[] = [];
  for (const item of finished) {
    const { delivery, claim, result } = item;
    if (result.kind === 'error' && !(result.error instanceof ChannelNotConfigured) && !(result.error instanceof TryLater)) {
      failed.push(item);
      continue;
    }
    const reason = result.kind === 'error' ? errorText(result.error) : null;
    // The channel asked to wait (a pace, a 429): until then, without using up a retry.
    const until = result.kind === 'error' && result.error instanceof TryLater ? result.error.at.toISOString() : null;
    const key = `${claim}\n${reason ?? ''}\n${until ?? ''}`;
    const group = groups.get(key) ?? { claim, reason, until, ids: [] };
    group.ids.push(delivery.id);
    groups.set(key, group);
  }
  const errors: unknown[] = [];
  const tryWrite = async (write: () => Promise<void>): Promise<void> => {
    try {
      await write();
    } catch (error) {
      errors.push(error);
    }
  };
  for (const { claim, reason, until, ids } of groups.values()) {
    await tryWrite(async () => {
      const done =
        reason === null
          ? await markDeliveriesDelivered(ctx.store.db, ids, claim, at.toISOString())
          : await postponeDeliveries(ctx.store.db, ids, claim, reason, until ?? new Date(at.getTime() + (pass.options.postponeMs ?? 5 * 60_000)).toISOString());
      report[reason === null ? 'delivered' : 'postponed'] += done;
      report.claimLost += ids.length - done;
    });
  }
  for (const { delivery, claim, result } of failed) {
    await tryWrite(async () => {
      report[await settle(pass, delivery, claim, (result as { error: unknown }).error)] += 1;
    });
  }
  // A send that went through may show a channel back from an outage: its backlog is due now.
  const sent = finished.filter((f) => f.result.kind === 'sent').map((f) => f.delivery);
  if (sent.length > 0) await tryWrite(async () => void (await resumeChannelsBack(ctx.store.db, sent, pass.options.reachability, at.toISOString())));
  if (errors.length > 0) throw errors[0];
}

async function claimDue(pass: Pass, channels: ChannelFilter, limit: number): Promise<{ claim: string; claimed: DeliveryRecord[] }> {
  const { ctx } = pass;
  const now = ctx.now();
  const claim = new Date(now.getTime() + (pass.options.claimMs ?? 120_000)).toISOString();
  if (limit <= 0) return { claim, claimed: [] };
  const liveSince = new Date(now.getTime() - (pass.options.freshMs ?? FRESH_MS)).toISOString();
  // Fresh live deliveries first, from their lane's index, however many others wait.
  const fresh = await claimDueDeliveries(ctx.store.db, ctx.store.kind, { now: now.toISOString(), until: claim, limit, channels, liveSince });
  if (pass.options.slice === 'live' || fresh.length >= limit) return { claim, claimed: fresh };
  const rest = await claimDueDeliveries(ctx.store.db, ctx.store.kind, { now: now.toISOString(), until: claim, limit: limit - fresh.length, channels });
  return { claim, claimed: [...fresh, ...rest] };
}

async function readRecipients(pass: Pass, deliveries: DeliveryRecord[]): Promise<void> {
  const db = pass.ctx.store.db;
  const unread = [...new Set(deliveries.filter((d) => d.channel !== 'webhook' && d.channel !== 'crm' && !pass.people.has(d.recipient)).map((d) => d.recipient))];
  if (unread.length > 0) {
    const found = await findRecipients(db, unread);
    for (const id of unread) pass.people.set(id, found.get(id) ?? null);
  }
  if (pass.webhooks === null && deliveries.some((d) => d.channel === 'webhook')) {
    pass.webhooks = new Map((await listWebhooks(db)).map((w) => [w.id, w]));
  }
}

async function send(pass: Pass, delivery: DeliveryRecord): Promise<void> {
  const attempt = attemptOf(delivery);
  if (delivery.channel === 'webhook') {
    const webhook = pass.webhooks?.get(delivery.recipient);
    if (!webhook || !webhook.active) throw new Undeliverable('The webhook was deleted or disabled');
    await pass.channels.webhook.send(attempt, webhook);
    return;
  }
  if (delivery.channel === 'crm') {
    if (!pass.channels.crm) throw new ChannelNotConfigured('CRM connectors are not set up in this process');
    await pass.channels.crm.send(attempt, delivery.recipient);
    return;
  }
  if (delivery.channel !== 'email' && delivery.channel !== 'telegram') throw new Undeliverable(`Unknown channel ${delivery.channel}`);
  const person = pass.people.get(delivery.recipient);
  if (!person) throw new Undeliverable('The user no longer exists');
  if (!person.active) throw new Undeliverable('The user is deactivated');
  await pass.channels[delivery.channel].send(attempt, person);
}

/** Records a failed attempt under the claim; 'claimLost' when the delivery is no longer ours. */
async function settle(pass: Pass, delivery: DeliveryRecord, claim: string, error: unknown): Promise<Outcome> {
  const db = pass.ctx.store.db;
  const text = errorText(error);
  if (error instanceof Undeliverable) {
    return (await recordDeliveryFailure(db, delivery.id, claim, { error: text, retryAt: null })) ? 'failed' : 'claimLost';
  }
  if (error instanceof Unreachable) pass.options.reachability?.markDown(delivery);
  const decision = afterFailure(delivery.attempts + 1, pass.ctx.now(), (pass.options.random ?? Math.random)());
  const recorded = await recordDeliveryFailure(db, delivery.id, claim, { error: text, retryAt: decision.kind === 'retry' ? decision.at : null });
  if (!recorded) return 'claimLost';
  return decision.kind === 'retry' ? 'retried' : 'failed';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function attemptOf(delivery: DeliveryRecord): Attempt {
  return { deliveryId: delivery.id, message: delivery.payload as OutgoingMessage };
}
