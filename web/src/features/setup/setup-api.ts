import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';

const setupKey = ['setup'] as const;

/** Whether the first admin may still be created on this server (nobody exists, a setup token was printed). */
export function useSetupOpen() {
  return useQuery({ queryKey: setupKey, queryFn: async () => (await unwrap(api.GET('/api/v1/setup'))).open, retry: false, staleTime: 30_000 });
}

export function useCreateFirstAdmin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { token: string; email: string; name: string; password: string; locale: 'ru' | 'en' }) => await unwrap(api.POST('/api/v1/setup', { body })),
    onSuccess: () => client.setQueryData(setupKey, false),
  });
}
