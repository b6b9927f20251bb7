import { Anchor, Divider, Drawer, Group, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useManagers } from '@/features/leads/leads-api';
import { useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { PageLoader } from '@/ui/PageLoader';
import { ManagerAbsences } from '@/features/people/ManagerAbsences';
import { ManagerForm } from '@/features/people/ManagerForm';
import { tagSuggestions } from '@/features/people/tag-suggestions';
import { ManagersTable } from './ManagersTable';
import { PoolSettingsCard } from './PoolSettingsCard';
import { useTeamBoard, useTeams, useTransfers } from './team-api';
import { TeamLeads } from './TeamLeads';

/** The head's view of the team right now: who can take leads, who is overloaded, who breaks the SLA. */
export function TeamBoardPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const teams = useTeams();
  const [chosenTeam, setChosenTeam] = useState<string | null>(null);
  const teamId = user.role === 'head' ? user.teamId : (chosenTeam ?? teams.data?.[0]?.id ?? null);
  const board = useTeamBoard(teamId);
  const transfers = useTransfers('requested');
  const managers = useManagers();
  const [editing, setEditing] = useState<string | null>(null);
  const editedManager = managers.data?.find((m) => m.id === editing) ?? null;

  if (!teamId) return teams.isPending ? <PageLoader /> : <Text c="dimmed">{t('team.noTeam')}</Text>;
  if (board.isPending) return <PageLoader />;
  if (board.isError) return <ErrorState error={board.error} />;
  const b = board.data;
  const available = b.managers.filter((m) => m.availability === 'available').length;
  const open = b.managers.reduce((sum, m) => sum + m.openLeads, 0);
  const breaches = b.managers.reduce((sum, m) => sum + m.slaBreachedOpen, 0);
  const waiting = transfers.data?.length ?? 0;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={3}>{t('team.title', { team: b.team.name })}</Title>
        {user.role === 'admin' && (
          <Select w={240} allowDeselect={false} aria-label={t('team.chooseTeam')} value={teamId} onChange={setChosenTeam} data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))} />
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        <Stat label={t('team.availableNow')} value={`${available} / ${b.managers.length}`} />
        <Stat label={t('team.openLeads')} value={String(open)} />
        <Stat label={t('team.breaches')} value={String(breaches)} tone={breaches > 0 ? 'red' : undefined} />
        <Stat label={t('team.poolSize')} value={String(b.poolSize)} />
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed">{t('team.transfersWaiting')}</Text>
          <Anchor component={Link} to="/transfers" fw={700} size="lg">{waiting}</Anchor>
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md">
        <ManagersTable board={b} onEdit={setEditing} />
      </Paper>
      <TeamLeads managers={b.managers} />
      <PoolSettingsCard teamId={b.team.id} poolSize={b.poolSize} />
      <Drawer opened={editedManager !== null} onClose={() => setEditing(null)} position="right" size="xl" title={editedManager ? t('team.settingsOf', { name: editedManager.name }) : ''}>
        {editedManager && (
          <Stack gap="md">
            <ManagerForm
              key={editedManager.id}
              manager={editedManager}
              teams={teams.data ?? []}
              isAdmin={user.role === 'admin'}
              defaultTeamId={editedManager.teamId}
              suggestions={tagSuggestions(managers.data ?? [])}
              onDone={() => setEditing(null)}
            />
            <Divider />
            <ManagerAbsences manager={editedManager} />
          </Stack>
        )}
      </Drawer>
    </Stack>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">{label}</Text>
      <Text fw={700} size="lg" c={tone}>{value}</Text>
    </Paper>
  );
}
