import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '@/api/client';
import type { Lead } from '@/api/types';
import { useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { useNow } from '@/ui/use-now';
import { PoolStanding } from './PoolStanding';
import { useClaimLead, usePool, useTakeNext } from './pool-api';

/** The shared pool: claim a lead (or take the next one) within the team's limits; a lost race says so. */
export function PoolPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const format = useFormat();
  const now = useNow();
  const navigate = useNavigate();
  const pool = usePool();
  const claim = useClaimLead();
  const takeNext = useTakeNext();
  const [claimingId, setClaimingId] = useState<string | null>(null);
  const canClaim = user.managerId !== null && user.role !== 'qualifier';
  const error = claim.error ?? takeNext.error;

  if (pool.isPending) return <PageLoader />;
  if (pool.isError) return <ErrorState error={pool.error} />;
  const { settings, total, items } = pool.data;
  const takeNextOnly = settings.mode === 'take_next';

  const onClaimed = (lead: { lead: Lead }) => void navigate(`/leads/${lead.lead.id}`);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>{t('pool.title')}</Title>
        <Group gap="xs">
          <Badge variant="light" size="lg" data-testid="pool-total">{t('pool.waiting', { count: total })}</Badge>
          <Badge variant="outline" color="gray">{takeNextOnly ? t('pool.modeTakeNext') : t('pool.modePick')}</Badge>
          <Badge variant="outline" color="gray">{settings.order === 'score' ? t('pool.orderScore') : t('pool.orderOldest')}</Badge>
        </Group>
      </Group>
      {canClaim && <PoolStanding claimsPerHour={settings.claimsPerHour} />}
      {error && (
        <Alert color={error instanceof ApiError && error.status === 409 ? 'yellow' : 'red'} role="alert" data-testid="pool-error">
          {error instanceof ApiError && error.status === 409 ? t('pool.lostRace') : error instanceof ApiError ? error.message : t('errors.unexpected')}
        </Alert>
      )}
      {canClaim && takeNextOnly && (
        <Button size="md" w={{ base: '100%', sm: 280 }} disabled={total === 0} loading={takeNext.isPending} onClick={() => takeNext.mutate(undefined, { onSuccess: onClaimed })}>
          {t('pool.takeNext')}
        </Button>
      )}
      {items.length === 0 && !takeNextOnly && <Text c="dimmed">{t('pool.empty')}</Text>}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        {items.map((lead) => (
          <Card key={lead.id} withBorder padding="sm" data-testid="pool-lead" data-lead-id={lead.id}>
            <Group justify="space-between" wrap="nowrap">
              <Text fw={600} truncate>{lead.name ?? lead.companyName ?? lead.phone ?? t('lead.untitled')}</Text>
              {lead.score !== null && <Badge variant="light">{t('pool.score', { score: lead.score })}</Badge>}
            </Group>
            <Text size="sm" c="dimmed" truncate>{[lead.companyName, lead.region, lead.source].filter(Boolean).join(' · ') || '—'}</Text>
            <Group justify="space-between" mt="xs">
              <Text size="xs" c="dimmed">{t('pool.waitingSince', { since: format.relative(lead.createdAt, now) })}</Text>
              {canClaim && !takeNextOnly && (
                <Button
                  size="xs"
                  loading={claim.isPending && claimingId === lead.id}
                  onClick={() => {
                    setClaimingId(lead.id);
                    claim.mutate(lead.id, { onSuccess: onClaimed });
                  }}
                >
                  {t('pool.claim')}
                </Button>
              )}
            </Group>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
