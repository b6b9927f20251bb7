import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';

export const notificationsKey = ['notifications'] as const;

export function useNotifications(options: { unreadOnly?: boolean } = {}) {
  return useQuery({
    queryKey: [...notificationsKey, options.unreadOnly ?? false],
    queryFn: async () => await unwrap(api.GET('/api/v1/notifications', { params: { query: { limit: 50, ...(options.unreadOnly ? { unread: 'true' } : {}) } } })),
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => await unwrap(api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: notificationsKey }),
  });
}

export function useMarkAllRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => await unwrap(api.POST('/api/v1/notifications/read-all')),
    onSuccess: () => void client.invalidateQueries({ queryKey: notificationsKey }),
  });
}
