import { sql, type Expression, type ExpressionBuilder, type Insertable, type Kysely, type Selectable, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { leadSearchDigits, leadSearchText, type LeadSearchTerms } from '../core/normalize/search-text.js';
import { chunkForInsert } from './chunk.js';
import { readJson, writeJson } from './json.js';
import type { Database, LeadKeysTable, LeadsTable } from './schema.js';

export const OPEN_LEAD_EXCLUDED_STATUSES = ['converted', 'junk'] as const;

export interface LeadMatch {
  contactId?: string;
  companyId?: string;
  parentCompanyId?: string;
  ownerId?: string;
  ownerVia?: 'contact' | 'company' | 'parent_company' | 'open_lead';
  duplicateOf?: string;
  duplicateBy?: string[];
}

export interface LeadProblem {
  field: string;
  reason: string;
}

export interface LeadRecord {
  id: string;
  status: string;
  ownerId: string | null;
  /** The manager who registered the lead, whoever owns it now; null for leads from channels. */
  originatorId: string | null;
  name: string | null;
  phone: string | null;
  phoneRaw: string | null;
  email: string | null;
  companyName: string | null;
  companyNameKey: string | null;
  taxId: string | null;
  domain: string | null;
  website: string | null;
  source: string | null;
  channel: string | null;
  campaign: string | null;
  utm: Record<string, string> | null;
  region: string | null;
  country: string | null;
  industry: string | null;
  companySize: number | null;
  productInterest: string[];
  dealValue: number | null;
  language: string | null;
  score: number | null;
  priority: string | null;
  comment: string | null;
  custom: Record<string, unknown>;
  contactId: string | null;
  companyId: string | null;
  duplicateOf: string | null;
  match: LeadMatch | null;
  problems: LeadProblem[];
  apiKeyId: string | null;
  idempotencyKey: string | null;
  /** Position of the lead in the request that carried the idempotency key. */
  idempotencyIndex: number | null;
  /** Hash of the whole request that carried the key, to tell a retry from a different request. */
  requestHash: string | null;
  assignedAt: string | null;
  createdAt: string;
  updatedAt: string;
  work: LeadWork;
}

/** The lead's working life after intake: contact, SLA clock, closing. */
export interface LeadWork {
  firstContactAt: string | null;
  lastActivityAt: string | null;
  junkReason: string | null;
  closedAt: string | null;
  qualifiedAt: string | null;
  qualifiedBy: string | null;
  slaPolicyId: string | null;
  /** Which clock slaDueAt belongs to. */
  slaKind: 'first_contact' | 'next_step' | null;
  slaDueAt: string | null;
  slaWarnedAt: string | null;
  slaBreaches: number;
  reassignments: number;
  escalatedAt: string | null;
  /** Bumped by every change of owner or status; a conditional update on it detects a race. */
  version: number;
}

export const NEW_LEAD_WORK: Readonly<LeadWork> = Object.freeze({
  firstContactAt: null, lastActivityAt: null, junkReason: null, closedAt: null, qualifiedAt: null, qualifiedBy: null, slaPolicyId: null,
  slaKind: null, slaDueAt: null, slaWarnedAt: null, slaBreaches: 0, reassignments: 0, escalatedAt: null, version: 0,
});

export function leadRow(l: LeadRecord): Insertable<LeadsTable> {
  return {
    id: l.id,
    status: l.status,
    owner_id: l.ownerId,
    originator_id: l.originatorId,
    name: l.name,
    phone: l.phone,
    phone_raw: l.phoneRaw,
    email: l.email,
    company_name: l.companyName,
    company_name_key: l.companyNameKey,
    tax_id: l.taxId,
    domain: l.domain,
    website: l.website,
    source: l.source,
    channel: l.channel,
    campaign: l.campaign,
    utm: l.utm ? writeJson(l.utm) : null,
    region: l.region,
    country: l.country,
    industry: l.industry,
    company_size: l.companySize,
    product_interest: writeJson(l.productInterest),
    deal_value: l.dealValue,
    language: l.language,
    score: l.score,
    priority: l.priority,
    comment: l.comment,
    custom: writeJson(l.custom),
    contact_id: l.contactId,
    company_id: l.companyId,
    duplicate_of: l.duplicateOf,
    match: l.match ? writeJson(l.match) : null,
    problems: l.problems.length > 0 ? writeJson(l.problems) : null,
    api_key_id: l.apiKeyId,
    idempotency_key: l.idempotencyKey,
    idempotency_index: l.idempotencyIndex,
    request_hash: l.requestHash,
    assigned_at: l.assignedAt,
    created_at: l.createdAt,
    updated_at: l.updatedAt,
    ...leadWorkRow(l.work),
    // Every writer of leads goes through here, so no lead is left unsearchable.
    search_text: leadSearchText(l),
    search_digits: leadSearchDigits(l),
  };
}

export function leadFromRow(r: Selectable<LeadsTable>): LeadRecord {
  return {
    id: r.id,
    status: r.status,
    ownerId: r.owner_id,
    originatorId: r.originator_id,
    name: r.name,
    phone: r.phone,
    phoneRaw: r.phone_raw,
    email: r.email,
    companyName: r.company_name,
    companyNameKey: r.company_name_key,
    taxId: r.tax_id,
    domain: r.domain,
    website: r.website,
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
    comment: r.comment,
    custom: readJson<Record<string, unknown>>(r.custom, {}),
    contactId: r.contact_id,
    companyId: r.company_id,
    duplicateOf: r.duplicate_of,
    match: readJson<LeadMatch | null>(r.match, null),
    problems: readJson<LeadProblem[]>(r.problems, []),
    apiKeyId: r.api_key_id,
    idempotencyKey: r.idempotency_key,
    idempotencyIndex: r.idempotency_index,
    requestHash: r.request_hash,
    assignedAt: r.assigned_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    work: {
      firstContactAt: r.first_contact_at,
      lastActivityAt: r.last_activity_at,
      junkReason: r.junk_reason,
      closedAt: r.closed_at,
      qualifiedAt: r.qualified_at,
      qualifiedBy: r.qualified_by,
      slaPolicyId: r.sla_policy_id,
      slaKind: r.sla_kind as LeadWork['slaKind'],
      slaDueAt: r.sla_due_at,
      slaWarnedAt: r.sla_warned_at,
      slaBreaches: r.sla_breaches,
      reassignments: r.reassignments,
      escalatedAt: r.escalated_at,
      version: r.version,
    },
  };
}

export function leadWorkRow(w: LeadWork): Pick<
  Insertable<LeadsTable>,
  'first_contact_at' | 'last_activity_at' | 'junk_reason' | 'closed_at' | 'qualified_at' | 'qualified_by' | 'sla_policy_id' | 'sla_kind' | 'sla_due_at' | 'sla_warned_at' | 'sla_breaches' | 'reassignments' | 'escalated_at' | 'version'
> {
  return {
    first_contact_at: w.firstContactAt,
    last_activity_at: w.lastActivityAt,
    junk_reason: w.junkReason,
    closed_at: w.closedAt,
    qualified_at: w.qualifiedAt,
    qualified_by: w.qualifiedBy,
    sla_policy_id: w.slaPolicyId,
    sla_kind: w.slaKind,
    sla_due_at: w.slaDueAt,
    sla_warned_at: w.slaWarnedAt,
    sla_breaches: w.slaBreaches,
    reassignments: w.reassignments,
    escalated_at: w.escalatedAt,
    version: w.version,
  };
}

export async function insertLeads(db: Kysely<Database>, leads: LeadRecord[]): Promise<void> {
  for (const chunk of chunkForInsert(leads.map(leadRow))) {
    await db.insertInto('leads').values(chunk).execute();
  }
}

export async function findLead(db: Kysely<Database>, id: string): Promise<LeadRecord | undefined> {
  const row = await db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? leadFromRow(row) : undefined;
}

export async function findLeadsByIds(db: Kysely<Database>, ids: string[]): Promise<LeadRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('leads').selectAll().where('id', 'in', ids).execute();
  return rows.map(leadFromRow);
}

