import { ActionIcon, Button, Checkbox, Divider, Group, NumberInput, Select, Stack, Switch, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Manager } from '@/api/types';
import { useFormat } from '@/ui/format';
import { fieldError, FormError } from '@/ui/FormError';
import { useAbsences, useAddAbsence, useRemoveAbsence, useUpdateManager } from './team-api';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];
type DayHours = { on: boolean; from: string; to: string; lunchFrom: string; lunchTo: string };
type WeeklyHours = Partial<Record<Weekday, Array<[string, string]>>>;

const TIME_ZONES = ['Europe/Kaliningrad', 'Europe/Moscow', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Omsk', 'Asia/Novosibirsk', 'Asia/Krasnoyarsk', 'Asia/Irkutsk', 'Asia/Yakutsk', 'Asia/Vladivostok', 'Asia/Magadan', 'Asia/Kamchatka', 'Europe/Minsk', 'Asia/Almaty', 'Asia/Tashkent', 'Europe/Berlin', 'Europe/London', 'UTC'];

/** A week as editable rows: one working interval a day with an optional lunch break. */
export function toDays(hours: WeeklyHours | null): Record<Weekday, DayHours> {
  const days = {} as Record<Weekday, DayHours>;
  for (const day of WEEKDAYS) {
    const intervals = hours?.[day] ?? [];
    const first = intervals[0];
    const last = intervals[intervals.length - 1];
    days[day] = {
      on: hours === null || intervals.length > 0,
      from: first?.[0] ?? '09:00',
      to: last?.[1] ?? '18:00',
      lunchFrom: intervals.length > 1 ? (intervals[0]?.[1] ?? '') : '',
      lunchTo: intervals.length > 1 ? (intervals[1]?.[0] ?? '') : '',
    };
  }
  return days;
}

export function fromDays(days: Record<Weekday, DayHours>): WeeklyHours {
  const hours: WeeklyHours = {};
  for (const day of WEEKDAYS) {
    const d = days[day];
    if (!d.on) continue;
    hours[day] = d.lunchFrom && d.lunchTo ? [[d.from, d.lunchFrom], [d.lunchTo, d.to]] : [[d.from, d.to]];
  }
  return hours;
}

/** A head sets up one manager: weight, caps, skills, regions, languages, zone, weekly hours, pause, absences. */
export function ManagerSettings({ manager, onSaved }: { manager: Manager; onSaved(): void }) {
  const { t } = useTranslation();
  const update = useUpdateManager();
  const [weight, setWeight] = useState<number | string>(manager.weight);
  const [maxOpen, setMaxOpen] = useState<number | string>(manager.maxOpen ?? '');
  const [maxPerDay, setMaxPerDay] = useState<number | string>(manager.maxPerDay ?? '');
  const [skills, setSkills] = useState<string[]>(manager.skills);
  const [regions, setRegions] = useState<string[]>(manager.regions);
  const [languages, setLanguages] = useState<string[]>(manager.languages);
  const [timeZone, setTimeZone] = useState<string>(manager.timeZone);
  const [paused, setPaused] = useState<boolean>(manager.paused);
  const [days, setDays] = useState(() => toDays(manager.workingHours as WeeklyHours | null));
  // null working hours mean "always on duty"; the week is sent only when the head edited it.
  const [alwaysOn, setAlwaysOn] = useState(manager.workingHours === null);
  const [hoursEdited, setHoursEdited] = useState(false);

  const setDay = (day: Weekday, patch: Partial<DayHours>) => {
    setHoursEdited(true);
    setDays((all) => ({ ...all, [day]: { ...all[day], ...patch } }));
  };
  const copyMondayToWeekdays = () => {
    setHoursEdited(true);
    setDays((all) => ({ ...all, tue: { ...all.mon }, wed: { ...all.mon }, thu: { ...all.mon }, fri: { ...all.mon } }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      {
        id: manager.id,
        weight: Number(weight),
        maxOpen: maxOpen === '' ? null : Number(maxOpen),
        maxPerDay: maxPerDay === '' ? null : Number(maxPerDay),
        skills,
        regions,
        languages,
        timeZone,
        paused,
        ...(hoursEdited ? { workingHours: alwaysOn ? null : fromDays(days) } : {}),
      },
      { onSuccess: onSaved },
    );
  };

  return (
    <Stack gap="md">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Switch label={t('managerSettings.paused')} description={t('managerSettings.pausedHint')} checked={paused} onChange={(e) => setPaused(e.currentTarget.checked)} />
          <Group grow>
            <NumberInput label={t('managerSettings.weight')} min={0} step={0.1} decimalScale={2} value={weight} onChange={setWeight} error={fieldError(update.error, 'weight')} />
            <NumberInput label={t('managerSettings.maxOpen')} min={0} value={maxOpen} onChange={setMaxOpen} placeholder="∞" error={fieldError(update.error, 'maxOpen')} />
            <NumberInput label={t('managerSettings.maxPerDay')} min={0} value={maxPerDay} onChange={setMaxPerDay} placeholder="∞" error={fieldError(update.error, 'maxPerDay')} />
          </Group>
          <TagsInput label={t('managerSettings.skills')} value={skills} onChange={setSkills} error={fieldError(update.error, 'skills')} />
          <TagsInput label={t('managerSettings.regions')} value={regions} onChange={setRegions} error={fieldError(update.error, 'regions')} />
          <TagsInput label={t('managerSettings.languages')} value={languages} onChange={setLanguages} error={fieldError(update.error, 'languages')} />
          <Select label={t('managerSettings.timeZone')} searchable value={timeZone} onChange={(v) => setTimeZone(v ?? timeZone)} data={[...new Set([timeZone, ...TIME_ZONES])]} error={fieldError(update.error, 'timeZone')} />
          <Group justify="space-between">
            <Title order={6}>{t('managerSettings.hours')}</Title>
            <Button size="compact-xs" variant="subtle" disabled={alwaysOn} onClick={copyMondayToWeekdays}>{t('managerSettings.copyMonday')}</Button>
          </Group>
          <Switch label={t('managerSettings.alwaysOn')} description={t('managerSettings.alwaysOnHint')} checked={alwaysOn} onChange={(e) => { setHoursEdited(true); setAlwaysOn(e.currentTarget.checked); }} />
          {!alwaysOn && WEEKDAYS.map((day) => (
            <Group key={day} gap="xs" wrap="nowrap">
              <Checkbox w={70} label={t(`weekdays.${day}`)} checked={days[day].on} onChange={(e) => setDay(day, { on: e.currentTarget.checked })} />
              <TextInput type="time" aria-label={`${t(`weekdays.${day}`)} ${t('managerSettings.from')}`} size="xs" w={90} disabled={!days[day].on} value={days[day].from} onChange={(e) => setDay(day, { from: e.currentTarget.value })} />
              <Text size="xs">–</Text>
              <TextInput type="time" aria-label={`${t(`weekdays.${day}`)} ${t('managerSettings.to')}`} size="xs" w={90} disabled={!days[day].on} value={days[day].to} onChange={(e) => setDay(day, { to: e.currentTarget.value })} />
              <Text size="xs" c="dimmed">{t('managerSettings.lunch')}</Text>
              <TextInput type="time" aria-label={`${t(`weekdays.${day}`)} ${t('managerSettings.lunch')}`} size="xs" w={90} disabled={!days[day].on} value={days[day].lunchFrom} onChange={(e) => setDay(day, { lunchFrom: e.currentTarget.value })} />
              <TextInput type="time" aria-label={`${t(`weekdays.${day}`)} ${t('managerSettings.lunchEnd')}`} size="xs" w={90} disabled={!days[day].on} value={days[day].lunchTo} onChange={(e) => setDay(day, { lunchTo: e.currentTarget.value })} />
            </Group>
          ))}
          {fieldError(update.error, 'workingHours') && <Text c="red" size="sm">{fieldError(update.error, 'workingHours')}</Text>}
          <FormError error={update.error} fields={['weight', 'maxOpen', 'maxPerDay', 'skills', 'regions', 'languages', 'timeZone', 'workingHours']} />
          <Group justify="flex-end">
            <Button type="submit" loading={update.isPending}>{t('common.save')}</Button>
          </Group>
        </Stack>
      </form>
      <Divider />
      <Absences managerId={manager.id} />
    </Stack>
  );
}

function Absences({ managerId }: { managerId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const absences = useAbsences(managerId);
  const add = useAddAbsence(managerId);
  const remove = useRemoveAbsence(managerId);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  return (
    <Stack gap="xs">
      <Title order={6}>{t('managerSettings.absences')}</Title>
      {(absences.data ?? []).map((a) => (
        <Group key={a.id} justify="space-between">
          <Text size="sm">{format.date(a.from)} – {format.date(a.to)}{a.reason ? ` · ${a.reason}` : ''}</Text>
          <ActionIcon variant="subtle" color="red" aria-label={t('common.remove')} onClick={() => remove.mutate(a.id)}>×</ActionIcon>
        </Group>
      ))}
      {absences.data?.length === 0 && <Text size="sm" c="dimmed">{t('managerSettings.noAbsences')}</Text>}
      <Group gap="xs" align="flex-end">
        <TextInput type="date" label={t('managerSettings.absenceFrom')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={fieldError(add.error, 'from')} />
        <TextInput type="date" label={t('managerSettings.absenceTo')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={fieldError(add.error, 'to')} />
        <TextInput label={t('managerSettings.absenceReason')} placeholder={t('managerSettings.absenceReasonHint')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Button variant="light" disabled={!from || !to} loading={add.isPending} onClick={() => add.mutate({ from, to, ...(reason.trim() ? { reason: reason.trim() } : {}) }, { onSuccess: () => { setFrom(''); setTo(''); setReason(''); } })}>
          {t('common.add')}
        </Button>
      </Group>
      <FormError error={add.error ?? remove.error} fields={['from', 'to']} />
    </Stack>
  );
}
