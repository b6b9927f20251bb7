import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={3}>{t('errors.notFoundTitle')}</Title>
      <Text>{t('errors.notFound')}</Text>
      <Anchor component={Link} to="/">{t('errors.home')}</Anchor>
    </Stack>
  );
}
