import { Paper, SimpleGrid, Stack, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { durationText } from '@/features/leads/SlaBadge';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { ReportChart } from './ReportChart';
import { managerName } from './report-labels';
import { ReportSection, ReportTable, Stat, StatGrid } from './report-parts';
import { reportExportUrl, useFunnelReport, type FunnelReport, type ReportQuery } from './reports-api';

type Figures = FunnelReport['totals'];

/** Where leads end up: lead → qualified → deal → won, with rates and money, by source, campaign, manager and rule. */
export function FunnelSection({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const format = useFormat();
  const report = useFunnelReport(query);
  const share = (v: number | null) => (v === null ? '—' : format.percent(v));
  const minutes = (v: number | null) => (v === null ? '—' : durationText(t, Math.round(v)));
  const stages = useMemo(() => {
    const totals = report.data?.totals;
    return {
      categories: [t('reports.funnel.leads'), t('reports.funnel.qualified'), t('reports.funnel.deals'), t('reports.funnel.won')],
      series: [{ name: t('reports.funnel.count'), values: totals ? [totals.leads, totals.qualified, totals.deals, totals.won] : [], color: '#228be6' }],
    };
  }, [report.data, t]);
  if (report.isPending) return <PageLoader />;
  if (report.isError) return <ErrorState error={report.error} />;
  const data = report.data;
  const columns = <Row extends Figures>() => [
    { label: t('reports.funnel.leads'), value: (r: Row) => format.number(r.leads) },
    { label: t('reports.funnel.qualified'), value: (r: Row) => format.number(r.qualified) },
    { label: t('reports.funnel.deals'), value: (r: Row) => format.number(r.deals) },
    { label: t('reports.funnel.won'), value: (r: Row) => format.number(r.won) },
    { label: t('reports.funnel.leadToWon'), value: (r: Row) => share(r.leadToWonRate) },
    { label: t('reports.funnel.wonValue'), value: (r: Row) => format.money(r.wonValue) },
  ];
  return (
    <ReportSection
      title={t('reports.tabs.funnel')}
      explain={t('reports.funnel.explain')}
      downloads={[
        { label: t('reports.source'), href: (format) => reportExportUrl('funnel', query, 'bySource', format) },
        { label: t('reports.funnel.campaign'), href: (format) => reportExportUrl('funnel', query, 'byCampaign', format) },
        { label: t('reports.manager'), href: (format) => reportExportUrl('funnel', query, 'byManager', format) },
        { label: t('reports.rule'), href: (format) => reportExportUrl('funnel', query, 'byRule', format) },
      ]}
    >
      <StatGrid>
        <Stat label={t('reports.funnel.leads')} value={format.number(data.totals.leads)} />
        <Stat label={t('reports.funnel.qualified')} value={format.number(data.totals.qualified)} hint={share(data.totals.qualifiedRate)} />
        <Stat label={t('reports.funnel.deals')} value={format.number(data.totals.deals)} hint={share(data.totals.dealRate)} />
        <Stat label={t('reports.funnel.won')} value={format.number(data.totals.won)} hint={share(data.totals.winRate)} testId="funnel-won" />
        <Stat label={t('reports.funnel.wonValue')} value={format.money(data.totals.wonValue)} />
        <Stat label={t('reports.funnel.leadToWon')} value={share(data.totals.leadToWonRate)} />
      </StatGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="md">
          <ReportChart integer categories={stages.categories} series={stages.series} format={(v) => format.number(v)} />
        </Paper>
        <Paper withBorder p="md">
          <Title order={5} mb="xs">{t('reports.funnel.timeInStage')}</Title>
          <SimpleGrid cols={3}>
            <Stat label={t('reports.funnel.toQualified')} value={minutes(data.totals.medianMinutesToQualified)} />
            <Stat label={t('reports.funnel.qualifiedToDeal')} value={minutes(data.totals.medianMinutesQualifiedToDeal)} />
            <Stat label={t('reports.funnel.dealToWon')} value={minutes(data.totals.medianMinutesDealToWon)} />
          </SimpleGrid>
        </Paper>
      </SimpleGrid>
      <Title order={5}>{t('reports.speed.bySource')}</Title>
      <ReportTable rows={data.bySource} rowKey={(r) => r.source ?? '—'} columns={[{ label: t('reports.source'), value: (r) => r.source ?? t('reports.noSource'), align: 'left' }, ...columns<(typeof data.bySource)[number]>()]} testId="funnel-sources" />
      <Title order={5}>{t('reports.manager')}</Title>
      <ReportTable rows={data.byManager} rowKey={(r, i) => r.managerId ?? `row-${i}`} columns={[{ label: t('reports.manager'), value: (r) => managerName(t, r, data.byManager.indexOf(r)), align: 'left' }, ...columns<(typeof data.byManager)[number]>()]} />
      <Stack gap="xs">
        <Title order={5}>{t('reports.funnel.campaign')}</Title>
        <ReportTable rows={data.byCampaign} rowKey={(r) => r.campaign ?? '—'} columns={[{ label: t('reports.funnel.campaign'), value: (r) => r.campaign ?? '—', align: 'left' }, ...columns<(typeof data.byCampaign)[number]>()]} />
      </Stack>
    </ReportSection>
  );
}
