import { Badge, createTheme, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { setUnauthorizedHandler } from '@/api/client';
import { markSessionExpired, sessionKey } from '@/features/session/session-api';
import { router } from './router';

const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily: 'Inter, "Segoe UI", Roboto, Arial, sans-serif',
  // Russian labels are long; capitals make them longer and harder to read.
  components: { Badge: Badge.extend({ styles: { root: { textTransform: 'none' } } }) },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 15_000, refetchOnWindowFocus: true, retry: (count, error) => count < 2 && !(error as { status?: number }).status },
  },
});

// An expired session anywhere sends the person to sign-in; RequireSession brings them back afterwards.
setUnauthorizedHandler(() => {
  if (!queryClient.getQueryData(sessionKey)) return;
  markSessionExpired();
  queryClient.setQueryData(sessionKey, null);
});

export function App() {
  return (
    <MantineProvider theme={theme}>
      <Notifications position="bottom-right" limit={3} />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
