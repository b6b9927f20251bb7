import { ActionIcon, Alert, Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTeams } from '@/features/team/team-api';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { fieldError, FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { useDiscardConfirm } from '@/ui/use-discard-confirm';
import { useAllPipelines, useSavePipeline, type Pipeline, type Stage } from './catalogues-api';

const DEFAULT = '__default';

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** Stage keys: lower-case Latin letters, digits and _; suggested from the label (Russian transliterated). */
export function keyFromLabel(label: string): string {
  const latin = [...label.trim().toLowerCase()].map((c) => TRANSLIT[c] ?? c).join('');
  const key = latin.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^[^a-z]+/, '');
  return key.slice(0, 50);
}

/** The statuses a lead moves through, per team (or the default one): labels, order, new open stages. */
export function PipelinesPanel() {
  const { t } = useTranslation();
  const pipelines = useAllPipelines();
  const teams = useTeams();
  const [selected, setSelected] = useState(DEFAULT);
  const [editorDirty, setEditorDirty] = useState(false);
  const onDirtyChange = useCallback((dirty: boolean) => setEditorDirty(dirty), []);
  const { guard, modal } = useDiscardConfirm(editorDirty);
  if (pipelines.isPending) return <PageLoader />;
  if (pipelines.isError) return <ErrorState error={pipelines.error} />;
  const own = pipelines.data.teams.find((p) => p.teamId === selected) ?? null;
  const options = [
    { value: DEFAULT, label: t('catalogues.pipelines.default') },
    ...(teams.data ?? []).map((team) => ({
      value: team.id,
      label: pipelines.data.teams.some((p) => p.teamId === team.id) ? team.name : t('catalogues.pipelines.teamUsesDefault', { name: team.name }),
    })),
  ];
  const pipeline = selected === DEFAULT ? pipelines.data.default : own;
  return (
    <Stack>
      <Text size="sm" c="dimmed" maw={760}>{t('catalogues.pipelines.hint')}</Text>
      {modal}
      <Select label={t('catalogues.pipelines.which')} data={options} value={selected} onChange={(v) => guard(() => setSelected(v ?? DEFAULT))} allowDeselect={false} w={360} />
      {pipeline ? (
        <PipelineEditor key={selected} teamId={selected === DEFAULT ? null : selected} pipeline={pipeline} onDirtyChange={onDirtyChange} />
      ) : (
        <NoOwnPipeline teamId={selected} fallback={pipelines.data.default} onDirtyChange={onDirtyChange} />
      )}
    </Stack>
  );
}

function NoOwnPipeline({ teamId, fallback, onDirtyChange }: { teamId: string; fallback: Pipeline; onDirtyChange(dirty: boolean): void }) {
  const { t } = useTranslation();
  const [copy, setCopy] = useState(false);
  if (copy) return <PipelineEditor teamId={teamId} pipeline={{ ...fallback, teamId, updatedAt: null }} isNew onDirtyChange={onDirtyChange} />;
  return (
    <Alert color="gray">
      <Group justify="space-between">
        <Text size="sm">{t('catalogues.pipelines.usesDefault', { stages: fallback.stages.map((s) => s.label).join(' → ') })}</Text>
        <Button size="xs" variant="light" onClick={() => setCopy(true)}>{t('catalogues.pipelines.makeOwn')}</Button>
      </Group>
    </Alert>
  );
}

