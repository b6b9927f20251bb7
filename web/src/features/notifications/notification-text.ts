import type { TFunction } from 'i18next';

export const KNOWN_TOPICS = [
  'lead.assigned', 'lead.pooled', 'lead.reassigned', 'lead.claimed', 'lead.awaiting_qualification', 'lead.status_changed', 'lead.converted',
  'lead.escalated', 'sla.warning', 'sla.breached', 'transfer.requested', 'transfer.decided',
] as const;
type KnownTopic = (typeof KNOWN_TOPICS)[number];

const KEY: Record<KnownTopic, string> = {
  'lead.assigned': 'leadAssigned', 'lead.pooled': 'leadPooled', 'lead.reassigned': 'leadReassigned', 'lead.claimed': 'leadClaimed',
  'lead.awaiting_qualification': 'leadAwaitingQualification', 'lead.status_changed': 'leadStatusChanged', 'lead.converted': 'leadConverted',
  'lead.escalated': 'leadEscalated', 'sla.warning': 'slaWarning', 'sla.breached': 'slaBreached', 'transfer.requested': 'transferRequested',
  'transfer.decided': 'transferDecided',
};

/** A notification's headline in the reader's language; the server's sentence follows it as details. */
export function notificationTitle(t: TFunction, topic: string): string {
  const key = (KNOWN_TOPICS as readonly string[]).includes(topic) ? KEY[topic as KnownTopic] : null;
  return key ? t(`notifications.topics.${key}` as never) : t('notifications.topics.other');
}
