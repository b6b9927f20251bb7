/** The channels a person can choose per event type; webhooks are subscribed by an admin instead. */
export const USER_CHANNELS = ['in_app', 'email', 'telegram'] as const;
export type UserChannel = (typeof USER_CHANNELS)[number];

/** Every delivery channel, including the webhooks an admin subscribes. */
export type DeliveryChannel = UserChannel | 'webhook';

/**
 * E-mail by default only for what a person must act on; everything else would train them to
 * ignore the mailbox. The in-app feed gets every topic.
 */
const EMAIL_BY_DEFAULT: ReadonlySet<string> = new Set(['lead.assigned', 'sla.breached', 'lead.escalated', 'transfer.requested', 'transfer.decided', 'source.silent', 'source.junk_spike', 'source.recovered', 'leads.imported']);

/** What a user stored: topic → the channels they chose; topics not named keep the defaults. */
export type NotificationPrefs = Readonly<Record<string, readonly UserChannel[]>>;

/**
 * A pool lead offered to everyone who may take it: only in Telegram by default, where «Взять»
 * takes it in one tap (the pool page shows it anyway; a feed entry per pool lead is noise).
 */
const TELEGRAM_ONLY_BY_DEFAULT: ReadonlySet<string> = new Set(['lead.offered']);

export function defaultChannels(topic: string): UserChannel[] {
  if (TELEGRAM_ONLY_BY_DEFAULT.has(topic)) return ['telegram'];
  return EMAIL_BY_DEFAULT.has(topic) ? ['in_app', 'email'] : ['in_app'];
}

/** The channels a person is told on for a topic, as they chose or by default, in a fixed order. */
export function chosenChannels(topic: string, prefs: NotificationPrefs | null): UserChannel[] {
  const stored = prefs?.[topic];
  const chosen: readonly string[] = Array.isArray(stored) ? stored : defaultChannels(topic);
  return USER_CHANNELS.filter((c) => chosen.includes(c));
}

/** The channels that can actually reach the person: Telegram needs a linked chat, e-mail an address. */
export function reachableChannels(topic: string, prefs: NotificationPrefs | null, contact: { email: string | null; telegramChatId: string | null }): UserChannel[] {
  return chosenChannels(topic, prefs).filter((c) => (c === 'email' ? Boolean(contact.email) : c === 'telegram' ? Boolean(contact.telegramChatId) : true));
}

/** Every topic with its effective channels, for showing a person their settings. */
export function effectivePrefs(topics: readonly string[], prefs: NotificationPrefs | null): Record<string, UserChannel[]> {
  return Object.fromEntries(topics.map((t) => [t, chosenChannels(t, prefs)]));
}
