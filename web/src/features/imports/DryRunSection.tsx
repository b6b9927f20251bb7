import { Badge, Button, Card, Group, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { fieldText } from '@/ui/field-messages';
import { FormError } from '@/ui/FormError';
import { useFormat } from '@/ui/format';
import type { DryRunReport, DryRunRow } from './imports-api';

const STATUS_COLOR: Record<DryRunRow['status'], string> = { valid: 'teal', error: 'red', duplicate: 'orange' };

/** The dry run: totals, who would get the leads, and what happens to each of the first rows. */
export function DryRunSection({ report, onRun, running, error, disabled, kind = 'leads' }: { report: DryRunReport | undefined; onRun: () => void; running: boolean; error: unknown; disabled: boolean; kind?: 'leads' | 'companies' }) {
  const companies = kind === 'companies';
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={4}>{t('imports.dry.title')}</Title>
            <Text size="sm" c="dimmed">{t('imports.dry.hint')}</Text>
          </div>
          <Button variant={report ? 'default' : 'filled'} onClick={onRun} loading={running} disabled={disabled}>{report ? t('imports.dry.again') : t('imports.dry.run')}</Button>
        </Group>
        <FormError error={error} />
        {report && (
          <>
            <Group gap="xs" data-testid="import-dry-totals">
              <Badge variant="outline" color="gray">{t('imports.dry.rows', { count: report.totals.rows })}</Badge>
              <Badge variant="light" color="teal">{t('imports.dry.valid', { count: report.totals.valid })}</Badge>
              <Badge variant="light" color="red">{t('imports.dry.errors', { count: report.totals.errors })}</Badge>
              <Badge variant="light" color="orange">{t('imports.dry.duplicates', { count: report.totals.duplicates })}</Badge>
              <Badge variant="light" color="blue">{t(companies ? 'imports.dry.withOwner' : 'imports.dry.assigned', { count: report.totals.assigned })}</Badge>
              <Badge variant="light" color="gray">{t(companies ? 'imports.dry.withoutOwner' : 'imports.dry.pool', { count: report.totals.pool })}</Badge>
            </Group>
            {report.totals.sampled && <Text size="xs" c="dimmed">{t('imports.dry.sampled', { count: report.totals.routedRows })}</Text>}
            {report.totals.perManager.length > 0 && (
              <Text size="sm">
                <Text span fw={500}>{t('imports.dry.perManager')}: </Text>
                {report.totals.perManager.map((m) => `${m.name} — ${format.number(m.count)}`).join(', ')}
              </Text>
            )}
            <Text size="sm" fw={500}>{t('imports.dry.shown', { count: report.rows.length })}</Text>
            <ScrollArea.Autosize mah={420} type="auto">
            <Table striped stickyHeader>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={70}>{t('imports.dry.row')}</Table.Th>
                  <Table.Th>{t(companies ? 'imports.dry.company' : 'imports.dry.lead')}</Table.Th>
                  <Table.Th>{t('imports.dry.result')}</Table.Th>
                  <Table.Th>{t('imports.dry.details')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.rows.map((r) => (
                  <Table.Tr key={r.row} data-testid="import-dry-row">
                    <Table.Td>{r.row}</Table.Td>
                    <Table.Td>{r.label ?? <Text span c="dimmed" size="sm">{t('imports.dry.noLabel')}</Text>}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={STATUS_COLOR[r.status]}>
                        {r.status === 'valid' ? t('imports.dry.statusValid') : r.status === 'error' ? t('imports.dry.statusError') : t('imports.dry.statusDuplicate')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{detailsOf(t, r, companies)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            </ScrollArea.Autosize>
          </>
        )}
      </Stack>
    </Card>
  );
}

function detailsOf(t: TFunction, r: DryRunRow, companies: boolean): string {
  const fields = companies ? 'imports.companyFields' : 'imports.fields';
  if (r.status === 'error') return r.issues.map((i) => `${i.path === '(row)' ? '' : `${t(`${fields}.${i.path}`, { defaultValue: i.path })}: `}${fieldText(t, i, i.message)}`).join('; ');
  const parts: string[] = [];
  if (companies) {
    if (r.duplicateOf) parts.push(r.duplicateOf.companyId ? t('imports.dry.duplicateOfCompany', { label: r.duplicateOf.label }) : t('imports.dry.duplicateOfRow', { row: r.duplicateOf.row }));
    parts.push(r.managerName ? t('imports.dry.ownerIs', { name: r.managerName }) : t('imports.dry.noOwner'));
    return parts.join('; ');
  }
  if (r.duplicateOf) parts.push(r.duplicateOf.leadId ? t('imports.dry.duplicateOfLead', { label: r.duplicateOf.label }) : t('imports.dry.duplicateOfRow', { row: r.duplicateOf.row }));
  parts.push(r.managerName ? t('imports.dry.toManager', { name: r.managerName }) : t('imports.dry.toPool'));
  return parts.join(' ');
}
