import { Alert, Box, List, Loader, Paper, SegmentedControl, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useManagers } from '@/features/leads/leads-api';
import { useTeams } from '@/features/team/team-api';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { formatDuration } from './duration';
import type { PolicyDraft } from './PolicyEditor';
import { useSlaPreview, type SlaPreviewBody } from './sla-api';
import { instantToZoned, weekRuns, zonedToInstant, type WeeklyHours } from './sla-time';

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** «пн, 9 марта, 09:30» on the manager's clock; the year only when it is not this one. */
function useZonedFormat() {
  const { locale } = useFormat();
  return (iso: string, timeZone: string, withWeekday = true) => {
    const thisYear = new Date(iso).getUTCFullYear() === new Date().getUTCFullYear();
    const key = `${locale}:${timeZone}:${thisYear}:${withWeekday}`;
    let f = dateTimeFormats.get(key);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, { ...(withWeekday ? { weekday: 'short' } : {}), day: 'numeric', month: 'long', ...(thisYear ? {} : { year: 'numeric' }), hour: '2-digit', minute: '2-digit', timeZone });
      dateTimeFormats.set(key, f);
    }
    return f.format(new Date(iso));
  };
}

/**
 * «A lead arriving now for Anna is due at …», counted by the server's SLA clock for the draft as
 * it stands (saved or not), with the manager's zone, hours and the days the clock skips.
 */
