import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, ResponseOf } from '@/api/types';

export type ApiKey = ResponseOf<'/api/v1/api-keys', 'get'>['items'][number];
export type ApiKeyScope = ApiKey['scopes'][number];
export type NewApiKey = BodyOf<'/api/v1/api-keys', 'post'>;

/** Every scope, in the order the create form offers them (admin, which includes all, last). */
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['leads:write', 'leads:read', 'leads:work', 'leads:manage', 'rules:read', 'rules:write', 'team:read', 'team:write', 'admin'];

/** The catalogue key of a scope: i18next reads ':' as a namespace separator. */
export function scopeKey(scope: ApiKeyScope) {
  return scope.replace(':', '_') as 'leads_write' | 'leads_read' | 'leads_work' | 'leads_manage' | 'rules_read' | 'rules_write' | 'team_read' | 'team_write' | 'admin';
}

const apiKeysKey = ['api-keys'] as const;

export function useApiKeys() {
  return useQuery({ queryKey: apiKeysKey, queryFn: async () => (await unwrap(api.GET('/api/v1/api-keys'))).items });
}

/** Creates a key; the answer's `plaintext` is the only copy there will ever be. */
export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: NewApiKey) => await unwrap(api.POST('/api/v1/api-keys', { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

/** Whether the key's leads keep fields intake does not know as custom fields. */
export function useChangeApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, keepUnknownFields }: { id: string; keepUnknownFields: boolean }) => await unwrap(api.PATCH('/api/v1/api-keys/{id}', { params: { path: { id } }, body: { keepUnknownFields } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

export function useRevokeApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => await unwrap(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: apiKeysKey }),
  });
}
