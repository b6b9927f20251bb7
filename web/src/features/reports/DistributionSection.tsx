import { Paper, SimpleGrid, Stack, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { ReportChart } from './ReportChart';
import { managerName, reasonText } from './report-labels';
import { ReportSection, ReportTable, Stat, StatGrid } from './report-parts';
import { reportExportUrl, useDistributionReport, type DistributionReport, type ReportQuery } from './reports-api';

type ShareRow = DistributionReport['byManager'][number];

/** Is the flow fair: each manager's leads against the share owed by weight, per rule, and where the rest went. */
export function DistributionSection({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const format = useFormat();
  const report = useDistributionReport(query);
  const percent = (v: number | null) => (v === null ? '—' : format.percent(v));
  const pp = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${format.number(Math.round(v * 10) / 10)}`);
  const signed = (v: number) => `${v > 0 ? '+' : ''}${format.number(Math.round(v * 10) / 10)}`;
  const rows = useMemo(() => (report.data?.byManager ?? []).filter((r) => r.fairShareLeads > 0 || r.assigned > 0), [report.data]);
  const chart = useMemo(
    () => ({
      categories: rows.map((r, i) => managerName(t, r, i)),
      series: [
        { name: t('reports.distribution.actualShare'), values: rows.map((r) => r.actualShare), color: '#228be6' },
        { name: t('reports.distribution.targetShare'), values: rows.map((r) => r.targetShare), color: '#adb5bd' },
      ],
    }),
    [rows, t],
  );
  const seriesChart = useMemo(
    () => ({
      categories: (report.data?.series ?? []).map((b) => b.bucket),
      series: [
        { name: t('reports.distribution.assigned'), values: (report.data?.series ?? []).map((b) => b.assigned), color: '#228be6' },
        { name: t('reports.distribution.pooled'), values: (report.data?.series ?? []).map((b) => b.pooled), color: '#fab005' },
        { name: t('reports.distribution.fallbacks'), values: (report.data?.series ?? []).map((b) => b.fallbacks), color: '#fa5252', kind: 'line' as const },
      ],
    }),
    [report.data, t],
  );
  if (report.isPending) return <PageLoader />;
  if (report.isError) return <ErrorState error={report.error} />;
  const data = report.data;
  const fallbackTotal = data.fallbacks.reduce((sum, f) => sum + f.total, 0);
  const shareColumns = [
    { label: t('reports.manager'), value: (r: ShareRow) => managerName(t, r, rows.indexOf(r)), align: 'left' as const },
    { label: t('reports.distribution.received'), value: (r: ShareRow) => format.number(r.fairShareLeads) },
    { label: t('reports.distribution.expected'), value: (r: ShareRow) => format.number(Math.round(r.expectedLeads * 10) / 10) },
    { label: t('reports.distribution.deviationLeads'), value: (r: ShareRow) => signed(r.deviationLeads) },
    { label: t('reports.distribution.actualShare'), value: (r: ShareRow) => percent(r.actualShare) },
    { label: t('reports.distribution.targetShare'), value: (r: ShareRow) => percent(r.targetShare) },
    { label: t('reports.distribution.deviationPp'), value: (r: ShareRow) => pp(r.deviationPp) },
  ];
  return (
    <ReportSection
      title={t('reports.tabs.distribution')}
      explain={t('reports.distribution.explain')}
      downloads={[
        { label: t('reports.distribution.received'), href: (format) => reportExportUrl('distribution', query, 'byManager', format) },
        { label: t('reports.distribution.byRule'), href: (format) => reportExportUrl('distribution', query, 'byRule', format) },
        { label: t('reports.distribution.fallbackReasons'), href: (format) => reportExportUrl('distribution', query, 'fallbacks', format) },
        { label: t('reports.distribution.seriesTitle'), href: (format) => reportExportUrl('distribution', query, 'series', format) },
      ]}
    >
      <StatGrid>
        <Stat label={t('reports.distribution.decisions')} value={format.number(data.totals.decisions)} testId="distribution-decisions" />
        <Stat label={t('reports.distribution.assigned')} value={format.number(data.totals.assigned)} />
        <Stat label={t('reports.distribution.pooled')} value={format.number(data.totals.pooled)} />
        <Stat label={t('reports.distribution.fallbacks')} value={format.number(fallbackTotal)} />
      </StatGrid>
      {rows.length > 0 && (
        <Paper withBorder p="md">
          <ReportChart horizontal categories={chart.categories} series={chart.series} format={(v) => format.percent(v)} testId="distribution-chart" />
        </Paper>
      )}
      <ReportTable rows={rows} columns={shareColumns} rowKey={(r, i) => r.managerId ?? `row-${i}`} testId="distribution-table" />
      <Title order={5}>{t('reports.distribution.byRule')}</Title>
      <ReportTable
        rows={data.byRule}
        rowKey={(r) => r.ruleId}
        columns={[
          { label: t('reports.rule'), value: (r) => r.ruleName ?? r.ruleId, align: 'left' },
          { label: t('reports.distribution.ruleDecisions'), value: (r) => format.number(r.decisions) },
          { label: t('reports.distribution.worstDeviation'), value: (r) => format.number(Math.round(Math.max(0, ...r.managers.map((m) => Math.abs(m.deviationLeads))) * 10) / 10) },
        ]}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Stack gap="xs">
          <Title order={5}>{t('reports.distribution.fallbackReasons')}</Title>
          <ReportTable rows={data.fallbacks} rowKey={(r) => r.reason} columns={[{ label: t('reports.distribution.reason'), value: (r) => reasonText(t, r.reason), align: 'left' }, { label: t('reports.distribution.count'), value: (r) => format.number(r.total) }]} />
        </Stack>
        <Stack gap="xs">
          <Title order={5}>{t('reports.distribution.pooledReasons')}</Title>
          <ReportTable rows={data.pooledReasons} rowKey={(r) => r.reason} columns={[{ label: t('reports.distribution.reason'), value: (r) => reasonText(t, r.reason), align: 'left' }, { label: t('reports.distribution.count'), value: (r) => format.number(r.count) }]} />
        </Stack>
      </SimpleGrid>
      {data.series.length > 1 && (
        <Paper withBorder p="md">
          <Title order={5} mb="xs">{t('reports.distribution.seriesTitle')}</Title>
          <ReportChart integer categories={seriesChart.categories} series={seriesChart.series} format={(v) => format.number(v)} />
        </Paper>
      )}
    </ReportSection>
  );
}
