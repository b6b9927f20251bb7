import { Alert, Anchor, Badge, Button, FileInput, Group, Paper, ScrollArea, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormError } from '@/ui/FormError';
import { useFormat } from '@/ui/format';
import { ComparisonChart, type ComparisonRow } from './ComparisonChart';
import { fileText, fileToBase64, isWorkbook } from './file-base64';
import { outcomeText } from './outcome-text';
import { parseDefinitionJson } from './rule-model';
import { useCompareRuleSets, type CompareRequest, type RuleSetComparison } from './rules-api';

const DAY_MS = 86_400_000;
const FILE_TYPES = '.csv,.txt,.json,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Source = '7' | '30' | '90' | 'file';

interface Props {
  /** What is tried against the published rules: the definition on screen, or a stored version. */
  candidate: CompareRequest['candidate'];
  /** The draft has errors: the server would refuse it, so the button waits. */
  blocked: boolean;
  ruleName(id: string): string;
  onResult(result: RuleSetComparison): void;
}

/** The draft against the published rules over the same leads: per-manager shares, fallbacks and every lead that changes hands. */
export function DraftSimulation({ candidate, blocked, ruleName, onResult }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const [source, setSource] = useState<Source>('30');
  const [file, setFile] = useState<File | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const compare = useCompareRuleSets();
  const seconds = useElapsedSeconds(compare.isPending);

  const run = async () => {
    setFileProblem(null);
    let leads: Pick<CompareRequest, 'period' | 'csv' | 'xlsx' | 'leads'>;
    if (source === 'file') {
      if (!file) return;
      if (isWorkbook(file)) leads = { xlsx: await fileToBase64(file) };
      else {
        const text = await fileText(file);
        if (file.name.toLowerCase().endsWith('.json')) {
          // A file that is not JSON is said so here; the server names bad rows of a readable one.
          const parsed = parseDefinitionJson(text);
          if (!parsed.ok || !Array.isArray(parsed.definition)) {
            setFileProblem(t('rules.simulation.badJsonFile'));
            return;
          }
          leads = { leads: parsed.definition };
        } else leads = { csv: text };
      }
    } else {
      const to = Date.now();
      leads = { period: { from: new Date(to - Number(source) * DAY_MS).toISOString(), to: new Date(to).toISOString() } };
    }
    compare.mutate({ candidate, ...leads }, { onSuccess: onResult });
  };

  return (
    <Stack gap="sm">
      <Title order={4}>{t('rules.simulation.title')}</Title>
      <Text size="sm" c="dimmed">{t('rules.simulation.explain')}</Text>
      <Group align="flex-end" gap="sm">
        <SegmentedControl
          value={source}
          onChange={(v) => setSource(v as Source)}
          data={[
            { value: '7', label: t('rules.simulation.days', { count: 7 }) },
            { value: '30', label: t('rules.simulation.days', { count: 30 }) },
            { value: '90', label: t('rules.simulation.days', { count: 90 }) },
            { value: 'file', label: t('rules.simulation.file') },
          ]}
          aria-label={t('rules.simulation.source')}
        />
        {source === 'file' && <FileInput w={260} accept={FILE_TYPES} label={t('rules.simulation.fileLabel')} description={t('rules.simulation.fileHint')} value={file} onChange={setFile} clearable />}
        <Button onClick={() => void run()} loading={compare.isPending} disabled={blocked || (source === 'file' && !file)}>{t('rules.simulation.run')}</Button>
        {compare.isPending && <Text size="sm" c="dimmed">{t('rules.simulation.running', { seconds })}</Text>}
      </Group>
      {blocked && <Text size="sm" c="orange">{t('rules.simulation.draftInvalid')}</Text>}
      {fileProblem && <Text size="sm" c="red" role="alert">{fileProblem}</Text>}
      <FormError error={compare.error} />
      {compare.data && <ComparisonResult result={compare.data} ruleName={ruleName} format={format} />}
    </Stack>
  );
}

