import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useManagers } from '@/features/leads/leads-api';
import { useCurrentUser } from '@/features/session/use-session';
import { useTeams } from '@/features/team/team-api';
import { ErrorState } from '@/ui/ErrorState';
import { PageLoader } from '@/ui/PageLoader';
import { AbsenceCalendar } from './AbsenceCalendar';
import { ManagersSection } from './ManagersSection';
import { useUsers, useWeekAbsences } from './people-api';
import { TeamsSection } from './TeamsSection';
import { UsersSection } from './UsersSection';
import { mondayOf, todayIso, addDays } from './week-dates';

const TABS = ['managers', 'absences', 'teams', 'users'] as const;
type Tab = (typeof TABS)[number];

/** Teams, managers with their hours, the absence calendar and (for the admin) who signs in: a head sees the own team, the admin every team. */
export function PeoplePage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const isAdmin = user.role === 'admin';
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'managers';
  const teams = useTeams();
  const managers = useManagers();
  const users = useUsers(isAdmin);
  const monday = mondayOf(todayIso());
  const week = useWeekAbsences(monday, addDays(monday, 6));

  if (teams.isPending || managers.isPending) return <PageLoader />;
  if (teams.isError) return <ErrorState error={teams.error} />;
  if (managers.isError) return <ErrorState error={managers.error} />;
  // A head runs one team: everything on this page is that team's.
  const ownTeam = user.role === 'head' ? user.teamId : null;
  const visibleTeams = ownTeam ? teams.data.filter((team) => team.id === ownTeam) : teams.data;
  const visibleManagers = (ownTeam ? managers.data.filter((m) => m.teamId === ownTeam) : managers.data).toSorted((a, b) => a.name.localeCompare(b.name));
  if (user.role === 'head' && !ownTeam) return <Text c="dimmed">{t('team.noTeam')}</Text>;

  return (
    <Stack gap="md">
      <div>
        <Title order={2}>{ownTeam ? t('people.titleOf', { team: visibleTeams[0]?.name ?? '' }) : t('people.title')}</Title>
        <Text size="sm" c="dimmed">{t('people.subtitle')}</Text>
      </div>
      <Tabs value={tab} onChange={(v) => setParams(v && v !== 'managers' ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="managers">{t('people.tabs.managers', { n: visibleManagers.length })}</Tabs.Tab>
          <Tabs.Tab value="absences">{t('people.tabs.absences')}</Tabs.Tab>
          <Tabs.Tab value="teams">{ownTeam ? t('people.tabs.team') : t('people.tabs.teams')}</Tabs.Tab>
          {isAdmin && <Tabs.Tab value="users">{t('people.tabs.users')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="managers" pt="md">
          <ManagersSection managers={visibleManagers} teams={visibleTeams} isAdmin={isAdmin} fixedTeamId={ownTeam} absences={week.data ?? []} />
        </Tabs.Panel>
        <Tabs.Panel value="absences" pt="md">
          {/* The server gives a manager only their own absences (sick leave is health data): show their row alone, not colleagues as never away. */}
          <AbsenceCalendar managers={isAdmin || user.role === 'head' ? visibleManagers : visibleManagers.filter((m) => m.id === user.managerId)} teams={visibleTeams} canEdit={isAdmin || user.role === 'head'} />
        </Tabs.Panel>
        <Tabs.Panel value="teams" pt="md">
          <TeamsSection teams={visibleTeams} managers={visibleManagers} users={users.data ?? []} isAdmin={isAdmin} />
        </Tabs.Panel>
        {isAdmin && (
          <Tabs.Panel value="users" pt="md">
            {users.isError ? <ErrorState error={users.error} /> : <UsersSection users={users.data ?? []} teams={teams.data} managers={managers.data} />}
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
