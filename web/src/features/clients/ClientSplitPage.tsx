import { ActionIcon, Alert, Anchor, Badge, Button, Card, Group, Modal, MultiSelect, NumberInput, ScrollArea, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useImports } from '@/features/imports/imports-api';
import { useManagers } from '@/features/leads/leads-api';
import { useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { fieldError, FormError } from '@/ui/FormError';
import { useFormat } from '@/ui/format';
import { useApplySplit, useClientSplits, usePreviewSplit, useUndoSplit, type ClientSplit, type SplitInput, type SplitPreview } from './client-split-api';

type MethodKind = SplitInput['method']['kind'];
type SelectionKind = 'unowned' | 'filter' | 'import';
interface Row {
  key: number;
  text: string;
  managerId: string | null;
}

const CYRILLIC = 'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ';
/** Hand-made cuts that give about equal shares of Russian company names. */
const CUTS: Record<number, string[]> = { 2: ['А-К', 'Л-Я'], 3: ['А-Ж', 'З-О', 'П-Я'], 4: ['А-Г', 'Д-К', 'Л-Р', 'С-Я'] };

/** Sensible letter ranges for n managers: А–К / Л–Я for two, else the alphabet cut into n runs. */
export function defaultRanges(n: number): string[] {
  if (n <= 1) return ['А-Я'];
  const cut = CUTS[n];
  if (cut) return cut;
  const out: string[] = [];
  const size = CYRILLIC.length / n;
  for (let i = 0; i < n; i++) {
    const from = CYRILLIC[Math.round(i * size)] as string;
    const to = CYRILLIC[Math.min(CYRILLIC.length - 1, Math.round((i + 1) * size) - 1)] as string;
    out.push(from === to ? from : `${from}-${to}`);
  }
  return out;
}

let nextKey = 1;
const rowsFor = (texts: string[], managers: string[]): Row[] => texts.map((text, i) => ({ key: nextKey++, text, managerId: managers[i % Math.max(1, managers.length)] ?? null }));

/** «Распределение базы»: choose companies, managers and a method, preview, apply, and undo from the history. */
export function ClientSplitPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const managers = useManagers();
  const imports = useImports();
  const [selectionKind, setSelectionKind] = useState<SelectionKind>('unowned');
  const [q, setQ] = useState('');
  const [ownerFilter, setOwnerFilter] = useState<string | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [managerIds, setManagerIds] = useState<string[]>([]);
  const [weights, setWeights] = useState<Record<string, number>>({});
  const [method, setMethod] = useState<MethodKind>('alphabet');
  const [ranges, setRanges] = useState<Row[]>([]);
  const [regions, setRegions] = useState<Row[]>([{ key: nextKey++, text: '', managerId: null }]);
  const [tierBy, setTierBy] = useState<'size' | 'revenue'>('size');
  const [threshold, setThreshold] = useState<number | string>(100);
  const [vipIds, setVipIds] = useState<string[]>([]);
  const [existing, setExisting] = useState<'keep' | 'overwrite'>('keep');
  const [confirming, setConfirming] = useState(false);
  const preview = usePreviewSplit();
  const apply = useApplySplit();
  const [appliedCount, setAppliedCount] = useState<number | null>(null);

  const available = useMemo(() => (managers.data ?? []).filter((m) => user.role !== 'head' || m.teamId === user.teamId), [managers.data, user]);
  const names = useMemo(() => new Map((managers.data ?? []).map((m) => [m.id, m.name])), [managers.data]);
  const companyImports = (imports.data ?? []).filter((j) => j.kind === 'companies' && j.status === 'done');
  const chosen = available.filter((m) => managerIds.includes(m.id));

  const chooseManagers = (ids: string[]) => {
    setManagerIds(ids);
    // Ranges follow the chosen managers until someone edits them.
    setRanges(rowsFor(defaultRanges(ids.length), ids));
    setVipIds((v) => v.filter((id) => ids.includes(id)));
  };

  const input: SplitInput = useMemo(() => {
    const selection: SplitInput['selection'] =
      selectionKind === 'import' ? { kind: 'import', importId: importId ?? '' } : selectionKind === 'filter' ? { kind: 'filter', ...(q.trim() ? { q: q.trim() } : {}), ...(ownerFilter ? { ownerId: ownerFilter } : {}) } : { kind: 'unowned' };
    const m: SplitInput['method'] =
      method === 'alphabet'
        ? { kind: 'alphabet', ranges: ranges.map((r) => ({ letters: r.text, managerId: r.managerId ?? '' })) }
        : method === 'territory'
          ? { kind: 'territory', regions: regions.map((r) => ({ region: r.text, managerId: r.managerId ?? '' })) }
          : method === 'tier'
            ? { kind: 'tier', by: tierBy, threshold: Number(threshold) || 0, vipManagerIds: vipIds }
            : { kind: 'even' };
    const w = Object.fromEntries(Object.entries(weights).filter(([id]) => managerIds.includes(id)));
    return { selection, managerIds, method: m, existing, ...(Object.keys(w).length > 0 ? { weights: w } : {}) };
  }, [selectionKind, importId, q, ownerFilter, method, ranges, regions, tierBy, threshold, vipIds, managerIds, weights, existing]);
  const inputKey = JSON.stringify(input);
  const [previewKey, setPreviewKey] = useState<string | null>(null);
  const fresh = preview.data !== undefined && previewKey === inputKey;

  const runPreview = () => {
    setAppliedCount(null);
    setPreviewKey(inputKey);
    preview.mutate(input);
  };
  const runApply = () =>
    apply.mutate(input, {
      onSuccess: (split) => {
        setConfirming(false);
        setAppliedCount(split.changedCount);
        preview.reset();
      },
      onError: () => setConfirming(false),
    });

  const managerOptions = available.map((m) => ({ value: m.id, label: m.name }));
  const chosenOptions = chosen.map((m) => ({ value: m.id, label: m.name }));
  const err = (path: string) => fieldError(preview.error ?? apply.error, path);

  return (
    <Stack maw={1100}>
      <div>
        <Anchor component={Link} to="/clients" size="sm">
          ← {t('clientSplit.back')}
        </Anchor>
        <Title order={2}>{t('clientSplit.title')}</Title>
        <Text c="dimmed" size="sm" maw={820}>
          {t('clientSplit.subtitle')}
        </Text>
      </div>

      <Card withBorder>
        <Stack gap="sm">
          <Title order={4}>{t('clientSplit.companies.title')}</Title>
          <SegmentedControl
            value={selectionKind}
            onChange={(v) => setSelectionKind(v as SelectionKind)}
            data={(['unowned', 'filter', 'import'] as const).map((k) => ({ value: k, label: t(`clientSplit.companies.${k}`) }))}
            w="fit-content"
            data-testid="split-selection"
          />
          {selectionKind === 'filter' && (
            <Group align="flex-end">
              <TextInput label={t('clientSplit.companies.q')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={360} />
              <Select
                label={t('clientSplit.companies.owner')}
                placeholder={t('clientSplit.companies.anyOwner')}
                data={[{ value: 'none', label: t('clientSplit.companies.noOwner') }, ...(managers.data ?? []).map((m) => ({ value: m.id, label: m.name }))]}
                value={ownerFilter}
                onChange={setOwnerFilter}
                clearable
                w={240}
              />
            </Group>
          )}
          {selectionKind === 'import' &&
            (companyImports.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('clientSplit.companies.noImports')}
              </Text>
            ) : (
              <Select
                label={t('clientSplit.companies.importLabel')}
                placeholder={t('clientSplit.companies.importPlaceholder')}
                data={companyImports.map((j) => ({ value: j.id, label: t('clientSplit.companies.importOption', { file: j.fileName, count: j.progress.created + j.progress.alreadyImported }) }))}
                value={importId}
                onChange={setImportId}
                error={err('selection.importId')}
                w={420}
              />
            ))}
        </Stack>
      </Card>

      <Card withBorder>
        <Stack gap="sm">
          <Title order={4}>{t('clientSplit.managers.title')}</Title>
          <MultiSelect
            label={t('clientSplit.managers.label')}
            placeholder={t('clientSplit.managers.placeholder')}
            data={managerOptions}
            value={managerIds}
            onChange={chooseManagers}
            searchable
            maw={620}
            error={err('managerIds')}
            data-testid="split-managers"
          />
          {(method === 'even' || method === 'tier') && chosen.length > 0 && (
            <Group align="flex-end">
              {chosen.map((m) => (
                <NumberInput key={m.id} label={`${t('clientSplit.managers.weight')}: ${m.name}`} value={weights[m.id] ?? m.weight} min={0} max={1000} w={200} onChange={(v) => setWeights((w) => ({ ...w, [m.id]: Number(v) || 0 }))} />
              ))}
              <Text size="xs" c="dimmed" maw={320}>
                {t('clientSplit.managers.weightHint')}
              </Text>
            </Group>
          )}
        </Stack>
      </Card>

      <Card withBorder>
        <Stack gap="sm">
          <Title order={4}>{t('clientSplit.method.title')}</Title>
          <SegmentedControl value={method} onChange={(v) => setMethod(v as MethodKind)} data={(['alphabet', 'territory', 'tier', 'even'] as const).map((k) => ({ value: k, label: t(`clientSplit.method.${k}`) }))} w="fit-content" data-testid="split-method" />
          <Text size="sm" c="dimmed">
            {t(`clientSplit.method.${method}Hint`)}
          </Text>
          {method !== 'even' && chosen.length === 0 && <Text size="sm">{t('clientSplit.method.chooseManagersFirst')}</Text>}
          {method === 'alphabet' && chosen.length > 0 && (
            <RowsEditor
              rows={ranges}
              onChange={setRanges}
              textLabel={t('clientSplit.method.letters')}
              placeholder={t('clientSplit.method.lettersPlaceholder')}
              options={chosenOptions}
              error={(i, field) => err(`method.ranges.${i}.${field}`)}
              testId="range"
              extra={
                <>
                  <Button variant="subtle" size="xs" onClick={() => setRanges((r) => [...r, ...rowsFor(['A-M', 'N-Z'], managerIds)])}>
                    {t('clientSplit.method.addLatin')}
                  </Button>
                  <Button variant="subtle" size="xs" onClick={() => setRanges(rowsFor(defaultRanges(managerIds.length), managerIds))}>
                    {t('clientSplit.method.resetRanges')}
                  </Button>
                </>
              }
              addLabel={t('clientSplit.method.addRange')}
            />
          )}
          {method === 'territory' && chosen.length > 0 && (
            <RowsEditor
              rows={regions}
              onChange={setRegions}
              textLabel={t('clientSplit.method.region')}
              placeholder={t('clientSplit.method.regionPlaceholder')}
              options={chosenOptions}
              error={(i, field) => err(`method.regions.${i}.${field === 'text' ? 'region' : field}`)}
              testId="region"
              addLabel={t('clientSplit.method.addRegion')}
            />
          )}
          {method === 'tier' && chosen.length > 0 && (
            <Group align="flex-end">
              <Select
                label={t('clientSplit.method.by')}
                data={[
                  { value: 'size', label: t('clientSplit.method.bySize') },
                  { value: 'revenue', label: t('clientSplit.method.byRevenue') },
                ]}
                value={tierBy}
                onChange={(v) => setTierBy(v === 'revenue' ? 'revenue' : 'size')}
                allowDeselect={false}
                w={180}
              />
              <NumberInput label={t('clientSplit.method.threshold')} value={threshold} onChange={setThreshold} min={1} thousandSeparator=" " w={200} error={err('method.threshold')} />
              <MultiSelect label={t('clientSplit.method.vipManagers')} data={chosenOptions} value={vipIds} onChange={setVipIds} w={360} error={err('method.vipManagerIds')} />
            </Group>
          )}
          <Group align="center" gap="sm">
            <Text size="sm">{t('clientSplit.existing.label')}</Text>
            <SegmentedControl
              size="xs"
              value={existing}
              onChange={(v) => setExisting(v === 'overwrite' ? 'overwrite' : 'keep')}
              data={[
                { value: 'keep', label: t('clientSplit.existing.keep') },
                { value: 'overwrite', label: t('clientSplit.existing.overwrite') },
              ]}
            />
          </Group>
          <Group>
            <Button onClick={runPreview} loading={preview.isPending} disabled={managerIds.length === 0 || (selectionKind === 'import' && !importId)} data-testid="split-preview">
              {t('clientSplit.preview')}
            </Button>
          </Group>
          <FormError error={preview.error} fields={['managerIds', 'selection.importId', 'method.threshold', 'method.vipManagerIds', ...ranges.flatMap((_, i) => [`method.ranges.${i}.letters`, `method.ranges.${i}.managerId`]), ...regions.flatMap((_, i) => [`method.regions.${i}.region`, `method.regions.${i}.managerId`])]} />
        </Stack>
      </Card>

      {appliedCount !== null && (
        <Alert color="green" data-testid="split-applied">
          {t('clientSplit.applied', { count: appliedCount })}
        </Alert>
      )}
      {preview.data && !fresh && <Text size="sm" c="orange">{t('clientSplit.stale')}</Text>}
      {preview.data && fresh && <PreviewCard preview={preview.data} names={names} onApply={() => setConfirming(true)} applying={apply.isPending} />}
      <FormError error={apply.error} />

      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('clientSplit.confirm.title')} centered>
        <Stack>
          <Text size="sm">{t('clientSplit.confirm.text', { count: preview.data?.changes ?? 0 })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('clientSplit.confirm.cancel')}
            </Button>
            <Button onClick={runApply} loading={apply.isPending} data-testid="split-apply-confirm">
              {t('clientSplit.apply')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <History />
    </Stack>
  );
}

