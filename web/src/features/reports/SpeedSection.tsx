import { Paper, SegmentedControl, SimpleGrid, Stack, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { durationText } from '@/features/leads/SlaBadge';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { ReportChart } from './ReportChart';
import { managerName } from './report-labels';
import { ReportSection, ReportTable, Stat, StatGrid } from './report-parts';
import { reportExportUrl, useSpeedReport, type ReportQuery, type SpeedReport } from './reports-api';

type Figures = SpeedReport['totals'];
type Clock = 'wall' | 'business';

/** The figures of one clock: the wall clock, or the owner's working hours. */
function onClock(f: Figures, clock: Clock) {
  return clock === 'wall'
    ? { median: f.medianMinutes, p90: f.p90Minutes, within5: f.within5Share, within15: f.within15Share, within60: f.within60Share }
    : { median: f.businessMedianMinutes, p90: f.businessP90Minutes, within5: f.businessWithin5Share, within15: f.businessWithin15Share, within60: f.businessWithin60Share };
}

/** How fast managers reach a new lead: median, p90 and the share reached within 5/15/60 minutes. */
export function SpeedSection({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [clock, setClock] = useState<Clock>('wall');
  const report = useSpeedReport(query);
  const minutes = (v: number | null) => (v === null ? '—' : durationText(t, Math.round(v)));
  const share = (v: number | null) => (v === null ? '—' : format.percent(v));
  const hourChart = useMemo(
    () => ({
      categories: (report.data?.byHourOfDay ?? []).map((h) => `${String(h.hour).padStart(2, '0')}:00`),
      series: [{ name: t('reports.speed.median'), values: (report.data?.byHourOfDay ?? []).map((h) => onClock(h, clock).median), color: '#228be6' }],
    }),
    [report.data, clock, t],
  );
  if (report.isPending) return <PageLoader />;
  if (report.isError) return <ErrorState error={report.error} />;
  const data = report.data;
  const totals = onClock(data.totals, clock);
  const figureColumns = <Row extends Figures>() => [
    { label: t('reports.speed.leads'), value: (r: Row) => format.number(r.leads) },
    { label: t('reports.speed.contacted'), value: (r: Row) => format.number(r.contacted) },
    { label: t('reports.speed.median'), value: (r: Row) => minutes(onClock(r, clock).median) },
    { label: t('reports.speed.p90'), value: (r: Row) => minutes(onClock(r, clock).p90) },
    { label: t('reports.speed.within15'), value: (r: Row) => share(onClock(r, clock).within15) },
    { label: t('reports.speed.within60'), value: (r: Row) => share(onClock(r, clock).within60) },
  ];
  return (
    <ReportSection
      title={t('reports.tabs.speed')}
      explain={t('reports.speed.explain')}
      downloads={[
        { label: t('reports.manager'), href: (format) => reportExportUrl('speed-to-lead', query, 'byManager', format) },
        { label: t('reports.speed.bySource'), href: (format) => reportExportUrl('speed-to-lead', query, 'bySource', format) },
        { label: t('reports.speed.byHour'), href: (format) => reportExportUrl('speed-to-lead', query, 'byHourOfDay', format) },
      ]}
    >
      <SegmentedControl w="fit-content" aria-label={t('reports.speed.clock')} value={clock} onChange={(v) => setClock(v as Clock)} data={[{ value: 'wall', label: t('reports.speed.wall') }, { value: 'business', label: t('reports.speed.business') }]} />
      <StatGrid>
        <Stat label={t('reports.speed.median')} value={minutes(totals.median)} testId="speed-median" />
        <Stat label={t('reports.speed.p90')} value={minutes(totals.p90)} />
        <Stat label={t('reports.speed.within5')} value={share(totals.within5)} />
        <Stat label={t('reports.speed.within15')} value={share(totals.within15)} />
        <Stat label={t('reports.speed.within60')} value={share(totals.within60)} />
        <Stat label={t('reports.speed.contacted')} value={`${format.number(data.totals.contacted)} / ${format.number(data.totals.leads)}`} />
      </StatGrid>
      <ReportTable rows={data.byManager} rowKey={(r, i) => r.managerId ?? `row-${i}`} columns={[{ label: t('reports.manager'), value: (r) => managerName(t, r, data.byManager.indexOf(r)), align: 'left' }, ...figureColumns<(typeof data.byManager)[number]>()]} testId="speed-table" />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="md">
          <Title order={5} mb="xs">{t('reports.speed.byHour')}</Title>
          <ReportChart integer categories={hourChart.categories} series={hourChart.series} format={(v) => durationText(t, Math.round(v))} />
        </Paper>
        <Stack gap="xs">
          <Title order={5}>{t('reports.speed.bySource')}</Title>
          <ReportTable rows={data.bySource} rowKey={(r) => r.source ?? '—'} columns={[{ label: t('reports.source'), value: (r) => r.source ?? t('reports.noSource'), align: 'left' }, ...figureColumns<(typeof data.bySource)[number]>().slice(0, 4)]} />
        </Stack>
      </SimpleGrid>
    </ReportSection>
  );
}
