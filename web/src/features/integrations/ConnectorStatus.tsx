import { Alert, Badge, Button, Code, CopyButton, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/ui/format';
import { FormError } from '@/ui/FormError';
import { usePollNow, type CrmConnector } from './integrations-api';

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text fw={500} data-testid={testId}>{value}</Text>
    </Stack>
  );
}

/** What admins watch: when the CRM last answered, the poll, the queue of owner changes, the last error; and the handler's address to set in Bitrix24. */
export function ConnectorStatus({ connector }: { connector: CrmConnector }) {
  const { t } = useTranslation();
  const { dateTime, number } = useFormat();
  const poll = usePollNow(connector.id);
  const { status } = connector;
  const handler = `${window.location.origin}${connector.eventPath}`;
  const healthy = status.lastError === null;
  const amo = connector.kind === 'amocrm';

  return (
    <Paper withBorder p="md" component="section" aria-label={t('integrations.status.title')}>
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <Title order={5}>{t('integrations.status.title')}</Title>
          <Badge color={!connector.active ? 'gray' : healthy ? 'teal' : 'red'} variant="light" data-testid="connector-health">
            {!connector.active ? t('integrations.status.off') : healthy ? t('integrations.status.ok') : t('integrations.status.error')}
          </Badge>
        </Group>
        {!amo && (
          <Button size="xs" variant="light" loading={poll.isPending} onClick={() => poll.mutate()} disabled={!connector.active}>
            {t('integrations.status.pollNow')}
          </Button>
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="md">
        <Figure label={t('integrations.status.lastSync')} value={dateTime(status.lastSyncAt)} testId="status-last-sync" />
        {!amo && <Figure label={t('integrations.status.lastPoll')} value={dateTime(status.lastPolledAt)} testId="status-last-poll" />}
        <Figure label={t('integrations.status.leadsIn')} value={number(status.leadsIn)} testId="status-leads-in" />
        <Figure label={t('integrations.status.queue')} value={number(status.queue)} testId="status-queue" />
        <Figure label={t('integrations.status.failed')} value={number(status.failed)} testId="status-failed" />
        <Figure label={t('integrations.status.mapped')} value={number(status.mappedManagers)} testId="status-mapped" />
      </SimpleGrid>
      {poll.data && <Text size="sm" c="dimmed" mt="sm">{t('integrations.status.polled', { count: poll.data.created, seen: poll.data.seen })}</Text>}
      {poll.error && <FormError error={poll.error} />}
      {status.lastError && (
        <Alert color="red" mt="sm" py="xs" title={t('integrations.status.lastError', { at: dateTime(status.lastErrorAt) })} data-testid="status-last-error">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>{status.lastError}</Text>
        </Alert>
      )}
      {!amo && !connector.eventTokenSet && (
        <Alert color="yellow" mt="sm" py="xs" data-testid="token-missing">
          <Text size="sm">{t('integrations.status.tokenMissing')}</Text>
        </Alert>
      )}
      <Stack gap={6} mt="md">
        <Text size="sm" fw={500}>{amo ? t('integrations.amocrm.handler') : t('integrations.status.handler')}</Text>
        <Group gap="xs" wrap="nowrap">
          <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="handler-address">{handler}</Code>
          <CopyButton value={handler} timeout={2000}>
            {({ copied, copy }) => (
              <Button size="xs" miw={120} color={copied ? 'teal' : 'blue'} variant={copied ? 'light' : 'filled'} onClick={copy}>
                {copied ? t('integrations.status.copied') : t('integrations.status.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        {amo ? (
          <List size="sm" type="ordered" spacing={2}>
            <List.Item>{t('integrations.amocrm.step1')}</List.Item>
            <List.Item>{t('integrations.amocrm.step2')}</List.Item>
          </List>
        ) : (
          <List size="sm" type="ordered" spacing={2}>
            <List.Item>{t('integrations.status.step1')}</List.Item>
            <List.Item>{t('integrations.status.step2')}</List.Item>
            <List.Item>{t('integrations.status.step3')}</List.Item>
          </List>
        )}
      </Stack>
    </Paper>
  );
}
