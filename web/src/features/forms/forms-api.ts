import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, ResponseOf } from '@/api/types';

export type FormSource = ResponseOf<'/api/v1/form-sources', 'get'>['items'][number];
export type FormSourceBody = BodyOf<'/api/v1/form-sources', 'post'>;
export type FormSourcePatch = BodyOf<'/api/v1/form-sources/{id}', 'patch'>;
export type Quarantined = ResponseOf<'/api/v1/form-submissions/quarantine', 'get'>['items'][number];
export type QuarantineStatus = Quarantined['status'];

const formsKey = ['form-sources'] as const;
const quarantineKey = ['form-quarantine'] as const;

export function useFormSources() {
  return useQuery({ queryKey: formsKey, queryFn: async () => (await unwrap(api.GET('/api/v1/form-sources'))).items });
}

export function useCreateFormSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: FormSourceBody) => await unwrap(api.POST('/api/v1/form-sources', { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: formsKey }),
  });
}

export function useChangeFormSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: FormSourcePatch }) => await unwrap(api.PATCH('/api/v1/form-sources/{id}', { params: { path: { id } }, body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: formsKey }),
  });
}

/** Submissions intake refused, newest first; the waiting ones are polled so a new one shows without a reload. */
export function useQuarantine(status: QuarantineStatus) {
  return useQuery({
    queryKey: [...quarantineKey, status],
    refetchInterval: status === 'waiting' ? 15_000 : false,
    // Opening the tab shows what arrived meanwhile.
    staleTime: 0,
    queryFn: async () => (await unwrap(api.GET('/api/v1/form-submissions/quarantine', { params: { query: { status, limit: 500 } } }))).items,
  });
}

export function useReplaySubmission() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, input }: { id: string; input: Record<string, unknown> }) =>
      await unwrap(api.POST('/api/v1/form-submissions/quarantine/{id}/replay', { params: { path: { id } }, body: { input } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: quarantineKey }),
  });
}

export function useDiscardSubmission() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => await unwrap(api.POST('/api/v1/form-submissions/quarantine/{id}/discard', { params: { path: { id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: quarantineKey }),
  });
}
