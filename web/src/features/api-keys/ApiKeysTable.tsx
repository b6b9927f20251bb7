import { Badge, Button, Code, Group, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/ui/format';
import { useNow } from '@/ui/use-now';
import { scopeKey, useChangeApiKey, type ApiKey } from './api-keys-api';

function createdByText(t: TFunction, key: ApiKey, all: ApiKey[]): string | null {
  const by = key.createdBy;
  if (!by) return null;
  if (by.actor.startsWith('user:')) return by.name ? t('apiKeys.createdBy', { name: by.name }) : null;
  if (by.actor.startsWith('api-key:')) {
    const maker = all.find((k) => `api-key:${k.id}` === by.actor);
    return maker ? t('apiKeys.createdByKey', { name: maker.name }) : null;
  }
  return by.actor === 'system:cli' ? t('apiKeys.createdByCli') : null;
}

/** "never", "just now" or how long ago, in the reader's language. */
export function lastUsedText(t: TFunction, format: ReturnType<typeof useFormat>, lastUsedAt: string | null, now: number): string {
  if (!lastUsedAt) return t('apiKeys.never');
  return now - new Date(lastUsedAt).getTime() < 60_000 ? t('apiKeys.justNow') : format.relative(lastUsedAt, now);
}

/** Keys with what they may do, who made them, when they were last used and whether they still work. */
export function ApiKeysTable({ keys, all, onRevoke }: { keys: ApiKey[]; all: ApiKey[]; onRevoke(key: ApiKey): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const now = useNow(30_000);
  const change = useChangeApiKey();
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="api-keys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th miw={240}>{t('apiKeys.columns.name')}</Table.Th>
            <Table.Th>{t('apiKeys.columns.key')}</Table.Th>
            <Table.Th>{t('apiKeys.columns.scopes')}</Table.Th>
            <Table.Th>{t('apiKeys.columns.created')}</Table.Th>
            <Table.Th>
              <Tooltip label={t('apiKeys.lastUsedHint')}>
                <span>{t('apiKeys.columns.lastUsed')}</span>
              </Tooltip>
            </Table.Th>
            <Table.Th>
              <Tooltip label={t('apiKeys.unknownFields.hint')} multiline w={300}>
                <span>{t('apiKeys.columns.unknownFields')}</span>
              </Tooltip>
            </Table.Th>
            <Table.Th>{t('apiKeys.columns.status')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => {
            const revoked = key.revokedAt !== null;
            const by = createdByText(t, key, all);
            return (
              <Table.Tr key={key.id} data-testid="api-key-row" data-key-id={key.id} data-revoked={revoked} style={revoked ? { opacity: 0.6 } : undefined}>
                <Table.Td>
                  <Text size="sm" fw={500}>{key.name}</Text>
                  {by && <Text size="xs" c="dimmed">{by}</Text>}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Code>{key.prefix}…</Code>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {key.scopes.map((scope) => (
                      <Tooltip key={scope} label={t(`apiKeys.scopes.${scopeKey(scope)}.hint`)} multiline w={260}>
                        <Badge variant="light" color={scope === 'admin' ? 'red' : 'blue'} tt="none" styles={{ label: { overflow: 'visible' } }}>
                          {t(`apiKeys.scopes.${scopeKey(scope)}.label`)}
                        </Badge>
                      </Tooltip>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Tooltip label={format.dateTime(key.createdAt)}>
                    <Text size="sm">{format.date(key.createdAt)}</Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid="api-key-last-used">
                  {key.lastUsedAt ? (
                    <Tooltip label={format.dateTime(key.lastUsedAt)}>
                      <Text size="sm">{lastUsedText(t, format, key.lastUsedAt, now)}</Text>
                    </Tooltip>
                  ) : (
                    <Text size="sm" c="dimmed">{lastUsedText(t, format, null, now)}</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Switch
                    size="sm"
                    label={t('apiKeys.unknownFields.keep')}
                    aria-label={t('apiKeys.unknownFields.label', { name: key.name })}
                    checked={key.keepUnknownFields}
                    disabled={revoked || change.isPending}
                    onChange={(e) => change.mutate({ id: key.id, keepUnknownFields: e.currentTarget.checked })}
                    data-testid="api-key-keep-unknown-switch"
                  />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Stack gap={2}>
                    <Badge variant="light" color={revoked ? 'gray' : 'teal'} data-testid="api-key-status" styles={{ label: { overflow: 'visible' } }}>
                      {revoked ? t('apiKeys.status.revoked') : t('apiKeys.status.active')}
                    </Badge>
                    {revoked && <Text size="xs" c="dimmed">{format.dateTime(key.revokedAt)}</Text>}
                  </Stack>
                </Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>
                  {!revoked && (
                    <Button size="xs" variant="subtle" color="red" aria-label={t('apiKeys.revokeLabel', { name: key.name })} onClick={() => onRevoke(key)}>
                      {t('apiKeys.revoke')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
