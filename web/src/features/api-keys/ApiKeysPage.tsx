import { Button, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/ui/ErrorState';
import { PageLoader } from '@/ui/PageLoader';
import { ApiKeysTable } from './ApiKeysTable';
import { useApiKeys, type ApiKey } from './api-keys-api';
import { CreateApiKeyModal, type CreatedKey } from './CreateApiKeyModal';
import { NewKeyModal } from './NewKeyModal';
import { RevokeKeyModal } from './RevokeKeyModal';

/** The administrator's keys for integrations: list with last use, create (shown once), revoke. */
export function ApiKeysPage() {
  const { t } = useTranslation();
  const keys = useApiKeys();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);

  const { active, revoked } = useMemo(() => {
    const all = keys.data ?? [];
    // Newest first: the key just made is on top.
    const newestFirst = (a: ApiKey, b: ApiKey) => b.createdAt.localeCompare(a.createdAt);
    return { active: all.filter((k) => k.revokedAt === null).sort(newestFirst), revoked: all.filter((k) => k.revokedAt !== null).sort((a, b) => (b.revokedAt ?? '').localeCompare(a.revokedAt ?? '')) };
  }, [keys.data]);
  const shown = showRevoked ? [...active, ...revoked] : active;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4} maw={760}>
          <Title order={2}>{t('apiKeys.title')}</Title>
          <Text size="sm" c="dimmed">{t('apiKeys.intro')}</Text>
        </Stack>
        <Button onClick={() => setCreating(true)}>{t('apiKeys.create')}</Button>
      </Group>
      {keys.isPending && <PageLoader />}
      {keys.isError && <ErrorState error={keys.error} />}
      {keys.data && (
        <>
          <Group justify="space-between">
            <Text size="sm" fw={500}>{t('apiKeys.active', { count: active.length })}</Text>
            {revoked.length > 0 && <Switch label={t('apiKeys.showRevoked', { count: revoked.length })} checked={showRevoked} onChange={(e) => setShowRevoked(e.currentTarget.checked)} />}
          </Group>
          {keys.data.length === 0 && <Text c="dimmed">{t('apiKeys.empty')}</Text>}
          {keys.data.length > 0 && shown.length === 0 && <Text c="dimmed">{t('apiKeys.emptyActive')}</Text>}
          {shown.length > 0 && <ApiKeysTable keys={shown} all={keys.data} onRevoke={setRevoking} />}
        </>
      )}
      <CreateApiKeyModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(key) => {
          setCreating(false);
          setCreated(key);
        }}
      />
      <NewKeyModal created={created} onClose={() => setCreated(null)} />
      <RevokeKeyModal apiKey={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}
