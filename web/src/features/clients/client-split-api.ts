import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, ResponseOf } from '@/api/types';

export type SplitInput = BodyOf<'/api/v1/client-splits/preview', 'post'>;
export type SplitMethod = SplitInput['method'];
export type SplitSelection = SplitInput['selection'];
export type SplitPreview = ResponseOf<'/api/v1/client-splits/preview', 'post'>;
export type ClientSplit = ResponseOf<'/api/v1/client-splits', 'get'>['items'][number];

const splitsKey = ['client-splits'] as const;

export function useClientSplits() {
  return useQuery({ queryKey: splitsKey, queryFn: async () => (await unwrap(api.GET('/api/v1/client-splits'))).items });
}

/** What a split would do; writes nothing. */
export function usePreviewSplit() {
  return useMutation({ mutationFn: async (input: SplitInput) => await unwrap(api.POST('/api/v1/client-splits/preview', { body: input })) });
}

export function useApplySplit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: SplitInput) => await unwrap(api.POST('/api/v1/client-splits', { body: input })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: splitsKey });
      void client.invalidateQueries({ queryKey: ['clients'] });
    },
  });
}

export function useUndoSplit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => await unwrap(api.POST('/api/v1/client-splits/{id}/undo', { params: { path: { id } } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: splitsKey });
      void client.invalidateQueries({ queryKey: ['clients'] });
    },
  });
}
