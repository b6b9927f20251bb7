import { amocrmComplexOf } from '../../../core/connectors/amocrm-lead.js';
import { bitrix24FieldsOf, LEADROUTER_ORIGINATOR } from '../../../core/connectors/bitrix24-lead.js';
import { decisionText } from '../../../core/i18n/decision-text.js';
import type { SummaryFacts } from '../../../core/routing/trace.js';
import { readJson } from '../../../store/json.js';
import { crmUserOf, findCrmConnector, findCrmLinkByLead, insertCrmLink, noteCrmError, noteCrmSuccess, type CrmConnectorRecord } from '../../../store/crm-connector-queries.js';
import { findLead, type LeadRecord } from '../../../store/lead-queries.js';
import type { AppContext } from '../../app-context.js';
import { amocrmClient, type AmocrmClient, type AmocrmOptions } from '../../connectors/amocrm/amocrm-client.js';
import { bitrix24Client, type Bitrix24Client, type Bitrix24Options } from '../../connectors/bitrix24/bitrix24-client.js';
import { amocrmLeadsSince } from '../../connectors/amocrm/amocrm-inbound.js';
import { crmIdOfIdempotencyKey } from '../../connectors/bitrix24/bitrix24-inbound.js';
import { CrmApiError } from '../../connectors/crm-api-error.js';
import { crmComment, type CrmCommentLocale } from '../../connectors/crm-comment.js';
import { TryLater, Undeliverable, type Attempt, type CrmChannel } from './channel.js';

export interface CrmChannelOptions {
  bitrix24?: Bitrix24Options;
  amocrm?: AmocrmOptions;
  /** First pause after the CRM did not answer; doubles per failure in a row, up to `maxOutagePauseMs`. */
  outagePauseMs?: number;
  maxOutagePauseMs?: number;
}

/**
 * Tells the CRM who owns a lead now: the routing decision and every later owner change set the
 * responsible user (Bitrix24 crm.lead.update ASSIGNED_BY_ID) to the lead's current owner, so
 * changes sent out of order still end right, and add a timeline comment with the reason
 * (crm.timeline.comment.add). A lead from another channel is created in the CRM first when the
 * connector says so (crm.lead.add with ORIGINATOR_ID/ORIGIN_ID; looked up by those before
 * adding, so a retry never adds it twice). The CRM's "too many requests" and its outages hand
 * the delivery back to wait (TryLater: no retry used up, never dropped); a refusal is a failed
 * attempt, retried with backoff.
 */
export function crmChannel(ctx: AppContext, options: CrmChannelOptions = {}): CrmChannel {
  const outages = new Map<string, number>();
  // One send per lead and connector at a time in this process: two owner changes of a lead that
  // waited out an outage together must not both find it missing in the CRM and both add it.
  const inFlight = new Map<string, Promise<unknown>>();
  const oneAtATime = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const before = inFlight.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(work);
    const settled = run.catch(() => undefined);
    inFlight.set(key, settled);
    try {
      return await run;
    } finally {
      if (inFlight.get(key) === settled) inFlight.delete(key);
    }
  };
  const clientOf = (c: CrmConnectorRecord): Bitrix24Client => bitrix24Client(c.endpoint, options.bitrix24);
  // The client paces on the real clock; the delivery's next attempt is set on the application's.
  const later = (at: Date): Date => new Date(ctx.now().getTime() + Math.max(0, at.getTime() - Date.now()));

  return {
    async send(attempt, connectorId) {
      const connector = await findCrmConnector(ctx.store.db, connectorId);
      if (!connector || !connector.active) throw new Undeliverable('The CRM connector was removed or switched off');
      try {
        const leadId = typeof attempt.message.payload.leadId === 'string' ? attempt.message.payload.leadId : '';
        await oneAtATime(`${connector.id}\u0000${leadId}`, () =>
          connector.kind === 'amocrm' ? syncAmocrm(ctx, connector, amocrmClient(connector.endpoint, connector.accessToken ?? '', options.amocrm), attempt) : syncBitrix24(ctx, connector, clientOf(connector), attempt),
        );
      } catch (error) {
        await noteCrmError(ctx.store.db, connector.id, errorText(error), ctx.now().toISOString()).catch(() => undefined);
        if (error instanceof CrmApiError && error.kind === 'rate_limited') throw new TryLater(error.message, later(error.retryAt ?? new Date(Date.now() + 1000)));
        if (error instanceof CrmApiError && error.kind === 'unavailable') {
          const failures = (outages.get(connector.id) ?? 0) + 1;
          outages.set(connector.id, failures);
          const pause = Math.min(options.maxOutagePauseMs ?? 5 * 60_000, (options.outagePauseMs ?? 5_000) * 2 ** Math.min(failures - 1, 10));
          throw new TryLater(`${error.message} (trying again in ${Math.round(pause / 1000)} s)`, new Date(ctx.now().getTime() + pause));
        }
        throw error;
      }
      outages.delete(connector.id);
      await noteCrmSuccess(ctx.store.db, connector.id, ctx.now().toISOString());
    },
  };
}

