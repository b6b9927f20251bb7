import { Alert, Badge, Button, Group, Modal, Paper, Select, Stack, Tabs, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { notifications as toasts } from '@mantine/notifications';
import { useEffect, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '@/api/client';
import type { Manager, Team } from '@/api/types';
import { FormError } from '@/ui/FormError';
import { useFormat } from '@/ui/format';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { DraftSimulation } from './DraftSimulation';
import { JsonView } from './JsonView';
import { namesOf, RuleEditorProvider, type RuleEditorEnvironment } from './rule-editor-context';
import { canonicalJson, canShowInBuilder, EMPTY_DEFINITION, formatDefinitionJson, parseDefinitionJson, type RuleSetDefinition } from './rule-model';
import { RuleSetBuilder } from './RuleSetBuilder';
import { RuleSetDiffView } from './RuleSetDiffView';
import { useRoutingVocabulary, usePublish, useRuleSetValidation, useSaveDraft, type RuleSetComparison, type StoredRuleSet } from './rules-api';
import { statusColor, VersionHistory } from './VersionHistory';

interface Props {
  /** The version on screen; null when there is none yet. */
  stored: StoredRuleSet | null;
  versions: StoredRuleSet[];
  canEdit: boolean;
  managers: Manager[];
  teams: Team[];
}

/** A draft being written: the version it is saved as (null until the first save) and what it says. */
interface Draft {
  version: number | null;
  /** The stored revision this draft was loaded or last saved as (docs/api.md: rule sets). */
  revision: string | null;
  definition: unknown;
  comment: string;
}

const draftOf = (stored: StoredRuleSet | null, canEdit: boolean): Draft | null => {
  if (!canEdit) return null;
  if (!stored) return { version: null, revision: null, definition: EMPTY_DEFINITION, comment: '' };
  return stored.status === 'draft' ? { version: stored.version, revision: stored.revision, definition: stored.definition, comment: stored.comment ?? '' } : null;
};

/** One version on screen: read, or edited as a draft with live validation, a trial on leads, history and publishing. */
export function RuleSetEditor({ stored, versions, canEdit, managers, teams }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const vocabulary = useRoutingVocabulary();
  const [draft, setDraft] = useState<Draft | null>(() => draftOf(stored, canEdit));
  const [savedText, setSavedText] = useState(() => JSON.stringify(draftOf(stored, canEdit)));
  const [tab, setTab] = useState<string | null>('builder');
  const [confirming, setConfirming] = useState(false);
  const queryClient = useQueryClient();
  // The last trial on leads of exactly this definition, kept across saving (which reopens the page as the saved version).
  const trialKey = (d: unknown) => ['rule-trial', canonicalJson(d)];
  const save = useSaveDraft();
  const publish = usePublish();

  // The JSON tab's own text while the author types there; null when it just shows the definition.
  const [jsonText, setJsonText] = useState<string | null>(null);
  const definition = draft ? draft.definition : stored?.definition;
  const jsonParsed = jsonText === null ? ({ ok: true, definition } as const) : parseDefinitionJson(jsonText);
  const jsonBroken = !jsonParsed.ok;
  const [checked] = useDebouncedValue(definition, 400);
  const validation = useRuleSetValidation(checked, checked !== undefined);
  const issues = useMemo(() => validation.data?.issues ?? [], [validation.data]);
  const checking = validation.isFetching || checked !== definition;
  const valid = validation.data?.ok === true && !checking;
  const dirty = draft !== null && (JSON.stringify(draft) !== savedText || jsonBroken);
  const published = versions.find((v) => v.status === 'published') ?? null;

  const environment: RuleEditorEnvironment = useMemo(
    () => ({ issues, readOnly: draft === null, managers, teams, vocabulary: vocabulary.data, names: namesOf(managers, teams) }),
    [issues, draft, managers, teams, vocabulary.data],
  );
  const ruleName = (id: string): string => ruleNameIn(definition, id) ?? ruleNameIn(published?.definition, id) ?? id;

  const update = (next: unknown) => draft && setDraft({ ...draft, definition: next });
  const updateFromBuilder = (next: unknown) => {
    setJsonText(null);
    update(next);
  };
  const updateFromJson = (text: string) => {
    setJsonText(text);
    const parsed = parseDefinitionJson(text);
    if (parsed.ok) update(parsed.definition);
  };

  // Someone published the draft on screen (here or in another tab): show it as published, unless
  // there are edits, which stay and will be saved as a new draft.
  useEffect(() => {
    if (!stored || stored.status === 'draft' || draft === null || draft.version !== stored.version) return;
    if (JSON.stringify(draft) === savedText) setDraft(null);
    else setDraft({ ...draft, version: null, revision: null });
  }, [stored, draft, savedText]);
  const startDraftFrom = (source: StoredRuleSet) => {
    setDraft({ version: null, revision: null, definition: structuredClone(source.definition), comment: '' });
    setSavedText('');
    setTab('builder');
  };

  const onSave = () => {
    if (!draft) return;
    save.mutate(
      { version: draft.version, revision: draft.revision, definition: (draft.definition ?? {}) as Record<string, unknown>, comment: draft.comment },
      {
        onSuccess: ({ ruleSet }) => {
          toasts.show({ color: 'green', message: t('rules.actions.saved', { version: ruleSet.version }) });
          const saved = { ...draft, version: ruleSet.version, revision: ruleSet.revision };
          flushSync(() => {
            setDraft(saved);
            setSavedText(JSON.stringify(saved));
          });
          if (draft.version === null) void navigate(`/settings/rules/${ruleSet.version}`);
        },
      },
    );
  };

  const onRestore = (source: StoredRuleSet) => {
    save.mutate(
      { version: null, revision: null, definition: source.definition as Record<string, unknown>, comment: t('rules.actions.restoredComment', { from: source.version }) },
      {
        onSuccess: ({ ruleSet }) => {
          toasts.show({ color: 'green', message: t('rules.actions.restored', { version: ruleSet.version, from: source.version }) });
          void navigate(`/settings/rules/${ruleSet.version}`);
        },
      },
    );
  };

  const onPublish = () => {
    if (draft?.version == null) return;
    const version = draft.version;
    publish.mutate(version, {
      onSuccess: () => {
        setConfirming(false);
        setSavedText(JSON.stringify(draft));
        toasts.show({ color: 'green', message: t('rules.actions.published', { version }) });
        void navigate(`/settings/rules/${version}`);
      },
    });
  };

  const trial = queryClient.getQueryData<RuleSetComparison>(trialKey(definition));
  const publishBlocker = draft === null ? null : jsonBroken ? t('rules.json.fixFirst') : draft.version === null || dirty ? t('rules.actions.saveBeforePublish') : !valid ? t('rules.actions.fixBeforePublish') : null;
  const versionOptions = versions.map((v) => ({ value: String(v.version), label: t('rules.version.option', { version: v.version, status: t(`rules.status.${v.status}`), date: format.date(v.createdAt) }) }));

  return (
    <RuleEditorProvider value={environment}>
      <UnsavedChangesGuard when={dirty} />
      <Stack gap="sm">
        {!canEdit && <Alert color="blue" variant="light">{t('rules.readOnly')}</Alert>}
        <Paper withBorder p="sm" pos="sticky" top={0} style={{ zIndex: 5 }}>
          <Group justify="space-between" gap="sm">
            <Group gap="sm">
              {versions.length > 0 && (
                <Select
                  w={340}
                  aria-label={t('rules.version.pick')}
                  data={versionOptions}
                  value={draft?.version === null ? null : stored ? String(stored.version) : null}
                  placeholder={t('rules.version.newDraft')}
                  onChange={(v) => v && void navigate(`/settings/rules/${v}`)}
                />
              )}
              {draft?.version === null ? (
                <Badge color="orange" variant="light">{t('rules.status.unsaved')}</Badge>
              ) : (
                stored && <Badge color={statusColor(stored.status)} variant="light">{t(`rules.status.${stored.status}`)}</Badge>
              )}
              <ValidationBadge checking={checking} count={issues.length} />
            </Group>
            <Group gap="xs">
              {draft === null && canEdit && stored && <Button variant="light" onClick={() => startDraftFrom(stored)}>{t('rules.actions.edit')}</Button>}
              {draft !== null && (
                <>
                  <TextInput w={260} aria-label={t('rules.actions.comment')} placeholder={t('rules.actions.commentPlaceholder')} value={draft.comment} onChange={(e) => setDraft({ ...draft, comment: e.currentTarget.value })} />
                  <Tooltip label={t('rules.json.fixFirst')} disabled={!jsonBroken}>
                    <Button variant="default" onClick={onSave} loading={save.isPending} disabled={!dirty || jsonBroken}>{t('rules.actions.save')}</Button>
                  </Tooltip>
                  <Tooltip label={publishBlocker} disabled={publishBlocker === null}>
                    <Button color="green" onClick={() => setConfirming(true)} disabled={publishBlocker !== null} data-disabled={publishBlocker !== null || undefined}>{t('rules.actions.publish')}</Button>
                  </Tooltip>
                </>
              )}
            </Group>
          </Group>
          {stored && draft?.version !== null && (
            <Text size="xs" c="dimmed" mt={4}>
              {t('rules.version.meta', { version: stored.version, author: stored.authorName ?? stored.author, date: format.dateTime(stored.createdAt) })}
              {stored.comment ? ` — ${stored.comment}` : ''}
            </Text>
          )}
          {staleDraft(save.error) && draft ? (
            <Alert color="orange" mt="xs" title={t('rules.actions.staleTitle')}>
              <Group justify="space-between">
                <Text size="sm">{t('rules.actions.staleText')}</Text>
                <Button size="xs" variant="light" onClick={() => setDraft({ ...draft, version: null, revision: null })}>{t('rules.actions.saveAsNew')}</Button>
              </Group>
            </Alert>
          ) : (
            <FormError error={save.error} />
          )}
        </Paper>

        {definition === undefined ? (
          <Text c="dimmed">{t('rules.version.none')}</Text>
        ) : (
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="builder">{t('rules.tabs.builder')}</Tabs.Tab>
              <Tabs.Tab value="json">{t('rules.tabs.json')}</Tabs.Tab>
              <Tabs.Tab value="simulation">{t('rules.tabs.simulation')}</Tabs.Tab>
              <Tabs.Tab value="history">{t('rules.tabs.history')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="builder" pt="sm">
              {jsonBroken ? (
                <Alert color="orange">{t('rules.json.fixFirst')}</Alert>
              ) : canShowInBuilder(definition) ? (
                <RuleSetBuilder definition={definition} onChange={(next: RuleSetDefinition) => updateFromBuilder(next)} />
              ) : (
                <Alert color="orange">{t('rules.json.notBuildable')}</Alert>
              )}
            </Tabs.Panel>
            <Tabs.Panel value="json" pt="sm">
              <JsonView text={jsonText ?? formatDefinitionJson(definition)} parsed={jsonParsed} readOnly={draft === null} onText={updateFromJson} />
              {!canShowInBuilder(definition) && issues.map((i) => <Text key={i.path + i.code} size="xs" c="red">{i.path}: {i.message}</Text>)}
            </Tabs.Panel>
            <Tabs.Panel value="simulation" pt="sm">
              <DraftSimulation
                candidate={draft === null && stored ? { version: stored.version } : { definition: (definition ?? {}) as Record<string, unknown> }}
                blocked={!valid || jsonBroken}
                ruleName={ruleName}
                onResult={(result) => queryClient.setQueryData(trialKey(definition), result)}
              />
            </Tabs.Panel>
            <Tabs.Panel value="history" pt="sm">
              <VersionHistory versions={versions} current={stored?.version ?? null} canRestore={canEdit} restoring={save.isPending} onRestore={onRestore} />
            </Tabs.Panel>
          </Tabs>
        )}
      </Stack>

      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('rules.actions.publishTitle', { version: draft?.version ?? '' })} size="lg">
        <Stack gap="sm">
          <Text size="sm">{t('rules.actions.publishText')}</Text>
          {trial === undefined ? <Alert color="yellow">{t('rules.actions.publishNotSimulated')}</Alert> : <Text size="sm">{t('rules.actions.publishChanged', { count: trial.changed.count })}</Text>}
          {published && canShowInBuilder(published.definition) && canShowInBuilder(definition) && <RuleSetDiffView before={published.definition} after={definition} />}
          <FormError error={publish.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>{t('common.cancel')}</Button>
            <Button color="green" onClick={onPublish} loading={publish.isPending}>{t('rules.actions.publish')}</Button>
          </Group>
        </Stack>
      </Modal>
    </RuleEditorProvider>
  );
}

/** Someone else saved this draft after it was loaded here: the server refused to overwrite it. */
const staleDraft = (error: unknown): boolean => error instanceof ApiError && error.details.some((d) => d.code === 'stale_revision');

/** A rule's name in a definition, when the definition has that rule. */
function ruleNameIn(definition: unknown, id: string): string | undefined {
  return canShowInBuilder(definition) ? definition.rules.find((r) => r.id === id)?.name : undefined;
}

function ValidationBadge({ checking, count }: { checking: boolean; count: number }) {
  const { t } = useTranslation();
  if (checking) return <Badge color="gray" variant="light">{t('rules.validation.checking')}</Badge>;
  return count === 0 ? <Badge color="green" variant="light" data-testid="validation-state">{t('rules.validation.ok')}</Badge> : <Badge color="red" variant="filled" data-testid="validation-state">{t('rules.validation.count', { count })}</Badge>;
}
