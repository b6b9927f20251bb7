import { Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '@/features/session/use-session';
import { useManagerStanding } from './standing-api';

/** What the manager may still take: claims left this hour, open leads against the cap, today's leads against the daily cap. */
export function PoolStanding({ claimsPerHour }: { claimsPerHour: number }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const standing = useManagerStanding(user.managerId);
  const s = standing.data;
  return (
    <Paper withBorder p="xs" data-testid="pool-standing">
      <Group gap="lg">
        <Text size="sm">{s ? t('pool.claimsLeft', { left: s.claimsLeftThisHour, limit: claimsPerHour }) : t('pool.claimsLimit', { limit: claimsPerHour })}</Text>
        {s && <Text size="sm">{t('pool.openVsCap', { open: s.openLeads, max: s.maxOpen ?? '∞' })}</Text>}
        {s && <Text size="sm">{t('pool.todayVsCap', { today: s.assignedToday, max: s.maxPerDay ?? '∞' })}</Text>}
      </Group>
    </Paper>
  );
}
