import type { BusinessCalendar } from '@core/sla/business-clock.js';
import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, unwrap } from '@/api/client';
import { businessCalendarOf } from './sla-countdown';

export const calendarKey = (managerId: string | null) => ['calendar', managerId] as const;

export async function fetchCalendar(managerId: string) {
  return await unwrap(api.GET('/api/v1/managers/{id}/calendar', { params: { path: { id: managerId } } }));
}

/** The working calendars of several owners at once (a board or a list), one request per owner. */
export function useOwnerCalendars(ownerIds: Array<string | null>): Map<string, BusinessCalendar> {
  const ids = useMemo(() => [...new Set(ownerIds.filter((id): id is string => id !== null))].sort(), [ownerIds]);
  const results = useQueries({ queries: ids.map((id) => ({ queryKey: calendarKey(id), staleTime: 10 * 60_000, queryFn: async () => await fetchCalendar(id) })) });
  const stamp = results.map((r) => r.dataUpdatedAt).join(',');
  return useMemo(() => {
    const map = new Map<string, BusinessCalendar>();
    results.forEach((r, i) => {
      const id = ids[i];
      if (id && r.data) map.set(id, businessCalendarOf(r.data));
    });
    return map;
    // `results` is a new array on every render; its data changes only when a stamp does.
  }, [ids, stamp]);
}
