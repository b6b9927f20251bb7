import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, Pipelines, Reason } from '@/api/types';

export type Pipeline = Pipelines['default'];
export type Stage = Pipeline['stages'][number];
export type { Reason };

// The same keys the lead screens read, so a change here shows there at once.
const pipelinesKey = ['pipelines'] as const;
const reasonsKey = ['reasons'] as const;
const qualificationKey = ['qualification-setting'] as const;

export function useAllPipelines() {
  return useQuery({ queryKey: pipelinesKey, queryFn: async () => await unwrap(api.GET('/api/v1/pipelines')) });
}

export function useSavePipeline() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ teamId, body }: { teamId: string | null; body: BodyOf<'/api/v1/pipelines/default', 'put'> }) =>
      teamId === null
        ? await unwrap(api.PUT('/api/v1/pipelines/default', { body }))
        : await unwrap(api.PUT('/api/v1/pipelines/teams/{teamId}', { params: { path: { teamId } }, body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: pipelinesKey }),
  });
}

/** Every reason of a kind, retired ones too (the catalogue screen shows and revives them). */
export function useReasonCatalogue(kind: 'junk' | 'transfer') {
  return useQuery({
    queryKey: [...reasonsKey, kind, 'all'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/reasons', { params: { query: { kind, includeInactive: 'true' } } }))).items,
  });
}

export function useCreateReason() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: BodyOf<'/api/v1/reasons', 'post'>) => await unwrap(api.POST('/api/v1/reasons', { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: reasonsKey }),
  });
}

export function useChangeReason() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...body }: BodyOf<'/api/v1/reasons/{id}', 'patch'> & { id: string }) => await unwrap(api.PATCH('/api/v1/reasons/{id}', { params: { path: { id } }, body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: reasonsKey }),
  });
}

export function useQualificationSetting() {
  return useQuery({ queryKey: qualificationKey, queryFn: async () => await unwrap(api.GET('/api/v1/settings/qualification')) });
}

export function useSaveQualificationSetting() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: BodyOf<'/api/v1/settings/qualification', 'put'>) => await unwrap(api.PUT('/api/v1/settings/qualification', { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: qualificationKey }),
  });
}
