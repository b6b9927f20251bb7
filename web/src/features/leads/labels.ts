import type { TFunction } from 'i18next';

const BUILT_IN_STAGES = ['new', 'in_progress', 'qualified', 'proposal', 'converted', 'junk', 'pool', 'qualification'] as const;
const BUILT_IN_JUNK = ['spam', 'wrong_contact', 'duplicate', 'no_need', 'competitor', 'test'] as const;
const BUILT_IN_TRANSFER = ['wrong_region', 'wrong_product', 'overloaded', 'vacation', 'client_request', 'language'] as const;

const has = <T extends string>(list: readonly T[], key: string): key is T => (list as readonly string[]).includes(key);

/**
 * Built-in stages and reasons read in the viewer's language; a team's own stage or reason
 * shows the label the admin gave it.
 */
export function stageLabel(t: TFunction, key: string, customLabel?: string | null): string {
  if (has(BUILT_IN_STAGES, key)) return t(`stages.${key}`);
  return customLabel ?? key;
}

export function reasonLabel(t: TFunction, kind: 'junk' | 'transfer', key: string, customLabel?: string | null): string {
  if (kind === 'junk' && has(BUILT_IN_JUNK, key)) return t(`reasons.junk.${key}`);
  if (kind === 'transfer' && has(BUILT_IN_TRANSFER, key)) return t(`reasons.transfer.${key}`);
  return customLabel ?? key;
}