async function syncBitrix24(ctx: AppContext, connector: CrmConnectorRecord, client: Bitrix24Client, attempt: Attempt): Promise<void> {
  const db = ctx.store.db;
  const { payload } = attempt.message;
  const leadId = typeof payload.leadId === 'string' ? payload.leadId : null;
  if (!leadId) return;
  const lead = await findLead(db, leadId);
  if (!lead) throw new Undeliverable(`Lead ${leadId} no longer exists`);
  const newOwner = typeof payload.managerId === 'string' ? payload.managerId : null;
  if (!newOwner) return;

  let crmId = await crmLeadOf(ctx, connector, lead);
  const ownerNow = lead.ownerId;
  const crmUser = ownerNow ? await crmUserOf(db, connector.id, ownerNow) : null;
  if (crmId === null) {
    if (!connector.settings.createLeads) return;
    crmId = await findOrAdd(ctx, connector, client, lead, crmUser);
  } else if (crmUser !== null) {
    await client.call<boolean>('crm.lead.update', { id: crmId, fields: { ASSIGNED_BY_ID: Number(crmUser) || crmUser }, params: { REGISTER_SONET_EVENT: 'Y' } });
  }
  const comment = await commentFor(ctx, connector, attempt, newOwner);
  await client.call<number>('crm.timeline.comment.add', { fields: { ENTITY_ID: Number(crmId), ENTITY_TYPE: 'lead', COMMENT: comment } });
}

/** The CRM lead this lead is: linked already, or brought in from this CRM (its intake key names the id). */
async function crmLeadOf(ctx: AppContext, connector: CrmConnectorRecord, lead: LeadRecord): Promise<string | null> {
  const link = await findCrmLinkByLead(ctx.store.db, connector.id, lead.id);
  if (link) return link.crmId;
  const fromKey = lead.apiKeyId === connector.apiKeyId ? crmIdOfIdempotencyKey(lead.idempotencyKey, connector.kind) : null;
  if (fromKey) await insertCrmLink(ctx.store.db, { connectorId: connector.id, crmId: fromKey, leadId: lead.id, direction: 'in', at: ctx.now().toISOString() });
  return fromKey;
}

async function findOrAdd(ctx: AppContext, connector: CrmConnectorRecord, client: Bitrix24Client, lead: LeadRecord, crmUser: string | null): Promise<string> {
  // An earlier attempt may have added it and lost the answer: ORIGINATOR_ID/ORIGIN_ID find it.
  const { result: found } = await client.call<Array<{ ID: string }>>('crm.lead.list', { filter: { ORIGINATOR_ID: LEADROUTER_ORIGINATOR, ORIGIN_ID: lead.id }, select: ['ID'], start: 0 });
  let crmId = found[0]?.ID ? String(found[0].ID) : null;
  if (crmId === null) {
    const fields = { ...bitrix24FieldsOf(lead), ...(crmUser !== null ? { ASSIGNED_BY_ID: Number(crmUser) || crmUser } : {}) };
    const { result } = await client.call<number>('crm.lead.add', { fields, params: { REGISTER_SONET_EVENT: 'Y' } });
    crmId = String(result);
  } else if (crmUser !== null) {
    await client.call<boolean>('crm.lead.update', { id: crmId, fields: { ASSIGNED_BY_ID: Number(crmUser) || crmUser } });
  }
  await insertCrmLink(ctx.store.db, { connectorId: connector.id, crmId, leadId: lead.id, direction: 'out', at: ctx.now().toISOString() });
  return crmId;
}

