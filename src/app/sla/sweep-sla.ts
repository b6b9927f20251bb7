import type { NotificationMessage } from '../../core/i18n/notification-text.js';
import type { Kysely } from 'kysely';
import type { ManagerId } from '../../core/ids.js';
import { reassignmentRuleSet } from '../../core/sla/reassignment-rules.js';
import { decideBreach, escalationAfterFailedReassign, warningWindows, type BreachAction } from '../../core/sla/sla-policy.js';
import { appendEvents, enqueueOutbox } from '../../store/journal-queries.js';
import { findLead, type LeadRecord } from '../../store/lead-queries.js';
import { findManagerRow } from '../../store/manager-queries.js';
import { takeRoutingLock } from '../../store/routing-lock.js';
import { saveRoutingStates } from '../../store/routing-state-queries.js';
import type { Database } from '../../store/schema.js';
import { findSlaPolicy } from '../../store/sla-queries.js';
import {
  claimSlaBreach,
  clocksToWarn,
  countReassignment,
  headManagerOfTeam,
  lapsedClocks,
  latestRuleOf,
  markEscalated,
  markSlaWarned,
  previousOwners,
  stopSlaClock,
  type DueCursor,
  type DueLead,
} from '../../store/sla-sweep-queries.js';
import { actorName, SYSTEM } from '../access/principal.js';
import { cancelPendingTransfers } from '../transfers/pending-transfers.js';
import type { AppContext } from '../app-context.js';
import { factsOfRecord } from '../intake/prepare-lead.js';
import { changeOwner } from '../leads/change-owner.js';
import type { RoutingSnapshotLoader } from '../routing/routing-snapshot.js';
import { routingSessionOf } from '../routing/routing-turn.js';
import { rearmSla } from './sla-clock.js';
import { loadSlaSettings } from './sla-settings-cache.js';

export interface SweepReport {
  warned: number;
  breached: number;
  reassigned: number;
  escalated: number;
  /** Breaches left for the next sweep after an error (the lead is unchanged); see `errors`. */
  failed: number;
  errors: unknown[];
  /** The sweep stopped at its page limit with clocks still due: sweep again without waiting. */
  more: boolean;
}

export interface SweepOptions {
  /** Leads read per page, earliest deadline first. */
  batchSize?: number;
  /** Pages of warnings, and pages of breaches, one sweep reads at most: a backlog is worked off over several sweeps. */
  maxPages?: number;
}

const ACTOR = actorName(SYSTEM('sla-sweeper'));
const DEFAULT_BATCH = 200;
const DEFAULT_MAX_PAGES = 25;

/**
 * One pass of the SLA sweeper: warns owners whose deadline is near, then handles each lapsed
 * clock — notify, hand the lead to the next manager of the same rule (never back to one who
 * had it), or escalate once the policy's reassignments are used up. Reads only clocks that
 * need action now, page after page, so however many clocks run, a due one is reached. Safe in
 * several processes at once: every warning and every breach is claimed by a conditional
 * update, and each breach runs in its own transaction under the routing lock, so a lead is
 * handled exactly once.
 */
export async function sweepSla(ctx: AppContext, snapshots: RoutingSnapshotLoader, options: SweepOptions = {}): Promise<SweepReport> {
  const batch = options.batchSize ?? DEFAULT_BATCH;
  const pages = { batch, max: options.maxPages ?? DEFAULT_MAX_PAGES };
  const db = ctx.store.db;
  const report: SweepReport = { warned: 0, breached: 0, reassigned: 0, escalated: 0, failed: 0, errors: [], more: false };

  const warnAt = ctx.now();
  const windows = warningWindows((await loadSlaSettings(db, warnAt)).policies);
  const warningsDone = await eachPage(pages, (after) => clocksToWarn(db, warnAt, windows, batch, after), async (page) => {
    report.warned += await sendWarnings(ctx, page, warnAt);
  });

  const lapsedAt = ctx.now().toISOString();
  const breachesDone = await eachPage(pages, (after) => lapsedClocks(db, lapsedAt, batch, after), async (page) => {
    for (const due of page) {
      let action: BreachOutcome | null;
      try {
        action = await handleBreach(ctx, snapshots, due);
      } catch (error) {
        // One lead that cannot be handled (its owner was removed meanwhile, …) must not hold up the rest.
        report.failed += 1;
        report.errors.push(error);
        continue;
      }
      if (action === null) continue;
      report.breached += 1;
      if (action === 'reassigned') report.reassigned += 1;
      if (action === 'escalated') report.escalated += 1;
    }
  });
  report.more = !warningsDone || !breachesDone;
  return report;
}

