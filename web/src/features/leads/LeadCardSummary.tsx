import type { BusinessCalendar } from '@core/sla/business-clock.js';
import { memo } from 'react';
import { Link } from 'react-router';
import type { LeadWithDecision } from '@/api/types';
import { useFormat } from '@/ui/format';
import classes from './LeadBoard.module.css';
import { SlaChip } from './SlaChip';

/** One lead on the board: who, from where, how much, and its SLA clock. Fixed height so live updates never shift the layout. */
export const LeadCardSummary = memo(function LeadCardSummary({ item, now, showOwner, calendar }: { item: LeadWithDecision; now: number; showOwner: boolean; calendar: BusinessCalendar | null }) {
  const format = useFormat();
  const { lead, owner } = item;
  const title = lead.name ?? lead.companyName ?? lead.phone ?? lead.email ?? lead.id.slice(0, 8);
  const place = [lead.companyName !== title ? lead.companyName : null, lead.region].filter(Boolean).join(' · ');
  return (
    <Link to={`/leads/${lead.id}`} className={classes.card} data-testid="lead-card" data-lead-id={lead.id}>
      <div className={classes.row}>
        <span className={classes.title}>{title}</span>
        <SlaChip lead={lead} calendar={calendar} now={now} />
      </div>
      <div className={classes.muted}>{place || '\u00a0'}</div>
      <div className={classes.row}>
        <span className={classes.muted}>{lead.source ?? '—'}{showOwner && owner ? ` · ${owner.name}` : ''}</span>
        <span className={classes.value}>{lead.dealValue !== null ? format.money(lead.dealValue) : ''}</span>
      </div>
    </Link>
  );
});
