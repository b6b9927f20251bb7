import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function WebhooksPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('webhooks.title')}</Title>
    </Stack>
  );
}
