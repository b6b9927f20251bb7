import { ActionIcon, Badge, Button, Group, Indicator, Popover, ScrollArea, Stack, Switch, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useFormat } from '@/ui/format';
import { BellIcon } from '@/ui/icons';
import { notificationSentence, notificationTitle } from './notification-text';
import { useMarkAllRead, useMarkRead, useNotifications } from './notifications-api';
import { setSoundEnabled, soundEnabled } from './sound';

export function NotificationBell() {
  // The server words notifications in English; other readers get the headline from the catalogue.
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const list = useNotifications();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const [sound, setSound] = useState(soundEnabled);
  const unread = list.data?.unreadCount ?? 0;

  return (
    <Popover width={360} position="bottom-end" shadow="md">
      <Popover.Target>
        <Indicator label={unread > 99 ? '99+' : unread} size={16} disabled={unread === 0} color="red" offset={4}>
          <ActionIcon variant="subtle" size="lg" aria-label={t('notifications.bell', { count: unread })} data-testid="notification-bell">
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p="xs">
        <Group justify="space-between" mb="xs">
          <Text fw={600}>{t('notifications.title')}</Text>
          <Button size="compact-xs" variant="subtle" disabled={unread === 0} onClick={() => markAll.mutate()}>
            {t('notifications.markAllRead')}
          </Button>
        </Group>
        <ScrollArea.Autosize mah={360}>
          <Stack gap={4}>
            {(list.data?.items ?? []).slice(0, 20).map((n) => (
              <UnstyledButton
                key={n.id}
                p={6}
                style={{ borderRadius: 6, background: n.readAt ? undefined : 'var(--mantine-color-blue-0)' }}
                onClick={() => {
                  if (!n.readAt) markRead.mutate(n.id);
                  if (n.leadId) void navigate(`/leads/${n.leadId}`);
                }}
              >
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" fw={n.readAt ? 400 : 600}>{notificationTitle(t, n.topic)}</Text>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{format.time(n.createdAt)}</Text>
                </Group>
                {notificationSentence(n, i18n.language) !== null && <Text size="xs" c="dimmed" lineClamp={2}>{n.text}</Text>}
              </UnstyledButton>
            ))}
            {list.data?.items.length === 0 && <Text size="sm" c="dimmed">{t('notifications.empty')}</Text>}
          </Stack>
        </ScrollArea.Autosize>
        <Group justify="space-between" mt="xs">
          <Switch size="xs" label={t('notifications.sound')} checked={sound} onChange={(e) => { setSound(e.currentTarget.checked); setSoundEnabled(e.currentTarget.checked); }} />
          {unread > 0 && <Badge variant="light">{t('notifications.unread', { count: unread })}</Badge>}
        </Group>
        <Button fullWidth variant="light" size="xs" mt="xs" onClick={() => void navigate('/notifications')}>{t('notifications.all')}</Button>
      </Popover.Dropdown>
    </Popover>
  );
}
