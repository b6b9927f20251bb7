import { Alert, Anchor, Button, Center, Loader, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '@/api/client';
import { isLanguage } from '@/i18n';
import { LanguageSwitch } from '@/features/shell/LanguageSwitch';
import { FormError } from '@/ui/FormError';
import { useCreateFirstAdmin, useSetupOpen } from './setup-api';

/** The first administrator of an empty installation, made with the one-time token from the server log. */
export function SetupPage() {
  const { t, i18n } = useTranslation();
  const open = useSetupOpen();
  const create = useCreateFirstAdmin();
  const [form, setForm] = useState({ token: '', name: '', email: '', password: '' });
  const set = (field: keyof typeof form) => (event: { currentTarget: { value: string } }) => setForm({ ...form, [field]: event.currentTarget.value });
  const error = create.error instanceof ApiError ? create.error : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ token: form.token.trim(), name: form.name.trim(), email: form.email.trim(), password: form.password, locale: isLanguage(i18n.language) ? i18n.language : 'ru' });
  };

  let content;
  if (open.isPending) content = <Loader size="sm" />;
  else if (create.isSuccess) {
    content = (
      <Stack>
        <Alert color="green" role="status">{t('setup.done')}</Alert>
        <Button component={Link} to="/sign-in">{t('setup.toSignIn')}</Button>
      </Stack>
    );
  } else if (open.data !== true || error?.status === 409) {
    content = (
      <Stack>
        <Alert color="blue" role="status">{t('setup.closed')}</Alert>
        <Anchor component={Link} to="/sign-in">{t('setup.toSignIn')}</Anchor>
      </Stack>
    );
  } else {
    content = (
      <form onSubmit={onSubmit} aria-label={t('setup.title')}>
        <Stack>
          <Text size="sm">{t('setup.intro')}</Text>
          {error?.status === 403 && <Alert color="red" role="alert">{t('setup.wrongToken')}</Alert>}
          {error && error.status !== 403 && <FormError error={error} fields={['token', 'name', 'email', 'password']} />}
          <TextInput label={t('setup.token')} description={t('setup.tokenHint')} required autoComplete="off" value={form.token} onChange={set('token')} error={error?.fieldMessage('token')} />
          <TextInput label={t('setup.name')} required autoComplete="name" value={form.name} onChange={set('name')} error={error?.fieldMessage('name')} />
          <TextInput label={t('setup.email')} type="email" required autoComplete="username" value={form.email} onChange={set('email')} error={error?.fieldMessage('email')} />
          <PasswordInput label={t('setup.password')} description={t('setup.passwordHint')} required minLength={10} autoComplete="new-password" visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }} value={form.password} onChange={set('password')} error={error?.fieldMessage('password')} />
          <Button type="submit" loading={create.isPending}>{t('setup.submit')}</Button>
        </Stack>
      </form>
    );
  }

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={440} maw="100%">
        <Stack>
          <div>
            <Title order={2}>leadrouter</Title>
            <Text c="dimmed" size="sm">{t('setup.title')}</Text>
          </div>
          {content}
          <LanguageSwitch />
        </Stack>
      </Paper>
    </Center>
  );
}
