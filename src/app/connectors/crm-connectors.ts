import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  crmQueueOf, DEFAULT_CRM_SETTINGS, deleteCrmConnector, findCrmConnector, insertCrmConnector, listCrmConnectors, listCrmUserMap, replaceCrmUserMap, updateCrmConnector,
  type CrmConnectorRecord, type CrmUserMapping,
} from '../../store/crm-connector-queries.js';
import { failPendingDeliveriesTo } from '../../store/delivery-queries.js';
import { isAdmin, type Principal } from '../access/principal.js';
import { createApiKey } from '../api-keys.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import { amocrmBaseUrl, amocrmClient, type AmocrmClient } from './amocrm/amocrm-client.js';
import { bitrix24Client, maskWebhookUrl, normalizeWebhookUrl, type Bitrix24Client } from './bitrix24/bitrix24-client.js';
import { CrmApiError } from './crm-api-error.js';

const settingsFields = {
  createLeads: z.boolean().optional().describe('Create leads from other channels in the CRM once they are routed (crm.lead.add with ORIGINATOR_ID=leadrouter, ORIGIN_ID=<lead id>)'),
  pollIntervalSeconds: z.number().int().min(10).max(86_400).optional().describe('How often to ask the CRM for leads created since the last one seen (60)'),
  source: z.string().trim().min(1).max(100).optional().describe('The source of leads whose CRM source is empty (crm)'),
  locale: z.enum(['ru', 'en']).optional().describe('The language of the comments leadrouter writes in the CRM (ru)'),
};

export const bitrix24ConnectSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  webhookUrl: z.string().trim().min(1).max(500).describe('The inbound webhook: https://<portal>/rest/<user id>/<code>/ (scopes crm and user)'),
  applicationToken: z.string().trim().min(8).max(200).optional().describe('The outbound handler’s application token: ONCRMLEADADD events must carry it. Set it later (PATCH) when the handler is made after connecting; until then events are refused and the poll brings leads in'),
  ...settingsFields,
});
export type Bitrix24Connect = z.infer<typeof bitrix24ConnectSchema>;

export const amocrmConnectSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  account: z.string().trim().min(2).max(300).describe('The account’s subdomain (romashka) or address (https://romashka.amocrm.ru)'),
  token: z.string().trim().min(20).max(4000).describe('A long-lived token of a private integration (Settings → Integrations → Keys and scopes)'),
  ...settingsFields,
});
export type AmocrmConnect = z.infer<typeof amocrmConnectSchema>;

export const crmConnectorPatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  webhookUrl: z.string().trim().min(1).max(500).optional(),
  applicationToken: z.string().trim().min(8).max(200).optional(),
  token: z.string().trim().min(20).max(4000).optional().describe('amoCRM: a new long-lived token'),
  active: z.boolean().optional(),
  ...settingsFields,
});
export type CrmConnectorPatch = z.infer<typeof crmConnectorPatchSchema>;

export const userMapSchema = z.strictObject({
  items: z
    .array(z.strictObject({ managerId: z.string().trim().min(1).max(100), crmUserId: z.string().trim().min(1).max(50), crmUserName: z.string().trim().max(300).nullable().optional() }))
    .max(2000),
});

/** What admins see of a connector: no secrets (the webhook's code is masked, the tokens are only said to be set). */
export interface CrmConnectorView {
  id: string;
  kind: 'bitrix24' | 'amocrm';
  name: string;
  endpoint: string;
  eventPath: string;
  eventTokenSet: boolean;
  createLeads: boolean;
  pollIntervalSeconds: number;
  source: string;
  locale: 'ru' | 'en';
  active: boolean;
  status: {
    lastSyncAt: string | null;
    lastPolledAt: string | null;
    lastSeenId: string | null;
    lastError: string | null;
    lastErrorAt: string | null;
    leadsIn: number;
    queue: number;
    failed: number;
    mappedManagers: number;
  };
  createdAt: string;
  updatedAt: string;
}

export type Bitrix24ClientFactory = (connector: Pick<CrmConnectorRecord, 'endpoint'>) => Bitrix24Client;
export const defaultBitrix24Clients: Bitrix24ClientFactory = (c) => bitrix24Client(c.endpoint);
export type AmocrmClientFactory = (connector: Pick<CrmConnectorRecord, 'endpoint' | 'accessToken'>) => AmocrmClient;
export const defaultAmocrmClients: AmocrmClientFactory = (c) => amocrmClient(c.endpoint, c.accessToken ?? '');

