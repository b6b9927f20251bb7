import type { TFunction } from 'i18next';

/** The sources the «Новый лид» form offers, as stored on the lead. */
export const REGISTERED_SOURCES = ['own', 'referral', 'event', 'cold_call'] as const;
export type RegisteredSource = (typeof REGISTERED_SOURCES)[number];

/** A source in the reader's words when it is one the form offers; any other (a channel's code) as stored. */
export function sourceLabel(t: TFunction, source: string): string {
  return (REGISTERED_SOURCES as readonly string[]).includes(source) ? t(`originator.newLead.sources.${source as RegisteredSource}`) : source;
}