function PipelineEditor({ teamId, pipeline, isNew = false, onDirtyChange }: { teamId: string | null; pipeline: Pipeline; isNew?: boolean; onDirtyChange(dirty: boolean): void }) {
  const { t } = useTranslation();
  const { dateTime } = useFormat();
  const save = useSavePipeline();
  const initial = useMemo(() => pipeline.stages.map((s) => ({ ...s })), [pipeline]);
  const [stages, setStages] = useState<Stage[]>(initial);
  const [label, setLabel] = useState('');
  const [typedKey, setTypedKey] = useState<string | null>(null);
  const key = typedKey ?? keyFromLabel(label);
  const dirty = isNew || JSON.stringify(stages) !== JSON.stringify(initial);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  useEffect(() => () => onDirtyChange(false), [onDirtyChange]);
  // Saved here or by another admin: show the stored stages, unless this editor holds unsaved edits.
  const [shown, setShown] = useState(pipeline.updatedAt);
  if (pipeline.updatedAt !== shown && !dirty) {
    setShown(pipeline.updatedAt);
    setStages(initial);
  }

  const move = (index: number, by: -1 | 1) =>
    setStages((all) => {
      const next = [...all];
      const [stage] = next.splice(index, 1);
      if (stage) next.splice(index + by, 0, stage);
      return next;
    });
  const addStage = (event: FormEvent) => {
    event.preventDefault();
    if (!label.trim() || !key) return;
    // A new working stage goes before the closing ones (converted, junk).
    setStages((all) => {
      const firstClosing = all.findIndex((s) => s.kind !== 'open');
      const at = firstClosing === -1 ? all.length : firstClosing;
      return [...all.slice(0, at), { key, label: label.trim(), kind: 'open' }, ...all.slice(at)];
    });
    setLabel('');
    setTypedKey(null);
  };

  return (
    <Paper withBorder p="md" component="section" aria-label={t('catalogues.pipelines.stages')}>
      <UnsavedChangesGuard when={dirty && !isNew} />
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('catalogues.pipelines.stages')}</Text>
        {pipeline.updatedAt && <Text size="xs" c="dimmed">{t('catalogues.pipelines.updatedAt', { at: dateTime(pipeline.updatedAt) })}</Text>}
      </Group>
      <Table verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>#</Table.Th>
            <Table.Th>{t('catalogues.pipelines.label')}</Table.Th>
            <Table.Th w={200}>{t('catalogues.pipelines.key')}</Table.Th>
            <Table.Th w={160}>{t('catalogues.pipelines.kind')}</Table.Th>
            <Table.Th w={150} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {stages.map((stage, index) => {
            const movable = index > 0;
            const error = fieldError(save.error, `stages[${index}]`);
            return (
              <Table.Tr key={stage.key} data-testid="stage-row">
                <Table.Td>{index + 1}</Table.Td>
                <Table.Td>
                  <TextInput
                    size="xs"
                    aria-label={t('catalogues.pipelines.labelOf', { key: stage.key })}
                    value={stage.label}
                    error={error}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      setStages((all) => all.map((s, i) => (i === index ? { ...s, label: value } : s)));
                    }}
                  />
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace">{stage.key}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={stage.kind === 'open' ? 'blue' : stage.kind === 'converted' ? 'teal' : 'gray'}>{t(`catalogues.pipelines.kinds.${stage.kind}`)}</Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <ActionIcon variant="subtle" disabled={!movable || index === 1} onClick={() => move(index, -1)} aria-label={t('catalogues.pipelines.up', { label: stage.label })}>↑</ActionIcon>
                    <ActionIcon variant="subtle" disabled={!movable || index === stages.length - 1} onClick={() => move(index, 1)} aria-label={t('catalogues.pipelines.down', { label: stage.label })}>↓</ActionIcon>
                    {stage.kind === 'open' && index > 0 && (
                      <ActionIcon variant="subtle" color="red" onClick={() => setStages((all) => all.filter((_, i) => i !== index))} aria-label={t('catalogues.pipelines.remove', { label: stage.label })}>
                        ×
                      </ActionIcon>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Group align="flex-end" gap="sm" mt="sm" component="form" onSubmit={addStage}>
        <TextInput size="xs" label={t('catalogues.pipelines.newLabel')} description={t('catalogues.pipelines.newLabelHint')} placeholder={t('catalogues.pipelines.newLabelPlaceholder')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} w={260} />
        <TextInput
          size="xs"
          label={t('catalogues.pipelines.key')}
          description={t('catalogues.pipelines.keyHint')}
          value={key}
          onChange={(e) => setTypedKey(e.currentTarget.value.trim())}
          error={key && stages.some((s) => s.key === key) ? t('catalogues.pipelines.keyTaken') : undefined}
          w={220}
        />
        <Button size="xs" type="submit" variant="light" disabled={!label.trim() || !key || stages.some((s) => s.key === key)}>{t('catalogues.pipelines.addStage')}</Button>
      </Group>
      <FormError error={save.error} fields={stages.map((_, i) => `stages[${i}]`)} />
      <Group mt="md" gap="xs">
        <Button loading={save.isPending} disabled={!dirty} onClick={() => save.mutate({ teamId, body: { name: pipeline.name, stages } })}>{t('common.save')}</Button>
        {dirty && !isNew && <Button variant="default" onClick={() => setStages(initial)}>{t('common.cancel')}</Button>}
      </Group>
    </Paper>
  );
}
