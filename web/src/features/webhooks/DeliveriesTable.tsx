import { Alert, Badge, Button, Group, Paper, SegmentedControl, Select, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notificationTitle } from '@/features/notifications/notification-text';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { useDeliveries, useRetryDelivery, useWebhooks, type Delivery, type DeliveryFilter } from './webhooks-api';

const STATUS_COLOR = { pending: 'yellow', failed: 'red', delivered: 'teal' } as const;
const CHANNELS = ['webhook', 'email', 'telegram', 'in_app', 'crm'] as const;

/** Deliveries newest first: what waits for a retry, what failed and why; a retry button for those. */
export function DeliveriesTable() {
  const { t } = useTranslation();
  const { dateTime } = useFormat();
  const [status, setStatus] = useState<'all' | NonNullable<DeliveryFilter['status']>>('all');
  const [channel, setChannel] = useState<'all' | NonNullable<DeliveryFilter['channel']>>('webhook');
  const filter: DeliveryFilter = { ...(status !== 'all' ? { status } : {}), ...(channel !== 'all' ? { channel } : {}) };
  const deliveries = useDeliveries(filter);
  const webhooks = useWebhooks();
  const retry = useRetryDelivery();
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];

  const recipient = (d: Delivery) => {
    if (d.channel !== 'webhook') return d.recipient;
    return webhooks.data?.find((w) => w.id === d.recipient)?.url ?? t('webhooks.deliveries.deletedWebhook');
  };
  const topicText = (topic: string) => (topic === 'webhook.test' ? t('webhooks.deliveries.testTopic') : notificationTitle(t, topic));

  return (
    <Paper withBorder p="md" component="section" aria-label={t('webhooks.deliveries.title')}>
      <Group justify="space-between" align="flex-end" mb="sm">
        <Title order={5}>{t('webhooks.deliveries.title')}</Title>
        <Group gap="sm" align="flex-end">
          <SegmentedControl
            size="xs"
            aria-label={t('webhooks.deliveries.status')}
            value={status}
            onChange={(v) => setStatus(v as typeof status)}
            data={(['all', 'pending', 'failed', 'delivered'] as const).map((s) => ({ value: s, label: t(`webhooks.deliveries.statuses.${s}`) }))}
          />
          <Select
            size="xs"
            w={170}
            aria-label={t('webhooks.deliveries.channel')}
            allowDeselect={false}
            value={channel}
            onChange={(v) => setChannel((v ?? 'all') as typeof channel)}
            data={(['all', ...CHANNELS] as const).map((c) => ({ value: c, label: t(`webhooks.deliveries.channels.${c}`) }))}
          />
        </Group>
      </Group>
      {deliveries.isPending ? (
        <PageLoader />
      ) : deliveries.isError ? (
        <ErrorState error={deliveries.error} />
      ) : items.length === 0 ? (
        <Alert color="gray">{t('webhooks.deliveries.empty')}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={960}>
          <Table verticalSpacing="xs" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.deliveries.at')}</Table.Th>
                <Table.Th>{t('webhooks.deliveries.event')}</Table.Th>
                <Table.Th>{t('webhooks.deliveries.recipient')}</Table.Th>
                <Table.Th>{t('webhooks.deliveries.status')}</Table.Th>
                <Table.Th>{t('webhooks.deliveries.attempts')}</Table.Th>
                <Table.Th>{t('webhooks.deliveries.nextAttempt')}</Table.Th>
                <Table.Th>{t('webhooks.deliveries.lastError')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((d) => (
                <Table.Tr key={d.id} data-testid="delivery-row">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTime(d.createdAt)}</Table.Td>
                  <Table.Td title={d.topic}>{topicText(d.topic)}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{recipient(d)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATUS_COLOR[d.status]}>{t(`webhooks.deliveries.state.${d.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{d.attempts}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{d.status === 'pending' ? dateTime(d.nextAttemptAt) : '—'}</Table.Td>
                  <Table.Td>
                    <Text size="xs" c={d.lastError ? 'red' : 'dimmed'}>{d.lastError ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    {d.status !== 'delivered' && (
                      <Button size="xs" variant="light" loading={retry.isPending && retry.variables === d.id} onClick={() => retry.mutate(d.id)}>
                        {t('webhooks.deliveries.retry')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <FormError error={retry.error} />
      {deliveries.hasNextPage && (
        <Group justify="center" mt="sm">
          <Button variant="default" size="xs" loading={deliveries.isFetchingNextPage} onClick={() => void deliveries.fetchNextPage()}>{t('webhooks.deliveries.more')}</Button>
        </Group>
      )}
    </Paper>
  );
}
