import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, LeadListQuery } from '@/api/types';
import { calendarKey, fetchCalendar } from './use-owner-calendars';

export const leadsKey = ['leads'] as const;
export const leadKey = (id: string) => ['lead', id] as const;

/** One page of leads, newest first, with the list's filters. Keeps the old page while a new one loads (no layout jump). */
export function useLeadList(query: LeadListQuery, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [...leadsKey, query],
    queryFn: async () => await unwrap(api.GET('/api/v1/leads', { params: { query } })),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

export function useLead(id: string) {
  return useQuery({ queryKey: leadKey(id), queryFn: async () => await unwrap(api.GET('/api/v1/leads/{id}', { params: { path: { id } } })) });
}

export function useLeadTimeline(id: string) {
  return useQuery({ queryKey: [...leadKey(id), 'timeline'], queryFn: async () => await unwrap(api.GET('/api/v1/leads/{id}/timeline', { params: { path: { id } } })) });
}

export function useLeadBriefing(id: string, enabled: boolean) {
  return useQuery({ queryKey: [...leadKey(id), 'briefing'], enabled, queryFn: async () => await unwrap(api.GET('/api/v1/leads/{id}/briefing', { params: { path: { id } } })) });
}

export function usePipelines() {
  return useQuery({ queryKey: ['pipelines'], staleTime: 5 * 60_000, queryFn: async () => await unwrap(api.GET('/api/v1/pipelines')) });
}

export function useReasons(kind: 'junk' | 'transfer') {
  return useQuery({ queryKey: ['reasons', kind], staleTime: 5 * 60_000, queryFn: async () => (await unwrap(api.GET('/api/v1/reasons', { params: { query: { kind } } }))).items });
}

export function useManagers() {
  return useQuery({ queryKey: ['managers'], staleTime: 60_000, queryFn: async () => (await unwrap(api.GET('/api/v1/managers'))).items });
}

/** The owner's working calendar, so the SLA countdown counts only their business hours. */
export function useManagerCalendar(managerId: string | null) {
  return useQuery({ queryKey: calendarKey(managerId), enabled: managerId !== null, staleTime: 10 * 60_000, queryFn: async () => await fetchCalendar(managerId ?? '') });
}

export function useTasks(query: { assignee?: string; due?: 'overdue' | 'today' | 'all'; done?: 'true' | 'false' | 'all' }) {
  return useQuery({ queryKey: ['tasks', query], queryFn: async () => await unwrap(api.GET('/api/v1/tasks', { params: { query } })) });
}

/** After any change to a lead: its card, every list and the call list refetch. */
function useLeadChanged() {
  const client = useQueryClient();
  return (id: string) => {
    void client.invalidateQueries({ queryKey: leadKey(id) });
    void client.invalidateQueries({ queryKey: leadsKey });
    void client.invalidateQueries({ queryKey: ['tasks'] });
    void client.invalidateQueries({ queryKey: ['pool'] });
    void client.invalidateQueries({ queryKey: ['team-board'] });
    void client.invalidateQueries({ queryKey: ['transfers'] });
    void client.invalidateQueries({ queryKey: ['qualification'] });
  };
}

function useLeadMutation<Input, Output>(leadId: string, run: (input: Input) => Promise<Output>) {
  const changed = useLeadChanged();
  return useMutation({ mutationFn: run, onSuccess: () => changed(leadId) });
}

export function useLogActivity(id: string) {
  return useLeadMutation(id, async (body: BodyOf<'/api/v1/leads/{id}/activities', 'post'>) => await unwrap(api.POST('/api/v1/leads/{id}/activities', { params: { path: { id } }, body })));
}

export function useChangeStatus(id: string) {
  return useLeadMutation(id, async (body: BodyOf<'/api/v1/leads/{id}/status', 'post'>) => await unwrap(api.POST('/api/v1/leads/{id}/status', { params: { path: { id } }, body })));
}

export function useCreateTask(id: string) {
  return useLeadMutation(id, async (body: BodyOf<'/api/v1/leads/{id}/tasks', 'post'>) => await unwrap(api.POST('/api/v1/leads/{id}/tasks', { params: { path: { id } }, body })));
}

export function useChangeTask(leadId: string) {
  return useLeadMutation(leadId, async ({ taskId, ...body }: BodyOf<'/api/v1/tasks/{id}', 'patch'> & { taskId: string }) => await unwrap(api.PATCH('/api/v1/tasks/{id}', { params: { path: { id: taskId } }, body })));
}

export function useConvertLead(id: string) {
  return useLeadMutation(id, async (body: BodyOf<'/api/v1/leads/{id}/convert', 'post'>) => await unwrap(api.POST('/api/v1/leads/{id}/convert', { params: { path: { id } }, body })));
}

export function useRequestTransfer(id: string) {
  return useLeadMutation(id, async (body: BodyOf<'/api/v1/leads/{id}/transfers', 'post'>) => await unwrap(api.POST('/api/v1/leads/{id}/transfers', { params: { path: { id } }, body })));
}

export function useReleaseLead(id: string) {
  return useLeadMutation(id, async (body: BodyOf<'/api/v1/leads/{id}/release', 'post'>) => await unwrap(api.POST('/api/v1/leads/{id}/release', { params: { path: { id } }, body })));
}

export function useQualifyLead(id: string) {
  return useLeadMutation(id, async (body: BodyOf<'/api/v1/leads/{id}/qualify', 'post'>) => await unwrap(api.POST('/api/v1/leads/{id}/qualify', { params: { path: { id } }, body })));
}

export function useDealsOfLead(leadId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...leadKey(leadId), 'deals'],
    enabled,
    queryFn: async () => (await unwrap(api.GET('/api/v1/deals'))).items.filter((d) => (d as { leadId?: string | null }).leadId === leadId),
  });
}

export function useUpdateDeal(leadId: string) {
  return useLeadMutation(leadId, async ({ dealId, ...body }: BodyOf<'/api/v1/deals/{id}', 'patch'> & { dealId: string }) => await unwrap(api.PATCH('/api/v1/deals/{id}', { params: { path: { id: dealId } }, body })));
}
