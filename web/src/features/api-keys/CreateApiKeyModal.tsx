import { Alert, Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, FormError } from '@/ui/FormError';
import { API_KEY_SCOPES, scopeKey, useCreateApiKey, type ApiKeyScope } from './api-keys-api';

export interface CreatedKey {
  name: string;
  plaintext: string;
}

/** Name and scopes of a new key; each scope says in one line what it allows. */
export function CreateApiKeyModal({ opened, onClose, onCreated }: { opened: boolean; onClose(): void; onCreated(key: CreatedKey): void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('apiKeys.form.title')} size="lg">
      {/* Mounted only while open, so every opening starts with an empty form. */}
      {opened && <CreateApiKeyForm onCancel={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function CreateApiKeyForm({ onCancel, onCreated }: { onCancel(): void; onCreated(key: CreatedKey): void }) {
  const { t } = useTranslation();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['leads:write']);
  const [keepUnknownFields, setKeepUnknownFields] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), scopes, keepUnknownFields }, { onSuccess: (answer) => onCreated({ name: answer.key.name, plaintext: answer.plaintext }) });
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <TextInput
          label={t('apiKeys.form.name')}
          description={t('apiKeys.form.nameHint')}
          placeholder={t('apiKeys.form.namePlaceholder')}
          required
          maxLength={100}
          data-autofocus
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(create.error, 'name')}
        />
        <Checkbox.Group label={t('apiKeys.form.scopes')} required value={scopes} onChange={(value) => setScopes(value as ApiKeyScope[])} error={fieldError(create.error, 'scopes')}>
          <Stack gap="xs" mt="xs">
            {API_KEY_SCOPES.map((scope) => (
              <Checkbox
                key={scope}
                value={scope}
                data-scope={scope}
                label={
                  <Text size="sm" span>
                    {t(`apiKeys.scopes.${scopeKey(scope)}.label`)}{' '}
                    <Text span size="xs" c="dimmed" ff="monospace">
                      {scope}
                    </Text>
                  </Text>
                }
                description={t(`apiKeys.scopes.${scopeKey(scope)}.hint`)}
              />
            ))}
          </Stack>
        </Checkbox.Group>
        <Checkbox
          label={t('apiKeys.form.keepUnknownFields')}
          description={t('apiKeys.form.keepUnknownFieldsHint')}
          checked={keepUnknownFields}
          onChange={(e) => setKeepUnknownFields(e.currentTarget.checked)}
          data-testid="api-key-keep-unknown"
        />
        {scopes.includes('admin') && (
          <Alert color="red" py="xs">
            <Text size="sm">{t('apiKeys.form.adminWarning')}</Text>
          </Alert>
        )}
        <FormError error={create.error} fields={['name', 'scopes']} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>{t('common.cancel')}</Button>
          <Button type="submit" loading={create.isPending} disabled={name.trim() === '' || scopes.length === 0}>
            {t('apiKeys.form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
