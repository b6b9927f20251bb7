import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken, unwrap } from '@/api/client';
import type { Session } from '@/api/types';

export const sessionKey = ['session'] as const;

let expired = false;

/** The server refused a signed-in person's request: the session ended (expiry, sign-out elsewhere). */
export function markSessionExpired(): void {
  expired = true;
}

/** Whether the sign-in page should say the session ended; asked once. */
export function takeSessionExpired(): boolean {
  const was = expired;
  expired = false;
  return was;
}

/** Who is signed in; null when nobody is (the server answered 401). */
export function useSessionQuery() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<Session | null> => {
      try {
        const session = await unwrap(api.GET('/api/v1/session'));
        setCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Infinity,
    retry: false,
  });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { email: string; password: string }) => await unwrap(api.POST('/api/v1/session', { body })),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      client.clear();
      client.setQueryData(sessionKey, session);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await unwrap(api.DELETE('/api/v1/session'));
    },
    onSettled: () => {
      setCsrfToken(null);
      client.clear();
      client.setQueryData(sessionKey, null);
    },
  });
}

export function useSaveLanguage() {
  return useMutation({
    mutationFn: async (locale: 'ru' | 'en') => await unwrap(api.PUT('/api/v1/me/locale', { body: { locale } })),
  });
}
