import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { ApiError } from '@/api/client';
import { LanguageSwitch } from '@/features/shell/LanguageSwitch';
import { useSetupOpen } from '@/features/setup/setup-api';
import { useSessionQuery, useSignIn } from './session-api';

/** Only paths inside the app may be returned to after sign-in (never another site). */
export function safeNextPath(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const session = useSessionQuery();
  const signIn = useSignIn();
  // On a fresh installation nobody can sign in yet: point to the first-admin page.
  const setupOpen = useSetupOpen();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = safeNextPath(params.get('next'));

  if (session.data) return <Navigate to={next} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email: email.trim(), password });
  };
  const error = signIn.error instanceof ApiError ? signIn.error : null;

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={380} maw="100%">
        <form onSubmit={onSubmit} aria-label={t('signIn.title')}>
          <Stack>
            <div>
              <Title order={2}>leadrouter</Title>
              <Text c="dimmed" size="sm">{t('signIn.subtitle')}</Text>
            </div>
            {params.get('expired') === '1' && !error && <Alert color="yellow">{t('signIn.expired')}</Alert>}
            {error && (
              <Alert color="red" role="alert">
                {error.status === 0 ? t('errors.network') : error.status === 401 ? t('signIn.wrongCredentials') : error.message}
              </Alert>
            )}
            <TextInput label={t('signIn.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={error?.fieldMessage('email')} />
            <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }} label={t('signIn.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={error?.fieldMessage('password')} />
            <Button type="submit" loading={signIn.isPending}>{t('signIn.submit')}</Button>
            {setupOpen.data === true && <Anchor component={Link} to="/setup" size="sm">{t('setup.link')}</Anchor>}
            <LanguageSwitch />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
