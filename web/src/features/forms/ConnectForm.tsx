import { Alert, Button, Code, CopyButton, Group, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { embedSnippet } from './form-draft';
import type { FormSource } from './forms-api';

/** An address only this machine reaches: Tilda's servers and visitors' browsers cannot post to it. */
const LOCAL = /^(localhost|127\.|\[?::1\]?$)/;

function CopyThis({ value, testId }: { value: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Button size="xs" color={copied ? 'teal' : 'blue'} variant={copied ? 'light' : 'filled'} onClick={copy} miw={120} data-testid={testId}>
          {copied ? t('forms.connect.copied') : t('forms.connect.copy')}
        </Button>
      )}
    </CopyButton>
  );
}

/** «Как подключить»: the form's public address, the Tilda steps and the embed snippet, each ready to copy. */
export function ConnectForm({ form }: { form: FormSource }) {
  const { t } = useTranslation();
  const origin = window.location.origin;
  const address = `${origin}${form.endpointPath}`;
  const snippet = embedSnippet(origin, form, { name: t('forms.connect.snippetName'), phone: t('forms.connect.snippetPhone'), submit: t('forms.connect.snippetSubmit') });
  return (
    <Stack gap="lg" data-testid="form-connect">
      {!form.active && <Alert color="orange" py="xs">{t('forms.connect.inactive')}</Alert>}
      {LOCAL.test(window.location.hostname) && <Alert color="yellow" py="xs">{t('forms.connect.local')}</Alert>}
      <Stack gap={6}>
        <Title order={5}>{t('forms.connect.address')}</Title>
        <Text size="sm" c="dimmed">{t('forms.connect.addressHint')}</Text>
        <Group gap="xs" wrap="nowrap" align="center">
          <Code block data-testid="form-address" style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}>{address}</Code>
          <CopyThis value={address} testId="copy-form-address" />
        </Group>
      </Stack>
      <Stack gap={6}>
        <Title order={5}>{t('forms.connect.tilda')}</Title>
        <List type="ordered" size="sm" spacing={4}>
          <List.Item>{t('forms.connect.tilda1')}</List.Item>
          <List.Item>{t('forms.connect.tilda2')}</List.Item>
          <List.Item>{t('forms.connect.tilda3')}</List.Item>
        </List>
      </Stack>
      <Stack gap={6}>
        <Title order={5}>{t('forms.connect.embed')}</Title>
        <Text size="sm" c="dimmed">{t('forms.connect.embedHint')}</Text>
        <Code block data-testid="form-snippet" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{snippet}</Code>
        <Group justify="flex-end">
          <CopyThis value={snippet} testId="copy-form-snippet" />
        </Group>
      </Stack>
    </Stack>
  );
}
