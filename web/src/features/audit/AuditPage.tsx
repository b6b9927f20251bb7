import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function AuditPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('audit.title')}</Title>
    </Stack>
  );
}
