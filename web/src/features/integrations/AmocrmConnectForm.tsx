import { Button, Group, Paper, PasswordInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, FormError } from '@/ui/FormError';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { useChangeConnector, useConnectAmocrm, type CrmConnector } from './integrations-api';

const FIELDS = ['account', 'token', 'name', 'locale', 'createLeads'];

/** Connects an amoCRM account by its subdomain and a long-lived token, or changes the connected one (the token is only retyped to replace it). */
export function AmocrmConnectForm({ connector }: { connector?: CrmConnector }) {
  const { t } = useTranslation();
  const connect = useConnectAmocrm();
  const change = useChangeConnector(connector?.id ?? '');
  const mutation = connector ? change : connect;
  const [account, setAccount] = useState('');
  const [token, setToken] = useState('');
  const [name, setName] = useState(connector?.name ?? '');
  const [locale, setLocale] = useState<'ru' | 'en'>(connector?.locale ?? 'ru');
  const [createLeads, setCreateLeads] = useState(connector?.createLeads ?? false);
  const [saved, setSaved] = useState(false);

  const dirty = connector
    ? token.trim() !== '' || name !== connector.name || locale !== connector.locale || createLeads !== connector.createLeads
    : account.trim() !== '' || token.trim() !== '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const settings = { locale, createLeads, ...(name.trim() ? { name: name.trim() } : {}) };
    if (connector) {
      change.mutate(
        { ...settings, ...(token.trim() ? { token: token.trim() } : {}) },
        {
          onSuccess: () => {
            setToken('');
            setSaved(true);
          },
        },
      );
    } else {
      connect.mutate({ ...settings, account: account.trim(), token: token.trim() });
    }
  };

  const title = connector ? t('integrations.amocrm.settingsTitle') : t('integrations.amocrm.connectTitle');
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label={title}>
      <UnsavedChangesGuard when={dirty} />
      <Title order={5} mb={4}>{title}</Title>
      {!connector && <Text size="sm" c="dimmed" mb="sm">{t('integrations.amocrm.connectHint')}</Text>}
      <Stack gap="sm">
        {connector ? (
          <Text size="sm">{t('integrations.amocrm.accountIs', { address: connector.endpoint })}</Text>
        ) : (
          <TextInput label={t('integrations.amocrm.account')} description={t('integrations.amocrm.accountHint')} placeholder="romashka" required value={account} onChange={(e) => setAccount(e.currentTarget.value)} error={fieldError(mutation.error, 'account')} />
        )}
        <PasswordInput
          label={t('integrations.amocrm.token')}
          description={connector ? t('integrations.amocrm.tokenKeep') : t('integrations.amocrm.tokenHint')}
          required={!connector}
          value={token}
          onChange={(e) => setToken(e.currentTarget.value)}
          error={fieldError(mutation.error, 'token')}
        />
        <Group grow align="flex-start">
          <TextInput label={t('integrations.bitrix24.name')} placeholder={t('integrations.bitrix24.namePlaceholder')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(mutation.error, 'name')} />
          <Select
            label={t('integrations.bitrix24.locale')}
            data={[{ value: 'ru', label: t('integrations.bitrix24.localeRu') }, { value: 'en', label: t('integrations.bitrix24.localeEn') }]}
            value={locale}
            onChange={(v) => setLocale(v === 'en' ? 'en' : 'ru')}
            allowDeselect={false}
          />
        </Group>
        <Switch label={t('integrations.amocrm.createLeads')} description={t('integrations.amocrm.createLeadsHint')} checked={createLeads} onChange={(e) => setCreateLeads(e.currentTarget.checked)} />
        <FormError error={mutation.error} fields={FIELDS} />
        <Group justify="flex-end" gap="sm">
          {saved && !dirty && <Text size="sm" c="teal">{t('integrations.bitrix24.saved')}</Text>}
          <Button type="submit" loading={mutation.isPending} disabled={connector ? !dirty : false}>
            {connector ? t('integrations.bitrix24.save') : t('integrations.bitrix24.connect')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
