import type { Locale } from './locale.js';
import { messagesFor } from './messages.js';

/**
 * What a notification says, without words: producers put it in the outbox payload as `message`
 * (next to the English `text` webhooks read), and each channel tells it in the recipient's
 * language at delivery.
 */
export type NotificationMessage =
  | { key: 'newLead'; lead: string; source: string | null }
  | { key: 'newLeadPool'; lead: string }
  | { key: 'newLeadQualification'; lead: string }
  | { key: 'leadOffered'; lead: string }
  | { key: 'leadYours'; lead: string; via: string }
  | { key: 'leadToPool'; lead: string; via: string }
  | { key: 'slaWarning'; lead: string; clock: string; minutes: number }
  | { key: 'slaBreached'; lead: string; clock: string }
  | { key: 'converted'; lead: string }
  | { key: 'junk'; lead: string; reason: string | null }
  | { key: 'transferRequested'; lead: string; reason: string }
  | { key: 'transferRejected'; comment: string };

/** The notification in the reader's language; null for a message this version does not know (the caller shows `text`). */
export function notificationText(message: NotificationMessage, locale: Locale): string | null {
  const n = messagesFor(locale).notification;
  switch (message.key) {
    case 'newLead':
      return n.newLead(message.lead, message.source);
    case 'newLeadPool':
      return n.newLeadPool(message.lead);
    case 'newLeadQualification':
      return n.newLeadQualification(message.lead);
    case 'leadOffered':
      return n.leadOffered(message.lead);
    case 'leadYours':
      return n.leadYours(message.lead, n.via[message.via] ?? message.via);
    case 'leadToPool':
      return n.leadToPool(message.lead, n.via[message.via] ?? message.via);
    case 'slaWarning':
      return n.slaWarning(message.lead, n.clock[message.clock] ?? message.clock, message.minutes);
    case 'slaBreached':
      return n.slaBreached(message.lead, n.clock[message.clock] ?? message.clock);
    case 'converted':
      return n.converted(message.lead);
    case 'junk':
      return n.junk(message.lead, message.reason);
    case 'transferRequested':
      return n.transferRequested(message.lead, message.reason);
    case 'transferRejected':
      return n.transferRejected(message.comment);
    default:
      return null;
  }
}

/** Reads `message` from a stored payload: null when it is missing or not one this version knows. */
export function readNotificationMessage(value: unknown): NotificationMessage | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const key = (value as { key?: unknown }).key;
  return typeof key === 'string' && key in messagesFor('ru').notification ? (value as NotificationMessage) : null;
}
