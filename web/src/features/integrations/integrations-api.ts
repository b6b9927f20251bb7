import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, ResponseOf } from '@/api/types';

export type CrmConnector = ResponseOf<'/api/v1/crm-connectors', 'get'>['items'][number];
export type CrmUsers = ResponseOf<'/api/v1/crm-connectors/{id}/users', 'get'>;
export type UserMapItem = BodyOf<'/api/v1/crm-connectors/{id}/users', 'put'>['items'][number];

const connectorsKey = ['crm-connectors'] as const;
const usersKey = (id: string) => ['crm-connectors', id, 'users'] as const;

/** The connected CRMs with their status; refreshed every 15 s so the queue and errors stay current. */
export function useCrmConnectors() {
  return useQuery({ queryKey: connectorsKey, queryFn: async () => (await unwrap(api.GET('/api/v1/crm-connectors'))).items, refetchInterval: 15_000 });
}

export function useConnectBitrix24() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: BodyOf<'/api/v1/crm-connectors/bitrix24', 'post'>) => await unwrap(api.POST('/api/v1/crm-connectors/bitrix24', { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: connectorsKey }),
  });
}

export function useChangeConnector(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: BodyOf<'/api/v1/crm-connectors/{id}', 'patch'>) => await unwrap(api.PATCH('/api/v1/crm-connectors/{id}', { params: { path: { id } }, body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: connectorsKey }),
  });
}

export function useRemoveConnector() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => await unwrap(api.DELETE('/api/v1/crm-connectors/{id}', { params: { path: { id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: connectorsKey }),
  });
}

export function usePollNow(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => await unwrap(api.POST('/api/v1/crm-connectors/{id}/poll', { params: { path: { id } } })),
    onSettled: () => void client.invalidateQueries({ queryKey: connectorsKey }),
  });
}

/** Managers, the CRM users mapped to them and the CRM's own users (read from the CRM on each visit). */
export function useCrmUsers(id: string) {
  return useQuery({ queryKey: usersKey(id), queryFn: async () => await unwrap(api.GET('/api/v1/crm-connectors/{id}/users', { params: { path: { id } } })), retry: false });
}

export function useSaveUserMap(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (items: UserMapItem[]) => await unwrap(api.PUT('/api/v1/crm-connectors/{id}/users', { params: { path: { id } }, body: { items } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: usersKey(id) });
      void client.invalidateQueries({ queryKey: connectorsKey });
    },
  });
}

export function useMatchByEmail(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => await unwrap(api.POST('/api/v1/crm-connectors/{id}/users/match-by-email', { params: { path: { id } } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: usersKey(id) });
      void client.invalidateQueries({ queryKey: connectorsKey });
    },
  });
}

export function useConnectAmocrm() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: BodyOf<'/api/v1/crm-connectors/amocrm', 'post'>) => await unwrap(api.POST('/api/v1/crm-connectors/amocrm', { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: connectorsKey }),
  });
}
