import type { NotificationMessage } from '../../core/i18n/notification-text.js';
import type { ManagerId } from '../../core/ids.js';
import { awaitsQualification, QUALIFICATION_HOLD } from '../../core/lifecycle/qualification.js';
import { managerLocalDate } from '../../core/routing/availability.js';
import { findCompaniesByKeys, findContactsByKeys, type KnownCompany, type KnownContact } from '../../store/client-queries.js';
import { writeIntakeBatch } from '../../store/intake-batch-writer.js';
import { latestAssignments, type AssignmentRecord, type EventRecord, type OutboxMessage } from '../../store/journal-queries.js';
import { findOpenLeadsByKeys, NEW_LEAD_WORK, type LeadKey, type LeadRecord } from '../../store/lead-queries.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { loadQualificationSetting } from '../lifecycle/qualification-setting.js';
import type { RoutingSnapshotLoader } from '../routing/routing-snapshot.js';
import { takeRoutingTurn } from '../routing/routing-turn.js';
import { slaClockOf } from '../sla/sla-clock.js';
import { loadSlaSettings } from '../sla/sla-settings-cache.js';
import { idempotencyScope, sortByIdempotency } from './idempotency.js';
import { ClientIndex, ownerOf } from './match-lead.js';
import type { PreparedLead, SpamMark } from './prepare-lead.js';

/** One caller's leads: a single lead or a whole batch, accepted or refused together. */
export interface IntakeRequest {
  leads: PreparedLead[];
  /** The integration that sent the leads; null for people and the CLI. Idempotency keys are per API key. */
  apiKeyId: string | null;
  /** The request's Idempotency-Key: a retry of the same request returns the leads stored the first time. */
  idempotencyKey: string | null;
  actor: string;
  /**
   * A bulk import: no message per lead (the importer sends each manager one digest instead), and
   * SLA clocks only when `slaClocks` says so (a purchased base is no inbound lead waiting for a call).
   */
  bulk?: { slaClocks: boolean };
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
  /** The manager who registered the lead; null for leads from channels. */
  originator: ManagerSummary | null;
}

export type IntakeResult = { ok: true; items: IntakeOutcome[] } | { ok: false; error: LeadRouterError };

/**
 * Accepts, matches, routes and stores the leads of several requests in one transaction, one
 * statement per table for the whole batch. Each request gets its own result; a request whose
 * idempotency key was used for a different request is refused without touching the others.
 */
