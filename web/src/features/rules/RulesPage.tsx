import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function RulesPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('rules.title')}</Title>
    </Stack>
  );
}