/** Asks amoCRM for the account: proves the address and the token. */
async function checkAmocrm(client: AmocrmClient): Promise<void> {
  try {
    await client.request('GET', '/api/v4/account');
  } catch (error) {
    const message = error instanceof CrmApiError ? error.message : String(error);
    throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `amoCRM did not accept the token: ${message}`, [{ path: 'token', code: 'crm_refused', message }]);
  }
}

function requireAdmin(principal: Principal): void {
  if (!isAdmin(principal)) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Only an administrator connects a CRM');
}

export const eventPathOf = (c: CrmConnectorRecord): string => `/crm/${c.kind}/${encodeURIComponent(c.publicKey)}/events`;

async function viewOf(ctx: AppContext, c: CrmConnectorRecord): Promise<CrmConnectorView> {
  const queue = await crmQueueOf(ctx.store.db, c.id);
  const mapped = (await listCrmUserMap(ctx.store.db, c.id)).length;
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    endpoint: c.kind === 'bitrix24' ? maskWebhookUrl(c.endpoint) : c.endpoint,
    eventPath: eventPathOf(c),
    eventTokenSet: c.eventToken !== null,
    ...c.settings,
    active: c.active,
    status: {
      lastSyncAt: c.lastSyncAt, lastPolledAt: c.lastPolledAt, lastSeenId: c.lastSeenId, lastError: c.lastError, lastErrorAt: c.lastErrorAt, leadsIn: c.leadsIn,
      queue: queue.pending, failed: queue.failed, mappedManagers: mapped,
    },
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

const audited = (c: CrmConnectorRecord) => ({ kind: c.kind, name: c.name, endpoint: c.kind === 'bitrix24' ? maskWebhookUrl(c.endpoint) : c.endpoint, settings: c.settings, active: c.active });

function webhookUrlOrFail(value: string): string {
  try {
    return normalizeWebhookUrl(value);
  } catch (error) {
    throw new LeadRouterError('LR_ERR_VALIDATION', 'This is not a Bitrix24 inbound webhook URL', [{ path: 'webhookUrl', code: 'invalid_url', message: error instanceof Error ? error.message : String(error) }]);
  }
}

/** Asks the portal for its newest lead: proves the webhook works with the crm scope, and is where the poll starts. */
async function newestLeadId(client: Bitrix24Client): Promise<string> {
  try {
    const { result } = await client.call<Array<{ ID: string }>>('crm.lead.list', { order: { ID: 'DESC' }, select: ['ID'], start: 0 });
    return String(result[0]?.ID ?? '0');
  } catch (error) {
    const message = error instanceof CrmApiError ? error.message : String(error);
    throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `Bitrix24 did not accept the webhook: ${message}`, [{ path: 'webhookUrl', code: 'crm_refused', message }]);
  }
}

export class CrmConnectors {
  constructor(
    private readonly ctx: AppContext,
    private readonly bitrix24: Bitrix24ClientFactory = defaultBitrix24Clients,
    private readonly amocrm: AmocrmClientFactory = defaultAmocrmClients,
  ) {}

