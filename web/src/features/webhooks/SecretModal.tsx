import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CreatedWebhook } from './webhooks-api';

/** The new webhook's signing secret, shown this once; it closes only with its button. */
export function SecretModal({ created, onClose }: { created: CreatedWebhook | null; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={created !== null} onClose={onClose} title={t('webhooks.created.title')} size="lg" closeOnClickOutside={false} closeOnEscape={false} withCloseButton={false}>
      {created && (
        <Stack gap="md" data-testid="webhook-secret-dialog">
          <Alert color="orange" py="xs">
            <Text size="sm">{t('webhooks.created.warning')}</Text>
          </Alert>
          <Stack gap={4}>
            <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>{t('webhooks.created.secretLabel', { url: created.url })}</Text>
            <Group gap="xs" wrap="nowrap">
              <Code block data-testid="webhook-secret" style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}>
                {created.secret}
              </Code>
              <CopyButton value={created.secret} timeout={2000}>
                {({ copied, copy }) => (
                  <Button color={copied ? 'teal' : 'blue'} variant={copied ? 'light' : 'filled'} onClick={copy} miw={130}>
                    {copied ? t('webhooks.created.copied') : t('webhooks.created.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('webhooks.created.done')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
