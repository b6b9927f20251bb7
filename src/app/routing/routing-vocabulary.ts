import { listManagerRows } from '../../store/manager-queries.js';
import { recentLeadValues, type VocabularyColumn } from '../../store/lead-vocabulary-queries.js';
import type { AppContext } from '../app-context.js';

export interface RoutingVocabulary {
  /** Values seen in leads of the last `days` days, most frequent first. */
  leads: Record<VocabularyColumn, Array<{ value: string; leads: number }>>;
  /** What managers' profiles hold, for skill / region / language / industry conditions and targets. */
  profiles: { skills: string[]; regions: string[]; languages: string[]; industries: string[] };
  days: number;
}

const PER_COLUMN = 100;

/** What a rule editor offers in its value pickers: the data the rules will actually meet. */
export async function routingVocabulary(ctx: AppContext, days: number): Promise<RoutingVocabulary> {
  const since = new Date(ctx.now().getTime() - days * 86_400_000).toISOString();
  const leads = await recentLeadValues(ctx.store.db, since, PER_COLUMN);
  const managers = await listManagerRows(ctx.store.db);
  const collect = (pick: (m: (typeof managers)[number]) => string): string[] => {
    const seen = new Set<string>();
    for (const m of managers) for (const value of JSON.parse(pick(m)) as string[]) seen.add(value);
    return [...seen].sort((a, b) => a.localeCompare(b));
  };
  return {
    leads,
    profiles: { skills: collect((m) => m.skills), regions: collect((m) => m.regions), languages: collect((m) => m.languages), industries: collect((m) => m.industries) },
    days,
  };
}
