import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@/api/client';

/**
 * The server's message for a failed change. Messages that name a field are shown next to that
 * field by the form (ApiError.fieldMessage); this shows the rest.
 */
export function FormError({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof ApiError) {
    if (fields.some((f) => error.fieldMessage(f))) return null;
    return <Alert color="red" role="alert" py="xs">{error.status === 0 ? t('errors.network') : error.message}</Alert>;
  }
  return <Alert color="red" role="alert" py="xs">{t('errors.unexpected')}</Alert>;
}

export function fieldError(error: unknown, path: string): string | undefined {
  return error instanceof ApiError ? error.fieldMessage(path) : undefined;
}
