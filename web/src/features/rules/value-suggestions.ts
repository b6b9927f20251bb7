import type { RoutingVocabulary } from './rules-api';

type LeadColumn = keyof RoutingVocabulary['leads'];
type ProfileList = keyof RoutingVocabulary['profiles'];

const FROM_LEADS: Partial<Record<string, LeadColumn>> = {
  source: 'source', channel: 'channel', campaign: 'campaign', region: 'region', country: 'country', industry: 'industry', language: 'language', priority: 'priority',
};
const FROM_PROFILES: Partial<Record<string, ProfileList>> = { region: 'regions', industry: 'industries', language: 'languages' };

/** Values to offer for a field: those recent leads held (most frequent first), then those managers' profiles name. */
export function suggestionsFor(field: string, vocabulary: RoutingVocabulary | undefined): string[] {
  if (!vocabulary) return [];
  const seen = new Set<string>();
  const column = FROM_LEADS[field];
  if (column) for (const { value } of vocabulary.leads[column]) seen.add(value);
  const profile = FROM_PROFILES[field];
  if (profile) for (const value of vocabulary.profiles[profile]) seen.add(value);
  return [...seen];
}
