import { notifications as toasts } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { openNotificationStream } from '@/api/live-stream';
import type { Notification } from '@/api/types';
import { notificationSentence, notificationTitle } from './notification-text';
import { notificationsKey } from './notifications-api';
import { playNewLeadSound, soundEnabled } from './sound';

/** Queries whose answers a notification can change; they refetch in the background, no reload. */
const AFFECTED = [['leads'], ['lead'], ['pool'], ['team-board'], ['transfers'], ['tasks'], ['qualification']] as const;

/** Long enough to gather one batch's notifications, short enough not to delay a single one noticeably. */
const BURST_WINDOW_MS = 150;

/** Clock difference between browser and server tolerated when telling replays from news. */
const REPLAY_SLACK_MS = 2_000;

const NEW_LEAD_TOPICS = new Set(['lead.assigned', 'lead.reassigned', 'lead.awaiting_qualification']);

/** Listens to the person's live stream for as long as they are signed in. */
export function useLiveNotifications(): void {
  const client = useQueryClient();
  const { t, i18n } = useTranslation();
  const translate = useRef(t);
  translate.current = t;
  const language = useRef('ru');
  language.current = i18n.language;

  useEffect(() => {
    // A batch import can assign hundreds of leads at once: notifications arriving together
    // refetch once and show one summary toast instead of a queue of hundreds.
    let burst: Notification[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const arrived = burst;
      burst = [];
      void client.invalidateQueries({ queryKey: notificationsKey });
      for (const key of AFFECTED) void client.invalidateQueries({ queryKey: key });
      const first = arrived[0];
      if (arrived.length === 1 && first) toasts.show({ title: notificationTitle(translate.current, first.topic), message: notificationSentence(first, language.current) ?? '', autoClose: 6000 });
      else toasts.show({ title: translate.current('notifications.burst', { count: arrived.length }), message: '', autoClose: 6000 });
      if (arrived.some((n) => NEW_LEAD_TOPICS.has(n.topic)) && soundEnabled()) playNewLeadSound();
    };
    // A new stream first replays recent notifications; those are in the bell's list already and
    // are not news, so only notifications made after the stream opened pop up.
    const openedAt = Date.now();
    const close = openNotificationStream({
      onNotification: (notification: Notification) => {
        if (Date.parse(notification.createdAt) < openedAt - REPLAY_SLACK_MS) {
          void client.invalidateQueries({ queryKey: notificationsKey });
          return;
        }
        burst.push(notification);
        timer ??= setTimeout(flush, BURST_WINDOW_MS);
      },
    });
    return () => {
      close();
      if (timer) clearTimeout(timer);
    };
  }, [client]);
}
