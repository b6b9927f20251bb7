import { decisionText } from '../i18n/decision-text.js';
import type { Locale } from '../i18n/locale.js';
import type { SummaryFacts } from '../routing/trace.js';
/** One line of a lead's history, whatever table it came from. */
export interface TimelineItem {
  at: string;
  type: string;
  actor: string | null;
  summary: string;
  details: Record<string, unknown>;
}

export interface TimelineEvent {
  id: string;
  type: string;
  actor: string;
  payload: unknown;
  createdAt: string;
}

export interface TimelineAssignment {
  id: string;
  managerId: string | null;
  outcome: string;
  via: string;
  ruleId: string | null;
  actor: string;
  createdAt: string;
  /** The routing trace's one-sentence summary, when there is one. */
  summary: string | null;
  /** What the summary is told from (decisions since the facts were kept), for the reader's language. */
  facts?: SummaryFacts | null;
}

export interface TimelineActivity {
  id: string;
  kind: string;
  outcome: string | null;
  note: string | null;
  managerId: string | null;
  actor: string;
  occurredAt: string;
}

export interface TimelineTask {
  id: string;
  title: string;
  offer: string | null;
  assigneeId: string | null;
  dueAt: string;
  doneAt: string | null;
  createdBy: string;
  createdAt: string;
}