export async function findLeadsByIdempotencyKeys(db: Kysely<Database>, apiKeyId: string, keys: string[]): Promise<LeadRecord[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('leads')
    .selectAll()
    .where('api_key_id', '=', apiKeyId)
    .where('idempotency_key', 'in', keys)
    .orderBy('idempotency_key')
    .orderBy('idempotency_index')
    .execute();
  return rows.map(leadFromRow);
}

export type LeadKeyKind = 'phone' | 'email' | 'taxId';

export interface LeadKey {
  kind: LeadKeyKind;
  value: string;
  leadId: string;
}

export interface OpenLeadWithKeys {
  id: string;
  ownerId: string | null;
  duplicateOf: string | null;
  keys: Array<{ kind: LeadKeyKind; value: string }>;
}

export function leadKeyRow(k: LeadKey): Insertable<LeadKeysTable> {
  return { kind: k.kind, value: k.value, lead_id: k.leadId };
}

export async function insertLeadKeys(db: Kysely<Database>, keys: LeadKey[]): Promise<void> {
  for (const chunk of chunkForInsert(keys.map(leadKeyRow))) await db.insertInto('lead_keys').values(chunk).execute();
}

/** Open leads sharing any phone, e-mail or tax id with the incoming ones, oldest first: candidates for duplicates. */
export async function findOpenLeadsByKeys(db: Kysely<Database>, keys: { phones: string[]; emails: string[]; taxIds: string[] }): Promise<OpenLeadWithKeys[]> {
  const wanted: Array<[LeadKeyKind, string[]]> = [
    ['phone', keys.phones],
    ['email', keys.emails],
    ['taxId', keys.taxIds],
  ];
  if (wanted.every(([, values]) => values.length === 0)) return [];
  const rows = await db
    .selectFrom('lead_keys')
    .innerJoin('leads', 'leads.id', 'lead_keys.lead_id')
    .select(['leads.id', 'leads.owner_id', 'leads.duplicate_of', 'leads.created_at', 'lead_keys.kind', 'lead_keys.value'])
    .where((eb) => eb.or(wanted.filter(([, values]) => values.length > 0).map(([kind, values]) => eb.and([eb('lead_keys.kind', '=', kind), eb('lead_keys.value', 'in', values)]))))
    .where('leads.status', 'not in', [...OPEN_LEAD_EXCLUDED_STATUSES])
    .orderBy('leads.created_at', 'asc')
    .orderBy('leads.id', 'asc')
    .execute();
  const byId = new Map<string, OpenLeadWithKeys>();
  for (const r of rows) {
    const lead = byId.get(r.id) ?? { id: r.id, ownerId: r.owner_id, duplicateOf: r.duplicate_of, keys: [] };
    lead.keys.push({ kind: r.kind as LeadKeyKind, value: r.value });
    byId.set(r.id, lead);
  }
  return [...byId.values()];
}

