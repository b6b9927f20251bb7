import type { TFunction } from 'i18next';

/** A manager as a report may show them: by name, or as an anonymous colleague (the team setting), or nobody. */
export function managerName(t: TFunction, row: { name: string | null; anonymous: boolean; managerId: string | null }, index: number): string {
  if (row.anonymous) return `${t('reports.colleague')} ${index + 1}`;
  return row.name ?? row.managerId ?? t('reports.noManager');
}

/** Why a lead went to the fallback or the pool, in words; codes this screen does not know stay as they are. */
export function reasonText(t: TFunction, reason: string): string {
  return t(`rules.outcome.reason.${reason}` as 'rules.outcome.reason.no_rule_matched', { defaultValue: reason });
}
