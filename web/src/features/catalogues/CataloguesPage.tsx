import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function CataloguesPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('catalogues.title')}</Title>
    </Stack>
  );
}
