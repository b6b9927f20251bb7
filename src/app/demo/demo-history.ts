import { sql } from 'kysely';
import type { CountryCode } from '../../core/normalize/index.js';
import type { WeeklyHours } from '../../core/routing/manager-profile.js';
import { addBusinessMinutes, type BusinessCalendar } from '../../core/sla/business-clock.js';
import { findLead, findLeadsByIds, type LeadRecord } from '../../store/lead-queries.js';
import type { UserPrincipal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { isLeadRouterError } from '../errors.js';
import { intakeLeads } from '../intake/intake-leads.js';
import type { LeadInput } from '../intake/lead-input.js';
import { prepareLead } from '../intake/prepare-lead.js';
import { logActivity } from '../lifecycle/activities.js';
import { changeLeadStatus } from '../lifecycle/change-status.js';
import { convertLead } from '../lifecycle/convert-lead.js';
import { changeDeal } from '../lifecycle/deals.js';
import { claimLead } from '../pool/claim-lead.js';
import type { RoutingSnapshotLoader } from '../routing/routing-snapshot.js';
import { sweepSla } from '../sla/sweep-sla.js';
import { approveTransfer, rejectTransfer } from '../transfers/decide-transfer.js';
import { requestTransfer } from '../transfers/request-transfer.js';

/**
 * Two weeks of a sales department at work, played through the app's own use cases with the
 * clock set to the moment each thing happens: leads arrive through intake, managers call them
 * (some fast, some slow, mostly in their working hours, a few never), move them along the
 * pipeline or mark them junk, convert them into deals that are won or lost, ask to hand leads
 * over and the head decides, claim leads from the pool; the SLA sweeper runs whenever a
 * deadline lapses, as the server's loop would. Every report then reads real records.
 */

/** How fast a manager makes the first call: the median delay in business minutes, and the share of leads never called. */
export interface Pace {
  medianMinutes: number;
  never: number;
}

export interface DemoPerson {
  principal: UserPrincipal;
  calendar: BusinessCalendar;
  pace: Pace;
  teamId: string | null;
}

export interface HistoryPlan {
  /** Arrivals, earliest first. */
  arrivals: Array<{ at: number; lead: LeadInput; /** Sent alone, with this Idempotency-Key. */ key?: string }>;
  /** Something the department changes at a moment of the history (a setting), run in its turn. */
  changes?: Array<{ at: number; run: (ctx: AppContext) => Promise<unknown> }>;
  /** Who works the leads, by manager id. */
  people: Map<string, DemoPerson>;
  /** Decides transfers of managers without a head of their own team. */
  admin: UserPrincipal;
  /** The head of sales: decides the Moscow team's transfers. */
  head: UserPrincipal;
  /** The end of the history: nothing is done after it. */
  end: number;
  apiKeyId: string;
}

export interface HistoryFigures {
  leads: number;
  contacts: number;
  sweeps: number;
  transfers: number;
  claims: number;
}

/** How much slower (or faster) than usual a lead of each source is called. */
const SOURCE_SPEED: Record<string, number> = { call: 0.3, website: 1, 'yandex-direct': 1, telegram: 0.8, email: 1.4, exhibition: 1.6, partner: 1, 'purchased-base': 1.2 };
/** The share of a source's leads found to be junk at the first call, and why. */
const SOURCE_JUNK: Record<string, { share: number; reasons: string[] }> = {
  'purchased-base': { share: 0.75, reasons: ['wrong_contact', 'wrong_contact', 'no_need', 'no_need', 'duplicate'] },
  telegram: { share: 0.4, reasons: ['spam', 'spam', 'test', 'no_need'] },
  'yandex-direct': { share: 0.15, reasons: ['spam', 'no_need', 'competitor', 'wrong_contact'] },
  website: { share: 0.1, reasons: ['spam', 'duplicate', 'test', 'no_need'] },
  email: { share: 0.1, reasons: ['spam', 'wrong_contact'] },
  exhibition: { share: 0.08, reasons: ['no_need', 'wrong_contact'] },
  call: { share: 0.05, reasons: ['no_need', 'competitor'] },
  partner: { share: 0.03, reasons: ['duplicate'] },
};
const TRANSFER_REASONS = ['client_request', 'overloaded', 'wrong_product', 'wrong_region', 'client_request', 'language'];
const TRANSFER_COMMENTS: Record<string, string> = {
  client_request: 'Клиент просит менеджера, с которым работал раньше',
  overloaded: 'Много открытых заявок, не успеваю перезвонить',
  wrong_product: 'Клиенту нужна аналитика, это не мой продукт',
  wrong_region: 'Компания на самом деле из другого региона',
  language: 'Клиенту удобнее на английском',
  vacation: 'Ухожу в отпуск, передаю тёплого клиента',
};
const REJECTIONS = ['Клиент уже тёплый, доведи сам', 'Сначала позвони ещё раз, потом вернёмся к вопросу', 'У коллеги сейчас нет места'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ARRIVAL_BATCH_MS = 20 * MINUTE;
const SWEEP_EVERY_MS = 5 * MINUTE;

type Step =
  | { kind: 'contact'; attempt: boolean; junk?: boolean }
  | { kind: 'followup' }
  | { kind: 'junk'; reason: string }
  | { kind: 'qualify' }
  | { kind: 'proposal' }
  | { kind: 'convert' }
  | { kind: 'close'; won: boolean; discount: number }
  | { kind: 'transfer'; reason: string }
  | { kind: 'decide'; transferId: string; approve: boolean; toManagerId: string | null }
  | { kind: 'claim'; managerId: string };

interface Event {
  at: number;
  seq: number;
  leadId: string;
  /** The plan this step belongs to; a step of a superseded plan is dropped. */
  version: number;
  owner: string | null;
  step: Step;
}

/** Plays the history; returns what it did. */
export async function playHistory(ctx: AppContext, snapshots: RoutingSnapshotLoader, plan: HistoryPlan, random: () => number): Promise<HistoryFigures> {
  const figures: HistoryFigures = { leads: 0, contacts: 0, sweeps: 0, transfers: 0, claims: 0 };
  const queue = new MinHeap();
  const versions = new Map<string, number>();
  const dealOf = new Map<string, string>();
  // Every owner change is one the history makes or the sweeper makes (and it is read back after each
  // sweep), so the lead as last read plus the statuses set since is all a step needs to know.
  const known = new Map<string, { lead: LeadRecord; status: string }>();
  let seq = 0;
  const at = (t: number): AppContext => ({ ...ctx, now: () => new Date(t) });
  const push = (e: Omit<Event, 'seq'>) => {
    if (e.at < plan.end) queue.push({ ...e, seq: seq++ });
  };
  const lognormal = (median: number, sigma: number): number => {
    // Box-Muller from the seeded generator: a skewed delay, most short, a few long.
    const u = Math.max(random(), 1e-9);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return median * Math.exp(sigma * z);
  };
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const pickOf = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  /** Schedules what the owner does with the lead from `from` on, replacing any earlier plan. */
  const replan = (lead: LeadRecord, from: number): void => {
    const version = (versions.get(lead.id) ?? 0) + 1;
    versions.set(lead.id, version);
    known.set(lead.id, { lead, status: lead.status });
    const owner = lead.ownerId ? plan.people.get(lead.ownerId) : undefined;
    if (!owner || !lead.ownerId || ['junk', 'converted', 'pool', 'qualification'].includes(lead.status)) return;
    const ownerId = lead.ownerId;
    const cal = owner.calendar;
    const add = (t: number, minutes: number) => addBusinessMinutes(t, minutes, cal);
    const steps: Array<{ at: number; step: Step }> = [];
    let t = from;
    const source = lead.source ?? 'website';
    if (lead.work.firstContactAt === null) {
      if (random() < owner.pace.never) return;
      const delay = Math.max(0.5, lognormal(owner.pace.medianMinutes * (SOURCE_SPEED[source] ?? 1), 0.8));
      // Mostly in working hours; now and then someone calls back from home in the evening.
      const contactAt = random() < 0.08 ? t + delay * MINUTE : add(t, delay);
      if (random() < 0.12) steps.push({ at: t + (contactAt - t) * between(0.2, 0.8), step: { kind: 'contact', attempt: true } });
      t = contactAt;
      steps.push({ at: t, step: { kind: 'contact', attempt: false } });
    } else {
      // Taking over a lead someone already talked to: a call to introduce oneself.
      t = add(t, Math.max(2, lognormal(owner.pace.medianMinutes * 3, 0.8)));
      steps.push({ at: t, step: { kind: 'followup' } });
    }
    let stage = lead.status === 'new' ? 'in_progress' : lead.status;
    /** The next stage some working days later, with a call in between when the wait is long (the next-step clock is a day of business time and a half). */
    const advance = (step: Step) => {
      const wait = between(300, 2200);
      if (wait > 1300) steps.push({ at: add(t, wait / 2), step: { kind: 'followup' } });
      t = add(t, wait);
      steps.push({ at: t, step });
    };
    if (stage === 'in_progress') {
      const junk = SOURCE_JUNK[source] ?? { share: 0.1, reasons: ['no_need'] };
      if (lead.work.firstContactAt === null && random() < junk.share) {
        // Junk at the first call: marked straight from "new".
        const call = steps[steps.length - 1];
        if (call?.step.kind === 'contact') call.step.junk = true;
        steps.push({ at: add(t, between(1, 30)), step: { kind: 'junk', reason: pickOf(junk.reasons) } });
        return schedule();
      }
      if (owner.teamId && random() < 0.025) steps.push({ at: add(t, between(20, 400)), step: { kind: 'transfer', reason: pickOf(TRANSFER_REASONS) } });
      const roll = random();
      if (roll < 0.03) return schedule(); // forgotten: the next-step clock will lapse
      if (roll < 0.08) {
        advance({ kind: 'junk', reason: 'no_need' });
        return schedule();
      }
      if (roll < 0.18) {
        // Thinking it over: a call every day or two for a while, then no.
        const calls = 1 + Math.floor(random() * 3);
        for (let i = 0; i < calls; i++) {
          t = add(t, between(500, 1300));
          steps.push({ at: t, step: { kind: 'followup' } });
        }
        steps.push({ at: add(t, between(30, 300)), step: { kind: 'junk', reason: 'no_need' } });
        return schedule();
      }
      advance({ kind: 'qualify' });
      stage = 'qualified';
    }
    if (stage === 'qualified') {
      if (random() < 0.08) {
        advance({ kind: 'junk', reason: random() < 0.5 ? 'competitor' : 'no_need' });
        return schedule();
      }
      advance({ kind: 'proposal' });
      stage = 'proposal';
    }
    if (stage === 'proposal') {
      if (random() < 0.08) {
        advance({ kind: 'junk', reason: 'no_need' });
        return schedule();
      }
      advance({ kind: 'convert' });
      t = add(t, between(400, 3000));
      const outcome = random();
      if (outcome < 0.85) steps.push({ at: t, step: { kind: 'close', won: outcome < 0.45, discount: random() < 0.4 ? between(0.8, 0.95) : 1 } });
    }
    return schedule();

    function schedule(): void {
      for (const s of steps) push({ at: s.at, leadId: lead.id, version, owner: ownerId, step: s.step });
    }
  };

  const afterOwnerChange = async (leadId: string, t: number) => {
    const lead = await findLead(ctx.store.db, leadId);
    if (lead) replan(lead, t);
  };

  /** Runs the sweeper whenever a deadline lapsed before `t`, as the server's loop would, and lets new owners take over. */
  const sweepUntil = async (t: number) => {
    for (;;) {
      const row = await ctx.store.db
        .selectFrom('leads')
        .select(sql<string | null>`min(sla_due_at)`.as('due'))
        .where('sla_due_at', 'is not', null)
        .executeTakeFirst();
      const due = row?.due ? Date.parse(String(row.due)) : null;
      if (due === null || due > t) return;
      // The sweeper's loop comes round every few minutes.
      const sweepAt = Math.min(Math.ceil((due + 1) / SWEEP_EVERY_MS) * SWEEP_EVERY_MS, t);
      const lapsed = await ctx.store.db
        .selectFrom('leads')
        .select(['id', 'owner_id'])
        .where('sla_due_at', 'is not', null)
        .where('sla_due_at', '<=', new Date(sweepAt).toISOString())
        .execute();
      const report = await sweepSla(at(sweepAt), snapshots);
      figures.sweeps += 1;
      const after = await findLeadsByIds(ctx.store.db, lapsed.map((l) => l.id));
      const ownerBefore = new Map(lapsed.map((l) => [l.id, l.owner_id]));
      for (const lead of after) if (lead.ownerId !== ownerBefore.get(lead.id)) replan(lead, sweepAt);
      if (report.breached === 0) return;
    }
  };

  // Arrivals are events too, so routing sees the loads of the moment. Leads that arrive within
  // a few minutes of each other come in one intake request, as a form or a CRM would batch them.
  const groups: Array<{ at: number; leads: LeadInput[]; key: string }> = [];
  for (const a of plan.arrivals) {
    const last = groups[groups.length - 1];
    if (last && !a.key && !last.key.startsWith('key:') && a.at - last.at < ARRIVAL_BATCH_MS) last.leads.push(a.lead);
    else groups.push({ at: a.at, leads: [a.lead], key: a.key ? `key:${a.key}` : `demo-${groups.length}` });
  }
  groups.forEach((g, i) => push({ at: g.at, leadId: `arrival-${i}`, version: 0, owner: null, step: { kind: 'followup' } }));
  (plan.changes ?? []).forEach((c, i) => push({ at: c.at, leadId: `change-${i}`, version: 0, owner: null, step: { kind: 'followup' } }));

  for (let e = queue.pop(); e; e = queue.pop()) {
    await sweepUntil(e.at);
    const c = at(e.at);
    if (e.leadId.startsWith('arrival-')) {
      const n = Number(e.leadId.slice('arrival-'.length));
      const group = groups[n] as { at: number; leads: LeadInput[]; key: string };
      const idempotencyKey = group.key.startsWith('key:') ? group.key.slice('key:'.length) : group.key;
      const request = { leads: group.leads.map((l) => prepareLead(l, ctx.config.defaultCountry as CountryCode, { hash: true })), apiKeyId: plan.apiKeyId, idempotencyKey, actor: 'demo' };
      const [result] = await intakeLeads(c, snapshots, [request]);
      if (!result?.ok) continue;
      for (const item of result.items) {
        figures.leads += 1;
        known.set(item.lead.id, { lead: item.lead, status: item.lead.status });
        if (item.lead.ownerId) replan(item.lead, e.at);
        else if (item.lead.status === 'pool' && random() < 0.9) {
          // Cold leads wait in the pool until a manager with time takes a few.
          const claimer = pickOf(CLAIMERS);
          const person = plan.people.get(claimer);
          if (person) push({ at: addBusinessMinutes(e.at, between(30, 900), person.calendar), leadId: item.lead.id, version: 0, owner: null, step: { kind: 'claim', managerId: claimer } });
        }
      }
      continue;
    }
    if (e.leadId.startsWith('change-')) {
      await plan.changes?.[Number(e.leadId.slice('change-'.length))]?.run(c);
      continue;
    }
    if (e.step.kind !== 'claim' && e.version !== versions.get(e.leadId)) continue;
    const state = known.get(e.leadId);
    if (!state) continue;
    const { lead } = state;
    if (['junk', 'converted'].includes(state.status) && e.step.kind !== 'close') continue;
    const owner = e.owner ? plan.people.get(e.owner) : undefined;
    try {
      switch (e.step.kind) {
        case 'contact':
          if (!owner) break;
          if (e.step.attempt) {
            await logActivity(c, owner.principal, lead.id, { kind: 'call', outcome: random() < 0.7 ? 'no_answer' : 'busy' });
            break;
          }
          await logActivity(c, owner.principal, lead.id, { kind: 'call', outcome: random() < 0.9 ? 'reached' : 'callback_requested' });
          figures.contacts += 1;
          if (state.status === 'new' && !e.step.junk) state.status = (await changeLeadStatus(at(e.at + between(1, 6) * MINUTE), owner.principal, lead.id, { status: 'in_progress' })).status;
          break;
        case 'followup':
          if (owner) await logActivity(c, owner.principal, lead.id, { kind: 'call', outcome: random() < 0.75 ? 'reached' : 'no_answer' });
          break;
        case 'junk':
          if (owner) state.status = (await changeLeadStatus(c, owner.principal, lead.id, { status: 'junk', junkReason: e.step.reason })).status;
          break;
        case 'qualify':
          if (!owner) break;
          await logActivity(c, owner.principal, lead.id, random() < 0.5 ? { kind: 'meeting', outcome: 'held' } : { kind: 'call', outcome: 'reached' });
          state.status = (await changeLeadStatus(at(e.at + 2 * MINUTE), owner.principal, lead.id, { status: 'qualified' })).status;
          break;
        case 'proposal':
          if (!owner) break;
          await logActivity(c, owner.principal, lead.id, { kind: 'email', outcome: 'sent', note: 'Коммерческое предложение' });
          state.status = (await changeLeadStatus(at(e.at + MINUTE), owner.principal, lead.id, { status: 'proposal' })).status;
          break;
        case 'convert': {
          if (!owner) break;
          await logActivity(c, owner.principal, lead.id, { kind: 'meeting', outcome: 'held' });
          const product = lead.productInterest[0] ?? 'crm';
          const conversion = await convertLead(at(e.at + 5 * MINUTE), owner.principal, lead.id, { deal: { title: `${lead.companyName ?? lead.name ?? 'Клиент'}: ${PRODUCT_TITLES[product] ?? product}`, currency: 'RUB' } });
          dealOf.set(lead.id, conversion.deal.id);
          state.status = conversion.lead.status;
          break;
        }
        case 'close': {
          const dealId = dealOf.get(lead.id);
          if (!owner || !dealId) break;
          const amount = lead.dealValue === null ? undefined : Math.round((lead.dealValue * e.step.discount) / 1000) * 1000;
          await changeDeal(c, owner.principal, dealId, { closed: e.step.won ? 'won' : 'lost', ...(e.step.won && amount !== undefined ? { amount } : {}) });
          break;
        }
        case 'transfer': {
          if (!owner || !owner.teamId) break;
          const colleagues = [...plan.people].filter(([id, p]) => p.teamId === owner.teamId && id !== e.owner && !UNAVAILABLE.has(id)).map(([id]) => id);
          if (colleagues.length === 0) break;
          const toManagerId = pickOf(colleagues);
          const reason = e.step.reason;
          const requested = await requestTransfer(c, owner.principal, lead.id, { reason, comment: TRANSFER_COMMENTS[reason] ?? 'Прошу передать', toManagerId });
          figures.transfers += 1;
          const decider = owner.teamId === plan.head.teamId ? plan.head : plan.admin;
          const deciderCalendar = decider.managerId ? plan.people.get(decider.managerId)?.calendar : undefined;
          const decideAt = deciderCalendar ? addBusinessMinutes(e.at, between(20, 300), deciderCalendar) : e.at + between(20, 300) * MINUTE;
          push({ at: decideAt, leadId: lead.id, version: e.version, owner: decider.managerId, step: { kind: 'decide', transferId: requested.transfer.id, approve: random() < 0.65, toManagerId } });
          break;
        }
        case 'decide': {
          const decider = e.owner === plan.head.managerId ? plan.head : plan.admin;
          if (e.step.approve) {
            const approval = { toManagerId: e.step.toManagerId ?? undefined, comment: 'Согласовано' };
            try {
              await approveTransfer(c, decider, e.step.transferId, approval);
            } catch (error) {
              if (!isLeadRouterError(error) || error.status !== 422) throw error;
              // The colleague is off or full right now: the head hands the lead over anyway and says why.
              await approveTransfer(c, decider, e.step.transferId, { ...approval, override: { reason: 'Клиент ждёт, коллега возьмёт с утра' } });
            }
            await afterOwnerChange(lead.id, e.at);
            break;
          }
          await rejectTransfer(c, decider, e.step.transferId, { comment: pickOf(REJECTIONS) });
          break;
        }
        case 'claim': {
          const claimer = plan.people.get(e.step.managerId);
          if (!claimer || state.status !== 'pool') break;
          await claimLead(c, claimer.principal, lead.id);
          figures.claims += 1;
          await afterOwnerChange(lead.id, e.at);
          break;
        }
      }
    } catch (error) {
      // A step the lead's state no longer allows (it moved on, a cap was reached) is simply not taken, as a person would give up.
      if (!isLeadRouterError(error) || (error.status !== 409 && error.status !== 422 && error.status !== 429 && error.status !== 403)) throw error;
    }
  }
  await sweepUntil(plan.end);
  return figures;
}

/** Managers who take cold leads from the pool now and then. */
const CLAIMERS = ['mgr-ivan', 'mgr-tatiana', 'mgr-maria', 'mgr-sergey', 'mgr-irina'];
/** Not a transfer recipient: paused or away. */
const UNAVAILABLE = new Set(['mgr-natalia', 'mgr-elena', 'mgr-oleg']);
const PRODUCT_TITLES: Record<string, string> = { crm: 'внедрение CRM', telephony: 'телефония', analytics: 'аналитика продаж', consulting: 'консалтинг' };

/** A business calendar of a demo manager: their zone and weekly hours, no holidays. */
export function demoCalendar(timeZone: string, hours: WeeklyHours | null): BusinessCalendar {
  return { timeZone, hours, holidays: new Set() };
}

/** Arrival instants for `count` leads over the days before `end`: busy on weekday working hours (Moscow time), quiet at night and at weekends. */
export function arrivalTimes(random: () => number, count: number, start: number, end: number): number[] {
  const MSK = 3 * HOUR;
  const HOUR_WEIGHTS = [0.15, 0.1, 0.1, 0.1, 0.1, 0.15, 0.3, 0.6, 1.3, 2.6, 3.2, 3.4, 3.0, 2.6, 3.0, 3.0, 2.8, 2.4, 1.5, 1.0, 0.7, 0.5, 0.4, 0.3];
  const hourTotal = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  const slots: Array<{ from: number; weight: number }> = [];
  for (let day = Math.floor((start + MSK) / (24 * HOUR)) * 24 * HOUR - MSK; day < end; day += 24 * HOUR) {
    const weekday = new Date(day + MSK).getUTCDay();
    const dayWeight = weekday === 0 || weekday === 6 ? 0.25 : 1;
    HOUR_WEIGHTS.forEach((w, h) => {
      const from = day + h * HOUR;
      if (from >= start && from + HOUR <= end) slots.push({ from, weight: (dayWeight * w) / hourTotal });
    });
  }
  const total = slots.reduce((a, s) => a + s.weight, 0);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    let r = random() * total;
    let slot = slots[slots.length - 1] as { from: number };
    for (const s of slots) {
      r -= s.weight;
      if (r <= 0) {
        slot = s;
        break;
      }
    }
    out.push(slot.from + Math.floor(random() * HOUR));
  }
  return out.sort((a, b) => a - b);
}

/** A binary heap of events, earliest first (ties in the order pushed). */
class MinHeap {
  private items: Event[] = [];
  push(e: Event): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i] as Event, a[p] as Event)) break;
      [a[i], a[p]] = [a[p] as Event, a[i] as Event];
      i = p;
    }
  }
  pop(): Event | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l] as Event, a[m] as Event)) m = l;
        if (r < a.length && before(a[r] as Event, a[m] as Event)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as Event, a[i] as Event];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Event, b: Event): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
