import { Alert, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useManagers } from '@/features/leads/leads-api';
import { useCurrentUser } from '@/features/session/use-session';
import { useTeams } from '@/features/team/team-api';
import { ErrorState } from '@/ui/ErrorState';
import { PageLoader } from '@/ui/PageLoader';
import { RuleSetEditor } from './RuleSetEditor';
import { useRuleSets } from './rules-api';

/**
 * The routing rules: any version by its number (`/settings/rules/7`), or the published one.
 * The administrator edits drafts and publishes; a head reads every version and tries them on leads.
 */
export function RulesPage() {
  const { t } = useTranslation();
  const { version } = useParams();
  const user = useCurrentUser();
  const ruleSets = useRuleSets();
  const managers = useManagers();
  const teams = useTeams();
  const versions = useMemo(() => ruleSets.data ?? [], [ruleSets.data]);
  if (ruleSets.isPending || managers.isPending || teams.isPending) return <PageLoader />;
  if (ruleSets.isError) return <ErrorState error={ruleSets.error} />;
  const selected = version !== undefined ? versions.find((v) => String(v.version) === version) : (versions.find((v) => v.status === 'published') ?? versions[0]);
  if (version !== undefined && !selected) {
    // Just saved: the list is on its way.
    if (ruleSets.isFetching) return <PageLoader />;
    return <Alert color="red">{t('errors.codes.LR_ERR_NOT_FOUND')}</Alert>;
  }
  return (
    <Stack gap="sm">
      <Title order={2}>{t('rules.title')}</Title>
      <Text size="sm" c="dimmed">{t('rules.intro')}</Text>
      <RuleSetEditor
        key={selected ? selected.version : 'new'}
        stored={selected ?? null}
        versions={versions}
        canEdit={user.role === 'admin'}
        managers={managers.data ?? []}
        teams={teams.data ?? []}
      />
    </Stack>
  );
}
