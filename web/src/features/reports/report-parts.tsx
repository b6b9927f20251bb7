import { Button, Group, Menu, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export type ExportFormat = 'xlsx' | 'csv';

/** A table the reader can download: where each format of it is, and which formats there are (both by default). */
export interface ReportDownload {
  label: string;
  href(format: ExportFormat): string;
  formats?: ExportFormat[];
}

/** One report: its title, the definition in a sentence, its tables as CSV or Excel, then the figures. */
export function ReportSection({ title, explain, downloads, children }: { title: string; explain: string; downloads: ReportDownload[]; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={2}>
          <Title order={3}>{title}</Title>
          <Text size="sm" c="dimmed" maw={900}>{explain}</Text>
        </Stack>
        <Menu position="bottom-end">
          <Menu.Target>
            <Button variant="default" size="xs" style={{ flexShrink: 0 }}>{t('reports.download')}</Button>
          </Menu.Target>
          <Menu.Dropdown>
            {downloads.flatMap((d) =>
              (d.formats ?? (['xlsx', 'csv'] as const)).map((format) => (
                <Menu.Item key={`${d.label}.${format}`} component="a" href={d.href(format)} download>
                  {t(`reports.as.${format}`, { table: d.label })}
                </Menu.Item>
              )),
            )}
          </Menu.Dropdown>
        </Menu>
      </Group>
      {children}
    </Stack>
  );
}

export function StatGrid({ children }: { children: ReactNode }) {
  return <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>{children}</SimpleGrid>;
}

export function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string | undefined; testId?: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">{label}</Text>
      <Text fw={700} size="xl" data-testid={testId}>{value}</Text>
      {hint && <Text size="xs" c="dimmed">{hint}</Text>}
    </Paper>
  );
}

export interface Column<Row> {
  label: string;
  value(row: Row): ReactNode;
  align?: 'left' | 'right';
}

/** A report table: a header and one row per item, numbers right-aligned. */
export function ReportTable<Row>({ rows, columns, rowKey, testId }: { rows: readonly Row[]; columns: Array<Column<Row>>; rowKey(row: Row, index: number): string; testId?: string }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <Text size="sm" c="dimmed">{t('reports.empty')}</Text>;
  return (
    <Paper withBorder>
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing={4} striped data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => <Table.Th key={c.label} ta={c.align ?? 'right'}>{c.label}</Table.Th>)}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, i) => (
              <Table.Tr key={rowKey(row, i)}>
                {columns.map((c) => <Table.Td key={c.label} ta={c.align ?? 'right'}>{c.value(row)}</Table.Td>)}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
