import type { TFunction } from 'i18next';

export const KNOWN_TOPICS = [
  'lead.assigned', 'lead.pooled', 'lead.reassigned', 'lead.claimed', 'lead.awaiting_qualification', 'lead.status_changed', 'lead.converted',
  'lead.escalated', 'sla.warning', 'sla.breached', 'transfer.requested', 'transfer.decided',
  'source.silent', 'source.junk_spike', 'source.recovered', 'leads.imported', 'lead.offered',
] as const;
type KnownTopic = (typeof KNOWN_TOPICS)[number];

const KEY: Record<KnownTopic, string> = {
  'lead.assigned': 'leadAssigned', 'lead.pooled': 'leadPooled', 'lead.reassigned': 'leadReassigned', 'lead.claimed': 'leadClaimed',
  'lead.awaiting_qualification': 'leadAwaitingQualification', 'lead.status_changed': 'leadStatusChanged', 'lead.converted': 'leadConverted',
  'lead.escalated': 'leadEscalated', 'sla.warning': 'slaWarning', 'sla.breached': 'slaBreached', 'transfer.requested': 'transferRequested',
  'transfer.decided': 'transferDecided', 'source.silent': 'sourceSilent', 'source.junk_spike': 'sourceJunkSpike', 'source.recovered': 'sourceRecovered',
  'leads.imported': 'leadsImported', 'lead.offered': 'leadOffered',
};

/** A notification's headline in the reader's language; the server's sentence follows it as details. */
export function notificationTitle(t: TFunction, topic: string): string {
  const key = (KNOWN_TOPICS as readonly string[]).includes(topic) ? KEY[topic as KnownTopic] : null;
  return key ? t(`notifications.topics.${key}` as never) : t('notifications.topics.other');
}

/**
 * The server's sentence, when the reader can read it: most are written in English, while
 * messages written for the reader (source health, import digests) say their `locale` in the details.
 */
export function notificationSentence(n: { text: string; details?: Record<string, unknown> }, language: string): string | null {
  const written = typeof n.details?.locale === 'string' ? n.details.locale : 'en';
  return written === language ? n.text : null;
}
