import { Button, Group, NumberInput, Paper, Select, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePoolSettings, useSavePoolSettings } from '@/features/pool/pool-api';
import { fieldError, FormError } from '@/ui/FormError';

/** How the team's managers take leads from the shared pool. */
export function PoolSettingsCard({ teamId, poolSize }: { teamId: string; poolSize?: number }) {
  const { t } = useTranslation();
  const settings = usePoolSettings(teamId);
  const save = useSavePoolSettings();
  const [mode, setMode] = useState<'pick' | 'take_next'>('pick');
  const [order, setOrder] = useState<'oldest' | 'score'>('oldest');
  const [claimsPerHour, setClaimsPerHour] = useState<number | string>(10);
  useEffect(() => {
    if (!settings.data) return;
    setMode(settings.data.mode);
    setOrder(settings.data.order);
    setClaimsPerHour(settings.data.claimsPerHour);
  }, [settings.data]);

  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="xs">
        <Title order={5}>{t('team.pool')}</Title>
        {poolSize !== undefined && <Text size="sm" c="dimmed">{t('pool.waiting', { count: poolSize })}</Text>}
      </Group>
      <Group align="flex-end" gap="xs">
        <Select label={t('team.poolMode')} w={220} allowDeselect={false} value={mode} onChange={(v) => setMode(v === 'take_next' ? 'take_next' : 'pick')} data={[{ value: 'pick', label: t('pool.modePick') }, { value: 'take_next', label: t('pool.modeTakeNext') }]} />
        <Select label={t('team.poolOrder')} w={200} allowDeselect={false} value={order} onChange={(v) => setOrder(v === 'score' ? 'score' : 'oldest')} data={[{ value: 'oldest', label: t('pool.orderOldest') }, { value: 'score', label: t('pool.orderScore') }]} />
        <NumberInput label={t('team.claimsPerHour')} w={150} min={1} max={1000} value={claimsPerHour} onChange={setClaimsPerHour} error={fieldError(save.error, 'claimsPerHour')} />
        <Button loading={save.isPending} onClick={() => save.mutate({ teamId, mode, order, claimsPerHour: Number(claimsPerHour) })}>{t('common.save')}</Button>
      </Group>
      {settings.data?.inherited && <Text size="xs" c="dimmed" mt={4}>{t('team.poolInherited')}</Text>}
      <FormError error={save.error} fields={['claimsPerHour']} />
    </Paper>
  );
}
