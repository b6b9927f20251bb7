import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@/api/client';

/** A failed load shown as the server's own human message, never a blank screen or raw JSON. */
export function ErrorState({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" title={t('errors.title')} role="alert">
      {errorText(error, t('errors.network'), t('errors.unexpected'))}
    </Alert>
  );
}

export function errorText(error: unknown, network: string, unexpected: string): string {
  if (error instanceof ApiError) return error.status === 0 ? network : error.message;
  return unexpected;
}
