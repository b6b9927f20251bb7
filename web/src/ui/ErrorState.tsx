import { Alert, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@/api/client';

const KNOWN_CODES = ['LR_ERR_NOT_FOUND', 'LR_ERR_FORBIDDEN', 'LR_ERR_CONFLICT', 'LR_ERR_RATE_LIMITED', 'LR_ERR_UNAVAILABLE', 'LR_ERR_STORAGE_FULL', 'LR_ERR_VALIDATION', 'LR_ERR_UNPROCESSABLE', 'LR_ERR_UNAUTHORIZED', 'LR_ERR_CSRF'] as const;

/**
 * A failed request in the reader's language: a headline for the kind of failure and, under it,
 * the server's own sentence (which names the exact cause). Never a blank screen or raw JSON.
 */
export function describeError(t: TFunction, error: unknown): { headline: string; detail: string | null } {
  if (!(error instanceof ApiError)) return { headline: t('errors.unexpected'), detail: null };
  if (error.status === 0) return { headline: t('errors.network'), detail: null };
  const code = (KNOWN_CODES as readonly string[]).includes(error.code) ? (error.code as (typeof KNOWN_CODES)[number]) : null;
  return code ? { headline: t(`errors.codes.${code}`), detail: error.message } : { headline: error.message, detail: null };
}

export function ErrorState({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { headline, detail } = describeError(t, error);
  return (
    <Alert color="red" title={headline} role="alert">
      {detail && <Text size="sm">{detail}</Text>}
    </Alert>
  );
}