/**
 * Reads due clocks page after page, each page after the last one read (a lead that failed or
 * moved on is not read again), until a page comes back short; false when it stopped at the limit.
 */
async function eachPage(pages: { batch: number; max: number }, read: (after: DueCursor | null) => Promise<DueLead[]>, handle: (page: DueLead[]) => Promise<void>): Promise<boolean> {
  let after: DueCursor | null = null;
  for (let n = 0; n < pages.max; n++) {
    const page = await read(after);
    if (page.length > 0) await handle(page);
    const last = page[page.length - 1];
    if (page.length < pages.batch || !last) return true;
    after = { dueAt: last.dueAt, id: last.id };
  }
  return false;
}

async function sendWarnings(ctx: AppContext, due: DueLead[], now: Date): Promise<number> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    let warned = 0;
    const at = now.toISOString();
    for (const lead of due) {
      // Another sweeper may have warned first: only the one whose mark sticks sends the message.
      if (!(await markSlaWarned(trx, lead.id, lead.dueAt, at))) continue;
      const minutesLeft = Math.max(0, Math.round((Date.parse(lead.dueAt) - now.getTime()) / 60_000));
      await enqueueOutbox(trx, [
        {
          id: ctx.newId(),
          topic: 'sla.warning',
          payload: {
            leadId: lead.id,
            text: `Lead ${lead.name ?? lead.id}: ${clockName(lead.kind)} is due in ${minutesLeft} min`,
            message: { key: 'slaWarning', lead: lead.name ?? lead.id, clock: lead.kind ?? 'first_contact', minutes: minutesLeft } satisfies NotificationMessage,
            audience: { managers: [lead.ownerId as string] },
            kind: lead.kind,
            dueAt: lead.dueAt,
          },
          createdAt: at,
        },
      ]);
      warned += 1;
    }
    return warned;
  });
}

type BreachOutcome = 'reassigned' | 'escalated' | 'notified';

/** Handles one lapsed clock in its own transaction; null when another process handled it first or it moved on. */
async function handleBreach(ctx: AppContext, snapshots: RoutingSnapshotLoader, due: DueLead): Promise<BreachOutcome | null> {
  await snapshots.warm(ctx.store.db, ctx.now());
  return await ctx.store.db.transaction().execute(async (trx) => {
    // The lock first, then the lead: a sweeper that waited reads what the other one committed.
    const lead = await findLeadUnderLock(trx, due.id);
    const at = ctx.now();
    const atIso = at.toISOString();
    if (!lead || lead.work.version !== due.version || lead.work.slaDueAt === null || Date.parse(lead.work.slaDueAt) > at.getTime() || !lead.ownerId) return null;
    if (!(await claimSlaBreach(trx, lead.id, lead.work.version, atIso))) return null;
    const claimed: LeadRecord = { ...lead, work: { ...lead.work, slaBreaches: lead.work.slaBreaches + 1, version: lead.work.version + 1 } };
    const owner = lead.ownerId;
    const policy = lead.work.slaPolicyId ? ((await findSlaPolicy(trx, lead.work.slaPolicyId)) ?? null) : null;

    const details = { kind: lead.work.slaKind, dueAt: lead.work.slaDueAt, breaches: claimed.work.slaBreaches, policyId: lead.work.slaPolicyId };
    const leadName = lead.name ?? lead.companyName ?? lead.id;
    await appendEvents(trx, [{ id: ctx.newId(), leadId: lead.id, type: 'sla.breached', actor: ACTOR, payload: { ...details, managerId: owner }, createdAt: atIso }]);
    await enqueueOutbox(trx, [
      {
        id: ctx.newId(),
        topic: 'sla.breached',
        payload: { leadId: lead.id, text: `Lead ${leadName}: ${clockName(lead.work.slaKind)} deadline missed`, message: { key: 'slaBreached', lead: leadName, clock: lead.work.slaKind ?? 'first_contact' } satisfies NotificationMessage, audience: { managers: [owner], headsOf: [owner] }, managerId: owner, ...details },
        createdAt: atIso,
      },
    ]);

    // An escalated lead that lapsed again has nowhere further to go: the head was told; the clock stops.
    if (lead.work.escalatedAt !== null) {
      await stopSlaClock(trx, lead.id);
      return 'notified';
    }

    let action: BreachAction = decideBreach(lead.work.reassignments, policy);
    if (action.kind === 'reassign') {
      const moved = await reassign(ctx, trx, snapshots, claimed, at);
      if (moved) {
        await rearmSla(ctx, trx, [lead.id], at);
        return 'reassigned';
      }
      action = escalationAfterFailedReassign(policy);
    }
    await escalate(ctx, trx, claimed, action.kind === 'escalate' ? action.to : 'head', at);
    await rearmSla(ctx, trx, [lead.id], at);
    return 'escalated';
  });
}

