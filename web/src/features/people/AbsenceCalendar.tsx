import { ActionIcon, Badge, Box, Button, Group, Modal, Paper, Select, Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Manager } from '@/api/types';
import { useFormat } from '@/ui/format';
import { FormError } from '@/ui/FormError';
import { ABSENCE_COLOR, AbsenceForm } from './AbsenceForm';
import { useRemoveManagerAbsence, useWeekAbsences, type Team, type WeekAbsence } from './people-api';
import { addDays, mondayOf, todayIso, weekOf } from './week-dates';

/**
 * Who is away this week at a glance: a row per manager, a column per day, vacations, sick
 * leave and other absences in their colours. Weeks forward and back; a free cell adds an
 * absence from that day; an absence's cell shows it and removes it.
 */
export function AbsenceCalendar({ managers: everyone, teams, canEdit }: { managers: Manager[]; teams: Team[]; canEdit: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const today = todayIso();
  const [teamFilter, setTeamFilter] = useState<string | null>(null);
  const managers = teamFilter ? everyone.filter((m) => m.teamId === teamFilter) : everyone;
  const [monday, setMonday] = useState(() => mondayOf(today));
  const days = weekOf(monday);
  const sunday = days[6] as string;
  const absences = useWeekAbsences(monday, sunday);
  const remove = useRemoveManagerAbsence();
  const [adding, setAdding] = useState<{ managerId: string | null; from?: string } | null>(null);
  const [open, setOpen] = useState<WeekAbsence | null>(null);
  const ids = useMemo(() => new Set(managers.map((m) => m.id)), [managers]);
  const shown = (absences.data ?? []).filter((a) => ids.has(a.managerId));
  const dayLabel = (iso: string) => {
    const text = new Intl.DateTimeFormat(format.locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));
    return text.charAt(0).toUpperCase() + text.slice(1);
  };
  const weekend = (iso: string) => [0, 6].includes(new Date(`${iso}T12:00:00Z`).getUTCDay());
  const shade = (iso: string) => (iso === today ? 'var(--mantine-color-blue-light)' : weekend(iso) ? 'var(--mantine-color-gray-1)' : undefined);
  const rangeLabel = `${format.date(monday)} – ${format.date(sunday)}`;
  const awayToday = new Set(shown.filter((a) => a.from <= today && today <= a.to).map((a) => a.managerId));
  const nameOf = (id: string) => managers.find((m) => m.id === id)?.name ?? id;

  return (
    <Paper withBorder p="md" data-testid="absence-calendar">
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <Button variant="default" size="xs" aria-label={t('people.absences.previousWeek')} onClick={() => setMonday(addDays(monday, -7))}>←</Button>
          <Button variant="default" size="xs" onClick={() => setMonday(mondayOf(today))}>{t('people.absences.thisWeek')}</Button>
          <Button variant="default" size="xs" aria-label={t('people.absences.nextWeek')} onClick={() => setMonday(addDays(monday, 7))}>→</Button>
          <Text fw={600} data-testid="week-range">{rangeLabel}</Text>
        </Group>
        <Group gap="xs">
          {teams.length > 1 && (
            <Select w={200} size="xs" clearable placeholder={t('people.managers.allTeams')} aria-label={t('people.managers.team')} value={teamFilter} onChange={setTeamFilter} data={teams.map((team) => ({ value: team.id, label: team.name }))} />
          )}
          {(['vacation', 'sick', 'other'] as const).map((k) => <Badge key={k} color={ABSENCE_COLOR[k]} variant="light">{t(`people.absences.kind.${k}`)}</Badge>)}
          {canEdit && <Button size="xs" onClick={() => setAdding({ managerId: null })}>{t('people.absences.add')}</Button>}
        </Group>
      </Group>
      {monday === mondayOf(today) && <Text size="sm" c="dimmed" mb="xs">{t('people.absences.awayToday', { count: awayToday.size })}</Text>}
      <Table.ScrollContainer minWidth={760}>
        <Table withColumnBorders withTableBorder layout="fixed" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={200}>{t('people.absences.manager')}</Table.Th>
              {days.map((d) => (
                <Table.Th key={d} ta="center" bg={shade(d)}>
                  <Text size="xs" fw={d === today ? 700 : 500}>{dayLabel(d)}</Text>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {managers.map((m) => (
              <Table.Tr key={m.id} data-testid="absence-row" data-manager-id={m.id}>
                <Table.Td><Text size="sm" truncate>{m.name}</Text></Table.Td>
                {days.map((d) => {
                  const absence = shown.find((a) => a.managerId === m.id && a.from <= d && d <= a.to);
                  if (absence) {
                    return (
                      <Table.Td key={d} p={2}>
                        <Tooltip label={`${t(`people.absences.kind.${absence.kind}`)}: ${format.date(absence.from)} – ${format.date(absence.to)}${absence.reason ? ` · ${absence.reason}` : ''}`}>
                          <UnstyledButton w="100%" onClick={() => setOpen(absence)} data-testid="absence-cell" data-kind={absence.kind} data-day={d}>
                            <Box bg={`var(--mantine-color-${ABSENCE_COLOR[absence.kind]}-light)`} c={`var(--mantine-color-${ABSENCE_COLOR[absence.kind]}-light-color)`} py={4} px={6} style={{ borderRadius: 4 }}>
                              <Text size="xs" fw={600} truncate>{t(`people.absences.kind.${absence.kind}`)}</Text>
                            </Box>
                          </UnstyledButton>
                        </Tooltip>
                      </Table.Td>
                    );
                  }
                  return (
                    <Table.Td key={d} p={2} bg={shade(d)}>
                      {canEdit && (
                        <UnstyledButton w="100%" h={26} aria-label={t('people.absences.addFor', { name: m.name, day: dayLabel(d) })} onClick={() => setAdding({ managerId: m.id, from: d })} className="absence-free-cell" />
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {managers.length === 0 && <Text size="sm" c="dimmed">{t('people.managers.empty')}</Text>}
      <Modal opened={adding !== null} onClose={() => setAdding(null)} title={adding?.managerId ? t('people.absences.addTitleFor', { name: nameOf(adding.managerId) }) : t('people.absences.addTitle')}>
        {adding && <AbsenceForm managers={adding.managerId ? [{ id: adding.managerId, name: nameOf(adding.managerId) }] : managers} managerId={adding.managerId} {...(adding.from ? { from: adding.from } : {})} onDone={() => setAdding(null)} />}
      </Modal>
      <Modal opened={open !== null} onClose={() => { setOpen(null); remove.reset(); }} title={open ? nameOf(open.managerId) : ''}>
        {open && (
          <Group justify="space-between" align="flex-start">
            <div>
              <Badge color={ABSENCE_COLOR[open.kind]} variant="light">{t(`people.absences.kind.${open.kind}`)}</Badge>
              <Text size="sm" mt={4}>{format.date(open.from)} – {format.date(open.to)}</Text>
              {open.reason && <Text size="sm" c="dimmed">{open.reason}</Text>}
            </div>
            {canEdit && (
              <ActionIcon variant="light" color="red" size="lg" aria-label={t('people.absences.remove')} loading={remove.isPending} onClick={() => remove.mutate({ managerId: open.managerId, absenceId: open.id }, { onSuccess: () => setOpen(null) })}>
                ×
              </ActionIcon>
            )}
          </Group>
        )}
        <FormError error={remove.error} />
      </Modal>
    </Paper>
  );
}
