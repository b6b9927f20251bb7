import type { BusinessCalendar } from '@core/sla/business-clock.js';
import { useTranslation } from 'react-i18next';
import type { Lead } from '@/api/types';
import classes from './LeadBoard.module.css';
import { slaCountdown } from './sla-countdown';
import { durationText } from './SlaBadge';

/** The SLA clock as a small coloured label: cheap enough for hundreds of cards on one board. */
export function SlaChip({ lead, calendar, now }: { lead: Pick<Lead, 'sla' | 'lifecycle' | 'status'>; calendar: BusinessCalendar | null; now: number }) {
  const { t } = useTranslation();
  const c = slaCountdown(lead, calendar, now);
  switch (c.state) {
    case 'none':
      return null;
    case 'contacted':
      return <span className={classes.chip} data-tone="ok" data-sla="contacted">{t('sla.contacted')}</span>;
    case 'running': {
      const left = durationText(t, c.minutesLeft);
      return <span className={classes.chip} data-tone={c.minutesLeft < 15 ? 'soon' : 'running'} data-sla="running">{c.paused ? t('sla.pausedLeft', { left }) : t('sla.left', { left })}</span>;
    }
    case 'breached':
      return <span className={classes.chip} data-tone="breached" data-sla="breached">{t('sla.overdue', { over: durationText(t, c.minutesOver) })}</span>;
  }
}
