import { Loader, Switch, Tooltip } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { describeError } from '@/ui/ErrorState';
import { usePutTeamLeadSettings, useTeamLeadSettings } from '@/features/leads/originator-api';

/** Whether a lead a manager of the team registers stays with them or goes through the rules; saved at once, audited. */
export function RegisteredLeadsSwitch({ teamId }: { teamId: string }) {
  const { t } = useTranslation();
  const settings = useTeamLeadSettings(teamId);
  const save = usePutTeamLeadSettings(teamId);
  if (settings.isPending) return <Loader size="xs" />;
  if (settings.isError) return null;
  const keep = settings.data.registeredLeads === 'keep';
  return (
    <Tooltip label={t('originator.team.hint')} multiline w={320} withArrow>
      <Switch
        size="sm"
        checked={keep}
        disabled={save.isPending}
        label={keep ? t('originator.team.keep') : t('originator.team.route')}
        data-testid="registered-leads-switch"
        onChange={(e) =>
          save.mutate(
            { registeredLeads: e.currentTarget.checked ? 'keep' : 'route' },
            {
              onSuccess: () => toasts.show({ color: 'teal', message: t('originator.team.saved') }),
              onError: (error) => toasts.show({ color: 'red', message: describeError(t, error).headline }),
            },
          )
        }
      />
    </Tooltip>
  );
}