export async function intakeLeads(ctx: AppContext, snapshots: RoutingSnapshotLoader, requests: IntakeRequest[]): Promise<IntakeResult[]> {
  // Slow-moving data is read before the lock, so the lock is held only for the decision: the
  // performance figures, and the known contacts and companies (people edit those, intake does not).
  await snapshots.warm(ctx.store.db, ctx.now());
  const known = await knownClients(ctx, requests);
  const sla = await loadSlaSettings(ctx.store.db, ctx.now());
  const qualification = await loadQualificationSetting(ctx.store.db, ctx.now());
  return await ctx.store.db.transaction().execute(async (trx) => {
    const { at, snapshot, session } = await takeRoutingTurn(ctx, trx, snapshots);
    const atIso = at.toISOString();

    const { results, replays, firstInBatch, toRoute, hashes } = await sortByIdempotency(trx, requests);

    const clients = new ClientIndex(known.contacts, known.companies, await findOpenLeadsByKeys(trx, known.keys));

    const managerNames = new Map(snapshot.managers.map((m) => [m.id as string, m.name]));
    const profiles = new Map(snapshot.managers.map((m) => [m.id as string, m]));
    const ownerSummary = (id: string | null): ManagerSummary | null => (id ? { id, name: managerNames.get(id) ?? id } : null);

    const leads: LeadRecord[] = [];
    const assignments: AssignmentRecord[] = [];
    const events: EventRecord[] = [];
    const outbox: OutboxMessage[] = [];
    const leadKeys: LeadKey[] = [];
    const touchedManagers = new Set<ManagerId>();

    for (const { r, i } of toRoute) {
      const scoped = idempotencyScope(r) !== null;
      results[i] = {
        ok: true,
        items: r.leads.map((prepared, index) => {
          const id = ctx.newId();
          // Spam is no client: it is not linked to the contacts and companies a real lead would match.
          const match = prepared.spam ? {} : clients.match(prepared, snapshot.ruleSet.ownership.holdingOwner);
          const registration = prepared.registration ?? null;
          const spam = prepared.spam ?? null;
          // A lead held for a qualifier is not routed yet: it takes nobody's turn or capacity. One a
          // manager registered and keeps is theirs, not held. Spam is neither: it is kept as junk.
          const held = !spam && !registration?.keep && awaitsQualification(qualification, prepared.record.source);
          const decision = spam
            ? spamDecision(spam)
            : held
            ? QUALIFICATION_HOLD
            : session.route({
                lead: prepared.facts,
                at: at.getTime(),
                owner: ownerOf(match),
                ...(registration ? { registeredBy: { managerId: registration.originatorId as ManagerId, keep: registration.keep } } : {}),
              });
          const ownerId = decision.outcome === 'assigned' ? decision.managerId : null;
          if (ownerId) touchedManagers.add(ownerId);
          const lead: LeadRecord = {
            ...prepared.record,
            id,
            status: spam ? 'junk' : held ? 'qualification' : ownerId ? 'new' : 'pool',
            ownerId,
            originatorId: registration?.originatorId ?? null,
            contactId: match.contactId ?? null,
            companyId: match.companyId ?? null,
            duplicateOf: match.duplicateOf ?? null,
            match: Object.keys(match).length > 0 ? match : null,
            apiKeyId: r.apiKeyId,
            idempotencyKey: scoped ? r.idempotencyKey : null,
            idempotencyIndex: scoped ? index : null,
            requestHash: scoped ? (hashes[i] as string) : null,
            assignedAt: ownerId ? atIso : null,
            createdAt: atIso,
            updatedAt: atIso,
            work: spam ? { ...NEW_LEAD_WORK, junkReason: SPAM_REASON, closedAt: atIso } : NEW_LEAD_WORK,
          };
          const owner = ownerId ? profiles.get(ownerId) : undefined;
          const clock = owner && (r.bulk?.slaClocks ?? true) ? slaClockOf(lead, { id: owner.id, timeZone: owner.timeZone, workingHours: owner.workingHours, teamId: owner.teamId }, sla, at) : null;
          if (clock) lead.work = { ...NEW_LEAD_WORK, slaPolicyId: clock.policyId, slaKind: clock.kind, slaDueAt: clock.dueAt };
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
            traceJson: JSON.stringify(decision.trace),
            actor: r.actor,
            createdAt: atIso,
          };
          leads.push(lead);
          assignments.push(assignment);
          if (spam) {
            // Kept and counted, but nobody is told and it is no open lead a later one could repeat.
            events.push(
              { id: ctx.newId(), leadId: id, type: 'lead.created', actor: r.actor, payload: { source: lead.source, channel: lead.channel, duplicateOf: null }, createdAt: atIso },
              { id: ctx.newId(), leadId: id, type: 'lead.status_changed', actor: r.actor, payload: { leadId: id, from: null, to: 'junk', junkReason: SPAM_REASON, comment: decision.trace.summary, ownerId: null, spamCheck: spam.check }, createdAt: atIso },
            );
            return { status: 'created' as const, lead, assignment, owner: null, originator: null };
          }
          const keys = keysOf(id, prepared);
          leadKeys.push(...keys);
          clients.addOpenLead({ id, duplicateOf: lead.duplicateOf, ownerId, keys });
          const decided = held ? 'lead.awaiting_qualification' : ownerId ? 'lead.assigned' : 'lead.pooled';
          const payload = { leadId: id, managerId: ownerId, via: decision.via, ruleId: decision.ruleId, summary: decision.trace.summary };
          events.push(
            {
              id: ctx.newId(),
              leadId: id,
              type: 'lead.created',
              actor: r.actor,
              payload: { source: lead.source, channel: lead.channel, duplicateOf: lead.duplicateOf, ...(lead.originatorId ? { originatorId: lead.originatorId } : {}) },
              createdAt: atIso,
            },
            { id: ctx.newId(), leadId: id, type: decided, actor: r.actor, payload, createdAt: atIso },
          );
          const leadName = lead.name ?? lead.companyName ?? lead.phone ?? lead.email ?? id;
          const text = held ? `New lead ${leadName} waits for qualification` : ownerId ? `New lead ${leadName} (${lead.source ?? 'no source'})` : `New lead ${leadName} went to the pool`;
          // `message` is told in each recipient's language at delivery; `text` stays for webhooks.
          const message: NotificationMessage = held ? { key: 'newLeadQualification', lead: leadName } : ownerId ? { key: 'newLead', lead: leadName, source: lead.source ?? null } : { key: 'newLeadPool', lead: leadName };
          if (!r.bulk) outbox.push({ id: ctx.newId(), topic: decided, payload: { ...payload, text, message, audience: { managers: ownerId ? [ownerId] : [] } }, createdAt: atIso });
          // A pool lead is offered to everyone who may take it (Telegram's «Взять» by default).
          if (!r.bulk && decided === 'lead.pooled') outbox.push({ id: ctx.newId(), topic: 'lead.offered', payload: { leadId: id, text: `Lead ${leadName} is in the pool: take it`, message: { key: 'leadOffered', lead: leadName }, audience: { pool: true } }, createdAt: atIso });
          return { status: 'created' as const, lead, assignment, owner: ownerSummary(ownerId), originator: ownerSummary(lead.originatorId) };
        }),
      };
    }

    const timeZones = new Map(snapshot.managers.map((m) => [m.id as string, m.timeZone]));
    await writeIntakeBatch(trx, ctx.store.kind, {
      leads,
      leadKeys,
      assignments,
      events,
      outbox,
      states: session.changedStates(),
      loads: [...touchedManagers].map((id) => {
        const load = session.loadOf(id) ?? { open: 0, today: 0 };
        return { managerId: id, open: load.open, today: load.today, todayDate: managerLocalDate({ timeZone: timeZones.get(id) ?? 'UTC' }, at.getTime()) };
      }),
      decidedAt: atIso,
    });

    // Replays answer with what the first request stored, including its current decision.
    const replayed = await latestAssignments(trx, [...replays.values()].flat().map((l) => l.id));
    for (const [i, previous] of replays) {
      results[i] = {
        ok: true,
        items: previous.map((lead) => ({ status: 'replayed' as const, lead, assignment: replayed.get(lead.id) as AssignmentRecord, owner: ownerSummary(lead.ownerId), originator: ownerSummary(lead.originatorId) })),
      };
    }
    requests.forEach((r, i) => {
      if (results[i] !== undefined) return;
      const first = results[firstInBatch.get(idempotencyScope(r) ?? '') ?? -1];
      if (first?.ok) results[i] = { ok: true, items: first.items.map((item) => ({ ...item, status: 'replayed' as const })) };
    });
    return results.map((res) => res ?? { ok: false, error: new LeadRouterError('LR_ERR_INTERNAL') });
  });
}

