import { Button, Grid, Group, Modal, MultiSelect, NumberInput, Paper, Select, Stack, Switch, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTeams } from '@/features/team/team-api';
import { fieldError, FormError } from '@/ui/FormError';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { SlaPreviewPanel } from './SlaPreviewPanel';
import { useRemovePolicy, useSavePolicy, type PolicyInput, type SlaPolicy } from './sla-api';

export interface PolicyDraft {
  name: string;
  position: number | string;
  sources: string[];
  priorities: string[];
  teamIds: string[];
  firstContactMinutes: number | string;
  nextStepMinutes: number | string;
  warnBeforeMinutes: number | string;
  maxReassignments: number | string;
  onExhausted: 'head' | 'pool';
  active: boolean;
}

function draftOf(policy: SlaPolicy | null, nextPosition: number): PolicyDraft {
  return {
    name: policy?.name ?? '',
    position: policy?.position ?? nextPosition,
    sources: policy?.match.sources ?? [],
    priorities: policy?.match.priorities ?? [],
    teamIds: policy?.match.teamIds ?? [],
    firstContactMinutes: policy?.firstContactMinutes ?? 60,
    nextStepMinutes: policy?.nextStepMinutes ?? '',
    warnBeforeMinutes: policy?.warnBeforeMinutes ?? '',
    maxReassignments: policy?.maxReassignments ?? 1,
    onExhausted: policy?.onExhausted ?? 'head',
    active: policy?.active ?? true,
  };
}

const optionalMinutes = (v: number | string): number | null => (v === '' ? null : Number(v));

/** The draft as the API takes it; empty match lists are left out (they match everything). */
export function toPolicyInput(d: PolicyDraft): PolicyInput {
  const match: NonNullable<PolicyInput['match']> = {};
  if (d.sources.length > 0) match.sources = d.sources;
  if (d.priorities.length > 0) match.priorities = d.priorities;
  if (d.teamIds.length > 0) match.teamIds = d.teamIds;
  return {
    name: d.name.trim(),
    position: Number(d.position),
    match,
    firstContactMinutes: Number(d.firstContactMinutes),
    nextStepMinutes: optionalMinutes(d.nextStepMinutes),
    warnBeforeMinutes: optionalMinutes(d.warnBeforeMinutes),
    maxReassignments: Number(d.maxReassignments),
    onExhausted: d.onExhausted,
    active: d.active,
  };
}