/**
 * Where a lead stands against its SLA clock at an instant; every lead is in exactly one:
 * - `breached`: open (not converted or junk) and late now: its clock's deadline has passed, or
 *   the sweeper stopped its clock because it lapsed again after the last escalation (the owner
 *   still holds it and nobody further can take it);
 * - `running`: a clock runs and is not yet due (a lead reassigned or escalated after a breach
 *   counts here: its new owner's clock runs);
 * - `none`: anything else: no clock ever, closed, in the pool or waiting for qualification, or a
 *   clock that ended by the work itself (a first contact with no next-step deadline), however late.
 */
export type SlaState = 'breached' | 'running' | 'none';

/**
 * A clock the sweeper stopped after a breach of an escalated lead (stopSlaClock): the deadline
 * is cleared but the policy stays, which re-arming never leaves (it sets both or neither).
 */
function slaClockStoppedByBreach(eb: ExpressionBuilder<Database, 'leads'>): Expression<SqlBool> {
  return eb.and([eb('leads.sla_due_at', 'is', null), eb('leads.sla_policy_id', 'is not', null), eb('leads.escalated_at', 'is not', null), eb('leads.sla_breaches', '>', 0)]);
}

/** The SQL form of SlaState `breached`, for lists and counts alike. */
export function slaBreachedAt(eb: ExpressionBuilder<Database, 'leads'>, now: string): Expression<SqlBool> {
  return eb.and([eb('leads.status', 'not in', [...OPEN_LEAD_EXCLUDED_STATUSES]), eb.or([eb('leads.sla_due_at', '<=', now), slaClockStoppedByBreach(eb)])]);
}

