import { Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CreateWebhookForm } from './CreateWebhookForm';
import { DeliveriesTable } from './DeliveriesTable';
import { SecretModal } from './SecretModal';
import { WebhooksTable } from './WebhooksTable';
import type { CreatedWebhook } from './webhooks-api';

/** The admin's outgoing webhooks: subscribe (the secret shown once), test, delete; and what was delivered. */
export function WebhooksPage() {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  return (
    <Stack>
      <div>
        <Title order={2}>{t('webhooks.title')}</Title>
        <Text c="dimmed" size="sm" maw={820}>{t('webhooks.subtitle')}</Text>
      </div>
      <CreateWebhookForm onCreated={setCreated} />
      <WebhooksTable />
      <DeliveriesTable />
      <SecretModal created={created} onClose={() => setCreated(null)} />
    </Stack>
  );
}
