import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, ResponseOf } from '@/api/types';

export type SlaPolicy = ResponseOf<'/api/v1/sla/policies', 'get'>['items'][number];
export type Holiday = ResponseOf<'/api/v1/sla/holidays', 'get'>['items'][number];
export type SlaPreviewBody = BodyOf<'/api/v1/sla/preview', 'post'>;
export type SlaPreview = ResponseOf<'/api/v1/sla/preview', 'post'>;
export type PolicyInput = BodyOf<'/api/v1/sla/policies', 'post'>;

const policiesKey = ['sla-policies'] as const;
const holidaysKey = ['sla-holidays'] as const;
const previewKey = ['sla-preview'] as const;

export function useSlaPolicies() {
  return useQuery({ queryKey: policiesKey, queryFn: async () => (await unwrap(api.GET('/api/v1/sla/policies'))).items });
}

export function useHolidays() {
  return useQuery({ queryKey: holidaysKey, queryFn: async () => (await unwrap(api.GET('/api/v1/sla/holidays'))).items });
}

/** A deadline counted by the server's SLA clock for a policy being edited; nothing is saved. */
export function useSlaPreview(body: SlaPreviewBody | null) {
  return useQuery({
    queryKey: [...previewKey, body],
    enabled: body !== null,
    placeholderData: keepPreviousData,
    retry: false,
    queryFn: async () => await unwrap(api.POST('/api/v1/sla/preview', { body: body as SlaPreviewBody })),
  });
}

function useInvalidate(...keys: ReadonlyArray<readonly string[]>) {
  const client = useQueryClient();
  return () => {
    for (const key of [...keys, previewKey]) void client.invalidateQueries({ queryKey: key });
  };
}

export function useSavePolicy() {
  const invalidate = useInvalidate(policiesKey);
  return useMutation({
    mutationFn: async ({ id, body }: { id: string | null; body: PolicyInput }) =>
      id === null ? await unwrap(api.POST('/api/v1/sla/policies', { body })) : await unwrap(api.PATCH('/api/v1/sla/policies/{id}', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

export function useRemovePolicy() {
  const invalidate = useInvalidate(policiesKey);
  return useMutation({
    mutationFn: async (id: string) => await unwrap(api.DELETE('/api/v1/sla/policies/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

export function useAddHoliday() {
  const invalidate = useInvalidate(holidaysKey);
  return useMutation({
    mutationFn: async (body: BodyOf<'/api/v1/sla/holidays', 'post'>) => await unwrap(api.POST('/api/v1/sla/holidays', { body })),
    onSuccess: invalidate,
  });
}

export function useRemoveHoliday() {
  const invalidate = useInvalidate(holidaysKey);
  return useMutation({
    mutationFn: async (id: string) => await unwrap(api.DELETE('/api/v1/sla/holidays/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}
