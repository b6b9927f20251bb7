import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function PeoplePage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('people.title')}</Title>
    </Stack>
  );
}
