import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf } from '@/api/types';

export const teamBoardKey = ['team-board'] as const;

export function useTeams() {
  return useQuery({ queryKey: ['teams'], staleTime: 5 * 60_000, queryFn: async () => (await unwrap(api.GET('/api/v1/teams'))).items });
}

/** Every manager of the team with load, caps, availability in their own zone and SLA breaches. */
export function useTeamBoard(teamId: string | null) {
  return useQuery({
    queryKey: [...teamBoardKey, teamId],
    enabled: teamId !== null,
    refetchInterval: 60_000,
    queryFn: async () => await unwrap(api.GET('/api/v1/teams/{id}/board', { params: { path: { id: teamId ?? '' } } })),
  });
}

export function useTransfers(status: 'requested' | 'all') {
  return useQuery({
    queryKey: ['transfers', status],
    queryFn: async () => (await unwrap(api.GET('/api/v1/transfers', { params: { query: status === 'requested' ? { status: 'requested' } : {} } }))).items,
  });
}

function useInvalidateTeam() {
  const client = useQueryClient();
  return () => {
    for (const key of [['transfers'], teamBoardKey, ['leads'], ['lead'], ['managers']]) void client.invalidateQueries({ queryKey: key });
  };
}

export function useApproveTransfer() {
  const invalidate = useInvalidateTeam();
  return useMutation({
    mutationFn: async ({ id, ...body }: BodyOf<'/api/v1/transfers/{id}/approve', 'post'> & { id: string }) => await unwrap(api.POST('/api/v1/transfers/{id}/approve', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

export function useRejectTransfer() {
  const invalidate = useInvalidateTeam();
  return useMutation({
    mutationFn: async ({ id, ...body }: BodyOf<'/api/v1/transfers/{id}/reject', 'post'> & { id: string }) => await unwrap(api.POST('/api/v1/transfers/{id}/reject', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

export function useCancelTransfer() {
  const invalidate = useInvalidateTeam();
  return useMutation({
    mutationFn: async (id: string) => await unwrap(api.POST('/api/v1/transfers/{id}/cancel', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

export function useBulkReassign() {
  const invalidate = useInvalidateTeam();
  return useMutation({
    mutationFn: async (body: BodyOf<'/api/v1/leads/reassign', 'post'>) => await unwrap(api.POST('/api/v1/leads/reassign', { body })),
    onSuccess: invalidate,
  });
}

export function useAbsences(managerId: string) {
  return useQuery({ queryKey: ['absences', managerId], queryFn: async () => (await unwrap(api.GET('/api/v1/managers/{id}/absences', { params: { path: { id: managerId } } }))).items });
}
