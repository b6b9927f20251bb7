import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, unwrap } from '@/api/client';
import type { BodyOf, QueryOf, ResponseOf } from '@/api/types';

export type Webhook = ResponseOf<'/api/v1/webhooks', 'get'>['items'][number];
export type CreatedWebhook = ResponseOf<'/api/v1/webhooks', 'post'>;
export type Delivery = ResponseOf<'/api/v1/deliveries', 'get'>['items'][number];
export type DeliveryFilter = Pick<QueryOf<'/api/v1/deliveries', 'get'>, 'status' | 'channel'>;

const webhooksKey = ['webhooks'] as const;
const deliveriesKey = ['deliveries'] as const;

export function useWebhooks() {
  return useQuery({ queryKey: webhooksKey, queryFn: async () => (await unwrap(api.GET('/api/v1/webhooks'))).items });
}

export function useCreateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: BodyOf<'/api/v1/webhooks', 'post'>) => await unwrap(api.POST('/api/v1/webhooks', { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: webhooksKey }),
  });
}

export function useRemoveWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => await unwrap(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      for (const key of [webhooksKey, deliveriesKey]) void client.invalidateQueries({ queryKey: key });
    },
  });
}

/** Queues a signed test event for one webhook; its delivery is then followed with useTestDelivery. */
export function useSendTestEvent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      // The POST answers 202, which the generated types do not treat as the data.
      const answer = await unwrap(api.POST('/api/v1/webhooks/{id}/test', { params: { path: { id } } }));
      return answer as unknown as { outboxId: string; topic: string };
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: deliveriesKey }),
  });
}

/** The delivery of a test event, polled until it was delivered or failed an attempt; the list follows its changes. */
export function useTestDelivery(outboxId: string | null) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: [...deliveriesKey, 'test', outboxId],
    enabled: outboxId !== null,
    queryFn: async () => (await unwrap(api.GET('/api/v1/deliveries', { params: { query: { outboxId: outboxId ?? '', limit: 1 } } }))).items[0] ?? null,
    refetchInterval: (query) => {
      const d = query.state.data;
      return d && (d.status !== 'pending' || d.lastError !== null) ? false : 1_000;
    },
  });
  const state = query.data ? `${query.data.status}:${query.data.attempts}` : null;
  useEffect(() => {
    if (state !== null) void client.invalidateQueries({ queryKey: deliveriesKey, predicate: (q) => q.queryKey[1] !== 'test' });
  }, [state, client]);
  return query;
}

export function useDeliveries(filter: DeliveryFilter) {
  return useInfiniteQuery({
    queryKey: [...deliveriesKey, filter],
    initialPageParam: null as string | null,
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
    queryFn: async ({ pageParam }) => await unwrap(api.GET('/api/v1/deliveries', { params: { query: { ...filter, limit: 50, ...(pageParam ? { before: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextBefore,
  });
}

export function useRetryDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => await unwrap(api.POST('/api/v1/deliveries/{id}/retry', { params: { path: { id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: deliveriesKey }),
  });
}
