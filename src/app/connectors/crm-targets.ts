import type { Kysely } from 'kysely';
import { listCrmConnectors } from '../../store/crm-connector-queries.js';
import type { Database } from '../../store/schema.js';
import type { OutgoingMessage } from '../notifications/channels/channel.js';

/** The owner changes a CRM hears about: the routing decision, SLA reassignment, a head's reassignment, a claim, an approved transfer. */
export const CRM_TOPICS: ReadonlySet<string> = new Set(['lead.assigned', 'lead.reassigned', 'lead.claimed', 'transfer.decided']);

/**
 * Which connected CRMs get a delivery for each message: an owner change of a lead that came
 * from the CRM or was created there by leadrouter, or of any lead when the connector creates
 * leads from other channels. Three reads per fan-out pass, and none without a connector.
 */
export async function crmDeliveryTargets(db: Kysely<Database>, messages: OutgoingMessage[]): Promise<Array<{ outgoing: OutgoingMessage; connectorId: string }>> {
  const relevant = messages.filter((m) => CRM_TOPICS.has(m.topic) && typeof m.payload.leadId === 'string' && typeof m.payload.managerId === 'string');
  if (relevant.length === 0) return [];
  const connectors = await listCrmConnectors(db, { activeOnly: true });
  if (connectors.length === 0) return [];
  const leadIds = [...new Set(relevant.map((m) => m.payload.leadId as string))];
  const origins = new Map<string, string | null>();
  const links = new Set<string>();
  for (let i = 0; i < leadIds.length; i += 500) {
    const chunk = leadIds.slice(i, i + 500);
    for (const row of await db.selectFrom('leads').select(['id', 'api_key_id']).where('id', 'in', chunk).execute()) origins.set(row.id, row.api_key_id);
    for (const row of await db.selectFrom('crm_lead_links').select(['connector_id', 'lead_id']).where('lead_id', 'in', chunk).execute()) links.add(`${row.connector_id}\u0000${row.lead_id}`);
  }
  const targets: Array<{ outgoing: OutgoingMessage; connectorId: string }> = [];
  for (const outgoing of relevant) {
    const leadId = outgoing.payload.leadId as string;
    for (const c of connectors) {
      if (c.settings.createLeads || origins.get(leadId) === c.apiKeyId || links.has(`${c.id}\u0000${leadId}`)) targets.push({ outgoing, connectorId: c.id });
    }
  }
  return targets;
}
