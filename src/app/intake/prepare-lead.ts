import { createHash } from 'node:crypto';
import type { LeadFacts } from '../../core/lead-facts.js';
import { matchKeys } from '../../core/matching/match-keys.js';
import type { CountryCode } from '../../core/normalize/index.js';
import type { LeadProblem, LeadRecord } from '../../store/lead-queries.js';
import type { LeadInput } from './lead-input.js';

/** A lead normalised and ready for matching and routing; ids and decisions come later. */
export interface PreparedLead {
  record: Omit<LeadRecord, 'work' | 'id' | 'status' | 'ownerId' | 'originatorId' | 'contactId' | 'companyId' | 'duplicateOf' | 'match' | 'apiKeyId' | 'idempotencyKey' | 'idempotencyIndex' | 'requestHash' | 'assignedAt' | 'createdAt' | 'updatedAt'>;
  keys: { phones: string[]; emails: string[]; domain: string | null; taxId: string | null; companyNameKey: string | null };
  facts: LeadFacts;
  /** Present when the request carries an idempotency key; hashing costs time nobody needs otherwise. */
  requestHash: string | null;
  /**
   * The manager who registered the lead (checked before intake: see lead-registration.ts), and
   * whether their team keeps such leads with them or sends them through the rules.
   */
  registration?: Registration | null;
  /**
   * A form's spam check caught it (honeypot, too fast, captcha refused): it is stored as junk with
   * the reason `spam`, countable in the reports, and never routed, pooled or announced.
   */
  spam?: SpamMark | null;
}

export interface SpamMark {
  check: string;
  detail: string;
}

export interface Registration {
  originatorId: string;
  keep: boolean;
}

/**
 * Stable hash of what the caller sent, to tell a retry from a different request under the same
 * key. Validation rebuilds objects in schema order, so only the free-form custom fields need
 * their keys sorted for two equal bodies to hash alike.
 */
export function hashLeadInput(input: LeadInput): string {
  const custom = input.custom ? Object.fromEntries(Object.entries(input.custom).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : undefined;
  return createHash('sha256').update(JSON.stringify({ ...input, custom })).digest('base64url');
}

const lower = (s: string | undefined): string | null => (s ? s.toLowerCase() : null);
const orNull = <T>(v: T | undefined): T | null => (v === undefined || v === '' ? null : v);

export function prepareLead(input: LeadInput, defaultCountry: CountryCode, options: { hash?: boolean } = {}): PreparedLead {
  const rawPhones = [input.phone, ...(input.phones ?? [])].filter((p): p is string => Boolean(p));
  const rawEmails = [input.email, ...(input.emails ?? [])].filter((e): e is string => Boolean(e));
  const keys = matchKeys(
    { phones: rawPhones, emails: rawEmails, website: input.website, companyName: input.companyName, taxId: input.taxId },
    defaultCountry,
  );
  const problems: LeadProblem[] = keys.problems.map((p) => ({ field: p.field, reason: p.reason }));
  const productInterest = input.productInterest === undefined ? [] : Array.isArray(input.productInterest) ? input.productInterest : [input.productInterest];
  const phone = keys.phones[0] ?? null;
  // The raw number shown beside the normalised one is the one it came from.
  const badPhones = new Set(keys.problems.flatMap((p) => (p.field === 'phones' ? [p.index] : [])));
  const phoneRaw = rawPhones.find((raw, i) => !badPhones.has(i) && raw.trim() !== '') ?? rawPhones[0] ?? null;
  const email = keys.emails[0] ?? null;
  const utm = input.utm && Object.values(input.utm).some(Boolean) ? (input.utm as Record<string, string>) : null;
  const country = input.country?.toUpperCase();
  const record: PreparedLead['record'] = {
    name: orNull(input.name),
    phone,
    phoneRaw,
    email: email ?? orNull(rawEmails[0]),
    companyName: orNull(input.companyName),
    companyNameKey: keys.companyNameKey,
    taxId: keys.taxId ?? orNull(input.taxId),
    domain: keys.domain,
    website: orNull(input.website),
    source: lower(input.source),
    channel: lower(input.channel),
    campaign: orNull(input.campaign),
    utm,
    region: orNull(input.region),
    country: orNull(country),
    industry: orNull(input.industry),
    companySize: input.companySize ?? null,
    productInterest,
    dealValue: input.dealValue ?? null,
    language: lower(input.language),
    score: input.score ?? null,
    priority: input.priority ?? null,
    comment: orNull(input.comment),
    custom: input.custom ?? {},
    problems,
  };
  return {
    record,
    keys: { phones: keys.phones, emails: keys.emails, domain: keys.domain, taxId: keys.taxId, companyNameKey: keys.companyNameKey },
    facts: factsOfRecord(record),
    requestHash: options.hash ? hashLeadInput(input) : null,
  };
}

/** What routing conditions see of a lead: used at intake and when simulating over stored leads. */
export function factsOfRecord(
  record: Pick<
    PreparedLead['record'],
    'source' | 'channel' | 'campaign' | 'utm' | 'region' | 'country' | 'industry' | 'companySize' | 'productInterest' | 'dealValue' | 'language' | 'score' | 'priority' | 'email' | 'phone' | 'companyName' | 'name' | 'taxId' | 'custom'
  >,
): LeadFacts {
  return {
    source: record.source ?? undefined,
    channel: record.channel ?? undefined,
    campaign: record.campaign ?? undefined,
    utmSource: record.utm?.source,
    utmMedium: record.utm?.medium,
    utmCampaign: record.utm?.campaign,
    region: record.region ?? undefined,
    country: record.country ?? undefined,
    industry: record.industry ?? undefined,
    companySize: record.companySize ?? undefined,
    productInterest: record.productInterest,
    dealValue: record.dealValue ?? undefined,
    language: record.language ?? undefined,
    score: record.score ?? undefined,
    priority: record.priority ?? undefined,
    email: record.email ?? undefined,
    emailDomain: record.email?.includes('@') ? record.email.slice(record.email.indexOf('@') + 1) : undefined,
    phone: record.phone ?? undefined,
    companyName: record.companyName ?? undefined,
    name: record.name ?? undefined,
    taxId: record.taxId ?? undefined,
    custom: record.custom,
  };
}
