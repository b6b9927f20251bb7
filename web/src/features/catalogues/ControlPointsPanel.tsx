import { Alert, List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The control points are fixed in the product (the bonus scheme pays on them): shown, not edited. */
const CONTROL_POINTS = ['presentation', 'proposal', 'contract'] as const;

export function ControlPointsPanel() {
  const { t } = useTranslation();
  return (
    <Stack maw={760}>
      <Text size="sm" c="dimmed">{t('catalogues.controlPoints.hint')}</Text>
      <List type="ordered" spacing="xs" aria-label={t('catalogues.tabs.controlPoints')}>
        {CONTROL_POINTS.map((point) => (
          <List.Item key={point}>
            <Text size="sm" fw={500} span>{t(`deal.points.${point}`)}</Text>
            <Text size="sm" c="dimmed" span> — {t(`catalogues.controlPoints.what.${point}`)}</Text>
          </List.Item>
        ))}
      </List>
      <Alert color="gray" py="xs">
        <Text size="sm">{t('catalogues.controlPoints.fixed')}</Text>
      </Alert>
    </Stack>
  );
}
