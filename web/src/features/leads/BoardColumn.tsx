import type { BusinessCalendar } from '@core/sla/business-clock.js';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { LeadWithDecision } from '@/api/types';
import classes from './LeadBoard.module.css';
import { LeadCardSummary } from './LeadCardSummary';

/** Card height plus the gap between cards; cards have a fixed height (LeadBoard.module.css). */
const CARD_PITCH = 90;

/**
 * One stage's cards in a column that scrolls on its own. Only the cards in view (and a few
 * around them) are in the page, so a column of hundreds renders as fast as a column of ten.
 */
export function BoardColumn({ items, now, showOwner, calendars }: { items: LeadWithDecision[]; now: number; showOwner: boolean; calendars: Map<string, BusinessCalendar> }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => scroller.current, estimateSize: () => CARD_PITCH, overscan: 6, getItemKey: (i) => items[i]?.lead.id ?? i });
  return (
    <div ref={scroller} className={classes.columnScroller}>
      <div className={classes.columnInner} style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index];
          if (!item) return null;
          return (
            <div key={row.key} className={classes.slot} style={{ transform: `translateY(${row.start}px)` }}>
              <LeadCardSummary item={item} now={now} showOwner={showOwner} calendar={item.lead.ownerId ? (calendars.get(item.lead.ownerId) ?? null) : null} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
