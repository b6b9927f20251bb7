import { Badge, Tooltip } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lead } from '@/api/types';
import { useFormat } from '@/ui/format';
import { useManagerCalendar } from './leads-api';
import { businessCalendarOf, slaCountdown, splitMinutes } from './sla-countdown';

/** The SLA clock of a lead in its owner's business hours: green while time is left, red when breached. */
export function SlaBadge({ lead, now, size = 'sm' }: { lead: Pick<Lead, 'sla' | 'lifecycle' | 'status' | 'ownerId'>; now: number; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation();
  const format = useFormat();
  const calendarQuery = useManagerCalendar(lead.ownerId);
  const calendar = useMemo(() => (calendarQuery.data ? businessCalendarOf(calendarQuery.data) : null), [calendarQuery.data]);
  const countdown = slaCountdown(lead, calendar, now);

  switch (countdown.state) {
    case 'none':
      return null;
    case 'contacted':
      return (
        <Tooltip label={t('sla.contactedAt', { at: format.dateTime(countdown.at) })}>
          <Badge size={size} color="teal" variant="light" data-sla="contacted">{t('sla.contacted')}</Badge>
        </Tooltip>
      );
    case 'running': {
      const left = durationText(t, countdown.minutesLeft);
      return (
        <Tooltip label={t('sla.dueAt', { at: format.dateTime(countdown.dueAt, calendarQuery.data?.timeZone) })}>
          <Badge size={size} color={countdown.minutesLeft < 15 ? 'orange' : 'blue'} variant="light" data-sla="running">
            {countdown.paused ? t('sla.pausedLeft', { left }) : t('sla.left', { left })}
          </Badge>
        </Tooltip>
      );
    }
    case 'breached':
      return (
        <Tooltip label={t('sla.dueAt', { at: format.dateTime(countdown.dueAt, calendarQuery.data?.timeZone) })}>
          <Badge size={size} color="red" variant="filled" data-sla="breached">{t('sla.overdue', { over: durationText(t, countdown.minutesOver) })}</Badge>
        </Tooltip>
      );
  }
}

export function durationText(t: TFunction, totalMinutes: number): string {
  const { days, hours, minutes } = splitMinutes(totalMinutes);
  if (days > 0) return t('duration.daysHours', { days, hours });
  if (hours > 0) return t('duration.hoursMinutes', { hours, minutes });
  return t('duration.minutes', { minutes });
}
