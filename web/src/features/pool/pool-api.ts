import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf } from '@/api/types';

export const poolKey = ['pool'] as const;

export function usePool() {
  return useQuery({ queryKey: poolKey, queryFn: async () => await unwrap(api.GET('/api/v1/pool', { params: { query: { limit: 200 } } })), refetchInterval: 20_000 });
}

function useAfterClaim() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: poolKey });
    void client.invalidateQueries({ queryKey: ['leads'] });
  };
}

export function useClaimLead() {
  const after = useAfterClaim();
  return useMutation({
    mutationFn: async (leadId: string) => await unwrap(api.POST('/api/v1/pool/{leadId}/claim', { params: { path: { leadId } } })),
    onSettled: after,
  });
}

export function useTakeNext() {
  const after = useAfterClaim();
  return useMutation({ mutationFn: async () => await unwrap(api.POST('/api/v1/pool/take-next')), onSettled: after });
}

export function usePoolSettings(teamId: string | null) {
  return useQuery({
    queryKey: [...poolKey, 'settings', teamId],
    queryFn: async () => await unwrap(api.GET('/api/v1/pool/settings', { params: { query: teamId ? { teamId } : {} } })),
  });
}

export function useSavePoolSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ teamId, ...body }: BodyOf<'/api/v1/pool/settings', 'put'> & { teamId: string }) => await unwrap(api.PUT('/api/v1/pool/settings', { params: { query: { teamId } }, body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: poolKey }),
  });
}
