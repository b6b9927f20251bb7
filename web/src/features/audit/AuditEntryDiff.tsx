import { Code, Paper, SimpleGrid, Stack, Switch, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { diffRows } from './audit-diff';
import type { AuditEntry } from './audit-api';

const cell = { whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)' } as const;

/** An entry's before and after side by side, field by field, the changed fields marked. */
export function AuditEntryDiff({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const rows = diffRows(entry.before, entry.after);
  const both = entry.before !== null && entry.before !== undefined && entry.after !== null && entry.after !== undefined;
  const [onlyChanged, setOnlyChanged] = useState(both);
  if (rows === null) {
    return (
      <SimpleGrid cols={2} data-testid="audit-diff">
        {[
          [t('audit.diff.before'), entry.before],
          [t('audit.diff.after'), entry.after],
        ].map(([label, value]) => (
          <Stack gap={4} key={String(label)}>
            <Text size="xs" fw={600}>{String(label)}</Text>
            <Code block>{value === null || value === undefined ? t('audit.diff.none') : JSON.stringify(value, null, 2)}</Code>
          </Stack>
        ))}
      </SimpleGrid>
    );
  }
  const shown = onlyChanged ? rows.filter((r) => r.changed) : rows;
  return (
    <Paper p="sm" withBorder data-testid="audit-diff">
      {both && <Switch size="xs" mb="xs" label={t('audit.diff.onlyChanged')} checked={onlyChanged} onChange={(e) => setOnlyChanged(e.currentTarget.checked)} />}
      {shown.length === 0 ? (
        <Text size="sm" c="dimmed">{t('audit.diff.nothing')}</Text>
      ) : (
        <Table withColumnBorders verticalSpacing={4} layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="20%">{t('audit.diff.field')}</Table.Th>
              <Table.Th>{t('audit.diff.before')}</Table.Th>
              <Table.Th>{t('audit.diff.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((r) => (
              <Table.Tr key={r.field}>
                <Table.Td style={cell}>{r.field}</Table.Td>
                <Table.Td style={cell} bg={r.changed && r.before !== null ? 'var(--mantine-color-red-light)' : undefined}>{r.before ?? t('audit.diff.none')}</Table.Td>
                <Table.Td style={cell} bg={r.changed && r.after !== null ? 'var(--mantine-color-green-light)' : undefined}>{r.after ?? t('audit.diff.none')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
