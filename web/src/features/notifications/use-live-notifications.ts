import { notifications as toasts } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { openNotificationStream } from '@/api/live-stream';
import type { Notification } from '@/api/types';
import { notificationTitle } from './notification-text';
import { notificationsKey } from './notifications-api';
import { playNewLeadSound, soundEnabled } from './sound';

/** Queries whose answers a notification can change; they refetch in the background, no reload. */
const AFFECTED = [['leads'], ['lead'], ['pool'], ['team-board'], ['transfers'], ['tasks'], ['qualification']] as const;

const NEW_LEAD_TOPICS = new Set(['lead.assigned', 'lead.reassigned', 'lead.awaiting_qualification']);

/** Listens to the person's live stream for as long as they are signed in. */
export function useLiveNotifications(): void {
  const client = useQueryClient();
  const { t } = useTranslation();
  const translate = useRef(t);
  translate.current = t;

  useEffect(() => {
    return openNotificationStream({
      onNotification: (notification: Notification) => {
        void client.invalidateQueries({ queryKey: notificationsKey });
        for (const key of AFFECTED) void client.invalidateQueries({ queryKey: key });
        toasts.show({ title: notificationTitle(translate.current, notification.topic), message: notification.text, autoClose: 6000 });
        if (NEW_LEAD_TOPICS.has(notification.topic) && soundEnabled()) playNewLeadSound();
      },
    });
  }, [client]);
}
