import type { Kysely, Selectable } from 'kysely';
import { readJson } from './json.js';
import type { LeadMatch, LeadRecord } from './lead-queries.js';
import type { Database, LeadsTable } from './schema.js';

/** What replaying a stored lead through a rule set needs of it: the routing facts, the owner it matched, what names it. */
export type ReplayLead = Pick<
  LeadRecord,
  | 'id' | 'name' | 'phone' | 'email' | 'companyName' | 'taxId' | 'source' | 'channel' | 'campaign' | 'utm' | 'region' | 'country'
  | 'industry' | 'companySize' | 'productInterest' | 'dealValue' | 'language' | 'score' | 'priority' | 'custom' | 'match' | 'createdAt'
>;

/**
 * The newest `limit` leads created in [from, to), newest first, each passed through `map`: one
 * index range scan over (created_at, id) reading only the columns a replay needs. (Keyset pages
 * of the lead list, each with an OR on the cursor, re-read the range from `to` every page:
 * quadratic in the period.) Each row is let go once mapped, so the rows and what they become
 * are not all held twice at the peak.
 */
export async function listLeadsForReplay<T>(db: Kysely<Database>, range: { from: string; to: string }, limit: number, map: (lead: ReplayLead) => T): Promise<T[]> {
  const rows = await db
    .selectFrom('leads')
    .select([
      'id', 'name', 'phone', 'email', 'company_name', 'tax_id', 'source', 'channel', 'campaign', 'utm', 'region', 'country', 'industry',
      'company_size', 'product_interest', 'deal_value', 'language', 'score', 'priority', 'custom', 'match', 'created_at',
    ])
    .where('created_at', '>=', range.from)
    .where('created_at', '<', range.to)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const out = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    out[i] = map(replayLeadOf(rows[i] as (typeof rows)[number]));
    (rows as unknown[])[i] = undefined;
  }
  return out;
}

type ReplayRow = Pick<
  Selectable<LeadsTable>,
  | 'id' | 'name' | 'phone' | 'email' | 'company_name' | 'tax_id' | 'source' | 'channel' | 'campaign' | 'utm' | 'region' | 'country' | 'industry'
  | 'company_size' | 'product_interest' | 'deal_value' | 'language' | 'score' | 'priority' | 'custom' | 'match' | 'created_at'
>;

function replayLeadOf(r: ReplayRow): ReplayLead {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    email: r.email,
    companyName: r.company_name,
    taxId: r.tax_id,
    source: r.source,
    channel: r.channel,
    campaign: r.campaign,
    utm: readJson<Record<string, string> | null>(r.utm, null),
    region: r.region,
    country: r.country,
    industry: r.industry,
    companySize: r.company_size,
    productInterest: readJson<string[]>(r.product_interest, []),
    dealValue: r.deal_value,
    language: r.language,
    score: r.score,
    priority: r.priority,
    custom: readJson<Record<string, unknown>>(r.custom, {}),
    match: readJson<LeadMatch | null>(r.match, null),
    createdAt: r.created_at,
  };
}
