import { assertLeadVisible, leadScopeOf, POOL_STATUS, QUALIFICATION_STATUS, type LeadScope } from '../access/lead-access.js';
import type { Principal } from '../access/principal.js';
import { findManagerNames } from '../../store/manager-queries.js';
import { latestAssignments, listLeadEvents, type AssignmentRecord, type EventRecord } from '../../store/journal-queries.js';
import { leadSearchTerms } from '../../core/normalize/search-text.js';
import type { CountryCode } from '../../core/normalize/index.js';
import { findLead, listLeads, type LeadListFilter, type LeadRecord, type SlaState } from '../../store/lead-queries.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { ManagerSummary } from '../intake/intake-leads.js';

export interface LeadDetails {
  lead: LeadRecord;
  assignment: AssignmentRecord | undefined;
  owner: ManagerSummary | null;
  /** The manager who registered the lead. */
  originator: ManagerSummary | null;
}

export async function getLead(ctx: AppContext, principal: Principal, id: string): Promise<LeadDetails> {
  return await leadDetailsOf(ctx, await assertLeadVisible(ctx.store.db, principal, await findLead(ctx.store.db, id), id));
}

/**
 * A lead the caller just acted on, with its owner and latest decision; for answers to actions
 * (a qualifier routes a lead they may no longer see, and is told where it went and why).
 */
export async function leadDetailsOf(ctx: AppContext, lead: LeadRecord): Promise<LeadDetails> {
  const people = [lead.ownerId, lead.originatorId].filter((id): id is string => id !== null);
  const [assignments, names] = await Promise.all([latestAssignments(ctx.store.db, [lead.id]), findManagerNames(ctx.store.db, [...new Set(people)])]);
  return { lead, assignment: assignments.get(lead.id), owner: summaryOf(lead.ownerId, names), originator: summaryOf(lead.originatorId, names) };
}

function summaryOf(id: string | null, names: ReadonlyMap<string, string>): ManagerSummary | null {
  return id ? { id, name: names.get(id) ?? id } : null;
}

export async function getLeadTimeline(ctx: AppContext, principal: Principal, id: string): Promise<EventRecord[]> {
  await assertLeadVisible(ctx.store.db, principal, await findLead(ctx.store.db, id), id);
  return await listLeadEvents(ctx.store.db, id);
}

function visibilityFilter(scope: LeadScope): Pick<LeadListFilter, 'visibility'> {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'qualification':
      return { visibility: { statuses: [QUALIFICATION_STATUS] } };
    case 'owners':
      return { visibility: { ownerIds: [...scope.managerIds], poolStatus: scope.pool ? POOL_STATUS : null } };
  }
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SAFE_ID = /^[\x21-\x7e]{1,100}$/;

/** Cursors are opaque to callers: base64url of the last item's (createdAt, id). */
export function encodeCursor(lead: Pick<LeadRecord, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([lead.createdAt, lead.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Exactly what encodeCursor writes: anything else (a hand-made date, an odd id) would reach SQL.
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && ISO_UTC.test(parsed[0]) && SAFE_ID.test(parsed[1])) {
      return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new LeadRouterError('LR_ERR_INVALID_CURSOR', 'The cursor is not one this API returned; start again without it');
}

/** What a caller filters the lead list by; search and SLA state are turned into store terms here. */
export type LeadListQuery = Omit<LeadListFilter, 'visibility' | 'search' | 'sla'> & {
  /** Name, company name, e-mail or phone contains this (see leadSearchTerms). */
  q?: string | undefined;
  /** The SLA state now, by the clock of the context. */
  sla?: SlaState | undefined;
};

export async function listLeadPage(
  ctx: AppContext,
  principal: Principal,
  query: LeadListQuery,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: LeadDetails[]; nextCursor: string | null }> {
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  const { q, sla, ...plain } = query;
  const filter: LeadListFilter = {
    ...plain,
    ...(q ? { search: leadSearchTerms(q, ctx.config.defaultCountry as CountryCode) } : {}),
    ...(sla ? { sla: { state: sla, now: ctx.now().toISOString() } } : {}),
    ...visibilityFilter(await leadScopeOf(ctx.store.db, principal)),
  };
  const leads = await listLeads(ctx.store.db, filter, { limit: page.limit + 1, ...(after ? { after } : {}) });
  const pageLeads = leads.slice(0, page.limit);
  const ids = pageLeads.map((l) => l.id);
  const peopleIds = [...new Set(pageLeads.flatMap((l) => [l.ownerId, l.originatorId].filter((id): id is string => id !== null)))];
  const [assignments, names] = await Promise.all([latestAssignments(ctx.store.db, ids), findManagerNames(ctx.store.db, peopleIds)]);
  const last = pageLeads[pageLeads.length - 1];
  return {
    items: pageLeads.map((lead) => ({
      lead,
      assignment: assignments.get(lead.id),
      owner: summaryOf(lead.ownerId, names),
      originator: summaryOf(lead.originatorId, names),
    })),
    nextCursor: leads.length > page.limit && last ? encodeCursor(last) : null,
  };
}