async function knownClients(ctx: AppContext, requests: IntakeRequest[]): Promise<{ contacts: KnownContact[]; companies: KnownCompany[]; keys: { phones: string[]; emails: string[]; taxIds: string[] } }> {
  const all = requests.flatMap((r) => r.leads);
  const keys = {
    phones: unique(all.flatMap((l) => l.keys.phones)),
    emails: unique(all.flatMap((l) => l.keys.emails)),
    taxIds: unique(all.flatMap((l) => (l.keys.taxId ? [l.keys.taxId] : []))),
  };
  const contacts = await findContactsByKeys(ctx.store.db, { phones: keys.phones, emails: keys.emails });
  const companies = await findCompaniesByKeys(ctx.store.db, {
    taxIds: keys.taxIds,
    domains: unique(all.flatMap((l) => (l.keys.domain ? [l.keys.domain] : []))),
    nameKeys: unique(all.flatMap((l) => (l.keys.companyNameKey ? [l.keys.companyNameKey] : []))),
    ids: unique(contacts.flatMap((c) => (c.companyId ? [c.companyId] : []))),
  });
  return { contacts, companies, keys };
}

function keysOf(leadId: string, lead: PreparedLead): LeadKey[] {
  return [
    ...lead.keys.phones.map((value) => ({ kind: 'phone' as const, value, leadId })),
    ...lead.keys.emails.map((value) => ({ kind: 'email' as const, value, leadId })),
    ...(lead.keys.taxId ? [{ kind: 'taxId' as const, value: lead.keys.taxId, leadId }] : []),
  ];
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** The junk reason spam is stored with (a key of the starting junk catalogue). */
const SPAM_REASON = 'spam';

/** What a spam lead's decision says: nobody's turn was taken, nothing was routed. */
function spamDecision(spam: SpamMark): { outcome: 'pool'; via: 'spam'; ruleId: null; trace: { summary: string } } {
  return { outcome: 'pool', via: 'spam', ruleId: null, trace: { summary: `Spam (${spam.check}: ${spam.detail}); kept as junk, not routed` } };
}
