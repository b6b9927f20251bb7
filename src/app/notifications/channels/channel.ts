import type { Kysely } from 'kysely';
import type { Locale } from '../../../core/i18n/locale.js';
import { notificationText, readNotificationMessage } from '../../../core/i18n/notification-text.js';
import type { NotificationRecord } from '../../../store/notification-queries.js';
import type { RecipientRecord } from '../../../store/recipient-queries.js';
import type { Database } from '../../../store/schema.js';
import type { WebhookRecord } from '../../../store/webhook-queries.js';

/** What every channel sends: the outbox message, without its internal audience. */
export interface OutgoingMessage {
  /** The outbox message id: the same for every recipient of one event. */
  id: string;
  topic: string;
  payload: { leadId?: string | null; text?: string; [detail: string]: unknown };
  createdAt: string;
}

/** One attempt to hand a message to one recipient over one channel. */
export interface Attempt {
  deliveryId: string;
  message: OutgoingMessage;
}

export interface PersonChannel {
  send(attempt: Attempt, person: RecipientRecord): Promise<void>;
  /**
   * Why the channel is not set up in this process (no SMTP_URL, no bot token), or undefined when
   * it is. Its deliveries are then postponed together, never claimed one by one.
   */
  readonly notConfigured?: string | undefined;
}

/**
 * In-app notifications are rows in this database, so a pass writes all of its in-app deliveries
 * at once, in the transaction that completes them, and tells the live streams after the commit.
 */
export interface InAppChannel {
  /** Writes the inbox rows; returns the ones that were new (a retried delivery's row may be there already). */
  write(db: Kysely<Database>, attempts: Array<{ attempt: Attempt; person: RecipientRecord }>): Promise<NotificationRecord[]>;
  /** Tells this process's open streams about committed rows. */
  announce(notifications: NotificationRecord[]): void;
}

export interface WebhookChannel {
  send(attempt: Attempt, webhook: WebhookRecord): Promise<void>;
}

/** A connected CRM (src/app/connectors): told who owns a lead now; the recipient is the connector's id. */
export interface CrmChannel {
  send(attempt: Attempt, connectorId: string): Promise<void>;
}

export interface ChannelSet {
  in_app: InAppChannel;
  email: PersonChannel;
  telegram: PersonChannel;
  webhook: WebhookChannel;
  /** Without it, CRM deliveries wait as unconfigured. */
  crm?: CrmChannel;
}

/** The channel is not set up in this deployment: the delivery waits, its retries are not used up. */
export class ChannelNotConfigured extends Error {
  override name = 'ChannelNotConfigured';
}

/**
 * Not an attempt: the channel asks to wait until `at` (Telegram's per-chat pace, or its 429
 * retry_after). The delivery is postponed to then without using up a retry.
 */
export class TryLater extends Error {
  override name = 'TryLater';
  constructor(
    message: string,
    readonly at: Date,
  ) {
    super(message);
  }
}

/** How the last error of a delivery that waits for an unreachable channel begins (see Unreachable). */
export const UNREACHABLE_PREFIX = 'Unreachable: ';

/**
 * The channel itself could not be reached (the SMTP server refused the connection or timed out,
 * the Telegram API or a webhook's host did not answer): an ordinary failed attempt, retried with
 * backoff, but marked, so that once the channel answers again every delivery that waited for it
 * goes out at once instead of after its backoff (which grows to an hour over a long outage).
 */
export class Unreachable extends Error {
  override name = 'Unreachable';
  constructor(cause: unknown) {
    super(`${UNREACHABLE_PREFIX}${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Retrying cannot help (the recipient is gone or unlinked the channel): the delivery fails now. */
export class Undeliverable extends Error {
  override name = 'Undeliverable';
}

export function messageText(message: OutgoingMessage): string {
  return typeof message.payload.text === 'string' && message.payload.text.length > 0 ? message.payload.text : message.topic;
}

/** The message in the recipient's language when it carries a wordless `message`; otherwise its text as written. */
export function textFor(message: OutgoingMessage, locale: Locale): string {
  const wordless = readNotificationMessage(message.payload.message);
  return (wordless ? notificationText(wordless, locale) : null) ?? messageText(message);
}

/** The payload an inbox row keeps: its text in the reader's language, which `locale` names (the web app shows it then). */
export function payloadFor(message: OutgoingMessage, locale: Locale): OutgoingMessage['payload'] {
  const wordless = readNotificationMessage(message.payload.message);
  const told = wordless ? notificationText(wordless, locale) : null;
  return told === null ? message.payload : { ...message.payload, text: told, locale };
}
