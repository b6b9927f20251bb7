import { Button, Checkbox, Group, MultiSelect, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { KNOWN_TOPICS, notificationTitle } from '@/features/notifications/notification-text';
import { fieldError, FormError } from '@/ui/FormError';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { useCreateWebhook, type CreatedWebhook } from './webhooks-api';

type Topic = (typeof KNOWN_TOPICS)[number];

export function CreateWebhookForm({ onCreated }: { onCreated(created: CreatedWebhook): void }) {
  const { t } = useTranslation();
  const create = useCreateWebhook();
  const [url, setUrl] = useState('');
  const [all, setAll] = useState(true);
  const [topics, setTopics] = useState<Topic[]>([]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { url: url.trim(), topics: all ? ['*'] : topics },
      {
        onSuccess: (created) => {
          setUrl('');
          setTopics([]);
          setAll(true);
          onCreated(created);
        },
      },
    );
  };

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label={t('webhooks.create.title')}>
      <UnsavedChangesGuard when={url.trim() !== ''} />
      <Title order={5} mb="xs">{t('webhooks.create.title')}</Title>
      <Stack gap="sm">
        <Group align="flex-start" gap="sm">
          <TextInput label={t('webhooks.create.url')} placeholder={t('webhooks.create.urlPlaceholder')} required type="url" value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={fieldError(create.error, 'url')} style={{ flex: 1 }} miw={320} />
          <Button type="submit" mt={25} loading={create.isPending}>{t('webhooks.create.submit')}</Button>
        </Group>
        <Checkbox label={t('webhooks.create.allTopics')} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
        {!all && (
          <MultiSelect
            label={t('webhooks.create.topics')}
            placeholder={t('webhooks.create.topicsPlaceholder')}
            data={KNOWN_TOPICS.map((topic) => ({ value: topic, label: `${notificationTitle(t, topic)} (${topic})` }))}
            value={topics}
            onChange={(v) => setTopics(v as Topic[])}
            searchable
            error={fieldError(create.error, 'topics')}
          />
        )}
        <FormError error={create.error} fields={['url', 'topics']} />
      </Stack>
    </Paper>
  );
}