function slaStateAt(eb: ExpressionBuilder<Database, 'leads'>, state: SlaState, now: string): Expression<SqlBool> {
  switch (state) {
    case 'breached':
      return slaBreachedAt(eb, now);
    case 'running':
      return eb('leads.sla_due_at', '>', now);
    case 'none':
      return eb.and([eb('leads.sla_due_at', 'is', null), eb.not(eb.and([eb('leads.status', 'not in', [...OPEN_LEAD_EXCLUDED_STATUSES]), slaClockStoppedByBreach(eb)]))]);
  }
}

/** `%text%` for LIKE … ESCAPE '\', with the query's own wildcards taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface LeadListFilter {
  /** Any of these statuses. */
  statuses?: string[];
  /** Name, company name or e-mail contains the text, or (for a phone-like query) a phone contains the digits. */
  search?: LeadSearchTerms;
  /** The SLA state at `now`. */
  sla?: { state: SlaState; now: string };
  ownerId?: string;
  source?: string;
  channel?: string;
  region?: string;
  createdFrom?: string;
  createdTo?: string;
  duplicates?: boolean;
  /** Only leads a person may see: owned by these managers (plus the pool), or in these statuses. */
  visibility?: { ownerIds: string[]; poolStatus: string | null } | { statuses: string[] };
}

/** At most this many branches (owners of a team, statuses) are read apart and merged; more read as one query. */
const MAX_LIST_BRANCHES = 40;

/**
 * Newest first; the cursor is the (createdAt, id) of the last lead of the previous page.
 *
 * Every page reads only about `limit` rows per branch from an index already in (created_at, id)
 * order — never all the leads a filter matches, sorted (at 1,000,000 leads an owner has ~25,000, an
 * open-status filter ~750,000): the cursor is a range on created_at (`created_at <= ? and (…)`, which
 * both databases seek to, where the plain OR made them scan from the newest lead down), and a filter
 * that is a set of values no single index walks in order — the owners of a person's view and the
 * pool, several statuses, or both — is read as one newest-first branch per owner × status
 * (`owner_id = ?` on leads_owner_created, `owner_id = ? and status = ?` on
 * leads_owner_status_created, `status = ?` on leads_status_created), each limited to the page,
 * merged and cut to the page (issue 16: p95 ≤ 50 ms per page at 1,000,000 leads; migration 0027).
 */
export async function listLeads(
  db: Kysely<Database>,
  filter: LeadListFilter,
  page: { limit: number; after?: { createdAt: string; id: string } },
): Promise<LeadRecord[]> {
  const branches = listBranches(filter);
  const newestFirst = <Q extends SelectQueryBuilder<Database, 'leads', Selectable<LeadsTable>>>(q: Q) => q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit);
  if (branches === null) return (await newestFirst(filteredLeads(db, filter, page.after, null)).execute()).map(leadFromRow);
  if (branches.length === 0) return [];
  // Each branch yields only its keys (read from the index where it covers them); the page's whole rows are read once, by id.
  const keys = branches.map((branch, i) =>
    db.selectFrom(filteredLeads(db, filter, page.after, branch).clearSelect().select(['id', 'created_at']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).as(`b${i}`)).select(['id', 'created_at']),
  );
  const [first, ...rest] = keys;
  let merged = first as NonNullable<typeof first>;
  for (const branch of rest) merged = merged.unionAll(branch);
  const pageIds = db.selectFrom(merged.as('merged')).select('id').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit);
  const rows = await newestFirst(db.selectFrom('leads').selectAll().where('id', 'in', pageIds)).execute();
  return rows.map(leadFromRow);
}

/**
 * One branch of a list read apart: an owner (null: the pool of a person's view) and/or a status;
 * its equality predicates replace the disjunction (a view's owners, a set of statuses) it is part of.
 */
interface ListBranch {
  owner?: { id: string } | { pool: string };
  status?: string;
}

