import { Anchor, Badge, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '@/ui/format';
import { canShowInBuilder } from './rule-model';
import { RuleSetDiffView } from './RuleSetDiffView';
import type { StoredRuleSet } from './rules-api';

interface Props {
  versions: StoredRuleSet[];
  current: number | null;
  canRestore: boolean;
  restoring: boolean;
  onRestore(version: StoredRuleSet): void;
}

/** Who saved the version and, when someone else published it, who did. */
function authorsOf(v: StoredRuleSet): string {
  const author = v.authorName ?? v.author;
  const publisher = v.publishedBy ? (v.publishedByName ?? v.publishedBy) : null;
  return publisher && v.publishedBy !== v.author ? `${author} / ${publisher}` : author;
}

export const statusColor = (status: StoredRuleSet['status']) => (status === 'published' ? 'green' : status === 'draft' ? 'blue' : 'gray');

/** Who changed the rules, when and why; any two versions side by side; an old version brought back as a draft. */
export function VersionHistory({ versions, current, canRestore, restoring, onRestore }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const published = versions.find((v) => v.status === 'published');
  const [from, setFrom] = useState<string | null>(published ? String(published.version) : (versions[1] ? String(versions[1].version) : null));
  const [to, setTo] = useState<string | null>(current !== null ? String(current) : (versions[0] ? String(versions[0].version) : null));
  const options = versions.map((v) => ({ value: String(v.version), label: `v${v.version} — ${t(`rules.status.${v.status}`)}` }));
  const before = versions.find((v) => String(v.version) === from);
  const after = versions.find((v) => String(v.version) === to);
  return (
    <Stack gap="md">
      <Paper withBorder>
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing={4} data-testid="version-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('rules.history.version')}</Table.Th>
                <Table.Th>{t('rules.history.status')}</Table.Th>
                <Table.Th>{t('rules.history.author')}</Table.Th>
                <Table.Th>{t('rules.history.when')}</Table.Th>
                <Table.Th>{t('rules.history.publishedAt')}</Table.Th>
                <Table.Th>{t('rules.history.comment')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {versions.map((v) => (
                <Table.Tr key={v.version} bg={v.version === current ? 'blue.0' : undefined}>
                  <Table.Td><Anchor component={Link} to={`/settings/rules/${v.version}`}>v{v.version}</Anchor></Table.Td>
                  <Table.Td><Badge variant="light" color={statusColor(v.status)}>{t(`rules.status.${v.status}`)}</Badge></Table.Td>
                  <Table.Td>{authorsOf(v)}</Table.Td>
                  <Table.Td>{format.dateTime(v.createdAt)}</Table.Td>
                  <Table.Td>{v.publishedAt ? format.dateTime(v.publishedAt) : '—'}</Table.Td>
                  <Table.Td><Text size="sm" lineClamp={2}>{v.comment ?? ''}</Text></Table.Td>
                  <Table.Td>
                    {canRestore && v.status !== 'draft' && (
                      <Button size="compact-xs" variant="light" loading={restoring} onClick={() => onRestore(v)}>{t('rules.actions.restore')}</Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Title order={5}>{t('rules.history.compare')}</Title>
      <Group gap="sm">
        <Select w={240} label={t('rules.history.from')} data={options} value={from} onChange={setFrom} />
        <Select w={240} label={t('rules.history.to')} data={options} value={to} onChange={setTo} />
      </Group>
      {before && after && canShowInBuilder(before.definition) && canShowInBuilder(after.definition) && <RuleSetDiffView before={before.definition} after={after.definition} />}
    </Stack>
  );
}