  /** Connects an amoCRM account by its subdomain and a long-lived token (tried at once with GET /api/v4/account). */
  async connectAmocrm(principal: Principal, input: AmocrmConnect): Promise<CrmConnectorView> {
    requireAdmin(principal);
    let endpoint: string;
    try {
      endpoint = amocrmBaseUrl(input.account);
    } catch (error) {
      throw new LeadRouterError('LR_ERR_VALIDATION', 'This is not an amoCRM account', [{ path: 'account', code: 'invalid_account', message: error instanceof Error ? error.message : String(error) }]);
    }
    await checkAmocrm(this.amocrm({ endpoint, accessToken: input.token }));
    const created = await this.ctx.store.db.transaction().execute(async (trx) => {
      const at = this.ctx.now().toISOString();
      const name = input.name ?? new URL(endpoint).host;
      const { key } = await createApiKey(this.ctx, { name: `amoCRM: ${name}`, scopes: [] }, trx);
      const connector: CrmConnectorRecord = {
        id: this.ctx.newId(), kind: 'amocrm', name, publicKey: `lrc_${randomBytes(18).toString('base64url')}`, apiKeyId: key.id, endpoint, accessToken: input.token, eventToken: null,
        settings: {
          createLeads: input.createLeads ?? DEFAULT_CRM_SETTINGS.createLeads, pollIntervalSeconds: input.pollIntervalSeconds ?? DEFAULT_CRM_SETTINGS.pollIntervalSeconds,
          source: input.source ?? DEFAULT_CRM_SETTINGS.source, locale: input.locale ?? DEFAULT_CRM_SETTINGS.locale,
        },
        // The poll starts now (amoCRM's clock, Unix seconds): the account's history is not imported.
        active: true, lastSeenId: String(Math.floor(Date.now() / 1000)), lastPolledAt: null, lastSyncAt: at, lastError: null, lastErrorAt: null, leadsIn: 0, createdAt: at, updatedAt: at,
      };
      await insertCrmConnector(trx, connector);
      await recordAudit(this.ctx, trx, principal, [{ action: 'crm_connector.created', entity: 'crm_connector', entityId: connector.id, after: audited(connector) }]);
      return connector;
    });
    return await viewOf(this.ctx, created);
  }

  async list(principal: Principal): Promise<CrmConnectorView[]> {
    requireAdmin(principal);
    const all = await listCrmConnectors(this.ctx.store.db);
    return await Promise.all(all.map((c) => viewOf(this.ctx, c)));
  }

  async one(principal: Principal, id: string): Promise<CrmConnectorView> {
    requireAdmin(principal);
    return await viewOf(this.ctx, await this.find(id));
  }

  /** Connects a portal: the webhook is tried first (a wrong one is refused with the portal's answer), and the poll starts from its newest lead. */
  async connectBitrix24(principal: Principal, input: Bitrix24Connect): Promise<CrmConnectorView> {
    requireAdmin(principal);
    const endpoint = webhookUrlOrFail(input.webhookUrl);
    const lastSeenId = await newestLeadId(this.bitrix24({ endpoint }));
    const created = await this.ctx.store.db.transaction().execute(async (trx) => {
      const at = this.ctx.now().toISOString();
      const name = input.name ?? new URL(endpoint).host;
      // The connector's own key row: its leads are attributed to it and deduplicated by the CRM's ids. No scopes; its value is never kept.
      const { key } = await createApiKey(this.ctx, { name: `Bitrix24: ${name}`, scopes: [] }, trx);
      const connector: CrmConnectorRecord = {
        id: this.ctx.newId(), kind: 'bitrix24', name, publicKey: `lrc_${randomBytes(18).toString('base64url')}`, apiKeyId: key.id, endpoint, accessToken: null,
        eventToken: input.applicationToken ?? null,
        settings: {
          createLeads: input.createLeads ?? DEFAULT_CRM_SETTINGS.createLeads, pollIntervalSeconds: input.pollIntervalSeconds ?? DEFAULT_CRM_SETTINGS.pollIntervalSeconds,
          source: input.source ?? DEFAULT_CRM_SETTINGS.source, locale: input.locale ?? DEFAULT_CRM_SETTINGS.locale,
        },
        active: true, lastSeenId, lastPolledAt: null, lastSyncAt: at, lastError: null, lastErrorAt: null, leadsIn: 0, createdAt: at, updatedAt: at,
      };
      await insertCrmConnector(trx, connector);
      await recordAudit(this.ctx, trx, principal, [{ action: 'crm_connector.created', entity: 'crm_connector', entityId: connector.id, after: audited(connector) }]);
      return connector;
    });
    return await viewOf(this.ctx, created);
  }