function ComparisonResult({ result, ruleName, format }: { result: RuleSetComparison; ruleName(id: string): string; format: ReturnType<typeof useFormat> }) {
  const { t } = useTranslation();
  const rows = useMemo(() => comparisonRows(result), [result]);
  const labels = useMemo(() => ({ before: t('rules.simulation.chartPublished'), after: t('rules.simulation.chartDraft'), target: t('rules.simulation.chartTarget') }), [t]);
  const hidden = result.changed.count - result.changed.items.length;
  return (
    <Stack gap="sm" data-testid="comparison-result">
      {result.truncated && <Alert color="yellow">{t('rules.simulation.truncated', { count: result.leads })}</Alert>}
      {result.rejected.length > 0 && <Alert color="yellow">{t('rules.simulation.rejected', { count: result.rejected.length })}</Alert>}
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Stat label={t('rules.simulation.leads')} value={format.number(result.leads)} />
        <Stat label={t('rules.simulation.changed')} value={format.number(result.changed.count)} testId="changed-count" />
        <Stat label={t('rules.simulation.pool')} value={`${format.number(result.baseline.pool)} → ${format.number(result.candidate.pool)}`} />
        <Stat label={t('rules.simulation.deviation')} value={`${format.number(round1(result.baseline.maxDeviation))} → ${format.number(round1(result.candidate.maxDeviation))}`} />
      </SimpleGrid>
      {rows.length > 0 && (
        <Paper withBorder p="md">
          <ComparisonChart rows={rows} labels={labels} />
        </Paper>
      )}
      <Paper withBorder>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing={4} data-testid="comparison-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('rules.simulation.manager')}</Table.Th>
                <Table.Th ta="right">{t('rules.simulation.before')}</Table.Th>
                <Table.Th ta="right">{t('rules.simulation.after')}</Table.Th>
                <Table.Th ta="right">{t('rules.simulation.share')}</Table.Th>
                <Table.Th ta="right">{t('rules.simulation.target')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td ta="right">{format.number(r.beforeCount)}</Table.Td>
                  <Table.Td ta="right">
                    {format.number(r.afterCount)}{' '}
                    {r.afterCount !== r.beforeCount && <Badge size="xs" variant="light" color={r.afterCount > r.beforeCount ? 'green' : 'orange'}>{`${r.afterCount > r.beforeCount ? '+' : ''}${r.afterCount - r.beforeCount}`}</Badge>}
                  </Table.Td>
                  <Table.Td ta="right">{format.percent(r.after)}</Table.Td>
                  <Table.Td ta="right">{format.percent(r.target)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {(result.baseline.fallback.count > 0 || result.candidate.fallback.count > 0) && (
        <Stack gap={2}>
          <Text size="sm">{t('rules.simulation.fallbacks', { before: result.baseline.fallback.count, after: result.candidate.fallback.count })}</Text>
          {Object.entries(result.candidate.fallback.reasons).map(([reason, count]) => (
            <Text key={reason} size="xs" c="dimmed">{t(`rules.outcome.reason.${reason}` as 'rules.outcome.reason.no_rule_matched', { defaultValue: reason })}: {format.number(count)}</Text>
          ))}
        </Stack>
      )}
      <Title order={5}>{t('rules.simulation.changedTitle')}</Title>
      {result.changed.count === 0 ? (
        <Text size="sm" c="dimmed">{t('rules.simulation.noChanges')}</Text>
      ) : (
        <Paper withBorder>
          <ScrollArea.Autosize mah={520} type="auto">
            <Table verticalSpacing={4} stickyHeader miw={640} data-testid="changed-leads">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th />
                  <Table.Th>{t('rules.simulation.before')}</Table.Th>
                  <Table.Th>{t('rules.simulation.after')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.changed.items.map((item) => (
                  <Table.Tr key={item.index}>
                    <Table.Td>{item.leadId ? <Anchor component={Link} to={`/leads/${item.leadId}`} size="sm">{item.label}</Anchor> : <Text size="sm">{t('rules.simulation.row', { index: item.index })} · {item.label}</Text>}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">{outcomeText(t, item.before, ruleName)}</Text>
                      <Text size="xs" c="dimmed">{item.before.summaryText}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{outcomeText(t, item.after, ruleName)}</Text>
                      <Text size="xs" c="dimmed">{item.after.summaryText}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          {hidden > 0 && <Text size="sm" c="dimmed" p="xs">{t('rules.simulation.changedMore', { count: hidden })}</Text>}
        </Paper>
      )}
    </Stack>
  );
}

type Row = ComparisonRow & { id: string; beforeCount: number; afterCount: number };

/** Every manager who gets leads under either version, the busiest under the draft first. */
function comparisonRows(result: RuleSetComparison): Row[] {
  const rows = new Map<string, Row>();
  for (const m of result.baseline.perManager) rows.set(m.managerId, { id: m.managerId, name: m.name, before: m.share, after: 0, target: 0, beforeCount: m.count, afterCount: 0 });
  for (const m of result.candidate.perManager) {
    const row = rows.get(m.managerId) ?? { id: m.managerId, name: m.name, before: 0, after: 0, target: 0, beforeCount: 0, afterCount: 0 };
    rows.set(m.managerId, { ...row, after: m.share, target: m.targetShare, afterCount: m.count });
  }
  return [...rows.values()].sort((a, b) => b.afterCount - a.afterCount || b.beforeCount - a.beforeCount);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function useElapsedSeconds(running: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    setSeconds(0);
    if (!running) return;
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return seconds;
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">{label}</Text>
      <Text fw={700} size="lg" data-testid={testId}>{value}</Text>
    </Paper>
  );
}
