import { Alert, Badge, Button, Group, Paper, Select, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ReportChart } from '@/features/reports/ReportChart';
import { ReportSection, ReportTable, Stat, StatGrid } from '@/features/reports/report-parts';
import { useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { clampPeriod, STATE_COLOR } from './source-health-view';
import { sourceHealthCsvUrl, useSourceHealthReport, type SourceHealthIncident, type SourceHealthRow } from './source-health-api';
import { ThresholdsDialog } from './ThresholdsDialog';

/**
 * Source health on the head's dashboard: every lead source's leads per hour against its usual
 * for that hour of the week, where it stands now, and the incidents of the period.
 */
export function SourceHealthSection({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  // Company-wide figures: the heads and the admin read them (the API refuses others).
  if (user.role !== 'admin' && user.role !== 'head') return <Alert color="gray">{t('sourceHealth.leadersOnly')}</Alert>;
  return <SourceHealthFigures from={from} to={to} />;
}

function SourceHealthFigures({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const period = clampPeriod(from, to);
  const query = { from: period.from, to: period.to };
  const report = useSourceHealthReport(query);
  const [picked, setPicked] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const rows = report.data?.sources ?? [];
  // The source on the chart: the one picked, else the first in trouble, else the busiest.
  const shown = rows.find((r) => r.source === picked) ?? rows.find((r) => r.state === 'silent' || r.state === 'junk_spike') ?? [...rows].sort((a, b) => b.period.leads - a.period.leads)[0];
  const chart = useMemo(() => {
    const hours = shown?.hours ?? [];
    const zone = report.data?.timeZone;
    const label = (iso: string) => (hours.length > 48 ? format.dateTime(iso, zone) : format.time(iso, zone));
    return {
      categories: hours.map((h) => label(h.hourStart)),
      series: [
        { name: t('sourceHealth.leads'), values: hours.map((h) => h.leads), kind: 'bar' as const, color: '#228be6' },
        { name: t('sourceHealth.usual'), values: hours.map((h) => h.usual), kind: 'line' as const, color: '#868e96' },
      ],
    };
  }, [shown, report.data?.timeZone, format, t]);

  if (report.isPending) return <PageLoader />;
  if (report.isError) return <ErrorState error={report.error} />;
  const data = report.data;
  const count = (state: SourceHealthRow['state']) => rows.filter((r) => r.state === state).length;
  const share = (v: number | null) => (v === null ? '—' : format.percent(v));

  return (
    <ReportSection
      title={t('sourceHealth.title')}
      explain={t('sourceHealth.explain')}
      downloads={[
        { label: t('sourceHealth.csvSources'), href: () => sourceHealthCsvUrl(query, 'sources'), formats: ['csv'] },
        { label: t('sourceHealth.csvIncidents'), href: () => sourceHealthCsvUrl(query, 'incidents'), formats: ['csv'] },
      ]}
    >
      <Group justify="space-between">
        {period.clamped ? <Text size="sm" c="dimmed">{t('sourceHealth.clamped')}</Text> : <span />}
        <Button variant="default" size="xs" onClick={() => setEditing(true)}>{t('sourceHealth.thresholds.open')}</Button>
      </Group>
      <StatGrid>
        <Stat label={t('sourceHealth.stats.watched')} value={format.number(rows.length)} />
        <Stat label={t('sourceHealth.stats.silent')} value={format.number(count('silent'))} testId="source-health-silent" />
        <Stat label={t('sourceHealth.stats.junk')} value={format.number(count('junk_spike'))} />
        <Stat label={t('sourceHealth.stats.incidents')} value={format.number(data.incidents.length)} />
        <Stat label={t('sourceHealth.stats.checkedAt')} value={data.checkedAt ? format.time(data.checkedAt, data.timeZone) : '—'} hint={data.checkedAt ? format.date(data.checkedAt) : undefined} />
      </StatGrid>
      {rows.length === 0 ? (
        <Alert color="gray">{t('sourceHealth.noSources')}</Alert>
      ) : (
        <ReportTable
          rows={rows}
          rowKey={(r) => r.source}
          testId="source-health-table"
          columns={[
            { label: t('sourceHealth.column.source'), value: (r) => r.source, align: 'left' },
            {
              label: t('sourceHealth.column.state'),
              align: 'left',
              value: (r) => (
                <Tooltip label={t(`sourceHealth.stateHint.${r.state}`)}>
                  <Badge color={STATE_COLOR[r.state]} variant="light">{t(`sourceHealth.state.${r.state}`)}</Badge>
                </Tooltip>
              ),
            },
            { label: t('sourceHealth.column.lastLead'), value: (r) => (r.lastLeadAt ? format.relative(r.lastLeadAt, Date.now()) : t('sourceHealth.noLead')) },
            { label: t('sourceHealth.column.silence'), value: (r) => format.number(Math.round(r.silence.hours * 10) / 10) },
            { label: t('sourceHealth.column.usualNow'), value: (r) => format.number(Math.round(r.usualPerHourNow * 10) / 10) },
            { label: t('sourceHealth.column.period'), value: (r) => format.number(r.period.leads) },
            { label: t('sourceHealth.column.usualPeriod'), value: (r) => format.number(Math.round(r.period.usual)) },
            { label: t('sourceHealth.column.junk'), value: (r) => t('sourceHealth.junkOf', { recent: share(r.junk.recentRate), usual: share(r.junk.usualRate) }) },
          ]}
        />
      )}
      {shown && (
        <Paper withBorder p="md">
          <Group justify="space-between" mb="xs">
            <Title order={5}>{t('sourceHealth.chartTitle', { source: shown.source })}</Title>
            <Select size="xs" aria-label={t('sourceHealth.pickSource')} data={rows.map((r) => r.source)} value={shown.source} onChange={(v) => setPicked(v)} allowDeselect={false} searchable />
          </Group>
          <ReportChart categories={chart.categories} series={chart.series} format={(v) => format.number(Math.round(v * 10) / 10)} testId="source-health-chart" />
        </Paper>
      )}
      <Stack gap="xs">
        <Title order={5}>{t('sourceHealth.incidents')}</Title>
        {data.incidents.length === 0 ? (
          <Text size="sm" c="dimmed">{t('sourceHealth.noIncidents')}</Text>
        ) : (
          <ReportTable<SourceHealthIncident>
            rows={data.incidents}
            rowKey={(i) => i.id}
            testId="source-health-incidents"
            columns={[
              { label: t('sourceHealth.column.source'), value: (i) => i.source, align: 'left' },
              { label: t('sourceHealth.incident.kind'), value: (i) => t(`sourceHealth.incident.${i.kind}`), align: 'left' },
              { label: t('sourceHealth.incident.opened'), value: (i) => format.dateTime(i.openedAt, data.timeZone) },
              { label: t('sourceHealth.incident.resolved'), value: (i) => (i.resolvedAt ? format.dateTime(i.resolvedAt, data.timeZone) : t('sourceHealth.incident.open')) },
            ]}
          />
        )}
      </Stack>
      {editing && <ThresholdsDialog onClose={() => setEditing(false)} />}
    </ReportSection>
  );
}