export function SlaPreviewPanel({ policyId, draft }: { policyId: string | null; draft: PolicyDraft }) {
  const { t } = useTranslation();
  const { locale } = useFormat();
  const day = (iso: string) => new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));
  const zoned = useZonedFormat();
  const managers = useManagers();
  const teams = useTeams();
  const sortedManagers = useMemo(() => [...(managers.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [managers.data]);
  const [picked, setPicked] = useState<string | null>(null);
  const managerId = picked ?? sortedManagers[0]?.id ?? null;
  const manager = sortedManagers.find((m) => m.id === managerId) ?? null;
  const [mode, setMode] = useState<'now' | 'at'>('now');
  const [atLocal, setAtLocal] = useState('');

  const minutes = Number(draft.firstContactMinutes);
  const validMinutes = draft.firstContactMinutes !== '' && Number.isInteger(minutes) && minutes > 0;
  const at = mode === 'at' && manager && atLocal ? zonedToInstant(atLocal, manager.timeZone) : null;
  const body: SlaPreviewBody | null =
    managerId && validMinutes && (mode === 'now' || at)
      ? {
          policy: {
            ...(policyId ? { id: policyId } : {}),
            name: draft.name.trim(),
            match: { sources: draft.sources, priorities: draft.priorities, teamIds: draft.teamIds },
            firstContactMinutes: minutes,
            warnBeforeMinutes: draft.warnBeforeMinutes === '' ? null : Number(draft.warnBeforeMinutes),
          },
          managerId,
          ...(at ? { at } : {}),
        }
      : null;
  const [debounced] = useDebouncedValue(body, 250);
  const preview = useSlaPreview(debounced);
  const result = debounced && preview.data ? preview.data : null;
  const teamName = (id: string | null) => teams.data?.find((team) => team.id === id)?.name ?? id ?? '';

  const hoursText = (hours: WeeklyHours | null) =>
    hours === null
      ? t('slaSettings.preview.alwaysOn')
      : t('slaSettings.preview.hours', {
          hours: weekRuns(hours)
            .map((r) => `${t(`weekdays.${r.from}`)}${r.from === r.to ? '' : `–${t(`weekdays.${r.to}`)}`} ${r.intervals}`)
            .join('; '),
        });

  return (
    <Paper bg="var(--mantine-color-gray-0)" p="md" radius="md" component="section" aria-label={t('slaSettings.preview.title')}>
      <Stack gap="sm">
        <Title order={5}>{t('slaSettings.preview.title')}</Title>
        <Select
          label={t('slaSettings.preview.manager')}
          placeholder={t('slaSettings.preview.managerPlaceholder')}
          searchable
          allowDeselect={false}
          data={sortedManagers.map((m) => ({ value: m.id, label: m.name }))}
          value={managerId}
          onChange={setPicked}
        />
        <Box>
          <Text size="sm" fw={500} mb={4}>{t('slaSettings.preview.arrival')}</Text>
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(v) => {
              setMode(v === 'at' ? 'at' : 'now');
              if (v === 'at' && !atLocal && manager) setAtLocal(instantToZoned(Date.now(), manager.timeZone));
            }}
            data={[{ value: 'now', label: t('slaSettings.preview.now') }, { value: 'at', label: t('slaSettings.preview.at') }]}
          />
        </Box>
        {mode === 'at' && <TextInput type="datetime-local" label={t('slaSettings.preview.atLabel')} value={atLocal} onChange={(e) => setAtLocal(e.currentTarget.value)} />}
        {!managerId && <Text size="sm" c="dimmed">{t('slaSettings.preview.pickManager')}</Text>}
        {managerId && !validMinutes && <Text size="sm" c="dimmed">{t('slaSettings.preview.needMinutes')}</Text>}
        {preview.isError && debounced && <ErrorState error={preview.error} />}
        {preview.isFetching && !result && <Loader size="sm" />}
        {result && body && (
          <Stack gap={6} data-testid="sla-preview" aria-busy={preview.isFetching || JSON.stringify(debounced) !== JSON.stringify(body)}>
            <Text size="sm">
              {mode === 'now'
                ? t('slaSettings.preview.sentenceNow', { name: result.manager.name })
                : t('slaSettings.preview.sentenceAt', { name: result.manager.name, at: zoned(result.at, result.calendar.timeZone) })}
            </Text>
            <Text size="xl" fw={700} data-testid="sla-preview-due">{zoned(result.dueAt, result.calendar.timeZone)}</Text>
            <Text size="sm">{result.warnAt ? t('slaSettings.preview.warnAt', { at: zoned(result.warnAt, result.calendar.timeZone) }) : t('slaSettings.preview.noWarn')}</Text>
            {!result.calendar.workingAtArrival && <Text size="sm">{t('slaSettings.preview.startsLater', { at: zoned(result.clockStartsAt, result.calendar.timeZone) })}</Text>}
            <Text size="sm" c="dimmed">
              {t('slaSettings.preview.spent', { business: formatDuration(t, result.calendar.businessMinutes), elapsed: formatDuration(t, result.calendar.elapsedMinutes) })}
            </Text>
            <Text size="sm" c="dimmed">{t('slaSettings.preview.zone', { zone: result.calendar.timeZone })}</Text>
            <Text size="sm" c="dimmed">{hoursText(result.calendar.workingHours as WeeklyHours | null)}</Text>
            {result.calendar.skippedDays.length > 0 && (
              <Box>
                <Text size="sm" fw={500}>{t('slaSettings.preview.skipped')}</Text>
                <List size="sm" spacing={2} data-testid="sla-preview-skipped">
                  {result.calendar.skippedDays.map((d) => (
                    <List.Item key={d.day}>
                      {day(d.day)} —{' '}
                      {d.reason === 'weekend'
                        ? t('slaSettings.preview.weekend')
                        : d.teamId
                          ? `${t('slaSettings.preview.teamHoliday', { name: d.holiday ?? '' })} (${teamName(d.teamId)})`
                          : t('slaSettings.preview.holiday', { name: d.holiday ?? '' })}
                    </List.Item>
                  ))}
                </List>
              </Box>
            )}
            {!result.policy.teamMatches && <Alert color="yellow" p="xs">{t('slaSettings.preview.teamMismatch')}</Alert>}
            {!draft.active && <Alert color="gray" p="xs">{t('slaSettings.preview.inactive')}</Alert>}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
