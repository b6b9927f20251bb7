import { Badge, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '@/api/client';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { DistributionChart } from './DistributionChart';

const DAY_MS = 86_400_000;

/** The published rules replayed over the last 7 or 30 days: who would get what, against their target share. */
export function SimulationPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [days, setDays] = useState<'7' | '30'>('7');
  // The period ends at the start of this minute, so the query key is stable while the page is open.
  const period = useMemo(() => {
    const to = Math.floor(Date.now() / 60_000) * 60_000;
    return { from: new Date(to - Number(days) * DAY_MS).toISOString(), to: new Date(to).toISOString() };
  }, [days]);
  const simulation = useQuery({
    queryKey: ['simulation', period],
    staleTime: 5 * 60_000,
    queryFn: async () => await unwrap(api.POST('/api/v1/routing/simulate', { body: { period } })),
  });
  const labels = useMemo(() => ({ actual: t('simulation.share'), target: t('simulation.target') }), [t]);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>{t('simulation.title')}</Title>
        <SegmentedControl value={days} onChange={(v) => setDays(v === '30' ? '30' : '7')} data={[{ value: '7', label: t('simulation.days', { count: 7 }) }, { value: '30', label: t('simulation.days', { count: 30 }) }]} />
      </Group>
      <Text size="sm" c="dimmed">{t('simulation.explain')}</Text>
      {simulation.isPending && <PageLoader />}
      {simulation.isError && <ErrorState error={simulation.error} />}
      {simulation.data && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Stat label={t('simulation.leads')} value={format.number(simulation.data.leads)} />
            <Stat label={t('simulation.assigned')} value={format.number(simulation.data.assigned)} />
            <Stat label={t('simulation.pool')} value={format.number(simulation.data.pool)} />
            <Stat label={t('simulation.maxDeviation')} value={t('simulation.leadsCount', { count: Math.round(simulation.data.maxDeviation * 10) / 10 })} />
          </SimpleGrid>
          <Paper withBorder p="md">
            <DistributionChart rows={simulation.data.perManager} labels={labels} />
          </Paper>
          <Paper withBorder>
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('simulation.manager')}</Table.Th>
                    <Table.Th ta="right">{t('simulation.count')}</Table.Th>
                    <Table.Th ta="right">{t('simulation.share')}</Table.Th>
                    <Table.Th ta="right">{t('simulation.target')}</Table.Th>
                    <Table.Th ta="right">{t('simulation.deviation')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {simulation.data.perManager.map((m) => (
                    <Table.Tr key={m.managerId}>
                      <Table.Td>{m.name}</Table.Td>
                      <Table.Td ta="right">{format.number(m.count)}</Table.Td>
                      <Table.Td ta="right">{format.percent(m.share)}</Table.Td>
                      <Table.Td ta="right">{format.percent(m.targetShare)}</Table.Td>
                      <Table.Td ta="right">
                        <Badge variant="light" color={Math.abs(m.share - m.targetShare) > 0.05 ? 'orange' : 'gray'}>{`${m.share >= m.targetShare ? '+' : ''}${((m.share - m.targetShare) * 100).toFixed(1)}`}</Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          {simulation.data.fallback.count > 0 && (
            <Stack gap={2} data-testid="fallback-examples">
              <Text size="sm">{t('simulation.fallbacks', { count: simulation.data.fallback.count })}</Text>
              {simulation.data.fallback.examples.slice(0, 5).map((example) => (
                <Text key={example.index} size="xs" c="dimmed">{t('simulation.fallbackExample', { index: example.index, text: example.summaryText })}</Text>
              ))}
            </Stack>
          )}
        </>
      )}
    </Stack>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">{label}</Text>
      <Text fw={700} size="lg">{value}</Text>
    </Paper>
  );
}
