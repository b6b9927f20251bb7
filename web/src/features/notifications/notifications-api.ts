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

const preferencesKey = ['notification-preferences'] as const;

/** Which channels tell the signed-in person about which events, and their e-mail and Telegram chat. */
export function useNotificationPreferences() {
  return useQuery({ queryKey: preferencesKey, queryFn: async () => await unwrap(api.GET('/api/v1/me/notification-preferences')) });
}

export function useChangeNotificationPreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (topics: Record<string, Array<'in_app' | 'email' | 'telegram'> | null>) => await unwrap(api.PUT('/api/v1/me/notification-preferences', { body: { topics } })),
    onSuccess: (data) => client.setQueryData(preferencesKey, data),
  });
}

/** Unlinks Telegram (the chat is linked through the bot, see useTelegramLinkCode). */
export function useUnlinkTelegram() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => await unwrap(api.PUT('/api/v1/me/telegram', { body: { chatId: null } })),
    onSuccess: (data) => client.setQueryData(preferencesKey, data),
  });
}

/** A one-time t.me link: opening it in Telegram and pressing Start links that chat. */
export function useTelegramLinkCode() {
  return useMutation({ mutationFn: async () => await unwrap(api.POST('/api/v1/me/telegram/link')) });
}

/** While a link waits to be opened, the settings are read again every few seconds to see the chat linked. */
export function useNotificationPreferencesWhile(waiting: boolean) {
  return useQuery({ queryKey: preferencesKey, queryFn: async () => await unwrap(api.GET('/api/v1/me/notification-preferences')), refetchInterval: waiting ? 3000 : false });
}
