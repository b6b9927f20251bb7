import { Button, Group, NumberInput, Paper, PasswordInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, FormError } from '@/ui/FormError';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { useChangeConnector, useConnectBitrix24, type CrmConnector } from './integrations-api';

const FIELDS = ['webhookUrl', 'applicationToken', 'name', 'pollIntervalSeconds', 'locale', 'createLeads'];

/**
 * Connects a Bitrix24 portal, or changes the connected one: the inbound webhook (only retyped to
 * replace it: its code is never shown back), the outbound handler's token, polling, the
 * comments' language and whether leads from other channels are created in Bitrix24.
 */
export function Bitrix24ConnectForm({ connector }: { connector?: CrmConnector }) {
  const { t } = useTranslation();
  const connect = useConnectBitrix24();
  const change = useChangeConnector(connector?.id ?? '');
  const mutation = connector ? change : connect;
  const [webhookUrl, setWebhookUrl] = useState('');
  const [token, setToken] = useState('');
  const [name, setName] = useState(connector?.name ?? '');
  const [interval, setInterval] = useState<number>(connector?.pollIntervalSeconds ?? 60);
  const [locale, setLocale] = useState<'ru' | 'en'>(connector?.locale ?? 'ru');
  const [createLeads, setCreateLeads] = useState(connector?.createLeads ?? false);
  const [saved, setSaved] = useState(false);

  const dirty = connector
    ? webhookUrl.trim() !== '' || token.trim() !== '' || name !== connector.name || interval !== connector.pollIntervalSeconds || locale !== connector.locale || createLeads !== connector.createLeads
    : webhookUrl.trim() !== '' || token.trim() !== '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const settings = { pollIntervalSeconds: interval, locale, createLeads, ...(name.trim() ? { name: name.trim() } : {}) };
    if (connector) {
      change.mutate(
        { ...settings, ...(webhookUrl.trim() ? { webhookUrl: webhookUrl.trim() } : {}), ...(token.trim() ? { applicationToken: token.trim() } : {}) },
        {
          onSuccess: () => {
            setWebhookUrl('');
            setToken('');
            setSaved(true);
          },
        },
      );
    } else {
      connect.mutate({ ...settings, webhookUrl: webhookUrl.trim(), ...(token.trim() ? { applicationToken: token.trim() } : {}) });
    }
  };

  const title = connector ? t('integrations.bitrix24.settingsTitle') : t('integrations.bitrix24.connectTitle');
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label={title}>
      <UnsavedChangesGuard when={dirty} />
      <Title order={5} mb={4}>{title}</Title>
      {!connector && <Text size="sm" c="dimmed" mb="sm">{t('integrations.bitrix24.connectHint')}</Text>}
      <Stack gap="sm">
        <TextInput
          label={t('integrations.bitrix24.webhookUrl')}
          description={connector ? t('integrations.bitrix24.webhookUrlKeep', { masked: connector.endpoint }) : t('integrations.bitrix24.webhookUrlHint')}
          placeholder="https://example.bitrix24.ru/rest/1/abcdef0123456789/"
          required={!connector}
          value={webhookUrl}
          onChange={(e) => setWebhookUrl(e.currentTarget.value)}
          error={fieldError(mutation.error, 'webhookUrl')}
        />
        <PasswordInput
          label={t('integrations.bitrix24.applicationToken')}
          description={connector ? (connector.eventTokenSet ? t('integrations.bitrix24.applicationTokenKeep') : t('integrations.bitrix24.applicationTokenMissing')) : t('integrations.bitrix24.applicationTokenHint')}
          value={token}
          onChange={(e) => setToken(e.currentTarget.value)}
          error={fieldError(mutation.error, 'applicationToken')}
        />
        <Group grow align="flex-start">
          <TextInput label={t('integrations.bitrix24.name')} placeholder={t('integrations.bitrix24.namePlaceholder')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(mutation.error, 'name')} />
          <NumberInput
            label={t('integrations.bitrix24.pollInterval')}
            description={t('integrations.bitrix24.pollIntervalHint')}
            min={10}
            max={86_400}
            value={interval}
            onChange={(v) => setInterval(typeof v === 'number' ? v : 60)}
            error={fieldError(mutation.error, 'pollIntervalSeconds')}
          />
          <Select
            label={t('integrations.bitrix24.locale')}
            data={[{ value: 'ru', label: t('integrations.bitrix24.localeRu') }, { value: 'en', label: t('integrations.bitrix24.localeEn') }]}
            value={locale}
            onChange={(v) => setLocale(v === 'en' ? 'en' : 'ru')}
            allowDeselect={false}
          />
        </Group>
        <Switch label={t('integrations.bitrix24.createLeads')} description={t('integrations.bitrix24.createLeadsHint')} checked={createLeads} onChange={(e) => setCreateLeads(e.currentTarget.checked)} />
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
