import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { QueryOf, ResponseOf } from '@/api/types';

export type AuditEntry = ResponseOf<'/api/v1/audit', 'get'>['items'][number];
export type AuditFilter = Omit<QueryOf<'/api/v1/audit', 'get'>, 'limit' | 'cursor'>;

/** The audit log, newest first, a page at a time. */
export function useAuditLog(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['audit', filter],
    initialPageParam: null as string | null,
    placeholderData: keepPreviousData,
    queryFn: async ({ pageParam }) => await unwrap(api.GET('/api/v1/audit', { params: { query: { ...filter, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** Who can appear as an actor: people and API keys, by the actor name the log uses (user:…, api-key:…). */
export function useActors() {
  const users = useQuery({ queryKey: ['audit-actors', 'users'], staleTime: 60_000, queryFn: async () => (await unwrap(api.GET('/api/v1/users'))).items });
  const keys = useQuery({ queryKey: ['audit-actors', 'api-keys'], staleTime: 60_000, queryFn: async () => (await unwrap(api.GET('/api/v1/api-keys'))).items });
  const names = new Map<string, { name: string; kind: 'user' | 'api-key' }>();
  for (const u of users.data ?? []) names.set(`user:${u.id}`, { name: u.name, kind: 'user' });
  for (const k of keys.data ?? []) names.set(`api-key:${k.id}`, { name: k.name, kind: 'api-key' });
  return names;
}
