import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/ui/format';
import { FormError } from '@/ui/FormError';
import { useNow } from '@/ui/use-now';
import { lastUsedText } from './ApiKeysTable';
import { useRevokeApiKey, type ApiKey } from './api-keys-api';

/** Asks before revoking: a revoked key cannot be brought back, and its integration stops at once. */
export function RevokeKeyModal({ apiKey, onClose }: { apiKey: ApiKey | null; onClose(): void }) {
  const { t } = useTranslation();
  const revoke = useRevokeApiKey();
  const format = useFormat();
  const now = useNow(30_000);
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <Modal opened={apiKey !== null} onClose={close} title={apiKey ? t('apiKeys.confirmRevoke.title', { name: apiKey.name }) : ''}>
      <Stack gap="md">
        <Text size="sm">{t('apiKeys.confirmRevoke.text')}</Text>
        {apiKey && (
          <Text size="sm" c="dimmed">
            {apiKey.lastUsedAt ? t('apiKeys.confirmRevoke.lastUsed', { when: lastUsedText(t, format, apiKey.lastUsedAt, now) }) : t('apiKeys.confirmRevoke.neverUsed')}
          </Text>
        )}
        <FormError error={revoke.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>{t('common.cancel')}</Button>
          <Button color="red" loading={revoke.isPending} onClick={() => apiKey && revoke.mutate(apiKey.id, { onSuccess: close })} data-testid="confirm-revoke">
            {t('apiKeys.confirmRevoke.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
