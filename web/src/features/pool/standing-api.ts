import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';

/** The caller's own room to take leads: claims left this hour, open and daily counts against the caps. */
export function useManagerStanding(managerId: string | null) {
  return useQuery({
    queryKey: ['pool', 'standing', managerId],
    enabled: managerId !== null,
    queryFn: async () => await unwrap(api.GET('/api/v1/pool/standing')),
  });
}