function RowsEditor(props: {
  rows: Row[];
  onChange: (rows: Row[]) => void;
  textLabel: string;
  placeholder: string;
  options: Array<{ value: string; label: string }>;
  error: (index: number, field: 'text' | 'letters' | 'managerId') => string | undefined;
  addLabel: string;
  testId: string;
  extra?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const set = (key: number, change: Partial<Row>) => props.onChange(props.rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  return (
    <Stack gap="xs">
      {props.rows.map((r, i) => (
        <Group key={r.key} align="flex-start" gap="xs">
          <TextInput
            aria-label={props.textLabel}
            placeholder={props.placeholder}
            value={r.text}
            onChange={(e) => set(r.key, { text: e.currentTarget.value })}
            w={props.testId === 'range' ? 110 : 260}
            error={props.error(i, props.testId === 'range' ? 'letters' : 'text')}
            data-testid={`${props.testId}-text-${i}`}
          />
          <Select aria-label={t('clientSplit.method.manager')} data={props.options} value={r.managerId} onChange={(v) => set(r.key, { managerId: v })} w={240} error={props.error(i, 'managerId')} allowDeselect={false} data-testid={`${props.testId}-manager-${i}`} />
          <ActionIcon variant="subtle" color="gray" aria-label={t('clientSplit.method.remove')} onClick={() => props.onChange(props.rows.filter((x) => x.key !== r.key))} mt={4}>
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group gap="xs">
        <Button variant="light" size="xs" onClick={() => props.onChange([...props.rows, { key: nextKey++, text: '', managerId: props.options[0]?.value ?? null }])}>
          {props.addLabel}
        </Button>
        {props.extra}
      </Group>
    </Stack>
  );
}

function PreviewCard({ preview, names, onApply, applying }: { preview: SplitPreview; names: Map<string, string>; onApply: () => void; applying: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const reason = (r: string) => t(`clientSplit.result.reason.${r}`, { defaultValue: r });
  return (
    <Card withBorder data-testid="split-result">
      <Stack gap="sm">
        <Title order={4}>{t('clientSplit.result.title')}</Title>
        <Text size="sm" fw={500}>
          {t('clientSplit.result.summary', { total: format.number(preview.total), changes: format.number(preview.changes), unchanged: format.number(preview.unchanged) })}
        </Text>
        {preview.outOfScope > 0 && <Text size="sm" c="dimmed">{t('clientSplit.result.outOfScope', { count: preview.outOfScope })}</Text>}
        {preview.fallback > 0 && <Text size="sm" c="dimmed">{t('clientSplit.result.fallback', { count: preview.fallback })}</Text>}
        <Table striped withTableBorder data-testid="split-per-manager">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('clientSplit.result.manager')}</Table.Th>
              <Table.Th ta="right">{t('clientSplit.result.count')}</Table.Th>
              <Table.Th ta="right">{t('clientSplit.result.newCount')}</Table.Th>
              <Table.Th>{t('clientSplit.result.examples')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.perManager.map((m) => (
              <Table.Tr key={m.managerId}>
                <Table.Td>{m.name}</Table.Td>
                <Table.Td ta="right">{format.number(m.count)}</Table.Td>
                <Table.Td ta="right">{format.number(m.newCount)}</Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {m.examples.join(', ')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {preview.conflicts.count > 0 && (
          <Alert color={preview.conflicts.kept ? 'blue' : 'orange'} py="xs">
            <Text size="sm">{t(preview.conflicts.kept ? 'clientSplit.result.conflictsKept' : 'clientSplit.result.conflictsOverwritten', { count: preview.conflicts.count })}</Text>
            {preview.conflicts.examples.slice(0, 3).map((c) => (
              <Text size="xs" key={c.companyId}>
                {t('clientSplit.result.conflictLine', { name: c.name, owner: c.ownerName, planned: c.plannedManagerName })}
              </Text>
            ))}
          </Alert>
        )}
        {preview.changes === 0 ? (
          <Text size="sm">{t('clientSplit.result.nothing')}</Text>
        ) : (
          <>
            <Text size="sm" fw={500}>
              {t('clientSplit.result.rows')}
            </Text>
            <ScrollArea h={220} type="auto">
              <Table withTableBorder stickyHeader>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('clientSplit.result.company')}</Table.Th>
                    <Table.Th>{t('clientSplit.result.now')}</Table.Th>
                    <Table.Th>{t('clientSplit.result.will')}</Table.Th>
                    <Table.Th>{t('clientSplit.result.why')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.rows.slice(0, 200).map((r) => (
                    <Table.Tr key={r.companyId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/clients/companies/${r.companyId}`} size="sm">
                          {r.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{r.ownerId ? (names.get(r.ownerId) ?? r.ownerId) : <Text span size="sm" c="dimmed">{t('clientSplit.result.nobody')}</Text>}</Table.Td>
                      <Table.Td>{names.get(r.managerId) ?? r.managerId}</Table.Td>
                      <Table.Td>{reason(r.reason)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
            <Group>
              <Button onClick={onApply} loading={applying} data-testid="split-apply">
                {t('clientSplit.apply')}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}

function History() {
  const { t } = useTranslation();
  const format = useFormat();
  const splits = useClientSplits();
  const undo = useUndoSplit();
  const [undoing, setUndoing] = useState<ClientSplit | null>(null);
  const [result, setResult] = useState<{ restored: number; skipped: number } | null>(null);
  const how = (s: ClientSplit) => {
    const m = s.params.method;
    if (m.kind === 'alphabet') return `${t('clientSplit.method.alphabet')}: ${m.ranges.map((r) => r.letters).join(', ')}`;
    if (m.kind === 'territory') return `${t('clientSplit.method.territory')}: ${m.regions.map((r) => r.region).join(', ')}`;
    if (m.kind === 'tier') return `${t('clientSplit.method.tier')}: ${t(m.by === 'size' ? 'clientSplit.method.bySize' : 'clientSplit.method.byRevenue')} ≥ ${format.number(m.threshold)}`;
    return t('clientSplit.method.even');
  };
  if (splits.error) return <ErrorState error={splits.error} />;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>{t('clientSplit.history.title')}</Title>
        {result && <Alert color="green" py="xs" data-testid="split-undone">{t('clientSplit.history.undoneResult', result)}</Alert>}
        {splits.data && splits.data.length === 0 ? (
          <Text size="sm" c="dimmed">{t('clientSplit.history.empty')}</Text>
        ) : (
          <Table striped data-testid="split-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('clientSplit.history.when')}</Table.Th>
                <Table.Th>{t('clientSplit.history.who')}</Table.Th>
                <Table.Th>{t('clientSplit.history.how')}</Table.Th>
                <Table.Th ta="right">{t('clientSplit.history.changed')}</Table.Th>
                <Table.Th>{t('clientSplit.history.perManager')}</Table.Th>
                <Table.Th>{t('clientSplit.history.status')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(splits.data ?? []).map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{format.dateTime(s.createdAt)}</Table.Td>
                  <Table.Td>{s.createdByName}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>{how(s)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">{format.number(s.changedCount)}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{s.perManager.map((m) => `${m.name} ${format.number(m.count)}`).join(', ')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={s.status === 'applied' ? 'green' : 'gray'} variant="light">{t(`clientSplit.history.${s.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td>
                    {s.status === 'applied' && (
                      <Button size="xs" variant="default" onClick={() => setUndoing(s)} data-testid="split-undo">
                        {t('clientSplit.history.undo')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <FormError error={undo.error} />
      </Stack>
      <Modal opened={undoing !== null} onClose={() => setUndoing(null)} title={t('clientSplit.history.undoTitle')} centered>
        <Stack>
          <Text size="sm">{t('clientSplit.history.undoText')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setUndoing(null)}>{t('clientSplit.confirm.cancel')}</Button>
            <Button
              color="red"
              loading={undo.isPending}
              data-testid="split-undo-confirm"
              onClick={() =>
                undoing &&
                undo.mutate(undoing.id, {
                  onSuccess: (r) => {
                    setResult({ restored: r.restored, skipped: r.skipped });
                    setUndoing(null);
                  },
                  onError: () => setUndoing(null),
                })
              }
            >
              {t('clientSplit.history.undoConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
