import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CreatedKey } from './CreateApiKeyModal';

/**
 * The new key, shown this once with a copy button. It closes only with the button (not by a
 * click outside or Escape), so the key is not lost by accident. The key is also selectable
 * text, for browsers that refuse the clipboard outside HTTPS.
 */
export function NewKeyModal({ created, onClose }: { created: CreatedKey | null; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={created !== null} onClose={onClose} title={t('apiKeys.created.title')} size="lg" closeOnClickOutside={false} closeOnEscape={false} withCloseButton={false}>
      {created && (
        <Stack gap="md" data-testid="new-api-key-dialog">
          <Alert color="orange" py="xs">
            <Text size="sm">{t('apiKeys.created.warning')}</Text>
          </Alert>
          <Stack gap={4}>
            <Text size="sm" fw={500}>{t('apiKeys.created.keyLabel', { name: created.name })}</Text>
            <Group gap="xs" wrap="nowrap" align="center">
              <Code block data-testid="new-api-key" style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}>
                {created.plaintext}
              </Code>
              <CopyButton value={created.plaintext} timeout={2000}>
                {({ copied, copy }) => (
                  <Button color={copied ? 'teal' : 'blue'} variant={copied ? 'light' : 'filled'} onClick={copy} miw={130}>
                    {copied ? t('apiKeys.created.copied') : t('apiKeys.created.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
          <Stack gap={4}>
            <Text size="sm" c="dimmed">{t('apiKeys.created.usage')}</Text>
            <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>{`X-Api-Key: ${created.plaintext}`}</Code>
          </Stack>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('apiKeys.created.done')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