/** amoCRM: PATCH the lead's responsible_user_id, add a common note; or create it by /api/v4/leads/complex. */
async function syncAmocrm(ctx: AppContext, connector: CrmConnectorRecord, client: AmocrmClient, attempt: Attempt): Promise<void> {
  const db = ctx.store.db;
  const { payload } = attempt.message;
  const leadId = typeof payload.leadId === 'string' ? payload.leadId : null;
  if (!leadId) return;
  const lead = await findLead(db, leadId);
  if (!lead) throw new Undeliverable(`Lead ${leadId} no longer exists`);
  const newOwner = typeof payload.managerId === 'string' ? payload.managerId : null;
  if (!newOwner) return;
  let crmId = await crmLeadOf(ctx, connector, lead);
  const crmUser = lead.ownerId ? await crmUserOf(db, connector.id, lead.ownerId) : null;
  const userId = crmUser !== null && Number.isFinite(Number(crmUser)) ? Number(crmUser) : null;
  if (crmId === null) {
    if (!connector.settings.createLeads) return;
    crmId = await findOrAddAmocrm(client, lead, userId);
    await insertCrmLink(db, { connectorId: connector.id, crmId, leadId: lead.id, direction: 'out', at: ctx.now().toISOString() });
  } else if (userId !== null) {
    await client.request('PATCH', `/api/v4/leads/${crmId}`, { responsible_user_id: userId });
  }
  const text = await commentFor(ctx, connector, attempt, newOwner);
  await client.request('POST', `/api/v4/leads/${crmId}/notes`, [{ note_type: 'common', params: { text } }]);
}

/** How far before the lead's creation the lookup starts: amoCRM's clock and ours may differ a little. */
const AMOCRM_LOOKUP_MARGIN_SECONDS = 600;
/** Pages of 250 the lookup reads at most: the 10,000 deals added in the account since the lead came in. */
const AMOCRM_LOOKUP_PAGES = 40;

/**
 * Any earlier attempt — a retry of this change that lost amoCRM's answer, or an earlier change
 * that then gave up for good — may have created the deal: leads created since the leadrouter
 * lead itself came in are listed oldest first (filter[created_at][from], with tags) and the one
 * tagged `leadrouter:<lead id>` is taken; only when there is none is it created by
 * /api/v4/leads/complex. No deal for a lead is older than the lead, so a later change finds it as a
 * retry does (within the first 10,000 deals the account added after the lead came in).
 */
async function findOrAddAmocrm(client: AmocrmClient, lead: LeadRecord, userId: number | null): Promise<string> {
  const tag = `leadrouter:${lead.id}`;
  const from = Math.floor(Date.parse(lead.createdAt) / 1000) - AMOCRM_LOOKUP_MARGIN_SECONDS;
  for (let page = 1; page <= AMOCRM_LOOKUP_PAGES; page += 1) {
    const listed = await amocrmLeadsSince(client, from, page);
    const found = listed.find((l) => (l._embedded?.tags ?? []).some((t) => t.name === tag));
    if (found) {
      if (userId !== null && found.responsible_user_id !== userId) await client.request('PATCH', `/api/v4/leads/${found.id}`, { responsible_user_id: userId });
      return String(found.id);
    }
    if (listed.length < 250) break;
  }
  const created = await client.request<Array<{ id: number }>>('POST', '/api/v4/leads/complex', [amocrmComplexOf(lead, userId)]);
  const id = created?.[0]?.id;
  if (typeof id !== 'number') throw new Error('amoCRM did not answer the new lead’s id');
  return String(id);
}

/** The comment's one sentence: a routing decision told from its facts in the connector's language, or the owner change with its reason. */
async function commentFor(ctx: AppContext, connector: CrmConnectorRecord, attempt: Attempt, newOwner: string): Promise<string> {
  const { topic, payload } = attempt.message;
  const locale: CrmCommentLocale = connector.settings.locale;
  const unmapped = (await crmUserOf(ctx.store.db, connector.id, newOwner)) === null;
  const decision = topic === 'lead.assigned' && typeof payload.leadId === 'string' ? await decisionOf(ctx, payload.leadId, newOwner, locale) : null;
  const reason = typeof payload.reason === 'string' ? payload.reason : typeof payload.summary === 'string' ? payload.summary : null;
  return crmComment(locale, { managerName: await managerNameOf(ctx, newOwner), via: typeof payload.via === 'string' ? payload.via : null, reason, unmapped, decision });
}

/** The lead's first decision (intake's), when it gave the lead to this manager and kept its facts. */
async function decisionOf(ctx: AppContext, leadId: string, managerId: string, locale: CrmCommentLocale): Promise<string | null> {
  const row = await ctx.store.db.selectFrom('assignments').select(['manager_id', 'trace']).where('lead_id', '=', leadId).orderBy('created_at', 'asc').orderBy('id', 'asc').executeTakeFirst();
  if (!row || row.manager_id !== managerId) return null;
  const facts = readJson<{ facts?: SummaryFacts } | null>(row.trace, null)?.facts;
  if (!facts) return null;
  try {
    return decisionText(facts, locale);
  } catch {
    return null;
  }
}

async function managerNameOf(ctx: AppContext, managerId: string): Promise<string> {
  const row = await ctx.store.db.selectFrom('managers').select('name').where('id', '=', managerId).executeTakeFirst();
  return row?.name ?? managerId;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
