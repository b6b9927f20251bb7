import type { ManagerId } from '../../core/ids.js';
import { managerLocalDate } from '../../core/routing/availability.js';
import { createRoutingSession } from '../../core/routing/create-routing-session.js';
import type { Decision } from '../../core/routing/trace.js';
import { findCompaniesByKeys, findContactsByKeys } from '../../store/client-queries.js';
import { saveManagerLoads } from '../../store/manager-queries.js';
import { findLeadsByIdempotencyKeys, findOpenLeadsByKeys, type LeadRecord } from '../../store/lead-queries.js';
import { appendEvents, enqueueOutbox, insertAssignments, latestAssignments, type AssignmentRecord, type EventRecord, type OutboxMessage } from '../../store/journal-queries.js';
import { insertLeads } from '../../store/lead-queries.js';
import { takeRoutingLock } from '../../store/routing-lock.js';
import { saveRoutingStates } from '../../store/routing-state-queries.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { RoutingSnapshotLoader } from '../routing/routing-snapshot.js';
import { ClientIndex, ownerOf } from './match-lead.js';
import type { PreparedLead } from './prepare-lead.js';

/** One caller's leads: a single lead or a whole batch, accepted or refused together. */
export interface IntakeRequest {
  leads: PreparedLead[];
  /** The integration that sent the leads; null for people and the CLI. Idempotency keys are per API key. */
  apiKeyId: string | null;
  /** The request's Idempotency-Key; lead i of a batch is stored under `${key}#${i}`. */
  idempotencyKey: string | null;
  actor: string;
}

export interface ManagerSummary {
  id: string;
  name: string;
}

export interface IntakeOutcome {
  status: 'created' | 'replayed';
  lead: LeadRecord;
  assignment: AssignmentRecord;
  owner: ManagerSummary | null;
}

export type IntakeResult = { ok: true; items: IntakeOutcome[] } | { ok: false; error: LeadRouterError };

function itemKey(request: IntakeRequest, index: number): string | null {
  if (request.idempotencyKey === null || request.apiKeyId === null) return null;
  return request.leads.length === 1 ? request.idempotencyKey : `${request.idempotencyKey}#${index}`;
}

/**
 * Accepts, matches, routes and stores the leads of several requests in one transaction: one
 * statement per table for the whole batch. Each request gets its own result; a request whose
 * idempotency key was used for a different body is refused without touching the others.
 */
