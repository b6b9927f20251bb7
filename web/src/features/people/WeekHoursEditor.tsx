import { ActionIcon, Button, Group, Paper, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addBreakToAllDays,
  addInterval,
  changeInterval,
  copyDay,
  nextInterval,
  normalizeTime,
  problemsOf,
  removeInterval,
  setAroundTheClock,
  weeklyMinutes,
  WEEKDAYS,
  type WeekModel,
} from './working-hours-model';

/**
 * A time of day typed as 24-hour HH:MM whatever the browser's locale (a native time input shows
 * AM/PM in an English browser and cannot say 24:00); "930" becomes "09:30" on leaving the field.
 */
function TimeField({ value, onChange, label, invalid, width = 72 }: { value: string; onChange(next: string): void; label: string; invalid?: boolean; width?: number }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <TextInput
      size="xs"
      w={width}
      inputMode="numeric"
      maxLength={5}
      placeholder="09:00"
      aria-label={label}
      value={text}
      error={invalid}
      onChange={(e) => {
        setText(e.currentTarget.value);
        onChange(e.currentTarget.value);
      }}
      onBlur={() => {
        const normal = normalizeTime(text);
        setText(normal);
        if (normal !== value) onChange(normal);
      }}
    />
  );
}

/** The most intervals a day may have (the server's limit). */
const MAX_INTERVALS = 6;

/**
 * The weekly working hours of one manager: per weekday a list of intervals, a day without any
 * is a day off; Monday copied to the other weekdays; a lunch break cut out of every day; or no
 * hours at all (around the clock). The model and its conversion live in working-hours-model.ts.
 */
export function WeekHoursEditor({ value, onChange, serverError }: { value: WeekModel; onChange(next: WeekModel): void; serverError?: string | undefined }) {
  const { t } = useTranslation();
  const [lunchFrom, setLunchFrom] = useState('13:00');
  const [lunchTo, setLunchTo] = useState('14:00');
  const [lunchNote, setLunchNote] = useState<string | null>(null);
  const problems = problemsOf(value);
  const minutes = weeklyMinutes(value);

  const applyLunch = () => {
    const result = addBreakToAllDays(value, lunchFrom, lunchTo);
    onChange(result.model);
    setLunchNote(result.changedDays.length > 0 ? t('people.hours.lunchAdded', { count: result.changedDays.length }) : t('people.hours.lunchNowhere'));
  };

  return (
    <Stack gap="xs" data-testid="week-hours">
      <Group justify="space-between" align="flex-start">
        <Switch
          label={t('people.hours.aroundTheClock')}
          description={t('people.hours.aroundTheClockHint')}
          checked={value.aroundTheClock}
          onChange={(e) => onChange(setAroundTheClock(value, e.currentTarget.checked))}
        />
        {minutes !== null && <Text size="sm" c="dimmed">{t('people.hours.perWeek', { hours: Math.round((minutes / 60) * 10) / 10 })}</Text>}
      </Group>
      {!value.aroundTheClock && (
        <>
          <Paper withBorder p="xs">
            <Stack gap={6}>
              {WEEKDAYS.map((day) => {
                const intervals = value.days[day];
                const dayProblems = problems[day] ?? [];
                return (
                  <Group key={day} gap="xs" align="flex-start" wrap="nowrap" data-testid={`hours-${day}`}>
                    <Text w={96} size="sm" fw={500} pt={4}>{t(`people.weekdaysLong.${day}`)}</Text>
                    <Stack gap={4} style={{ flex: 1 }}>
                      {intervals.length === 0 && <Text size="sm" c="dimmed" pt={4}>{t('people.hours.dayOff')}</Text>}
                      {intervals.map((interval, index) => {
                        const problem = dayProblems.find((p) => p.index === index)?.problem;
                        return (
                          <Group key={index} gap={6} wrap="nowrap">
                            <TimeField
                              label={t('people.hours.intervalFrom', { day: t(`people.weekdaysLong.${day}`), n: index + 1 })}
                              value={interval.from}
                              invalid={problem !== undefined}
                              onChange={(from) => onChange(changeInterval(value, day, index, { from }))}
                            />
                            <Text size="sm">–</Text>
                            <TimeField
                              label={t('people.hours.intervalTo', { day: t(`people.weekdaysLong.${day}`), n: index + 1 })}
                              value={interval.to}
                              invalid={problem !== undefined}
                              onChange={(to) => onChange(changeInterval(value, day, index, { to }))}
                            />
                            <Tooltip label={t('people.hours.removeInterval')}>
                              <ActionIcon variant="subtle" color="gray" aria-label={t('people.hours.removeIntervalOf', { day: t(`people.weekdaysLong.${day}`), n: index + 1 })} onClick={() => onChange(removeInterval(value, day, index))}>
                                ×
                              </ActionIcon>
                            </Tooltip>
                            {problem && <Text size="xs" c="red">{t(`people.hours.problem.${problem}`)}</Text>}
                          </Group>
                        );
                      })}
                    </Stack>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      aria-label={t('people.hours.addIntervalTo', { day: t(`people.weekdaysLong.${day}`) })}
                      disabled={intervals.length >= MAX_INTERVALS || nextInterval(intervals) === null}
                      onClick={() => onChange(addInterval(value, day))}
                    >
                      {intervals.length === 0 ? t('people.hours.makeWorkday') : t('people.hours.addInterval')}
                    </Button>
                  </Group>
                );
              })}
            </Stack>
          </Paper>
          <Group gap="xs" align="flex-end">
            <Button size="xs" variant="light" onClick={() => onChange(copyDay(value, 'mon'))}>{t('people.hours.copyMonday')}</Button>
            <Text size="sm" c="dimmed" ml="md">{t('people.hours.lunch')}</Text>
            <TimeField label={t('people.hours.lunchFrom')} value={lunchFrom} onChange={setLunchFrom} />
            <Text size="sm">–</Text>
            <TimeField label={t('people.hours.lunchTo')} value={lunchTo} onChange={setLunchTo} />
            <Button size="xs" variant="light" onClick={applyLunch}>{t('people.hours.addLunch')}</Button>
          </Group>
          {lunchNote && <Text size="xs" c="dimmed">{lunchNote}</Text>}
        </>
      )}
      {serverError && <Text size="sm" c="red">{serverError}</Text>}
    </Stack>
  );
}
