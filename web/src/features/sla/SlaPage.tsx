import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function SlaPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('slaSettings.title')}</Title>
    </Stack>
  );
}