/** One policy's form (new or saved) next to the preview of the deadline it gives. */
export function PolicyEditor({ policy, nextPosition, onClose, onCreated, onDirtyChange }: { policy: SlaPolicy | null; nextPosition: number; onClose(): void; onCreated(id: string): void; onDirtyChange(dirty: boolean): void }) {
  const { t } = useTranslation();
  const teams = useTeams();
  const save = useSavePolicy();
  const remove = useRemovePolicy();
  const initial = useMemo(() => draftOf(policy, nextPosition), [policy, nextPosition]);
  const [draft, setDraft] = useState<PolicyDraft>(initial);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  // The list beside the editor asks before opening another policy over unsaved edits.
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  useEffect(() => () => onDirtyChange(false), [onDirtyChange]);
  const set = <K extends keyof PolicyDraft>(key: K, value: PolicyDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const err = (path: string) => fieldError(save.error, path);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { id: policy?.id ?? null, body: toPolicyInput(draft) },
      {
        onSuccess: (saved) => {
          if (!policy) onCreated(saved.id);
        },
      },
    );
  };

  return (
    <Paper withBorder p="md" component="section" aria-label={policy ? t('slaSettings.editor.editTitle', { name: policy.name }) : t('slaSettings.editor.newTitle')}>
      <UnsavedChangesGuard when={dirty} />
      <Group justify="space-between" mb="sm">
        <Title order={4}>{policy ? t('slaSettings.editor.editTitle', { name: policy.name }) : t('slaSettings.editor.newTitle')}</Title>
        <Button variant="subtle" onClick={onClose}>{t('slaSettings.editor.close')}</Button>
      </Group>
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <form onSubmit={submit}>
            <Stack gap="sm">
              <Group grow align="flex-start">
                <TextInput label={t('slaSettings.editor.name')} placeholder={t('slaSettings.editor.namePlaceholder')} required value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={err('name')} />
                <NumberInput label={t('slaSettings.editor.position')} description={t('slaSettings.editor.positionHint')} min={0} max={1_000_000} allowDecimal={false} value={draft.position} onChange={(v) => set('position', v)} error={err('position')} maw={200} />
              </Group>
              <Text fw={600} size="sm" mt="xs">{t('slaSettings.editor.matchTitle')}</Text>
              <Group grow align="flex-start">
                <TagsInput label={t('slaSettings.editor.sources')} description={t('slaSettings.editor.anyValue')} placeholder={t('slaSettings.editor.typeAndEnter')} value={draft.sources} onChange={(v) => set('sources', v)} error={err('match.sources')} />
                <TagsInput label={t('slaSettings.editor.priorities')} description={t('slaSettings.editor.anyValue')} placeholder={t('slaSettings.editor.typeAndEnter')} value={draft.priorities} onChange={(v) => set('priorities', v)} error={err('match.priorities')} />
              </Group>
              <MultiSelect
                label={t('slaSettings.editor.teams')}
                description={t('slaSettings.editor.anyValue')}
                data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
                value={draft.teamIds}
                onChange={(v) => set('teamIds', v)}
                searchable
                clearable
                error={err('match.teamIds') ?? err('teamId')}
              />
              <Text fw={600} size="sm" mt="xs">{t('slaSettings.editor.timeTitle')}</Text>
              <Group grow align="flex-start">
                <NumberInput label={t('slaSettings.editor.firstContact')} description={t('slaSettings.editor.firstContactHint')} required min={1} max={525_600} allowDecimal={false} suffix={t('slaSettings.editor.minutesSuffix')} value={draft.firstContactMinutes} onChange={(v) => set('firstContactMinutes', v)} error={err('firstContactMinutes')} />
                <NumberInput label={t('slaSettings.editor.warn')} description={t('slaSettings.editor.warnHint')} min={1} max={525_600} allowDecimal={false} suffix={t('slaSettings.editor.minutesSuffix')} value={draft.warnBeforeMinutes} onChange={(v) => set('warnBeforeMinutes', v)} error={err('warnBeforeMinutes')} />
                <NumberInput label={t('slaSettings.editor.nextStep')} description={t('slaSettings.editor.nextStepHint')} min={1} max={525_600} allowDecimal={false} suffix={t('slaSettings.editor.minutesSuffix')} value={draft.nextStepMinutes} onChange={(v) => set('nextStepMinutes', v)} error={err('nextStepMinutes')} />
              </Group>
              <Text fw={600} size="sm" mt="xs">{t('slaSettings.editor.breachTitle')}</Text>
              <Group grow align="flex-start">
                <NumberInput label={t('slaSettings.editor.maxReassignments')} description={t('slaSettings.editor.maxReassignmentsHint')} min={0} max={20} allowDecimal={false} value={draft.maxReassignments} onChange={(v) => set('maxReassignments', v)} error={err('maxReassignments')} />
                <Select
                  label={t('slaSettings.editor.onExhausted')}
                  description=" "
                  allowDeselect={false}
                  value={draft.onExhausted}
                  onChange={(v) => set('onExhausted', v === 'pool' ? 'pool' : 'head')}
                  data={[{ value: 'head', label: t('slaSettings.editor.exhaustedHead') }, { value: 'pool', label: t('slaSettings.editor.exhaustedPool') }]}
                  error={err('onExhausted')}
                />
              </Group>
              <Switch mt="xs" label={t('slaSettings.editor.active')} checked={draft.active} onChange={(e) => set('active', e.currentTarget.checked)} />
              <FormError error={save.error} fields={['name', 'position', 'match', 'teamId', 'firstContactMinutes', 'nextStepMinutes', 'warnBeforeMinutes', 'maxReassignments', 'onExhausted']} />
              <Group justify="space-between" mt="xs">
                <Group gap="xs">
                  <Button type="submit" loading={save.isPending} disabled={!dirty && policy !== null}>{t('common.save')}</Button>
                  {dirty && policy && <Button variant="default" onClick={() => setDraft(initial)}>{t('common.cancel')}</Button>}
                </Group>
                {policy && <Button color="red" variant="subtle" onClick={() => setConfirmRemove(true)}>{t('slaSettings.editor.remove')}</Button>}
              </Group>
            </Stack>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <SlaPreviewPanel policyId={policy?.id ?? null} draft={draft} />
        </Grid.Col>
      </Grid>
      <Modal opened={confirmRemove} onClose={() => setConfirmRemove(false)} title={t('slaSettings.editor.removeTitle')} centered>
        <Text size="sm">{t('slaSettings.editor.removeText')}</Text>
        <FormError error={remove.error} />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setConfirmRemove(false)}>{t('common.cancel')}</Button>
          <Button color="red" loading={remove.isPending} onClick={() => policy && remove.mutate(policy.id, { onSuccess: onClose })}>{t('slaSettings.editor.remove')}</Button>
        </Group>
      </Modal>
    </Paper>
  );
}