  async change(principal: Principal, id: string, patch: CrmConnectorPatch): Promise<CrmConnectorView> {
    requireAdmin(principal);
    const before = await this.find(id);
    const endpoint = patch.webhookUrl !== undefined && before.kind === 'bitrix24' ? webhookUrlOrFail(patch.webhookUrl) : before.endpoint;
    if (endpoint !== before.endpoint) await newestLeadId(this.bitrix24({ endpoint }));
    const accessToken = before.kind === 'amocrm' && patch.token !== undefined ? patch.token : before.accessToken;
    if (accessToken !== before.accessToken) await checkAmocrm(this.amocrm({ endpoint, accessToken }));
    const after: CrmConnectorRecord = {
      ...before,
      name: patch.name ?? before.name,
      endpoint,
      accessToken,
      eventToken: patch.applicationToken ?? before.eventToken,
      active: patch.active ?? before.active,
      settings: {
        createLeads: patch.createLeads ?? before.settings.createLeads, pollIntervalSeconds: patch.pollIntervalSeconds ?? before.settings.pollIntervalSeconds,
        source: patch.source ?? before.settings.source, locale: patch.locale ?? before.settings.locale,
      },
      updatedAt: this.ctx.now().toISOString(),
    };
    await this.ctx.store.db.transaction().execute(async (trx) => {
      await updateCrmConnector(trx, after);
      await recordAudit(this.ctx, trx, principal, [{ action: 'crm_connector.changed', entity: 'crm_connector', entityId: id, before: audited(before), after: audited(after) }]);
    });
    return await viewOf(this.ctx, after);
  }

  /** Disconnects: its waiting deliveries fail (the CRM is no longer told), its links and user map go; the leads stay. */
  async remove(principal: Principal, id: string): Promise<void> {
    requireAdmin(principal);
    const before = await this.find(id);
    await this.ctx.store.db.transaction().execute(async (trx) => {
      await failPendingDeliveriesTo(trx, 'crm', id, 'The CRM connector was removed');
      await deleteCrmConnector(trx, id);
      await recordAudit(this.ctx, trx, principal, [{ action: 'crm_connector.removed', entity: 'crm_connector', entityId: id, before: audited(before) }]);
    });
  }

  /**
   * The mapping screen's data: every active manager with the CRM user mapped to them, the CRM's
   * active users (user.get), and for each unmapped manager the CRM user with the same e-mail.
   */
  async users(principal: Principal, id: string): Promise<{ managers: Array<{ managerId: string; name: string; email: string | null; crmUserId: string | null; crmUserName: string | null; suggestedCrmUserId: string | null }>; crmUsers: CrmUser[] }> {
    requireAdmin(principal);
    const connector = await this.find(id);
    const crmUsers = await this.crmUsers(connector);
    const mapped = new Map((await listCrmUserMap(this.ctx.store.db, id)).map((m) => [m.managerId, m]));
    const byEmail = new Map<string, CrmUser>();
    for (const u of crmUsers) if (u.email) byEmail.set(u.email.toLowerCase(), u);
    const managers = await this.managers();
    return {
      managers: managers.map((m) => {
        const own = mapped.get(m.id);
        const suggestion = m.emails.map((e) => byEmail.get(e)).find((u) => u !== undefined) ?? null;
        return { managerId: m.id, name: m.name, email: m.emails[0] ?? null, crmUserId: own?.crmUserId ?? null, crmUserName: own?.crmUserName ?? null, suggestedCrmUserId: suggestion?.id ?? null };
      }),
      crmUsers,
    };
  }

  async saveUserMap(principal: Principal, id: string, items: Array<{ managerId: string; crmUserId: string; crmUserName?: string | null | undefined }>): Promise<CrmUserMapping[]> {
    requireAdmin(principal);
    await this.find(id);
    const known = new Set((await this.managers()).map((m) => m.id));
    const issues = items.flatMap((item, i) => (known.has(item.managerId) ? [] : [{ path: `items[${i}].managerId`, code: 'unknown_manager', message: `No active manager ${item.managerId}` }]));
    if (issues.length > 0) throw new LeadRouterError('LR_ERR_VALIDATION', 'Some managers are unknown', issues);
    const seen = new Set<string>();
    const unique = items.filter((i) => (seen.has(i.managerId) ? false : (seen.add(i.managerId), true)));
    const mapping = unique.map((i) => ({ managerId: i.managerId, crmUserId: i.crmUserId, crmUserName: i.crmUserName ?? null }));
    await this.ctx.store.db.transaction().execute(async (trx) => {
      await replaceCrmUserMap(trx, id, mapping, this.ctx.now().toISOString());
      await recordAudit(this.ctx, trx, principal, [{ action: 'crm_connector.users_mapped', entity: 'crm_connector', entityId: id, after: { mapped: mapping.length } }]);
    });
    return mapping;
  }

