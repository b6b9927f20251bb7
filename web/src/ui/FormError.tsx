import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@/api/client';
import { describeError } from './ErrorState';

/**
 * The server's message for a failed change. Messages that name a field are shown next to that
 * field by the form (ApiError.fieldMessage); this shows the rest.
 */
export function FormError({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof ApiError && fields.some((f) => error.fieldMessage(f))) return null;
  const { headline, detail } = describeError(t, error);
  return (
    <Alert color="red" role="alert" py="xs">
      <Text size="sm" fw={500}>{headline}</Text>
      {detail && <Text size="xs">{detail}</Text>}
    </Alert>
  );
}

export function fieldError(error: unknown, path: string): string | undefined {
  return error instanceof ApiError ? error.fieldMessage(path) : undefined;
}
