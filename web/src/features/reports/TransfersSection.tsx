import { SimpleGrid, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { durationText } from '@/features/leads/SlaBadge';
import { reasonLabel } from '@/features/leads/labels';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { managerName } from './report-labels';
import { ReportSection, ReportTable, Stat, StatGrid } from './report-parts';
import { reportExportUrl, useTransfersReport, type ReportQuery, type TransfersReport } from './reports-api';

type Counts = TransfersReport['totals'];

/** Why leads change hands, who gives them up and who takes them, and how long leads wait in the pool. */
export function TransfersSection({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const format = useFormat();
  const report = useTransfersReport(query);
  const share = (v: number | null) => (v === null ? '—' : format.percent(v));
  const minutes = (v: number | null) => (v === null ? '—' : durationText(t, Math.round(v)));
  if (report.isPending) return <PageLoader />;
  if (report.isError) return <ErrorState error={report.error} />;
  const data = report.data;
  const counts = <Row extends Counts>() => [
    { label: t('reports.transfers.requests'), value: (r: Row) => format.number(r.total) },
    { label: t('reports.transfers.approved'), value: (r: Row) => format.number(r.approved) },
    { label: t('reports.transfers.rejected'), value: (r: Row) => format.number(r.rejected) },
    { label: t('reports.transfers.approvalRate'), value: (r: Row) => share(r.approvalRate) },
  ];
  return (
    <ReportSection
      title={t('reports.tabs.transfers')}
      explain={t('reports.transfers.explain')}
      downloads={[
        { label: t('reports.transfers.byReason'), href: (format) => reportExportUrl('transfers', query, 'byReason', format) },
        { label: t('reports.transfers.givers'), href: (format) => reportExportUrl('transfers', query, 'byFromManager', format) },
        { label: t('reports.transfers.takers'), href: (format) => reportExportUrl('transfers', query, 'byToManager', format) },
        { label: t('reports.transfers.claims'), href: (format) => reportExportUrl('transfers', query, 'claims', format) },
      ]}
    >
      <StatGrid>
        <Stat label={t('reports.transfers.requests')} value={format.number(data.totals.total)} />
        <Stat label={t('reports.transfers.approvalRate')} value={share(data.totals.approvalRate)} />
        <Stat label={t('reports.transfers.poolEntered')} value={format.number(data.pool.entered)} />
        <Stat label={t('reports.transfers.poolClaimed')} value={format.number(data.pool.claimed)} />
        <Stat label={t('reports.transfers.poolWaiting')} value={format.number(data.pool.stillWaiting)} />
        <Stat label={t('reports.transfers.poolWait')} value={minutes(data.pool.medianWaitMinutes)} hint={t('reports.transfers.p90', { value: minutes(data.pool.p90WaitMinutes) })} />
      </StatGrid>
      <Title order={5}>{t('reports.transfers.byReason')}</Title>
      <ReportTable rows={data.byReason} rowKey={(r) => r.reason} columns={[{ label: t('reports.transfers.reason'), value: (r) => reasonLabel(t, 'transfer', r.reason, r.label), align: 'left' }, ...counts<(typeof data.byReason)[number]>()]} testId="transfer-reasons" />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Stack gap="xs">
          <Title order={5}>{t('reports.transfers.givers')}</Title>
          <ReportTable rows={data.byFromManager} rowKey={(r, i) => r.managerId ?? `f-${i}`} columns={[{ label: t('reports.manager'), value: (r) => managerName(t, r, data.byFromManager.indexOf(r)), align: 'left' }, ...counts<(typeof data.byFromManager)[number]>().slice(0, 2)]} />
        </Stack>
        <Stack gap="xs">
          <Title order={5}>{t('reports.transfers.takers')}</Title>
          <ReportTable rows={data.byToManager} rowKey={(r, i) => r.managerId ?? `t-${i}`} columns={[{ label: t('reports.manager'), value: (r) => managerName(t, r, data.byToManager.indexOf(r)), align: 'left' }, ...counts<(typeof data.byToManager)[number]>().slice(0, 2)]} />
        </Stack>
      </SimpleGrid>
      <Title order={5}>{t('reports.transfers.claims')}</Title>
      <ReportTable rows={data.claims} rowKey={(r, i) => r.managerId ?? `c-${i}`} columns={[{ label: t('reports.manager'), value: (r) => managerName(t, r, data.claims.indexOf(r)), align: 'left' }, { label: t('reports.transfers.claimCount'), value: (r) => format.number(r.claims) }]} />
    </ReportSection>
  );
}
