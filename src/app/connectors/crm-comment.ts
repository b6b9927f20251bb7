/**
 * The one-sentence comment leadrouter writes in the CRM's timeline when it sets a lead's
 * responsible user. Kept apart from the notification texts (rendered per person elsewhere):
 * a CRM comment is read by everyone on the portal, in the connector's language.
 */
export type CrmCommentLocale = 'ru' | 'en';

export interface CrmCommentFacts {
  /** The new owner's name, as leadrouter knows them. */
  managerName: string;
  /** How the owner was decided: rule, sla, transfer, claim, reassign, … */
  via: string | null;
  /** Why, as the decision says it (the rule's summary, the transfer's reason); may be empty. */
  reason: string | null;
  /** The new owner has no CRM user mapped: the responsible user could not be set. */
  unmapped?: boolean;
  /**
   * A routing decision's own sentence in this language (src/core/i18n decisionText: «Правило
   * «Москва» сработало; … лид получает Анна Петрова (доля 40%).»): it says who and why at once.
   */
  decision?: string | null;
}

const HOW: Record<CrmCommentLocale, Record<string, string>> = {
  ru: {
    rule: 'по правилам распределения',
    ownership: 'как владельцу клиента',
    sla: 'после пропущенного срока реакции',
    transfer: 'по одобренной передаче',
    claim: 'взят из общего пула',
    reassign: 'руководитель переназначил лид',
    fallback: 'по запасному правилу',
    registered: 'менеджер сам привёл клиента',
  },
  en: {
    rule: 'by the routing rules',
    ownership: 'as the client’s owner',
    sla: 'after a missed response deadline',
    transfer: 'by an approved transfer',
    claim: 'taken from the pool',
    reassign: 'reassigned by the head',
    fallback: 'by the fallback rule',
    registered: 'the manager brought the client in',
  },
};

const trimReason = (reason: string | null): string => (reason ?? '').replace(/\s+/g, ' ').trim().replace(/[.。]+$/, '').slice(0, 300);

export function crmComment(locale: CrmCommentLocale, facts: CrmCommentFacts): string {
  if (facts.decision) {
    const sentence = facts.decision.trim().replace(/[.。]+$/, '');
    const tail = facts.unmapped ? (locale === 'ru' ? '; в CRM ответственный не изменён: менеджеру не сопоставлен пользователь' : '; the responsible user was not changed: this manager has no CRM user mapped') : '';
    return `leadrouter: ${sentence}${tail}.`;
  }
  const how = facts.via ? (HOW[locale][facts.via] ?? null) : null;
  const reason = trimReason(facts.reason);
  if (locale === 'ru') {
    const parts = [`leadrouter: ответственный — ${facts.managerName}`, how ? ` (${how})` : '', reason ? `; причина: ${reason}` : ''];
    const tail = facts.unmapped ? '; в CRM ответственный не изменён: менеджеру не сопоставлен пользователь' : '';
    return `${parts.join('')}${tail}.`;
  }
  const parts = [`leadrouter: the lead is now ${facts.managerName}’s`, how ? ` (${how})` : '', reason ? `; reason: ${reason}` : ''];
  const tail = facts.unmapped ? '; the responsible user was not changed: this manager has no CRM user mapped' : '';
  return `${parts.join('')}${tail}.`;
}
