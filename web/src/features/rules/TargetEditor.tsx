import { Chip, Group, MultiSelect, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, TagsInput, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { strategyLabel } from './describe-rules';
import { useRuleEditor } from './rule-editor-context';
import { childPath, issueText, issuesAt, issuesWithin } from './rule-issues';
import { changeStrategy, changeTargetKind, withFairnessPeriod, withList, withPerformance, withPriority, withWeight } from './rule-edits';
import { FAIRNESS_PERIODS, PRIORITY_NAMES, PROFILE_MATCHES, STRATEGIES, type FairnessPeriod, type GroupTarget, type Priority, type ProfileMatch, type Strategy, type Target } from './rule-model';

/** Where a rule sends its leads: a group with its strategy, one person, or the pool. */
export function TargetEditor({ target, path, onChange }: { target: Target; path: string; onChange(next: Target): void }) {
  const { t } = useTranslation();
  const { readOnly, managers, issues } = useRuleEditor();
  const setKind = (kind: string | null) => {
    if (kind === 'pool' || kind === 'person' || kind === 'group') onChange(changeTargetKind(target, kind, managers[0]?.id ?? ''));
  };
  const errorAt = (key: string) => {
    const found = issuesWithin(issues, childPath(path, key));
    return found.length > 0 ? found.map((i) => issueText(t, i)).join('; ') : undefined;
  };
  return (
    <Stack gap="xs">
      <SegmentedControl
        size="xs"
        disabled={readOnly}
        value={target.kind}
        onChange={setKind}
        data={[{ value: 'group', label: t('rules.target.group') }, { value: 'person', label: t('rules.target.person') }, { value: 'pool', label: t('rules.target.pool') }]}
        aria-label={t('rules.target.kind')}
      />
      {target.kind === 'person' && (
        <Select
          size="xs"
          maw={320}
          searchable
          disabled={readOnly}
          label={t('rules.target.manager')}
          data={managerOptions(managers, [target.managerId])}
          value={target.managerId}
          error={errorAt('managerId')}
          onChange={(v) => v && onChange({ ...target, managerId: v })}
        />
      )}
      {target.kind === 'group' && <GroupTargetEditor target={target} path={path} onChange={onChange} />}
    </Stack>
  );
}

function managerOptions(managers: ReturnType<typeof useRuleEditor>['managers'], keep: readonly string[]) {
  const options = managers.map((m) => ({ value: m.id, label: m.paused ? `${m.name} ⏸` : m.name }));
  // Someone removed since the rule was written stays visible, so the error beside it makes sense.
  for (const id of keep) if (id && !options.some((o) => o.value === id)) options.push({ value: id, label: id });
  return options;
}

function GroupTargetEditor({ target, path, onChange }: { target: GroupTarget; path: string; onChange(next: Target): void }) {
  const { t } = useTranslation();
  const { readOnly, managers, teams, vocabulary, issues } = useRuleEditor();
  const errorAt = (...keys: string[]) => {
    const found = issuesWithin(issues, keys.reduce(childPath, path));
    return found.length > 0 ? found.map((i) => issueText(t, i)).join('; ') : undefined;
  };
  const groupIssues = issuesAt(issues, path);
  const teamOptions = teams.map((team) => ({ value: team.id, label: team.name }));
  for (const id of target.teams ?? []) if (!teamOptions.some((o) => o.value === id)) teamOptions.push({ value: id, label: id });
  // Who the strategy will choose among, for the weights table.
  const members = managers.filter((m) => (target.managers === undefined && target.teams === undefined) || target.managers?.includes(m.id) || (m.teamId !== null && target.teams?.includes(m.teamId)));
  const setStrategy = (strategy: Strategy) => onChange(changeStrategy(target, strategy));
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <MultiSelect size="xs" searchable clearable disabled={readOnly} label={t('rules.target.teams')} data={teamOptions} value={target.teams ?? []} error={errorAt('teams')} onChange={(v) => onChange(withList(target, 'teams', v))} />
        <MultiSelect size="xs" searchable clearable disabled={readOnly} label={t('rules.target.managers')} data={managerOptions(managers, target.managers ?? [])} value={target.managers ?? []} error={errorAt('managers')} onChange={(v) => onChange(withList(target, 'managers', v))} />
      </SimpleGrid>
      {target.managers === undefined && target.teams === undefined && <Text size="xs" c="dimmed">{t('rules.target.everyoneHint')}</Text>}
      {groupIssues.map((issue) => <Text key={issue.code} size="xs" c="red">{issueText(t, issue)}</Text>)}
      <Stack gap={4}>
        <Text size="sm" fw={500}>{t('rules.target.strategy')}</Text>
        <SegmentedControl size="xs" disabled={readOnly} value={target.strategy} onChange={(v) => setStrategy(v as Strategy)} data={STRATEGIES.map((s) => ({ value: s, label: strategyLabel(t, s) }))} />
        <Text size="xs" c="dimmed">{t(`rules.strategyHelp.${target.strategy}` as 'rules.strategyHelp.round_robin', { defaultValue: '' })}</Text>
      </Stack>
      {target.strategy === 'weighted' && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>{t('rules.target.weights')}</Text>
          <Text size="xs" c="dimmed">{t('rules.target.weightsHint')}</Text>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="xs">
            {members.map((m) => (
              <NumberInput
                key={m.id}
                size="xs"
                min={0}
                decimalScale={2}
                disabled={readOnly}
                label={m.name}
                placeholder={t('rules.target.ownWeight', { weight: m.weight })}
                value={target.weights?.[m.id] ?? ''}
                error={errorAt('weights', m.id)}
                onChange={(v) => onChange(withWeight(target, m.id, typeof v === 'number' ? v : undefined))}
              />
            ))}
          </SimpleGrid>
        </Stack>
      )}
      {target.strategy === 'performance' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <NumberInput
            size="xs" min={0} max={1} step={0.1} decimalScale={2} disabled={readOnly}
            label={t('rules.target.floor')} description={t('rules.target.floorHint')} placeholder="0.5"
            value={target.performance?.floor ?? ''} error={errorAt('performance', 'floor')}
            onChange={(v) => onChange(withPerformance(target, 'floor', typeof v === 'number' ? v : undefined))}
          />
          <NumberInput
            size="xs" min={0} disabled={readOnly}
            label={t('rules.target.priorStrength')} description={t('rules.target.priorHint')} placeholder="20"
            value={target.performance?.priorStrength ?? ''} error={errorAt('performance', 'priorStrength')}
            onChange={(v) => onChange(withPerformance(target, 'priorStrength', typeof v === 'number' ? v : undefined))}
          />
        </SimpleGrid>
      )}
      {target.strategy !== 'least_loaded' && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>{t('rules.target.fairnessPeriod')}</Text>
          <SegmentedControl
            size="xs"
            disabled={readOnly}
            value={target.fairnessPeriod ?? 'none'}
            onChange={(v) => onChange(withFairnessPeriod(target, v as FairnessPeriod))}
            data={FAIRNESS_PERIODS.map((p) => ({ value: p, label: t(`rules.period.${p}`) }))}
            aria-label={t('rules.target.fairnessPeriod')}
          />
          <Text size="xs" c={errorAt('fairnessPeriod') ? 'red' : 'dimmed'}>{errorAt('fairnessPeriod') ?? t(`rules.periodHelp.${target.fairnessPeriod ?? 'none'}`)}</Text>
        </Stack>
      )}
      <Stack gap={4}>
        <Text size="sm" fw={500}>{t('rules.target.priorities')}</Text>
        <Text size="xs" c="dimmed">{t('rules.target.prioritiesHint')}</Text>
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="xs">
          {members.map((m) => (
            <Select
              key={m.id}
              size="xs"
              clearable
              disabled={readOnly}
              // The name shows above the field; the field's own name says what it sets (the weights use the plain name).
              label={<span aria-hidden>{m.name}</span>}
              aria-label={t('rules.target.priorityOf', { name: m.name })}
              placeholder={t('rules.target.ownPriority')}
              data={priorityOptions(t, target.priorities?.[m.id])}
              value={target.priorities?.[m.id] === undefined ? null : String(target.priorities[m.id])}
              error={errorAt('priorities', m.id)}
              onChange={(v) => onChange(withPriority(target, m.id, priorityOf(v)))}
            />
          ))}
        </SimpleGrid>
      </Stack>
      <Stack gap={4}>
        <Text size="sm" fw={500}>{t('rules.target.match')}</Text>
        <Chip.Group multiple value={target.match ?? []} onChange={(v) => onChange(withList(target, 'match', v as ProfileMatch[]))}>
          <Group gap={6}>
            {PROFILE_MATCHES.map((m) => <Chip key={m} size="xs" value={m} disabled={readOnly}>{t(`rules.match.${m}`)}</Chip>)}
          </Group>
        </Chip.Group>
      </Stack>
      <TagsInput
        size="xs"
        disabled={readOnly}
        label={t('rules.target.requiredSkills')}
        data={(vocabulary?.profiles.skills ?? []).filter((s) => !(target.requiredSkills ?? []).includes(s))}
        value={target.requiredSkills ?? []}
        error={errorAt('requiredSkills')}
        onChange={(v) => onChange(withList(target, 'requiredSkills', v))}
      />
    </Stack>
  );
}

/** high, normal, low, and a tier number written in the JSON, kept so the choice shows as it is. */
function priorityOptions(t: TFunction, current: Priority | undefined): Array<{ value: string; label: string }> {
  const options: Array<{ value: string; label: string }> = PRIORITY_NAMES.map((p) => ({ value: p, label: t(`rules.priority.${p}`) }));
  if (typeof current === 'number') options.push({ value: String(current), label: t('rules.priority.tier', { tier: current }) });
  return options;
}

function priorityOf(value: string | null): Priority | undefined {
  if (value === null || value === '') return undefined;
  if ((PRIORITY_NAMES as readonly string[]).includes(value)) return value as Priority;
  const tier = Number(value);
  return Number.isFinite(tier) ? tier : undefined;
}
