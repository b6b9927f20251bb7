import { Anchor, Button, Group, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { NotificationPreferences } from './NotificationPreferences';
import { notificationSentence, notificationTitle } from './notification-text';
import { useMarkAllRead, useMarkRead, useNotifications } from './notifications-api';

/** The person's notifications, and (second tab) how they want to be told. */
export function NotificationsPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" maw={800}>
      <Title order={3}>{t('notifications.title')}</Title>
      <Tabs defaultValue="feed" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="feed">{t('notifications.feed')}</Tabs.Tab>
          <Tabs.Tab value="settings">{t('notifications.settingsTab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="feed" pt="sm"><NotificationFeed /></Tabs.Panel>
        <Tabs.Panel value="settings" pt="sm"><NotificationPreferences /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function NotificationFeed() {
  // The server words notifications in English; other readers get the headline from the catalogue.
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const list = useNotifications();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  if (list.isPending) return <PageLoader />;
  if (list.isError) return <ErrorState error={list.error} />;
  return (
    <Stack gap="sm">
      <Group justify="flex-end">
        <Button variant="light" size="xs" disabled={list.data.unreadCount === 0} onClick={() => markAll.mutate()}>{t('notifications.markAllRead')}</Button>
      </Group>
      {list.data.items.length === 0 && <Text c="dimmed">{t('notifications.empty')}</Text>}
      {list.data.items.map((n) => (
        <Paper key={n.id} withBorder p="sm" bg={n.readAt ? undefined : 'blue.0'}>
          <Group justify="space-between" wrap="nowrap">
            <Text fw={n.readAt ? 400 : 600}>{notificationTitle(t, n.topic)}</Text>
            <Text size="xs" c="dimmed">{format.dateTime(n.createdAt)}</Text>
          </Group>
          {notificationSentence(n, i18n.language) !== null && <Text size="sm" c="dimmed">{n.text}</Text>}
          <Group gap="sm" mt={4}>
            {n.leadId && <Anchor component={Link} to={`/leads/${n.leadId}`} size="sm">{t('notifications.openLead')}</Anchor>}
            {!n.readAt && <Anchor component="button" size="sm" onClick={() => markRead.mutate(n.id)}>{t('notifications.markRead')}</Anchor>}
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
