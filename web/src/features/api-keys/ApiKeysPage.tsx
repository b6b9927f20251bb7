import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function ApiKeysPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('apiKeys.title')}</Title>
    </Stack>
  );
}
