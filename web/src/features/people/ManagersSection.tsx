import { Badge, Button, Drawer, Divider, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Manager } from '@/api/types';
import { ManagerAbsences } from './ManagerAbsences';
import { ManagerForm } from './ManagerForm';
import type { Team, WeekAbsence } from './people-api';
import { tagSuggestions } from './tag-suggestions';
import { fromApi, groupDays, type ApiWeeklyHours } from './working-hours-model';
import { todayIso } from './week-dates';

export function HoursSummary({ hours }: { hours: ApiWeeklyHours | null }) {
  const { t } = useTranslation();
  const model = fromApi(hours);
  if (model.aroundTheClock) return <Text size="sm">{t('people.hours.aroundTheClock')}</Text>;
  const groups = groupDays(model);
  if (groups.length === 0) return <Text size="sm" c="orange">{t('people.hours.never')}</Text>;
  return (
    <Stack gap={0}>
      {groups.map((g) => (
        <Text key={g.first} size="xs" style={{ whiteSpace: 'nowrap' }}>
          {g.first === g.last ? t(`weekdays.${g.first}`) : `${t(`weekdays.${g.first}`)}–${t(`weekdays.${g.last}`)}`} {g.hours}
        </Text>
      ))}
    </Stack>
  );
}

/** Managers with their share, caps, hours and state; an admin adds them, a head and an admin edit them. */
export function ManagersSection({ managers, teams, isAdmin, fixedTeamId, absences }: { managers: Manager[]; teams: Team[]; isAdmin: boolean; fixedTeamId: string | null; absences: WeekAbsence[] }) {
  const { t } = useTranslation();
  const [teamFilter, setTeamFilter] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const shown = managers.filter((m) => !teamFilter || m.teamId === teamFilter);
  const edited = editing && editing !== 'new' ? (managers.find((m) => m.id === editing) ?? null) : null;
  const today = todayIso();
  const awayToday = new Map(absences.filter((a) => a.from <= today && today <= a.to).map((a) => [a.managerId, a]));
  const teamName = (id: string | null) => teams.find((team) => team.id === id)?.name ?? t('people.managers.noTeam');

  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('people.managers.title')}</Title>
        <Group gap="xs">
          {!fixedTeamId && teams.length > 1 && (
            <Select w={220} size="xs" clearable placeholder={t('people.managers.allTeams')} aria-label={t('people.managers.team')} value={teamFilter} onChange={setTeamFilter} data={teams.map((team) => ({ value: team.id, label: team.name }))} />
          )}
          {isAdmin && <Button size="xs" onClick={() => setEditing('new')}>{t('people.managers.add')}</Button>}
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing={6} highlightOnHover data-testid="managers-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('people.managers.name')}</Table.Th>
              {!fixedTeamId && <Table.Th>{t('people.managers.team')}</Table.Th>}
              <Table.Th>{t('managerSettings.weight')}</Table.Th>
              <Table.Th>{t('people.managers.caps')}</Table.Th>
              <Table.Th>{t('managerSettings.hours')}</Table.Th>
              <Table.Th>{t('people.managers.state')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((m) => {
              const away = awayToday.get(m.id);
              return (
                <Table.Tr key={m.id} data-testid="manager-row" data-manager-id={m.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>{m.name}</Text>
                    <Text size="xs" c="dimmed" truncate maw={260}>{[...m.skills, ...m.regions].join(', ') || m.email || ''}</Text>
                  </Table.Td>
                  {!fixedTeamId && <Table.Td><Text size="sm">{teamName(m.teamId)}</Text></Table.Td>}
                  <Table.Td><Text size="sm">{m.weight}</Text></Table.Td>
                  <Table.Td>
                    <Text size="xs" style={{ whiteSpace: 'nowrap' }}>{m.maxOpen === null ? t('people.managers.openNoCap', { open: m.openLeads }) : t('people.managers.openCap', { open: m.openLeads, cap: m.maxOpen })}</Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{m.maxPerDay === null ? t('people.managers.dayNoCap') : t('people.managers.dayCap', { cap: m.maxPerDay })}</Text>
                  </Table.Td>
                  <Table.Td>
                    <HoursSummary hours={m.workingHours as ApiWeeklyHours | null} />
                    <Text size="xs" c="dimmed">{m.timeZone}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {m.paused && <Badge color="orange" variant="light">{t('people.managers.paused')}</Badge>}
                      {away && <Badge color={away.kind === 'sick' ? 'red' : away.kind === 'vacation' ? 'teal' : 'gray'} variant="light">{t(`people.absences.kind.${away.kind}`)}</Badge>}
                      {!m.paused && !away && <Badge color="blue" variant="light">{t('people.managers.active')}</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td><Button size="compact-xs" variant="subtle" onClick={() => setEditing(m.id)}>{t('people.edit')}</Button></Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {shown.length === 0 && <Text size="sm" c="dimmed">{t('people.managers.empty')}</Text>}
      <Drawer opened={editing !== null} onClose={() => setEditing(null)} position="right" size="xl" title={edited ? t('team.settingsOf', { name: edited.name }) : t('people.managers.add')}>
        {editing !== null && (
          <Stack gap="md">
            <ManagerForm
              key={editing}
              manager={edited}
              teams={teams}
              isAdmin={isAdmin}
              defaultTeamId={fixedTeamId ?? teamFilter ?? teams[0]?.id ?? null}
              suggestions={tagSuggestions(managers)}
              onDone={() => setEditing(null)}
            />
            {edited && <Divider />}
            {edited && <ManagerAbsences manager={edited} />}
          </Stack>
        )}
      </Drawer>
    </Paper>
  );
}
