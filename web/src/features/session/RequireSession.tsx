import { Center, Loader } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { isLanguage, switchLanguage, i18n, takeLanguagePickedOnSignIn } from '@/i18n';
import { ErrorState } from '@/ui/ErrorState';
import { takeSessionExpired, useSaveLanguage, useSessionQuery } from './session-api';

/** Pages behind sign-in: without a session, go to sign-in and come back here afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSessionQuery();
  const location = useLocation();
  const locale = session.data?.user.locale;

  const saveLanguage = useSaveLanguage();
  const signedIn = session.data !== null && session.data !== undefined;
  // The person's own language follows them from browser to browser; a person who never chose
  // one keeps the language picked on the sign-in page, and it becomes theirs.
  useEffect(() => {
    if (!signedIn) return;
    // A language picked on the sign-in page just now is the person's new choice.
    if (takeLanguagePickedOnSignIn() && isLanguage(i18n.language)) {
      if (i18n.language !== locale) saveLanguage.mutate(i18n.language);
    } else if (isLanguage(locale)) {
      if (locale !== i18n.language) void switchLanguage(locale);
    } else if (isLanguage(i18n.language)) saveLanguage.mutate(i18n.language);
    // saveLanguage is a new object each render; the effect is about the person's locale only.
  }, [locale, signedIn]);

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
    return <Navigate to={`/sign-in?next=${next}${takeSessionExpired() ? '&expired=1' : ''}`} replace />;
  }
  return <>{children}</>;
}
