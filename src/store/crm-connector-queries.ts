import type { Kysely, Selectable } from 'kysely';
import { readJson, writeJson } from './json.js';
import type { CrmConnectorsTable, Database } from './schema.js';

export type CrmKind = 'bitrix24' | 'amocrm';

export interface CrmConnectorSettings {
  /** Create a lead from another channel in the CRM once it is routed (crm.lead.add with ORIGINATOR_ID/ORIGIN_ID). */
  createLeads: boolean;
  /** How often the CRM is asked for leads created since the last seen one. */
  pollIntervalSeconds: number;
  /** The source stamped on leads brought in from the CRM when the CRM's own source is empty. */
  source: string;
  /** The language of the comments leadrouter writes in the CRM. */
  locale: 'ru' | 'en';
}

export interface CrmConnectorRecord {
  id: string;
  kind: CrmKind;
  name: string;
  publicKey: string;
  apiKeyId: string;
  endpoint: string;
  accessToken: string | null;
  eventToken: string | null;
  settings: CrmConnectorSettings;
  active: boolean;
  lastSeenId: string | null;
  lastPolledAt: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  leadsIn: number;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_CRM_SETTINGS: CrmConnectorSettings = { createLeads: false, pollIntervalSeconds: 60, source: 'crm', locale: 'ru' };

function toConnector(r: Selectable<CrmConnectorsTable>): CrmConnectorRecord {
  return {
    id: r.id,
    kind: r.kind === 'amocrm' ? 'amocrm' : 'bitrix24',
    name: r.name,
    publicKey: r.public_key,
    apiKeyId: r.api_key_id,
    endpoint: r.endpoint,
    accessToken: r.access_token,
    eventToken: r.event_token,
    settings: { ...DEFAULT_CRM_SETTINGS, ...readJson<Partial<CrmConnectorSettings>>(r.settings, {}) },
    active: Number(r.active) === 1,
    lastSeenId: r.last_seen_id,
    lastPolledAt: r.last_polled_at,
    lastSyncAt: r.last_sync_at,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
    leadsIn: Number(r.leads_in),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function insertCrmConnector(db: Kysely<Database>, c: CrmConnectorRecord): Promise<void> {
  await db
    .insertInto('crm_connectors')
    .values({
      id: c.id, kind: c.kind, name: c.name, public_key: c.publicKey, api_key_id: c.apiKeyId, endpoint: c.endpoint, access_token: c.accessToken, event_token: c.eventToken,
      settings: writeJson(c.settings), active: c.active ? 1 : 0, last_seen_id: c.lastSeenId, last_polled_at: c.lastPolledAt, last_sync_at: c.lastSyncAt,
      last_error: c.lastError, last_error_at: c.lastErrorAt, poller: null, poller_until: null, created_at: c.createdAt, updated_at: c.updatedAt,
    })
    .execute();
}

/** What an admin may change; the key, the counters and the poll's mark stay. */
export async function updateCrmConnector(db: Kysely<Database>, c: CrmConnectorRecord): Promise<void> {
  await db
    .updateTable('crm_connectors')
    .set({ name: c.name, endpoint: c.endpoint, access_token: c.accessToken, event_token: c.eventToken, settings: writeJson(c.settings), active: c.active ? 1 : 0, updated_at: c.updatedAt })
    .where('id', '=', c.id)
    .execute();
}

export async function listCrmConnectors(db: Kysely<Database>, filter: { activeOnly?: boolean } = {}): Promise<CrmConnectorRecord[]> {
  const rows = await db
    .selectFrom('crm_connectors')
    .selectAll()
    .$if(filter.activeOnly === true, (q) => q.where('active', '=', 1))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toConnector);
}

export async function findCrmConnector(db: Kysely<Database>, id: string): Promise<CrmConnectorRecord | undefined> {
  const row = await db.selectFrom('crm_connectors').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toConnector(row) : undefined;
}

export async function findCrmConnectorByKey(db: Kysely<Database>, publicKey: string): Promise<CrmConnectorRecord | undefined> {
  const row = await db.selectFrom('crm_connectors').selectAll().where('public_key', '=', publicKey).executeTakeFirst();
  return row ? toConnector(row) : undefined;
}

export async function deleteCrmConnector(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('crm_user_map').where('connector_id', '=', id).execute();
  await db.deleteFrom('crm_lead_links').where('connector_id', '=', id).execute();
  await db.deleteFrom('crm_connectors').where('id', '=', id).execute();
}

/** A call to the CRM went through: the status shows when, and the last error is cleared. */
export async function noteCrmSuccess(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db.updateTable('crm_connectors').set({ last_sync_at: at, last_error: null }).where('id', '=', id).execute();
}

export async function noteCrmError(db: Kysely<Database>, id: string, error: string, at: string): Promise<void> {
  await db.updateTable('crm_connectors').set({ last_error: error.slice(0, 1000), last_error_at: at }).where('id', '=', id).execute();
}

/** Moves the poll's mark forward only (ids compared as numbers), and notes the poll. */
export async function savePollMark(db: Kysely<Database>, id: string, lastSeenId: string | null, at: string): Promise<void> {
  const row = await db.selectFrom('crm_connectors').select('last_seen_id').where('id', '=', id).executeTakeFirst();
  const current = row?.last_seen_id ?? null;
  const next = lastSeenId !== null && (current === null || Number(lastSeenId) > Number(current)) ? lastSeenId : current;
  await db.updateTable('crm_connectors').set({ last_seen_id: next, last_polled_at: at }).where('id', '=', id).execute();
}

/**
 * Takes or renews a connector's polling lease: granted when nobody holds it, this process does,
 * or the holder's lease ran out. One conditional UPDATE, so two processes never both win.
 */
export async function takeCrmPollLease(db: Kysely<Database>, id: string, holder: string, now: string, until: string): Promise<boolean> {
  const result = await db
    .updateTable('crm_connectors')
    .set({ poller: holder, poller_until: until })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('poller', 'is', null), eb('poller', '=', holder), eb('poller_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseCrmPollLeases(db: Kysely<Database>, holder: string): Promise<void> {
  await db.updateTable('crm_connectors').set({ poller: null, poller_until: null }).where('poller', '=', holder).execute();
}

export interface CrmUserMapping {
  managerId: string;
  crmUserId: string;
  crmUserName: string | null;
}

export async function listCrmUserMap(db: Kysely<Database>, connectorId: string): Promise<CrmUserMapping[]> {
  const rows = await db.selectFrom('crm_user_map').selectAll().where('connector_id', '=', connectorId).orderBy('manager_id').execute();
  return rows.map((r) => ({ managerId: r.manager_id, crmUserId: r.crm_user_id, crmUserName: r.crm_user_name }));
}

/** Replaces the whole map of a connector. */
export async function replaceCrmUserMap(db: Kysely<Database>, connectorId: string, items: CrmUserMapping[], at: string): Promise<void> {
  await db.deleteFrom('crm_user_map').where('connector_id', '=', connectorId).execute();
  if (items.length === 0) return;
  await db
    .insertInto('crm_user_map')
    .values(items.map((i) => ({ connector_id: connectorId, manager_id: i.managerId, crm_user_id: i.crmUserId, crm_user_name: i.crmUserName, updated_at: at })))
    .execute();
}

export async function crmUserOf(db: Kysely<Database>, connectorId: string, managerId: string): Promise<string | null> {
  const row = await db.selectFrom('crm_user_map').select('crm_user_id').where('connector_id', '=', connectorId).where('manager_id', '=', managerId).executeTakeFirst();
  return row?.crm_user_id ?? null;
}

export async function findCrmLinkByCrmId(db: Kysely<Database>, connectorId: string, crmId: string): Promise<string | null> {
  const row = await db.selectFrom('crm_lead_links').select('lead_id').where('connector_id', '=', connectorId).where('crm_id', '=', crmId).executeTakeFirst();
  return row?.lead_id ?? null;
}

export async function findCrmLinkByLead(db: Kysely<Database>, connectorId: string, leadId: string): Promise<{ crmId: string; direction: string } | null> {
  const row = await db.selectFrom('crm_lead_links').select(['crm_id', 'direction']).where('connector_id', '=', connectorId).where('lead_id', '=', leadId).executeTakeFirst();
  return row ? { crmId: row.crm_id, direction: row.direction } : null;
}

/** Links a lead to its CRM lead; false when either side was linked already (the first link stays). */
export async function insertCrmLink(db: Kysely<Database>, link: { connectorId: string; crmId: string; leadId: string; direction: 'in' | 'out'; at: string }): Promise<boolean> {
  const existing = await db
    .selectFrom('crm_lead_links')
    .select('crm_id')
    .where('connector_id', '=', link.connectorId)
    .where((eb) => eb.or([eb('crm_id', '=', link.crmId), eb('lead_id', '=', link.leadId)]))
    .executeTakeFirst();
  if (existing) return false;
  const result = await db
    .insertInto('crm_lead_links')
    .values({ connector_id: link.connectorId, crm_id: link.crmId, lead_id: link.leadId, direction: link.direction, created_at: link.at })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  const inserted = Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  if (inserted && link.direction === 'in') await db.updateTable('crm_connectors').set((eb) => ({ leads_in: eb('leads_in', '+', 1) })).where('id', '=', link.connectorId).execute();
  return inserted;
}

/** The connector's deliveries still waiting (its queue) and those that gave up. */
export async function crmQueueOf(db: Kysely<Database>, connectorId: string): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('channel', '=', 'crm')
    .where('recipient', '=', connectorId)
    .where('status', 'in', ['pending', 'failed'])
    .groupBy('status')
    .execute();
  const count = (s: string): number => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { pending: count('pending'), failed: count('failed') };
}