export interface TimelineTransfer {
  id: string;
  fromManagerId: string | null;
  toManagerId: string | null;
  reason: string;
  comment: string | null;
  status: string;
  requestedBy: string;
  decidedBy: string | null;
  decisionComment: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface TimelineDeal {
  id: string;
  title: string;
  amount: number | null;
  currency: string | null;
  stage: string;
  originatorId: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface TimelineSources {
  events: readonly TimelineEvent[];
  assignments: readonly TimelineAssignment[];
  activities: readonly TimelineActivity[];
  tasks: readonly TimelineTask[];
  transfers: readonly TimelineTransfer[];
  deals: readonly TimelineDeal[];
  /** Manager id → name, for sentences a person reads. */
  managerNames: ReadonlyMap<string, string>;
  /** The reader's language for a decision's sentence (details.summaryText); Russian by default. */
  locale?: Locale;
}

/** Events that only announce what a dedicated table already tells in more detail. */
const SHADOWED_EVENT_TYPES = new Set(['activity.logged']);
const SHADOWED_EVENT_PREFIXES = ['transfer.'];
/** Events written beside a decision row when a lead is placed or handed over. */
const HANDOVER_EVENT_TYPES = new Set(['lead.assigned', 'lead.pooled', 'lead.reassigned', 'lead.claimed', 'lead.escalated', 'lead.released', 'lead.awaiting_qualification']);

/**
 * Merges everything that happened to a lead into one list, oldest first. An event that
 * announced an owner change is left out when the decision row of that moment tells it
 * (same time, same manager), so a hand-over appears once, with its reason.
 */
export function buildTimeline(sources: TimelineSources): TimelineItem[] {
  const name = (id: string | null): string => (id === null ? 'the pool' : (sources.managerNames.get(id) ?? id));
  const decisions = new Set(sources.assignments.map((a) => `${a.createdAt}|${a.managerId ?? ''}`));
  const ranked: Array<{ item: TimelineItem; rank: number; id: string }> = [];
  const add = (item: TimelineItem, id: string, rank = 2): void => {
    ranked.push({ item, rank, id });
  };

  for (const e of sources.events) {
    if (SHADOWED_EVENT_TYPES.has(e.type) || SHADOWED_EVENT_PREFIXES.some((p) => e.type.startsWith(p))) continue;
    const payload = isRecord(e.payload) ? e.payload : {};
    if (HANDOVER_EVENT_TYPES.has(e.type) && decisions.has(`${e.createdAt}|${typeof payload.managerId === 'string' ? payload.managerId : ''}`)) continue;
    add({ at: e.createdAt, type: e.type, actor: e.actor, summary: eventSummary(e.type, payload, name), details: payload }, e.id, e.type === 'lead.created' ? 0 : 2);
  }
  for (const a of sources.assignments) {
    const summary =
      a.via === 'qualification' && a.outcome === 'pool'
        ? 'Waiting for qualification'
        : a.outcome === 'assigned'
          ? `Assigned to ${name(a.managerId)} (${a.via})`
          : `Sent to the pool (${a.via})`;
    add(
      { at: a.createdAt, type: 'assignment', actor: a.actor, summary: a.summary && a.via !== 'qualification' ? `${summary}: ${a.summary}` : summary, details: { managerId: a.managerId, outcome: a.outcome, via: a.via, ruleId: a.ruleId, summaryText: a.facts ? decisionText(a.facts, sources.locale ?? 'ru') : a.summary } },
      a.id,
      1,
    );
  }
  for (const a of sources.activities) {
    const outcome = a.outcome && a.outcome !== 'none' ? `: ${a.outcome.replaceAll('_', ' ')}` : '';
    add(
      { at: a.occurredAt, type: `activity.${a.kind}`, actor: a.actor, summary: `${capitalise(a.kind)}${outcome}${a.note ? ` — ${a.note}` : ''}`, details: { activityId: a.id, kind: a.kind, outcome: a.outcome, note: a.note, managerId: a.managerId } },
      a.id,
    );
  }
  for (const t of sources.tasks) {
    const details = { taskId: t.id, title: t.title, offer: t.offer, dueAt: t.dueAt, assigneeId: t.assigneeId };
    add({ at: t.createdAt, type: 'task.created', actor: t.createdBy, summary: `Task for ${name(t.assigneeId)}: ${t.title}, due ${t.dueAt}${t.offer ? ` (offer: ${t.offer})` : ''}`, details }, t.id);
    if (t.doneAt) add({ at: t.doneAt, type: 'task.done', actor: null, summary: `Task done: ${t.title}`, details }, `${t.id}:done`);
  }
  for (const t of sources.transfers) {
    const details = { transferId: t.id, fromManagerId: t.fromManagerId, toManagerId: t.toManagerId, reason: t.reason, comment: t.comment, status: t.status };
    const to = t.toManagerId ? ` to ${name(t.toManagerId)}` : '';
    add({ at: t.createdAt, type: 'transfer.requested', actor: t.requestedBy, summary: `Transfer requested from ${name(t.fromManagerId)}${to}: ${t.reason}${t.comment ? ` — ${t.comment}` : ''}`, details }, t.id);
    if (t.decidedAt) {
      add(
        { at: t.decidedAt, type: `transfer.${t.status}`, actor: t.decidedBy, summary: `Transfer ${t.status}${t.decisionComment ? ` — ${t.decisionComment}` : ''}`, details: { ...details, decisionComment: t.decisionComment } },
        `${t.id}:decided`,
      );
    }
  }
  for (const d of sources.deals) {
    const details = { dealId: d.id, title: d.title, amount: d.amount, currency: d.currency, stage: d.stage, originatorId: d.originatorId };
    const money = d.amount !== null ? ` for ${d.amount}${d.currency ? ` ${d.currency}` : ''}` : '';
    add({ at: d.createdAt, type: 'deal.created', actor: null, summary: `Deal "${d.title}"${money} registered by ${name(d.originatorId)}`, details }, d.id);
    if (d.closedAt) add({ at: d.closedAt, type: 'deal.closed', actor: null, summary: `Deal "${d.title}" ${d.stage}`, details }, `${d.id}:closed`);
  }

  ranked.sort((a, b) => (a.item.at < b.item.at ? -1 : a.item.at > b.item.at ? 1 : a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  return ranked.map((r) => r.item);
}

function eventSummary(type: string, p: Record<string, unknown>, name: (id: string | null) => string): string {
  const text = (key: string): string | null => (typeof p[key] === 'string' ? (p[key] as string) : null);
  switch (type) {
    case 'lead.created':
      return `Lead received${text('source') ? ` from ${text('source')}` : ''}${text('originatorId') ? `, registered by ${name(text('originatorId'))}` : ''}${text('duplicateOf') ? ' (a repeat of an open lead)' : ''}`;
    case 'lead.status_changed':
      return `Status ${text('from') ?? '?'} → ${text('to') ?? '?'}${text('junkReason') ? ` (${text('junkReason')})` : ''}${text('comment') ? ` — ${text('comment')}` : ''}`;
    case 'lead.qualified':
      return `Qualified${text('comment') ? ` — ${text('comment')}` : ''}`;
    case 'lead.converted':
      return `Converted into a deal${text('ownerId') ? `, registered to ${name(text('ownerId'))}` : ''}`;
    case 'deal.updated':
      return `Deal updated${Array.isArray(p.changed) ? `: ${(p.changed as unknown[]).join(', ')}` : ''}`;
    case 'lead.originator_changed':
    case 'deal.originator_changed': {
      const what = type === 'deal.originator_changed' ? 'Deal brought in by' : 'Brought in by';
      return `${what}: ${text('managerId') ? name(text('managerId')) : 'nobody'} (was ${text('fromManagerId') ? name(text('fromManagerId')) : 'nobody'}) — ${text('reason') ?? ''}`;
    }
    case 'deal.owner_changed':
      return `Deal handed over from ${name(text('fromManagerId'))} to ${name(text('managerId'))} — ${text('reason') ?? ''}`;
    default:
      return text('text') ?? text('reason') ?? type;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
