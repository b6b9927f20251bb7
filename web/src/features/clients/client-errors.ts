import type { TFunction } from 'i18next';
import { ApiError } from '@/api/client';
import { fieldError } from '@/ui/FormError';

const DOMAIN_CODES = new Set(['not_a_domain', 'free_mail_domain', 'disposable_domain', 'platform_domain']);

/**
 * A client form's field error in the reader's language: the base's own codes (a duplicate ИНН, a
 * mailbox provider as a site, a holding loop, a bad ИНН, phone or e-mail) read from the `clients`
 * catalogue; anything else as the shared field messages say. Lists match their items too (phones[2]).
 */
export function clientFieldError(t: TFunction, error: unknown, path: string, items = 0): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const paths = [path, ...Array.from({ length: items }, (_, i) => `${path}[${i}]`)];
  for (const p of paths) {
    const detail = error.fieldDetail(p);
    if (!detail) continue;
    const code = detail.code ?? '';
    if (code === 'duplicate') return t('clients.errors.duplicate', { field: t(`clients.errors.fields.${path as 'taxId'}`) });
    if (code === 'loop') return t('clients.errors.loop');
    if (path === 'domain' && DOMAIN_CODES.has(code)) return t(`clients.errors.domain.${code as 'not_a_domain'}`);
    if (path === 'taxId') return t('clients.errors.taxId');
    if (path === 'phones') return t('clients.errors.phone', { value: detail.message?.match(/«([^»]*)»/)?.[1] ?? '' }).trim();
    if (path === 'emails') return t('clients.errors.email');
    return fieldError(error, p);
  }
  return undefined;
}
