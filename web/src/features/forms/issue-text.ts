import type { TFunction } from 'i18next';
import { fieldText } from '@/ui/field-messages';
import { LEAD_FIELDS } from './form-draft';
import type { Quarantined } from './forms-api';

type Issue = Quarantined['issues'][number];

const NUMBER_FIELDS = new Set(['dealValue', 'companySize', 'score']);

/** A lead field's name in the reader's words (custom.<name> and unknown paths as they are). */
export function leadFieldLabel(t: TFunction, path: string): string {
  return (LEAD_FIELDS as readonly string[]).includes(path) ? t(`forms.fields.${path as (typeof LEAD_FIELDS)[number]}`) : path;
}

/** What intake refused, in words: «Бюджет — не число: «много»», «Нет ни имени, ни телефона…». */
export function issueText(t: TFunction, issue: Issue, input: Record<string, unknown>): string {
  const path = issue.path.replace(/^input\./, '');
  if (issue.code === 'idempotency_mismatch') return t('forms.quarantine.issue.repeated');
  if (path === 'lead' || path === '') return /at least one of/.test(issue.message) ? t('forms.quarantine.issue.noContact') : issue.message;
  const value = input[path];
  if (NUMBER_FIELDS.has(path) && issue.code === 'invalid_type') {
    // Once replayed, the stored lead holds the corrected number: the issue is then told without the value.
    return typeof value === 'string' ? t('forms.quarantine.issue.notNumber', { field: leadFieldLabel(t, path), value }) : t('forms.quarantine.issue.notNumberPlain', { field: leadFieldLabel(t, path) });
  }
  return t('forms.quarantine.issue.field', { field: leadFieldLabel(t, path), text: fieldText(t, issue, issue.message) });
}