export async function intakeLeads(ctx: AppContext, snapshots: RoutingSnapshotLoader, requests: IntakeRequest[]): Promise<IntakeResult[]> {
  const at = ctx.now();
  const atIso = at.toISOString();
  return await ctx.store.db.transaction().execute(async (trx) => {
    await takeRoutingLock(trx, ctx.store.kind);

    // Idempotency: earlier requests' leads, then repeats inside this batch.
    const results: Array<IntakeResult | undefined> = new Array(requests.length);
    const replays = new Map<number, LeadRecord[]>();
    const keysByApiKey = new Map<string, string[]>();
    for (const r of requests) {
      if (r.idempotencyKey === null || r.apiKeyId === null) continue;
      const keys = keysByApiKey.get(r.apiKeyId) ?? [];
      r.leads.forEach((_, j) => keys.push(itemKey(r, j) as string));
      keysByApiKey.set(r.apiKeyId, keys);
    }
    const stored = new Map<string, LeadRecord>();
    for (const [apiKeyId, keys] of keysByApiKey) {
      for (const lead of await findLeadsByIdempotencyKeys(trx, apiKeyId, keys)) stored.set(`${apiKeyId}\u0000${lead.idempotencyKey}`, lead);
    }
    const claimedInBatch = new Map<string, { request: number; hash: string }>();
    requests.forEach((r, i) => {
      if (r.idempotencyKey === null || r.apiKeyId === null) return;
      const previous = r.leads.map((_, j) => stored.get(`${r.apiKeyId}\u0000${itemKey(r, j)}`));
      if (previous.some((p) => p !== undefined)) {
        const same = previous.length === r.leads.length && previous.every((p, j) => p !== undefined && p.requestHash === r.leads[j]?.requestHash);
        if (same) replays.set(i, previous as LeadRecord[]);
        else results[i] = { ok: false, error: new LeadRouterError('LR_ERR_IDEMPOTENCY_MISMATCH') };
        return;
      }
      const batchKey = `${r.apiKeyId}\u0000${r.idempotencyKey}`;
      const hash = r.leads.map((l) => l.requestHash).join(',');
      const claimed = claimedInBatch.get(batchKey);
      if (claimed === undefined) claimedInBatch.set(batchKey, { request: i, hash });
      else if (claimed.hash !== hash) results[i] = { ok: false, error: new LeadRouterError('LR_ERR_IDEMPOTENCY_MISMATCH') };
    });

    const toRoute = requests.map((r, i) => ({ r, i })).filter(({ r, i }) => results[i] === undefined && !replays.has(i) && isFirstClaim(claimedInBatch, r, i));
    const allLeads = toRoute.flatMap(({ r }) => r.leads);

    const phones = unique(allLeads.flatMap((l) => l.keys.phones));
    const emails = unique(allLeads.flatMap((l) => l.keys.emails));
    const taxIds = unique(allLeads.flatMap((l) => (l.keys.taxId ? [l.keys.taxId] : [])));
    const contacts = await findContactsByKeys(trx, { phones, emails });
    const companies = await findCompaniesByKeys(trx, {
      taxIds,
      domains: unique(allLeads.flatMap((l) => (l.keys.domain ? [l.keys.domain] : []))),
      nameKeys: unique(allLeads.flatMap((l) => (l.keys.companyNameKey ? [l.keys.companyNameKey] : []))),
      ids: unique(contacts.flatMap((c) => (c.companyId ? [c.companyId] : []))),
    });
    const openLeads = await findOpenLeadsByKeys(trx, { phones, emails, taxIds });
    const clients = new ClientIndex(contacts, companies, openLeads);

    const snapshot = await snapshots.load(trx, at);
    const session = createRoutingSession({
      ruleSet: snapshot.ruleSet,
      ruleSetVersion: snapshot.ruleSetVersion,
      managers: snapshot.managers,
      states: snapshot.states,
      priorConversionRate: snapshot.priorConversionRate,
    });
    const managerNames = new Map(snapshot.managers.map((m) => [m.id as string, m.name]));

    const leads: LeadRecord[] = [];
    const assignments: AssignmentRecord[] = [];
    const events: EventRecord[] = [];
    const outbox: OutboxMessage[] = [];
    const touchedManagers = new Set<ManagerId>();

    for (const { r, i } of toRoute) {
      const items: IntakeOutcome[] = [];
      r.leads.forEach((prepared, j) => {
        const id = ctx.newId();
        const match = clients.match(prepared);
        const decision: Decision = session.route({ lead: prepared.facts, at: at.getTime(), owner: ownerOf(match) });
        const ownerId = decision.outcome === 'assigned' ? decision.managerId : null;
        if (ownerId) touchedManagers.add(ownerId);
        const lead: LeadRecord = {
          ...prepared.record,
          id,
          status: ownerId ? 'new' : 'pool',
          ownerId,
          contactId: match.contactId ?? null,
          companyId: match.companyId ?? null,
          duplicateOf: match.duplicateOf ?? null,
          match: Object.keys(match).length > 0 ? match : null,
          apiKeyId: r.apiKeyId,
          idempotencyKey: itemKey(r, j),
          requestHash: prepared.requestHash,
          assignedAt: ownerId ? atIso : null,
          createdAt: atIso,
          updatedAt: atIso,
        };
        const assignment: AssignmentRecord = {
          id: ctx.newId(),
          leadId: id,
          managerId: ownerId,
          outcome: decision.outcome,
          via: decision.via,
          ruleId: decision.ruleId,
          strategy: decision.outcome === 'assigned' ? decision.strategy : null,
          ruleSetVersion: snapshot.ruleSetVersion,
          trace: decision.trace,
          actor: r.actor,
          createdAt: atIso,
        };
        leads.push(lead);
        assignments.push(assignment);
        clients.addOpenLead({ id, ownerId, phone: lead.phone, email: prepared.keys.emails[0] ?? null, taxId: prepared.keys.taxId });
        events.push({ id: ctx.newId(), leadId: id, type: 'lead.created', actor: r.actor, payload: { source: lead.source, channel: lead.channel, duplicateOf: lead.duplicateOf }, createdAt: atIso });
        const decided = ownerId ? 'lead.assigned' : 'lead.pooled';
        const payload = { leadId: id, managerId: ownerId, via: decision.via, ruleId: decision.ruleId, summary: decision.trace.summary };
        events.push({ id: ctx.newId(), leadId: id, type: decided, actor: r.actor, payload, createdAt: atIso });
        outbox.push({ id: ctx.newId(), topic: decided, payload, createdAt: atIso });
        items.push({ status: 'created', lead, assignment, owner: ownerId ? { id: ownerId, name: managerNames.get(ownerId) ?? ownerId } : null });
      });
      results[i] = { ok: true, items };
    }

    await insertLeads(trx, leads);
    if (assignments.length) await insertAssignments(trx, assignments);
    if (events.length) await appendEvents(trx, events);
    if (outbox.length) await enqueueOutbox(trx, outbox);
    await saveRoutingStates(trx, session.changedStates());
    const byId = new Map(snapshot.managers.map((m) => [m.id as string, m]));
    await saveManagerLoads(
      trx,
      [...touchedManagers].map((id) => {
        const load = session.loadOf(id) ?? { open: 0, today: 0 };
        const timeZone = byId.get(id)?.timeZone ?? 'UTC';
        return { managerId: id, open: load.open, today: load.today, todayDate: managerLocalDate({ timeZone }, at.getTime()) };
      }),
      atIso,
    );

    // Replays answer with what the first request stored, including its current owner.
    const replayLeads = [...replays.values()].flat();
    const replayAssignments = await latestAssignments(trx, replayLeads.map((l) => l.id));
    for (const [i, stored] of replays) {
      results[i] = {
        ok: true,
        items: stored.map((lead) => ({
          status: 'replayed' as const,
          lead,
          assignment: replayAssignments.get(lead.id) as AssignmentRecord,
          owner: lead.ownerId ? { id: lead.ownerId, name: managerNames.get(lead.ownerId) ?? lead.ownerId } : null,
        })),
      };
    }
    // A repeat of a request made earlier in this same batch answers with the first one's leads.
    requests.forEach((r, i) => {
      if (results[i] !== undefined || r.idempotencyKey === null || r.apiKeyId === null) return;
      const first = claimedInBatch.get(`${r.apiKeyId}\u0000${r.idempotencyKey}`);
      const firstResult = first ? results[first.request] : undefined;
      if (firstResult?.ok) results[i] = { ok: true, items: firstResult.items.map((item) => ({ ...item, status: 'replayed' as const })) };
    });
    return results.map((res) => res ?? { ok: false, error: new LeadRouterError('LR_ERR_INTERNAL') });
  });
}

function isFirstClaim(claims: Map<string, { request: number }>, r: IntakeRequest, i: number): boolean {
  if (r.idempotencyKey === null || r.apiKeyId === null) return true;
  return claims.get(`${r.apiKeyId}\u0000${r.idempotencyKey}`)?.request === i;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
