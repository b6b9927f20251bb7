import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf } from '@/api/types';
import { leadKey, leadsKey } from './leads-api';

/** A lead typed in by a person: registered by them (or the manager a head names). */
export function useRegisterLead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: BodyOf<'/api/v1/leads', 'post'>) => await unwrap(api.POST('/api/v1/leads', { body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: leadsKey });
      void client.invalidateQueries({ queryKey: ['team-board'] });
      void client.invalidateQueries({ queryKey: ['pool'] });
    },
  });
}

function useRefreshLead(leadId: string) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: leadKey(leadId) });
    void client.invalidateQueries({ queryKey: leadsKey });
  };
}

export function useSetLeadOriginator(leadId: string) {
  const refresh = useRefreshLead(leadId);
  return useMutation({
    mutationFn: async (body: BodyOf<'/api/v1/leads/{id}/originator', 'put'>) => await unwrap(api.PUT('/api/v1/leads/{id}/originator', { params: { path: { id: leadId } }, body })),
    onSuccess: refresh,
  });
}

export function useSetDealOriginator(leadId: string) {
  const refresh = useRefreshLead(leadId);
  return useMutation({
    mutationFn: async ({ dealId, ...body }: BodyOf<'/api/v1/deals/{id}/originator', 'put'> & { dealId: string }) =>
      await unwrap(api.PUT('/api/v1/deals/{id}/originator', { params: { path: { id: dealId } }, body })),
    onSuccess: refresh,
  });
}

export function useHandOverDeal(leadId: string) {
  const refresh = useRefreshLead(leadId);
  return useMutation({
    mutationFn: async ({ dealId, ...body }: BodyOf<'/api/v1/deals/{id}/owner', 'put'> & { dealId: string }) => await unwrap(api.PUT('/api/v1/deals/{id}/owner', { params: { path: { id: dealId } }, body })),
    onSuccess: refresh,
  });
}

const teamLeadSettingsKey = (teamId: string) => ['team-lead-settings', teamId] as const;

/** Whether leads the team's managers register stay with them (keep) or go through the rules (route). */
export function useTeamLeadSettings(teamId: string | null, enabled = true) {
  return useQuery({
    queryKey: teamLeadSettingsKey(teamId ?? ''),
    enabled: enabled && teamId !== null,
    staleTime: 60_000,
    queryFn: async () => await unwrap(api.GET('/api/v1/teams/{id}/lead-settings', { params: { path: { id: teamId ?? '' } } })),
  });
}

export function usePutTeamLeadSettings(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: BodyOf<'/api/v1/teams/{id}/lead-settings', 'put'>) => await unwrap(api.PUT('/api/v1/teams/{id}/lead-settings', { params: { path: { id: teamId } }, body })),
    onSuccess: (settings) => client.setQueryData(teamLeadSettingsKey(teamId), settings),
  });
}