async function findLeadUnderLock(trx: Kysely<Database>, id: string): Promise<LeadRecord | undefined> {
  await takeRoutingLock(trx);
  return await findLead(trx, id);
}

/** Routes the lead again by the same rule, without anyone who ever had it; false when nobody new can take it. */
async function reassign(ctx: AppContext, trx: Kysely<Database>, snapshots: RoutingSnapshotLoader, lead: LeadRecord, at: Date): Promise<boolean> {
  const snapshot = await snapshots.load(trx, at);
  const ruleId = await latestRuleOf(trx, lead.id);
  const session = routingSessionOf(snapshot, reassignmentRuleSet(snapshot.ruleSet, ruleId));
  const excluded = new Set((await previousOwners(trx, lead.id)) as ManagerId[]);
  if (lead.ownerId) excluded.add(lead.ownerId as ManagerId);
  const decision = session.route({ lead: factsOfRecord(lead), at: at.getTime(), excludeManagers: excluded });
  if (decision.outcome !== 'assigned' || excluded.has(decision.managerId)) return false;
  // A request to hand over a lead the sweeper takes away could never be approved.
  await cancelPendingTransfers(ctx, trx, SYSTEM('sla-sweeper'), [lead.id], 'The SLA reassigned the lead');
  await changeOwner(ctx, trx, {
    lead,
    toManagerId: decision.managerId,
    via: 'sla',
    actor: ACTOR,
    reason: `${clockName(lead.work.slaKind)} deadline missed`,
    trace: decision.trace,
    ruleId: decision.ruleId,
    ruleSetVersion: snapshot.ruleSetVersion,
    topic: 'lead.reassigned',
    audience: { managers: lead.ownerId ? [lead.ownerId] : [], headsOf: lead.ownerId ? [lead.ownerId] : [] },
    details: { breaches: lead.work.slaBreaches, reassignments: lead.work.reassignments + 1 },
    status: lead.status,
  });
  await saveRoutingStates(trx, session.changedStates());
  await countReassignment(trx, lead.id);
  return true;
}

/** To the head of the owner's team when that head takes leads, otherwise (or when asked) to the pool. */
async function escalate(ctx: AppContext, trx: Kysely<Database>, lead: LeadRecord, to: 'head' | 'pool', at: Date): Promise<void> {
  const owner = lead.ownerId;
  let head: string | null = null;
  if (to === 'head' && owner) {
    const teamId = (await findManagerRow(trx, owner))?.team_id ?? null;
    head = teamId ? await headManagerOfTeam(trx, teamId) : null;
    if (head === owner) head = null;
  }
  // A request to hand over a lead the sweeper takes away could never be approved.
  await cancelPendingTransfers(ctx, trx, SYSTEM('sla-sweeper'), [lead.id], 'The SLA escalated the lead');
  await changeOwner(ctx, trx, {
    lead,
    toManagerId: head,
    via: 'escalation',
    actor: ACTOR,
    reason: head ? 'SLA missed after every reassignment: escalated to the head of sales' : 'SLA missed after every reassignment: sent to the pool',
    topic: 'lead.escalated',
    audience: { managers: owner ? [owner] : [], headsOf: owner ? [owner] : [] },
    details: { breaches: lead.work.slaBreaches, reassignments: lead.work.reassignments, escalatedTo: head ? 'head' : 'pool' },
    ...(head ? { status: lead.status } : {}),
  });
  await markEscalated(trx, lead.id, at.toISOString());
}

function clockName(kind: string | null): string {
  return kind === 'next_step' ? 'next step' : 'first contact';
}
