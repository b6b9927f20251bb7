import { Alert, Anchor, Badge, Button, Checkbox, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole, useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { notificationTitle } from './notification-text';
import { useChangeNotificationPreferences, useNotificationPreferences, useNotificationPreferencesWhile, useTelegramLinkCode, useUnlinkTelegram } from './notifications-api';

const CHANNELS = ['in_app', 'email', 'telegram'] as const;
type Channel = (typeof CHANNELS)[number];
type Choices = Record<string, Channel[]>;

/** Per event type, the channels that tell this person about it; and connecting Telegram through the company bot. */
export function NotificationPreferences() {
  const preferences = useNotificationPreferences();
  if (preferences.isPending) return <PageLoader />;
  if (preferences.isError) return <ErrorState error={preferences.error} />;
  return (
    <Stack gap="xl" maw={800}>
      <TelegramLink linked={preferences.data.telegramChatId !== null} />
      <PreferencesForm key={JSON.stringify(preferences.data.topics)} saved={preferences.data} />
    </Stack>
  );
}

function PreferencesForm({ saved }: { saved: NonNullable<ReturnType<typeof useNotificationPreferences>['data']> }) {
  const { t } = useTranslation();
  const [choices, setChoices] = useState<Choices>(() => saved.topics as Choices);
  const change = useChangeNotificationPreferences();
  const dirty = JSON.stringify(choices) !== JSON.stringify(saved.topics);
  // Source-health alerts go to heads only; a manager or qualifier is never told of them, so is not asked.
  const user = useCurrentUser();
  const topics = Object.keys(saved.topics).filter((topic) => !topic.startsWith('source.') || hasRole(user, 'head', 'admin'));
  const toggle = (topic: string, channel: Channel, on: boolean) => {
    const current = choices[topic] ?? [];
    setChoices({ ...choices, [topic]: CHANNELS.filter((c) => (c === channel ? on : current.includes(c))) });
  };
  const save = () => {
    // Only the topics that changed; one set back to its default is stored as "default" (null).
    const changed = Object.fromEntries(
      topics
        .filter((topic) => JSON.stringify(choices[topic]) !== JSON.stringify(saved.topics[topic]))
        .map((topic) => [topic, JSON.stringify(choices[topic]) === JSON.stringify(saved.defaults[topic]) ? null : (choices[topic] ?? [])]),
    );
    change.mutate(changed, { onSuccess: () => toasts.show({ color: 'green', message: t('notifications.preferences.saved') }) });
  };
  const unreachable = (channel: Channel) => (channel === 'email' ? !saved.email : channel === 'telegram' ? !saved.telegramChatId : false);

  return (
    <Stack gap="md" maw={800}>
      <UnsavedChangesGuard when={dirty} />
      <Text size="sm" c="dimmed">{t('notifications.preferences.explain')}</Text>
      {saved.email && <Text size="sm">{t('notifications.preferences.emailIs', { email: saved.email })}</Text>}
      <Paper withBorder>
        <Table verticalSpacing={4} data-testid="notification-preferences">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('notifications.preferences.event')}</Table.Th>
              {CHANNELS.map((c) => <Table.Th key={c} ta="center">{t(`notifications.preferences.channel.${c}`)}</Table.Th>)}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {topics.map((topic) => (
              <Table.Tr key={topic}>
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm">{notificationTitle(t, topic)}</Text>
                    {JSON.stringify(choices[topic]) === JSON.stringify(saved.defaults[topic]) && <Badge size="xs" variant="light" color="gray">{t('notifications.preferences.default')}</Badge>}
                  </Group>
                </Table.Td>
                {CHANNELS.map((channel) => (
                  <Table.Td key={channel}>
                    <Group justify="center">
                      <Checkbox
                        aria-label={`${notificationTitle(t, topic)}: ${t(`notifications.preferences.channel.${channel}`)}`}
                        checked={(choices[topic] ?? []).includes(channel)}
                        onChange={(e) => toggle(topic, channel, e.currentTarget.checked)}
                      />
                    </Group>
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {(['email', 'telegram'] as const).filter(unreachable).map((c) => <Text key={c} size="xs" c="orange">{t(`notifications.preferences.unreachable.${c}`)}</Text>)}
      <FormError error={change.error} />
      <Group>
        <Button onClick={save} disabled={!dirty} loading={change.isPending}>{t('common.save')}</Button>
      </Group>

    </Stack>
  );
}

/**
 * «Подключить Telegram»: a one-time deep link to the bot opens in a new tab (and stays on the
 * page to copy to a phone); the page then watches for the bot to link the chat.
 */
function TelegramLink({ linked }: { linked: boolean }) {
  const { t } = useTranslation();
  const code = useTelegramLinkCode();
  const unlink = useUnlinkTelegram();
  const waiting = code.isSuccess && !linked && new Date(code.data.expiresAt).getTime() > Date.now();
  useNotificationPreferencesWhile(waiting);
  const connect = () =>
    code.mutate(undefined, {
      onSuccess: (link) => {
        window.open(link.url, '_blank', 'noopener');
      },
    });
  return (
    <Stack gap="xs" data-testid="telegram-link">
      <Title order={5}>{t('notifications.preferences.telegramTitle')}</Title>
      <Text size="sm" c="dimmed">{t('notifications.preferences.telegramExplain')}</Text>
      {linked ? (
        <>
          <Alert color="green" variant="light">{code.isSuccess ? t('notifications.preferences.justLinked') : t('notifications.preferences.linked')}</Alert>
          <Group>
            <Button variant="subtle" color="red" onClick={() => unlink.mutate(undefined, { onSuccess: () => code.reset() })} loading={unlink.isPending}>{t('notifications.preferences.unlink')}</Button>
          </Group>
          <FormError error={unlink.error} />
        </>
      ) : (
        <>
          <Group>
            <Button onClick={connect} loading={code.isPending}>{t('notifications.preferences.connect')}</Button>
          </Group>
          {waiting && (
            <Alert color="blue" variant="light">
              <Text size="sm">{t('notifications.preferences.connectWaiting')}</Text>
              <Anchor href={code.data.url} target="_blank" rel="noopener" size="sm">{t('notifications.preferences.openBot')}: {code.data.url}</Anchor>
            </Alert>
          )}
          <FormError error={code.error} />
        </>
      )}
    </Stack>
  );
}
