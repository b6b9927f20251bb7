import { Alert, Anchor, Badge, Button, Card, Checkbox, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorState } from '@/ui/ErrorState';
import { FormError } from '@/ui/FormError';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { DryRunSection } from './DryRunSection';
import { errorReportUrl, useCancelImport, useDryRun, useImport, useSaveMapping, useStartImport, type ColumnMapping, type ImportJob } from './imports-api';
import { STATUS_COLOR } from './ImportsPage';
import { MappingSection } from './MappingSection';

/** One import: its columns' mapping, a dry run, then the run with its progress and error report. */
export function ImportJobPage() {
  const { id = '' } = useParams();
  const job = useImport(id);
  if (job.isPending) return <PageLoader />;
  if (job.isError) return <ErrorState error={job.error} />;
  return <ImportJobView key={job.data.id} job={job.data} />;
}

function ImportJobView({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [draft, setDraft] = useState<ColumnMapping>(job.mapping);
  const locked = job.status !== 'uploaded';
  useEffect(() => {
    if (locked) setDraft(job.mapping);
  }, [locked, job.mapping]);
  const dirty = !locked && JSON.stringify(draft) !== JSON.stringify(job.mapping);
  const save = useSaveMapping(job.id);
  const dry = useDryRun(job.id);
  const start = useStartImport(job.id);
  const cancel = useCancelImport(job.id);
  const [sla, setSla] = useState(false);

  /** Unsaved mapping changes are saved first: a dry run and a run read the saved one. */
  const saved = async (): Promise<boolean> => {
    if (!dirty) return true;
    try {
      await save.mutateAsync(draft);
      return true;
    } catch {
      return false;
    }
  };
  const runDry = async () => {
    if (await saved()) dry.mutate();
  };
  const runImport = async () => {
    if (await saved()) start.mutate(sla);
  };
  const delimiter = job.csv ? (job.csv.delimiter === '\t' ? t('imports.job.tab') : `«${job.csv.delimiter}»`) : null;

  return (
    <Stack>
      <UnsavedChangesGuard when={dirty} />
      <Anchor component={Link} to="/settings/imports" size="sm">← {t('imports.job.back')}</Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{job.fileName}</Title>
          <Text size="sm" c="dimmed">
            {t('imports.job.size', { size: format.number(Math.max(1, Math.round(job.sizeBytes / 1024))) })}
            {job.csv && ` · ${t('imports.job.read', { encoding: job.csv.encoding.toUpperCase(), delimiter })}`}
          </Text>
        </div>
        <Badge size="lg" variant="light" color={STATUS_COLOR[job.status]} data-testid="import-status">{t(`imports.status.${job.status}`)}</Badge>
      </Group>
      <MappingSection job={job} draft={draft} onChange={setDraft} locked={locked} error={save.error} />
      <DryRunSection report={dry.data} onRun={() => void runDry()} running={dry.isPending || save.isPending} error={dry.error} disabled={job.status === 'running'} kind={job.kind} />
      <Card withBorder>
        <Stack gap="sm">
          <Title order={4}>{t('imports.run.title')}</Title>
          {(job.status === 'uploaded' || job.status === 'failed' || job.status === 'cancelled' || job.status === 'interrupted') && (
            <>
              {job.kind === 'leads' && <Checkbox label={t('imports.run.sla')} description={t('imports.run.slaHint')} checked={sla} onChange={(e) => setSla(e.currentTarget.checked)} />}
              {job.status === 'failed' && <Alert color="red">{t('imports.run.failed', { error: job.error ?? '' })}</Alert>}
              {job.status === 'interrupted' && <Alert color="orange">{t('imports.run.interrupted')}</Alert>}
              <Group>
                <Button onClick={() => void runImport()} loading={start.isPending || save.isPending}>{job.status === 'uploaded' ? t('imports.run.start') : t('imports.run.resume')}</Button>
              </Group>
              <FormError error={start.error} />
            </>
          )}
          {job.status !== 'uploaded' && <RunProgress job={job} onCancel={() => cancel.mutate()} cancelling={cancel.isPending} />}
        </Stack>
      </Card>
    </Stack>
  );
}

function RunProgress({ job, onCancel, cancelling }: { job: ImportJob; onCancel: () => void; cancelling: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const p = job.progress;
  const percent = Math.round(p.fraction * 100);
  return (
    <Stack gap="xs" data-testid="import-progress">
      {job.status === 'done' && <Alert color="teal">{t('imports.run.done')}</Alert>}
      <Progress value={percent} animated={job.status === 'running'} size="lg" aria-label={`${percent}%`} />
      <Group justify="space-between">
        <Text size="sm">
          {t('imports.run.progress', { percent, rows: format.number(p.rowsRead), rate: format.number(p.rowsPerSec) })}
          {job.status === 'running' && p.secondsLeft !== null && ` · ${t('imports.run.left', { time: duration(p.secondsLeft) })}`}
        </Text>
        {job.status === 'running' && (
          <Button size="xs" variant="default" onClick={onCancel} loading={cancelling}>{t('imports.run.cancel')}</Button>
        )}
      </Group>
      {job.kind === 'companies' ? (
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <Text size="sm" data-testid="import-created">{t('imports.run.companiesCreated', { count: p.created })}</Text>
          <Text size="sm">{t('imports.run.companiesAlready', { count: p.alreadyImported })}</Text>
          <Text size="sm">{t('imports.run.rejected', { count: p.rejected })}</Text>
          <Text size="sm">{t('imports.run.companiesAssigned', { count: p.assigned })}</Text>
          <Text size="sm">{t('imports.run.contacts', { count: p.contactsCreated ?? 0 })}</Text>
          <Text size="sm">{t('imports.run.parents', { count: p.parentsLinked ?? 0 })}</Text>
        </SimpleGrid>
      ) : (
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        <Text size="sm" data-testid="import-created">{t('imports.run.created', { count: p.created })}</Text>
        <Text size="sm">{t('imports.run.already', { count: p.alreadyImported })}</Text>
        <Text size="sm">{t('imports.run.rejected', { count: p.rejected })}</Text>
        <Text size="sm">{t('imports.run.assigned', { count: p.assigned })}</Text>
        <Text size="sm">{t('imports.run.pooled', { count: p.pooled })}</Text>
        <Text size="sm">{t('imports.run.told', { count: p.managersTold })}</Text>
      </SimpleGrid>
      )}
      {job.kind === 'companies' && job.status === 'done' && (
        <Anchor component={Link} to="/clients/split" size="sm">{t('imports.run.toSplit')}</Anchor>
      )}
      {p.rejected > 0 && (
        <Anchor href={errorReportUrl(job.id)} download size="sm">{t('imports.run.errors')}</Anchor>
      )}
    </Stack>
  );
}

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}
