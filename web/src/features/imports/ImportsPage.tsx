import { Anchor, Badge, Button, Card, FileInput, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorState } from '@/ui/ErrorState';
import { FormError } from '@/ui/FormError';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { useImports, useUploadImport, type ImportStatus } from './imports-api';

export const STATUS_COLOR: Record<ImportStatus, string> = { uploaded: 'gray', running: 'blue', done: 'teal', failed: 'red', cancelled: 'orange', interrupted: 'orange' };

/** Imports (admin and head): upload a CSV or .xlsx, then map, dry-run and run it on its own page. */
export function ImportsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<'leads' | 'companies'>('leads');
  const upload = useUploadImport();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) return;
    upload.mutate({ file, kind }, { onSuccess: (job) => void navigate(`/settings/imports/${job.id}`) });
  };
  return (
    <Stack>
      <div>
        <Title order={2}>{t('imports.title')}</Title>
        <Text c="dimmed" size="sm" maw={820}>{t('imports.subtitle')}</Text>
      </div>
      <Card withBorder component="form" onSubmit={submit} aria-label={t('imports.upload.submit')}>
        <Stack gap={4} mb="sm">
          <Text size="sm" fw={500}>{t('imports.kind.label')}</Text>
          <SegmentedControl
            w="fit-content"
            value={kind}
            onChange={(v) => setKind(v === 'companies' ? 'companies' : 'leads')}
            data={[{ value: 'leads', label: t('imports.kind.leads') }, { value: 'companies', label: t('imports.kind.companies') }]}
            data-testid="import-kind"
          />
          {kind === 'companies' && <Text size="xs" c="dimmed" maw={820}>{t('imports.companyHint')}</Text>}
        </Stack>
        <Group align="flex-end">
          <FileInput
            label={t('imports.upload.label')}
            description={t('imports.upload.hint')}
            placeholder={t('imports.upload.placeholder')}
            accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            value={file}
            onChange={setFile}
            clearable
            style={{ flex: 1 }}
            data-testid="import-file"
          />
          <Button type="submit" disabled={!file} loading={upload.isPending}>{t('imports.upload.submit')}</Button>
        </Group>
        {upload.error && <Stack mt="sm"><FormError error={upload.error} /></Stack>}
      </Card>
      <RecentImports />
    </Stack>
  );
}

function RecentImports() {
  const { t } = useTranslation();
  const format = useFormat();
  const jobs = useImports();
  if (jobs.isPending) return <PageLoader />;
  if (jobs.isError) return <ErrorState error={jobs.error} />;
  return (
    <Stack gap="xs">
      <Title order={4}>{t('imports.list.title')}</Title>
      {jobs.data.length === 0 ? (
        <Text c="dimmed" size="sm">{t('imports.list.empty')}</Text>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.list.file')}</Table.Th>
              <Table.Th>{t('imports.list.status')}</Table.Th>
              <Table.Th>{t('imports.list.result')}</Table.Th>
              <Table.Th>{t('imports.list.created')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {jobs.data.map((job) => (
              <Table.Tr key={job.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/settings/imports/${job.id}`}>{job.fileName}</Anchor>
                  {job.kind === 'companies' && <Badge ml="xs" size="xs" variant="outline" color="grape">{t('imports.kind.badge')}</Badge>}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={STATUS_COLOR[job.status]}>{t(`imports.status.${job.status}`)}</Badge>
                </Table.Td>
                <Table.Td>{job.status === 'uploaded' ? '—' : t('imports.list.resultLine', { created: format.number(job.progress.created), rejected: format.number(job.progress.rejected) })}</Table.Td>
                <Table.Td>{format.dateTime(job.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