/** The branches a list is read as (owners of a view or the filter × statuses), or null to read it as one query. */
function listBranches(filter: LeadListFilter): ListBranch[] | null {
  const visibility = filter.visibility;
  const owners: Array<ListBranch['owner']> = filter.ownerId
    ? [{ id: filter.ownerId }]
    : visibility && 'ownerIds' in visibility
      ? [...visibility.ownerIds.map((id) => ({ id })), ...(visibility.poolStatus ? [{ pool: visibility.poolStatus }] : [])]
      : [undefined];
  const statuses: Array<string | undefined> = filter.statuses && filter.statuses.length > 0 ? [...new Set(filter.statuses)] : [undefined];
  const branches = owners.flatMap((owner) =>
    statuses.flatMap((status): ListBranch[] => {
      // The pool branch holds leads of the pool's status only.
      if (owner && 'pool' in owner && status !== undefined && status !== owner.pool) return [];
      return [{ ...(owner ? { owner } : {}), ...(status !== undefined ? { status } : {}) }];
    }),
  );
  if (owners.length * statuses.length <= 1 || branches.length > MAX_LIST_BRANCHES) return null;
  return branches;
}

function filteredLeads(db: Kysely<Database>, filter: LeadListFilter, after: { createdAt: string; id: string } | undefined, branch: ListBranch | null) {
  let q = db.selectFrom('leads').selectAll();
  if (branch?.status !== undefined) q = q.where('status', '=', branch.status);
  else if (filter.statuses && filter.statuses.length > 0) q = q.where('status', 'in', filter.statuses);
  const search = filter.search;
  if (search) {
    // Both sides are normalised by normalizeSearchText, so LIKE's own (ASCII-only, or
    // case-sensitive) folding never matters; a substring match reads every row it passes.
    q = q.where((eb) =>
      eb.or([
        sql<SqlBool>`leads.search_text like ${containsPattern(search.text)} escape '\\'`,
        ...search.phoneDigits.map((digits) => sql<SqlBool>`leads.search_digits like ${containsPattern(digits)} escape '\\'`),
      ]),
    );
  }
  const sla = filter.sla;
  if (sla) q = q.where((eb) => slaStateAt(eb, sla.state, sla.now));
  if (filter.ownerId) q = q.where('owner_id', '=', filter.ownerId);
  if (filter.source) q = q.where('source', '=', filter.source);
  if (filter.channel) q = q.where('channel', '=', filter.channel);
  if (filter.region) q = q.where('region', '=', filter.region);
  if (filter.createdFrom) q = q.where('created_at', '>=', filter.createdFrom);
  if (filter.createdTo) q = q.where('created_at', '<', filter.createdTo);
  if (filter.duplicates !== undefined) q = q.where('duplicate_of', filter.duplicates ? 'is not' : 'is', null);
  const visibility = filter.visibility;
  if (visibility && 'statuses' in visibility) q = q.where('status', 'in', visibility.statuses.length > 0 ? visibility.statuses : ['\u0000none']);
  const owner = branch?.owner;
  if (owner && 'id' in owner) q = q.where('owner_id', '=', owner.id);
  else if (owner) q = q.where('owner_id', 'is', null).where('status', '=', owner.pool);
  // A branch's owner came from the view (or the filter's owner, also required above): the view's disjunction is then that branch.
  if (visibility && 'ownerIds' in visibility && (!owner || filter.ownerId)) {
    const { ownerIds, poolStatus } = visibility;
    q = q.where((eb) =>
      eb.or([
        ...(ownerIds.length > 0 ? [eb('owner_id', 'in', ownerIds)] : []),
        ...(poolStatus ? [eb.and([eb('owner_id', 'is', null), eb('status', '=', poolStatus)])] : []),
        sql<boolean>`1 = 0`,
      ]),
    );
  }
  if (after) {
    // The range first (an index seeks to it), then the tie on the same instant.
    q = q.where('created_at', '<=', after.createdAt).where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb('id', '<', after.id)]));
  }
  return q;
}

/** Moves leads to a status directly (demo data); a closing status also records when and, for junk, why. */
export async function setLeadStatus(db: Kysely<Database>, ids: string[], status: string, at: string, closing: { junkReason?: string } | null = null): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('leads')
    .set({ status, updated_at: at, ...(closing ? { closed_at: at, junk_reason: closing.junkReason ?? null } : {}) })
    .where('id', 'in', ids)
    .execute();
}
