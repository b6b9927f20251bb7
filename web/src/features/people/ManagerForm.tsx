import { Button, Group, NumberInput, Select, SimpleGrid, Stack, Switch, TagsInput, TextInput, Title } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Manager } from '@/api/types';
import { fieldError, FormError } from '@/ui/FormError';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { useCreateManager, useSaveManager, type Team } from './people-api';
import { timeZoneOptions } from './time-zones';
import { WeekHoursEditor } from './WeekHoursEditor';
import { defaultWeek, fromApi, hasProblems, toApi, type ApiWeeklyHours, type WeekModel } from './working-hours-model';

interface FormState {
  name: string;
  email: string;
  teamId: string | null;
  weight: number | string;
  maxOpen: number | string;
  maxPerDay: number | string;
  skills: string[];
  regions: string[];
  languages: string[];
  industries: string[];
  timeZone: string;
  paused: boolean;
  week: WeekModel;
}

function initialState(manager: Manager | null, teams: Team[], defaultTeamId: string | null): FormState {
  if (!manager) {
    const team = teams.find((t) => t.id === defaultTeamId);
    return {
      name: '', email: '', teamId: defaultTeamId, weight: 1, maxOpen: '', maxPerDay: '', skills: [], regions: [], languages: ['ru'], industries: [],
      timeZone: team?.timeZone ?? 'Europe/Moscow', paused: false, week: defaultWeek(),
    };
  }
  return {
    name: manager.name, email: manager.email ?? '', teamId: manager.teamId, weight: manager.weight, maxOpen: manager.maxOpen ?? '', maxPerDay: manager.maxPerDay ?? '',
    skills: manager.skills, regions: manager.regions, languages: manager.languages, industries: manager.industries, timeZone: manager.timeZone, paused: manager.paused,
    week: fromApi(manager.workingHours as ApiWeeklyHours | null),
  };
}

const FIELDS = ['name', 'email', 'teamId', 'weight', 'maxOpen', 'maxPerDay', 'skills', 'regions', 'languages', 'industries', 'timeZone', 'workingHours', 'paused'];

/**
 * A manager's profile: who (name, e-mail, team — an admin's to change), the share and caps
 * routing honours, what they can take (skills, regions, languages, industries), the zone their
 * hours are in, the weekly hours, and a pause. Creates a manager when `manager` is null.
 */
export function ManagerForm({ manager, teams, isAdmin, defaultTeamId, suggestions, onDone }: {
  manager: Manager | null;
  teams: Team[];
  isAdmin: boolean;
  defaultTeamId: string | null;
  suggestions: { skills: string[]; regions: string[]; languages: string[]; industries: string[] };
  onDone(saved: Manager): void;
}) {
  const { t } = useTranslation();
  const create = useCreateManager();
  const save = useSaveManager();
  const mutation = manager ? save : create;
  const [initial] = useState(() => initialState(manager, teams, defaultTeamId));
  const [form, setForm] = useState<FormState>(initial);
  const dirty = useMemo(() => JSON.stringify(form) !== JSON.stringify(initial), [form, initial]);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const zones = useMemo(() => timeZoneOptions(form.timeZone), [form.timeZone]);
  const invalidHours = hasProblems(form.week);
  const error = mutation.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const profile = {
      weight: Number(form.weight),
      maxOpen: form.maxOpen === '' ? null : Number(form.maxOpen),
      maxPerDay: form.maxPerDay === '' ? null : Number(form.maxPerDay),
      skills: form.skills, regions: form.regions, languages: form.languages, industries: form.industries,
      timeZone: form.timeZone, paused: form.paused, workingHours: toApi(form.week),
    };
    const identity = isAdmin ? { name: form.name.trim(), email: form.email.trim() || null, teamId: form.teamId } : {};
    const onSuccess = (saved: Manager) => {
      setForm(initialState(saved, teams, saved.teamId));
      onDone(saved);
    };
    if (manager) save.mutate({ id: manager.id, ...identity, ...profile }, { onSuccess });
    else create.mutate({ name: form.name.trim(), email: form.email.trim() || null, teamId: form.teamId, ...profile }, { onSuccess });
  };

  return (
    <form onSubmit={submit} data-testid="manager-form">
      <UnsavedChangesGuard when={dirty && !mutation.isSuccess} />
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label={t('people.managers.name')} required disabled={!isAdmin} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} error={fieldError(error, 'name')} />
          <TextInput label={t('people.managers.email')} type="email" disabled={!isAdmin} value={form.email} onChange={(e) => set('email', e.currentTarget.value)} error={fieldError(error, 'email')} />
          <Select
            label={t('people.managers.team')}
            disabled={!isAdmin}
            clearable
            placeholder={t('people.managers.noTeam')}
            value={form.teamId}
            onChange={(v) => set('teamId', v)}
            data={teams.map((team) => ({ value: team.id, label: team.name }))}
            error={fieldError(error, 'teamId')}
          />
        </SimpleGrid>
        <Switch label={t('managerSettings.paused')} description={t('managerSettings.pausedHint')} checked={form.paused} onChange={(e) => set('paused', e.currentTarget.checked)} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NumberInput label={t('managerSettings.weight')} description={t('people.managers.weightHint')} min={0.01} step={0.5} decimalScale={2} value={form.weight} onChange={(v) => set('weight', v)} error={fieldError(error, 'weight')} />
          <NumberInput label={t('managerSettings.maxOpen')} description={t('people.managers.noCapHint')} min={0} allowDecimal={false} placeholder="∞" value={form.maxOpen} onChange={(v) => set('maxOpen', v)} error={fieldError(error, 'maxOpen')} />
          <NumberInput label={t('managerSettings.maxPerDay')} description={t('people.managers.noCapHint')} min={0} allowDecimal={false} placeholder="∞" value={form.maxPerDay} onChange={(v) => set('maxPerDay', v)} error={fieldError(error, 'maxPerDay')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TagsInput label={t('managerSettings.skills')} description={t('people.managers.tagsHint')} data={suggestions.skills} value={form.skills} onChange={(v) => set('skills', v)} error={fieldError(error, 'skills')} />
          <TagsInput label={t('managerSettings.regions')} description={t('people.managers.tagsHint')} data={suggestions.regions} value={form.regions} onChange={(v) => set('regions', v)} error={fieldError(error, 'regions')} />
          <TagsInput label={t('managerSettings.languages')} data={suggestions.languages} value={form.languages} onChange={(v) => set('languages', v)} error={fieldError(error, 'languages')} />
          <TagsInput label={t('people.managers.industries')} data={suggestions.industries} value={form.industries} onChange={(v) => set('industries', v)} error={fieldError(error, 'industries')} />
        </SimpleGrid>
        <Select label={t('managerSettings.timeZone')} description={t('people.managers.timeZoneHint')} searchable allowDeselect={false} value={form.timeZone} onChange={(v) => set('timeZone', v ?? form.timeZone)} data={zones} error={fieldError(error, 'timeZone')} />
        <Title order={5} mt="xs">{t('managerSettings.hours')}</Title>
        <WeekHoursEditor value={form.week} onChange={(week) => set('week', week)} serverError={fieldError(error, 'workingHours')} />
        <FormError error={error} fields={FIELDS} />
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending} disabled={invalidHours || !form.name.trim()}>{manager ? t('common.save') : t('people.managers.create')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
