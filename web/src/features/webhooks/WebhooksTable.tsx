import { Alert, Badge, Button, Group, Loader, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notificationTitle } from '@/features/notifications/notification-text';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { useRemoveWebhook, useSendTestEvent, useTestDelivery, useWebhooks, type Webhook } from './webhooks-api';

/** How the test event sent from this page fared: followed until delivered or an attempt failed. */
function TestStatus({ outboxId }: { outboxId: string }) {
  const { t } = useTranslation();
  const delivery = useTestDelivery(outboxId);
  const d = delivery.data;
  if (!d || (d.status === 'pending' && d.lastError === null)) {
    return (
      <Group gap={6} data-testid="webhook-test-status">
        <Loader size={12} />
        <Text size="sm" c="dimmed">{t('webhooks.test.sending')}</Text>
      </Group>
    );
  }
  if (d.status === 'delivered') return <Text size="sm" c="teal" data-testid="webhook-test-status">{t('webhooks.test.delivered')}</Text>;
  return (
    <Text size="sm" c="red" data-testid="webhook-test-status">
      {d.status === 'failed' ? t('webhooks.test.failed', { error: d.lastError ?? '' }) : t('webhooks.test.retrying', { error: d.lastError ?? '' })}
    </Text>
  );
}

export function WebhooksTable() {
  const { t } = useTranslation();
  const { dateTime } = useFormat();
  const webhooks = useWebhooks();
  const test = useSendTestEvent();
  const remove = useRemoveWebhook();
  const [tests, setTests] = useState<Record<string, string>>({});
  const [removing, setRemoving] = useState<Webhook | null>(null);

  return (
    <Paper withBorder p="md" component="section" aria-label={t('webhooks.list.title')}>
      <Title order={5} mb="xs">{t('webhooks.list.title')}</Title>
      {webhooks.isPending ? (
        <PageLoader />
      ) : webhooks.isError ? (
        <ErrorState error={webhooks.error} />
      ) : webhooks.data.length === 0 ? (
        <Alert color="gray">{t('webhooks.list.empty')}</Alert>
      ) : (
        <Table verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('webhooks.list.url')}</Table.Th>
              <Table.Th>{t('webhooks.list.topics')}</Table.Th>
              <Table.Th>{t('webhooks.list.created')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {webhooks.data.map((w) => (
              <Table.Tr key={w.id} data-testid="webhook-row">
                <Table.Td>
                  <Stack gap={4}>
                    <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>{w.url}</Text>
                    {!w.active && <Badge color="gray" variant="light">{t('webhooks.list.inactive')}</Badge>}
                    {tests[w.id] && <TestStatus outboxId={tests[w.id] as string} />}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {w.topics.includes('*') ? (
                    <Text size="sm" c="dimmed">{t('webhooks.list.all')}</Text>
                  ) : (
                    <Group gap={4}>
                      {w.topics.map((topic) => (
                        <Badge key={topic} variant="light" tt="none" title={topic}>{notificationTitle(t, topic)}</Badge>
                      ))}
                    </Group>
                  )}
                </Table.Td>
                <Table.Td><Text size="sm">{dateTime(w.createdAt)}</Text></Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="light" loading={test.isPending && test.variables === w.id} onClick={() => test.mutate(w.id, { onSuccess: (sent) => setTests((all) => ({ ...all, [w.id]: sent.outboxId })) })}>
                      {t('webhooks.list.test')}
                    </Button>
                    <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(w)}>{t('webhooks.list.remove')}</Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <FormError error={test.error} />
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title={t('webhooks.list.removeTitle')} centered>
        <Text size="sm" style={{ wordBreak: 'break-all' }}>{t('webhooks.list.removeText', { url: removing?.url ?? '' })}</Text>
        <FormError error={remove.error} />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setRemoving(null)}>{t('common.cancel')}</Button>
          <Button color="red" loading={remove.isPending} onClick={() => removing && remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}>{t('webhooks.list.remove')}</Button>
        </Group>
      </Modal>
    </Paper>
  );
}
