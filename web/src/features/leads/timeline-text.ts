import type { TFunction } from 'i18next';
import type { TimelineEntry } from '@/api/types';
import { reasonLabel, stageLabel } from './labels';
import { sourceLabel } from './originator/source-label';

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** A timeline entry as a headline and a detail line in the reader's language; unknown types keep the server's sentence. */
export function timelineText(t: TFunction, item: TimelineEntry, names: (managerId: string) => string | null = () => null): { title: string; detail: string | null; color: string } {
  const d = item.details;
  if (item.type.startsWith('activity.')) {
    const kind = str(d.kind) ?? item.type.slice('activity.'.length);
    const outcome = str(d.outcome);
    const known = ['call', 'email', 'meeting', 'note'].includes(kind);
    const title = known ? t(`activity.kinds.${kind as 'call'}`) : kind;
    const outcomeText = outcome && outcome !== 'none' ? t(`activity.outcomes.${outcome as 'reached'}`, { defaultValue: outcome }) : null;
    return { title: outcomeText ? `${title}: ${outcomeText}` : title, detail: str(d.note), color: 'teal' };
  }
  switch (item.type) {
    case 'lead.created': {
      const registeredBy = str(d.originatorId);
      const broughtBy = registeredBy ? t('originator.timeline.registeredBy', { name: names(registeredBy) ?? registeredBy }) : null;
      const source = str(d.source);
      return { title: t('timeline.created'), detail: [source ? sourceLabel(t, source) : null, broughtBy].filter(Boolean).join(' · ') || null, color: 'gray' };
    }
    case 'lead.originator_changed':
    case 'deal.originator_changed':
    case 'deal.owner_changed': {
      const to = str(d.managerId);
      const name = to ? (names(to) ?? to) : t('originator.timeline.nobody');
      const key = item.type === 'lead.originator_changed' ? 'leadOriginatorChanged' : item.type === 'deal.originator_changed' ? 'dealOriginatorChanged' : 'dealOwnerChanged';
      return { title: t(`originator.timeline.${key}`, { name }), detail: str(d.reason), color: 'grape' };
    }
    case 'assignment':
      if (d.outcome === 'pool') return { title: t('timeline.pooled'), detail: null, color: 'blue' };
      return {
        title: t('timeline.assignedTo', { name: (str(d.managerId) && names(str(d.managerId) ?? '')) ?? '—' }),
        // The decision's sentence, in the reader's language (the server tells it from the trace's facts).
        detail: (d.via === 'rule' || d.via === 'fallback' || d.via === 'ownership' ? str(d.summaryText) : null) ?? (d.via === 'ownership' ? t('timeline.viaOwnership') : d.via === 'registered' ? t('originator.timeline.viaRegistered') : null),
        color: 'blue',
      };
    case 'lead.status_changed':
      return {
        title: t('timeline.statusChanged', { from: stageLabel(t, str(d.from) ?? '?'), to: stageLabel(t, str(d.to) ?? '?') }),
        detail: str(d.junkReason) ? reasonLabel(t, 'junk', str(d.junkReason) ?? '') : str(d.comment),
        color: d.to === 'junk' ? 'red' : 'blue',
      };
    case 'task.created':
      return { title: t('timeline.taskCreated', { title: str(d.title) ?? '' }), detail: str(d.offer), color: 'violet' };
    case 'task.done':
      return { title: t('timeline.taskDone', { title: str(d.title) ?? '' }), detail: null, color: 'violet' };
    case 'transfer.requested':
      return { title: t('timeline.transferRequested'), detail: [str(d.reasonLabel) ?? str(d.reason), str(d.comment)].filter(Boolean).join(' — ') || null, color: 'orange' };
    case 'transfer.approved':
      return { title: t('timeline.transferApproved'), detail: str(d.decisionComment), color: 'orange' };
    case 'transfer.rejected':
      return { title: t('timeline.transferRejected'), detail: str(d.decisionComment), color: 'orange' };
    case 'transfer.cancelled':
      return { title: t('timeline.transferCancelled'), detail: null, color: 'orange' };
    case 'deal.created':
      return { title: t('timeline.dealCreated', { title: str(d.title) ?? '' }), detail: null, color: 'teal' };
    case 'deal.closed':
      return { title: t('timeline.dealClosed', { title: str(d.title) ?? '' }), detail: str(d.stage), color: 'teal' };
    case 'sla.warning':
      return { title: t('timeline.slaWarning'), detail: null, color: 'yellow' };
    case 'sla.breached':
      return { title: t('timeline.slaBreached'), detail: null, color: 'red' };
    case 'lead.escalated':
      return { title: t('timeline.escalated'), detail: null, color: 'red' };
    case 'lead.claimed':
      return { title: t('timeline.claimed'), detail: null, color: 'blue' };
    case 'lead.released':
    case 'lead.pooled':
      return { title: t('timeline.released'), detail: str(d.reason), color: 'gray' };
    case 'lead.reassigned':
      return { title: t('timeline.reassigned'), detail: str(d.reason), color: 'orange' };
    case 'lead.qualified':
      return { title: t('timeline.qualified'), detail: null, color: 'blue' };
    case 'lead.converted':
      return { title: t('timeline.converted'), detail: null, color: 'teal' };
    default:
      return { title: item.summary, detail: null, color: 'gray' };
  }
}
