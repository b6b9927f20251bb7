import { Center, Loader } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { isLanguage, switchLanguage, i18n } from '@/i18n';
import { ErrorState } from '@/ui/ErrorState';
import { useSessionQuery } from './session-api';

/** Pages behind sign-in: without a session, go to sign-in and come back here afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSessionQuery();
  const location = useLocation();
  const locale = session.data?.user.locale;

  // The person's own language follows them from browser to browser.
  useEffect(() => {
    if (isLanguage(locale) && locale !== i18n.language) void switchLanguage(locale);
  }, [locale]);

  if (session.isPending) {
    return (
      <Center mih="100vh">
        <Loader />
      </Center>
    );
  }
  if (session.isError) return <ErrorState error={session.error} />;
  if (!session.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  return <>{children}</>;
}