  /** Maps every unmapped manager whose e-mail a CRM user has; keeps the mappings made by hand. */
  async matchByEmail(principal: Principal, id: string): Promise<{ matched: number; mapping: CrmUserMapping[] }> {
    const { managers, crmUsers } = await this.users(principal, id);
    const names = new Map(crmUsers.map((u) => [u.id, u.name]));
    let matched = 0;
    const items = managers.flatMap((m) => {
      if (m.crmUserId) return [{ managerId: m.managerId, crmUserId: m.crmUserId, crmUserName: m.crmUserName }];
      if (!m.suggestedCrmUserId) return [];
      matched += 1;
      return [{ managerId: m.managerId, crmUserId: m.suggestedCrmUserId, crmUserName: names.get(m.suggestedCrmUserId) ?? null }];
    });
    return { matched, mapping: await this.saveUserMap(principal, id, items) };
  }

  private async crmUsers(connector: CrmConnectorRecord): Promise<CrmUser[]> {
    if (connector.kind === 'amocrm') return await this.amocrmUsers(connector);
    const client = this.bitrix24(connector);
    const users: CrmUser[] = [];
    try {
      for (let start = 0; start < 5_000; start += 50) {
        const answer = await client.call<Array<{ ID: string; NAME?: string; LAST_NAME?: string; EMAIL?: string; ACTIVE?: boolean | string }>>('user.get', { FILTER: { ACTIVE: true }, start });
        for (const u of answer.result) {
          users.push({ id: String(u.ID), name: [u.NAME, u.LAST_NAME].filter((p) => typeof p === 'string' && p.trim() !== '').join(' ') || `#${u.ID}`, email: typeof u.EMAIL === 'string' && u.EMAIL !== '' ? u.EMAIL : null });
        }
        if (answer.next === undefined || answer.result.length === 0) break;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `Could not read the CRM's users: ${message}`, [{ path: 'crm', code: 'crm_refused', message }]);
    }
    return users;
  }

  /** GET /api/v4/users (admin token), 250 a page; inactive users are left out. */
  private async amocrmUsers(connector: CrmConnectorRecord): Promise<CrmUser[]> {
    const client = this.amocrm(connector);
    const users: CrmUser[] = [];
    try {
      for (let page = 1; page <= 20; page += 1) {
        const answer = await client.request<{ _embedded?: { users?: Array<{ id: number; name?: string; email?: string; rights?: { is_active?: boolean } }> }; _links?: { next?: unknown } } | null>('GET', `/api/v4/users?limit=250&page=${page}`);
        for (const u of answer?._embedded?.users ?? []) {
          if (u.rights?.is_active === false) continue;
          users.push({ id: String(u.id), name: u.name?.trim() || `#${u.id}`, email: u.email ? u.email : null });
        }
        if (!answer?._links?.next) break;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new LeadRouterError('LR_ERR_UNPROCESSABLE', `Could not read the CRM's users: ${message}`, [{ path: 'crm', code: 'crm_refused', message }]);
    }
    return users;
  }

  private async managers(): Promise<Array<{ id: string; name: string; emails: string[] }>> {
    const db = this.ctx.store.db;
    const rows = await db.selectFrom('managers').select(['id', 'name', 'email']).where('active', '=', 1).orderBy('name').orderBy('id').execute();
    const users = await db.selectFrom('users').select(['manager_id', 'email']).where('manager_id', 'is not', null).execute();
    const userEmails = new Map<string, string[]>();
    for (const u of users) if (u.manager_id) userEmails.set(u.manager_id, [...(userEmails.get(u.manager_id) ?? []), u.email.toLowerCase()]);
    return rows.map((r) => ({ id: r.id, name: r.name, emails: [...new Set([...(r.email ? [r.email.toLowerCase()] : []), ...(userEmails.get(r.id) ?? [])])] }));
  }

  private async find(id: string): Promise<CrmConnectorRecord> {
    const found = await findCrmConnector(this.ctx.store.db, id);
    if (!found) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No CRM connector ${id}`);
    return found;
  }
}

export interface CrmUser {
  id: string;
  name: string;
  email: string | null;
}
