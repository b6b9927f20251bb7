import { Badge, Button, Group, Modal, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Manager } from '@/api/types';
import { PoolSettingsCard } from '@/features/team/PoolSettingsCard';
import { fieldError, FormError } from '@/ui/FormError';
import { useCreateTeam, useUpdateTeam, type PersonUser, type Team } from './people-api';
import { RegisteredLeadsSwitch } from './RegisteredLeadsSwitch';
import { saveTeamForm, type EditedTeam } from './team-form-model';
import { timeZoneOptions } from './time-zones';

/** Teams with their zone, heads and size; an admin adds and edits them; a team's pool settings for its head. */
export function TeamsSection({ teams, managers, users, isAdmin }: { teams: Team[]; managers: Manager[]; users: PersonUser[]; isAdmin: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<EditedTeam | 'new' | null>(null);
  const [pool, setPool] = useState<Team | null>(null);
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{isAdmin ? t('people.teams.title') : t('people.tabs.team')}</Title>
        {isAdmin && <Button size="xs" onClick={() => setEditing('new')}>{t('people.teams.add')}</Button>}
      </Group>
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing={6} highlightOnHover data-testid="teams-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('people.teams.name')}</Table.Th>
              <Table.Th>{t('people.teams.head')}</Table.Th>
              <Table.Th>{t('people.teams.timeZone')}</Table.Th>
              <Table.Th>{t('people.teams.managers')}</Table.Th>
              <Table.Th>{t('originator.team.column')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {teams.map((team) => {
              const members = managers.filter((m) => m.teamId === team.id);
              return (
                <Table.Tr key={team.id} data-testid="team-row" data-team-id={team.id}>
                  <Table.Td><Text size="sm" fw={500}>{team.name}</Text></Table.Td>
                  <Table.Td>{team.heads.length > 0 ? <Text size="sm">{team.heads.map((h) => h.name).join(', ')}</Text> : <Text size="sm" c="orange">{t('people.teams.noHead')}</Text>}</Table.Td>
                  <Table.Td><Text size="sm">{team.timeZone}</Text></Table.Td>
                  <Table.Td>
                    <Text size="sm">{t('people.teams.memberCount', { count: members.length })}{members.some((m) => m.paused) ? ` · ${t('people.teams.pausedCount', { count: members.filter((m) => m.paused).length })}` : ''}</Text>
                  </Table.Td>
                  <Table.Td><RegisteredLeadsSwitch teamId={team.id} /></Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button size="compact-xs" variant="subtle" onClick={() => setPool(team)}>{t('people.teams.pool')}</Button>
                      {isAdmin && <Button size="compact-xs" variant="subtle" onClick={() => setEditing(team)}>{t('people.edit')}</Button>}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {teams.length === 0 && <Text size="sm" c="dimmed">{t('people.teams.empty')}</Text>}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('people.teams.add') : t('people.teams.editTitle', { name: editing?.name ?? '' })} size="lg">
        {editing !== null && <TeamForm team={editing === 'new' ? null : editing} users={users} onCreated={setEditing} onDone={() => setEditing(null)} />}
      </Modal>
      <Modal opened={pool !== null} onClose={() => setPool(null)} title={t('people.teams.poolOf', { name: pool?.name ?? '' })} size="xl">
        {pool && <PoolSettingsCard teamId={pool.id} />}
      </Modal>
    </Paper>
  );
}

/** `onCreated`: the team was created; the form now edits it (its head may still fail to be appointed). */
function TeamForm({ team, users, onCreated, onDone }: { team: EditedTeam | null; users: PersonUser[]; onCreated(team: EditedTeam): void; onDone(): void }) {
  const { t } = useTranslation();
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const [name, setName] = useState(team?.name ?? '');
  const [timeZone, setTimeZone] = useState(team?.timeZone ?? 'Europe/Moscow');
  const [head, setHead] = useState<string | null>(team?.heads[0]?.id ?? null);
  const zones = useMemo(() => timeZoneOptions(timeZone), [timeZone]);
  const error = create.error ?? update.error;
  const candidates = users.filter((u) => u.active && u.role !== 'admin');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await saveTeamForm(team, { name, timeZone, head }, { create: create.mutateAsync, update: update.mutateAsync }, onCreated);
      onDone();
    } catch {
      // Shown next to the fields by FormError / fieldError.
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} data-testid="team-form">
      <Stack gap="sm">
        <TextInput label={t('people.teams.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(error, 'name')} data-autofocus />
        <Select label={t('people.teams.timeZone')} description={t('people.teams.timeZoneHint')} searchable allowDeselect={false} value={timeZone} onChange={(v) => setTimeZone(v ?? timeZone)} data={zones} error={fieldError(error, 'timeZone')} />
        <Select
          label={t('people.teams.head')}
          description={t('people.teams.headHint')}
          searchable
          clearable={!team?.heads.length}
          placeholder={t('people.teams.chooseHead')}
          value={head}
          onChange={setHead}
          data={candidates.map((u) => ({ value: u.id, label: `${u.name} · ${t(`people.users.role.${u.role}`)}` }))}
          error={fieldError(error, 'headUserId')}
        />
        {team && team.heads.length > 1 && (
          <Group gap={4}>{team.heads.map((h) => <Badge key={h.id} variant="light">{h.name}</Badge>)}</Group>
        )}
        <FormError error={error} fields={['name', 'timeZone', 'headUserId']} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>{t('common.cancel')}</Button>
          <Button type="submit" loading={create.isPending || update.isPending} disabled={!name.trim()}>{team ? t('common.save') : t('people.teams.create')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
