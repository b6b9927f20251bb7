import { Button, Group, Modal, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/ui/ErrorState';
import { FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { AmocrmConnectForm } from './AmocrmConnectForm';
import { Bitrix24ConnectForm } from './Bitrix24ConnectForm';
import { ConnectorStatus } from './ConnectorStatus';
import { useCrmConnectors, useRemoveConnector, type CrmConnector } from './integrations-api';
import { UserMapping } from './UserMapping';

/** A connected portal or account: its status, the managers' CRM users, its settings, and disconnecting it. */
function Connected({ connector }: { connector: CrmConnector }) {
  const { t } = useTranslation();
  const remove = useRemoveConnector();
  const [confirming, setConfirming] = useState(false);
  return (
    <Stack>
      <ConnectorStatus connector={connector} />
      <UserMapping connectorId={connector.id} kind={connector.kind} />
      {connector.kind === 'amocrm' ? <AmocrmConnectForm key={connector.updatedAt} connector={connector} /> : <Bitrix24ConnectForm key={connector.updatedAt} connector={connector} />}
      <Group justify="flex-end">
        <Button color="red" variant="subtle" onClick={() => setConfirming(true)}>{t(`integrations.${connector.kind}.disconnect`)}</Button>
      </Group>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t(`integrations.${connector.kind}.disconnectTitle`)}>
        <Text size="sm">{t('integrations.bitrix24.disconnectText', { name: connector.name, count: connector.status.queue })}</Text>
        <FormError error={remove.error} />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setConfirming(false)}>{t('integrations.bitrix24.cancel')}</Button>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(connector.id, { onSuccess: () => setConfirming(false) })}>
            {t(`integrations.${connector.kind}.disconnect`)}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}

/** «Интеграции»: the CRMs leadrouter takes leads from and tells who owns them: Bitrix24 and amoCRM. */
export function IntegrationsPage() {
  const { t } = useTranslation();
  const connectors = useCrmConnectors();
  const bitrix24 = connectors.data?.find((c) => c.kind === 'bitrix24');
  const amocrm = connectors.data?.find((c) => c.kind === 'amocrm');
  return (
    <Stack>
      <div>
        <Title order={2}>{t('integrations.title')}</Title>
        <Text c="dimmed" size="sm" maw={820}>{t('integrations.subtitle')}</Text>
      </div>
      <Tabs defaultValue="bitrix24" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="bitrix24">{t('integrations.bitrix24.tab')}</Tabs.Tab>
          <Tabs.Tab value="amocrm">amoCRM</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="bitrix24">
          {connectors.isPending ? <PageLoader /> : connectors.isError ? <ErrorState error={connectors.error} /> : bitrix24 ? <Connected connector={bitrix24} /> : <Bitrix24ConnectForm />}
        </Tabs.Panel>
        <Tabs.Panel value="amocrm">
          {connectors.isPending ? <PageLoader /> : connectors.isError ? <ErrorState error={connectors.error} /> : amocrm ? <Connected connector={amocrm} /> : <AmocrmConnectForm />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
