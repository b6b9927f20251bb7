import { Badge, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { reasonLabel as catalogueReason } from '@/features/leads/labels';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { managerName } from './report-labels';
import { ReportSection, ReportTable, Stat, StatGrid } from './report-parts';
import { reportExportUrl, useJunkReport, type JunkReport, type ReportQuery } from './reports-api';

type Reason = JunkReport['reasons'][number];

/** Which sources bring junk, why, and who marks leads junk (a manager closing most of their leads so stands out). */
export function JunkSection({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const format = useFormat();
  const report = useJunkReport(query);
  const share = (v: number | null) => (v === null ? '—' : format.percent(v));
  const reasonLabel = (r: Reason) => (r.reason ? catalogueReason(t, 'junk', r.reason, r.label) : t('reports.junk.noReason'));
  const topReasons = (reasons: Reason[]) => reasons.slice(0, 3).map((r) => `${reasonLabel(r)} (${format.number(r.count)})`).join(', ');
  if (report.isPending) return <PageLoader />;
  if (report.isError) return <ErrorState error={report.error} />;
  const data = report.data;
  const rate = (r: { junkRate: number | null; standsOut: boolean }) => (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      {share(r.junkRate)}
      {r.standsOut && <Badge color="red" variant="light" size="sm">{t('reports.junk.standsOut')}</Badge>}
    </Group>
  );
  return (
    <ReportSection
      title={t('reports.tabs.junk')}
      explain={t('reports.junk.explain')}
      downloads={[
        { label: t('reports.source'), href: (format) => reportExportUrl('junk', query, 'bySource', format) },
        { label: t('reports.funnel.campaign'), href: (format) => reportExportUrl('junk', query, 'byCampaign', format) },
        { label: t('reports.junk.byMarker'), href: (format) => reportExportUrl('junk', query, 'byMarker', format) },
      ]}
    >
      <StatGrid>
        <Stat label={t('reports.junk.leads')} value={format.number(data.totals.leads)} />
        <Stat label={t('reports.junk.junk')} value={format.number(data.totals.junk)} />
        <Stat label={t('reports.junk.rate')} value={share(data.totals.junkRate)} testId="junk-rate" />
      </StatGrid>
      <Title order={5}>{t('reports.speed.bySource')}</Title>
      <ReportTable
        rows={data.bySource}
        rowKey={(r) => r.source ?? '—'}
        testId="junk-sources"
        columns={[
          { label: t('reports.source'), value: (r) => r.source ?? t('reports.noSource'), align: 'left' },
          { label: t('reports.junk.leads'), value: (r) => format.number(r.leads) },
          { label: t('reports.junk.junk'), value: (r) => format.number(r.junk) },
          { label: t('reports.junk.rate'), value: rate },
          { label: t('reports.junk.reasons'), value: (r) => <Text size="sm">{topReasons(r.reasons)}</Text>, align: 'left' },
        ]}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Stack gap="xs">
          <Title order={5}>{t('reports.junk.reasons')}</Title>
          <ReportTable rows={data.reasons} rowKey={(r, i) => r.reason ?? `r-${i}`} columns={[{ label: t('reports.junk.reason'), value: reasonLabel, align: 'left' }, { label: t('reports.junk.junk'), value: (r) => format.number(r.count) }]} />
        </Stack>
        <Stack gap="xs">
          <Title order={5}>{t('reports.junk.byMarker')}</Title>
          <ReportTable
            rows={data.byMarker}
            rowKey={(r, i) => r.managerId ?? r.actor ?? `m-${i}`}
            columns={[
              { label: t('reports.junk.marker'), value: (r) => (r.managerId || r.anonymous ? managerName(t, r, data.byMarker.indexOf(r)) : (r.actorName ?? r.actor ?? '—')), align: 'left' },
              { label: t('reports.junk.marked'), value: (r) => format.number(r.marked) },
              { label: t('reports.junk.markedRate'), value: (r) => share(r.markedRate) },
            ]}
          />
        </Stack>
      </SimpleGrid>
      <Title order={5}>{t('reports.funnel.campaign')}</Title>
      <ReportTable rows={data.byCampaign} rowKey={(r) => r.campaign ?? '—'} columns={[{ label: t('reports.funnel.campaign'), value: (r) => r.campaign ?? '—', align: 'left' }, { label: t('reports.junk.leads'), value: (r) => format.number(r.leads) }, { label: t('reports.junk.rate'), value: rate }]} />
    </ReportSection>
  );
}
