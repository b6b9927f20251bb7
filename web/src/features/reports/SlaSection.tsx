import { Paper, SimpleGrid, Stack, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { ReportChart } from './ReportChart';
import { managerName } from './report-labels';
import { ReportSection, ReportTable, Stat, StatGrid } from './report-parts';
import { reportExportUrl, useSlaReport, type ReportQuery, type SlaReport } from './reports-api';

type Figures = SlaReport['totals'];

/** Who breaks the SLA: compliance, breaches, reassignments and escalations by manager, source and policy. */
export function SlaSection({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const format = useFormat();
  const report = useSlaReport(query);
  const share = (v: number | null) => (v === null ? '—' : format.percent(v));
  const seriesChart = useMemo(
    () => ({
      categories: (report.data?.series ?? []).map((b) => b.bucket),
      series: [{ name: t('reports.sla.compliance'), values: (report.data?.series ?? []).map((b) => b.compliance), kind: 'line' as const, color: '#40c057' }],
    }),
    [report.data, t],
  );
  if (report.isPending) return <PageLoader />;
  if (report.isError) return <ErrorState error={report.error} />;
  const data = report.data;
  const columns = <Row extends Figures>() => [
    { label: t('reports.sla.compliance'), value: (r: Row) => share(r.compliance) },
    { label: t('reports.sla.due'), value: (r: Row) => format.number(r.due) },
    { label: t('reports.sla.met'), value: (r: Row) => format.number(r.met) },
    { label: t('reports.sla.breached'), value: (r: Row) => format.number(r.breached) },
    { label: t('reports.sla.reassignments'), value: (r: Row) => format.number(r.reassignments) },
    { label: t('reports.sla.escalations'), value: (r: Row) => format.number(r.escalations) },
  ];
  return (
    <ReportSection
      title={t('reports.tabs.sla')}
      explain={t('reports.sla.explain')}
      downloads={[
        { label: t('reports.manager'), href: (format) => reportExportUrl('sla', query, 'byManager', format) },
        { label: t('reports.source'), href: (format) => reportExportUrl('sla', query, 'bySource', format) },
        { label: t('reports.sla.byPolicy'), href: (format) => reportExportUrl('sla', query, 'byPolicy', format) },
        { label: t('reports.sla.seriesTitle'), href: (format) => reportExportUrl('sla', query, 'series', format) },
      ]}
    >
      <StatGrid>
        <Stat label={t('reports.sla.compliance')} value={share(data.totals.compliance)} testId="sla-compliance" />
        <Stat label={t('reports.sla.due')} value={format.number(data.totals.due)} />
        <Stat label={t('reports.sla.breached')} value={format.number(data.totals.breached)} />
        <Stat label={t('reports.sla.pending')} value={format.number(data.totals.pending)} />
        <Stat label={t('reports.sla.reassignments')} value={format.number(data.totals.reassignments)} />
        <Stat label={t('reports.sla.escalations')} value={format.number(data.totals.escalations)} />
      </StatGrid>
      <ReportTable rows={data.byManager} rowKey={(r, i) => r.managerId ?? `row-${i}`} columns={[{ label: t('reports.manager'), value: (r) => managerName(t, r, data.byManager.indexOf(r)), align: 'left' }, ...columns<(typeof data.byManager)[number]>()]} testId="sla-table" />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Stack gap="xs">
          <Title order={5}>{t('reports.speed.bySource')}</Title>
          <ReportTable rows={data.bySource} rowKey={(r) => r.source ?? '—'} columns={[{ label: t('reports.source'), value: (r) => r.source ?? t('reports.noSource'), align: 'left' }, ...columns<(typeof data.bySource)[number]>().slice(0, 4)]} />
        </Stack>
        <Stack gap="xs">
          <Title order={5}>{t('reports.sla.byPolicy')}</Title>
          <ReportTable rows={data.byPolicy} rowKey={(r) => r.policyId ?? '—'} columns={[{ label: t('reports.policy'), value: (r) => r.policyName ?? '—', align: 'left' }, ...columns<(typeof data.byPolicy)[number]>().slice(0, 4)]} />
        </Stack>
      </SimpleGrid>
      {data.series.length > 1 && (
        <Paper withBorder p="md">
          <Title order={5} mb="xs">{t('reports.sla.seriesTitle')}</Title>
          <ReportChart categories={seriesChart.categories} series={seriesChart.series} format={(v) => format.percent(v)} />
        </Paper>
      )}
    </ReportSection>
  );
}
