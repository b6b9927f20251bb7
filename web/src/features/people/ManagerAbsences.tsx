import { ActionIcon, Badge, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAbsences } from '@/features/team/team-api';
import { useFormat } from '@/ui/format';
import { FormError } from '@/ui/FormError';
import { ABSENCE_COLOR, AbsenceForm } from './AbsenceForm';
import { useRemoveManagerAbsence } from './people-api';

/** One manager's absences, past and planned, with a form to add one: under the manager's profile. */
export function ManagerAbsences({ manager }: { manager: { id: string; name: string } }) {
  const { t } = useTranslation();
  const format = useFormat();
  const absences = useAbsences(manager.id);
  const remove = useRemoveManagerAbsence();
  return (
    <Stack gap="xs">
      <Title order={5}>{t('managerSettings.absences')}</Title>
      {(absences.data ?? []).map((a) => (
        <Group key={a.id} justify="space-between" data-testid="manager-absence">
          <Group gap="xs">
            <Badge color={ABSENCE_COLOR[a.kind]} variant="light">{t(`people.absences.kind.${a.kind}`)}</Badge>
            <Text size="sm">{format.date(a.from)} – {format.date(a.to)}{a.reason ? ` · ${a.reason}` : ''}</Text>
          </Group>
          <ActionIcon variant="subtle" color="red" aria-label={t('people.absences.remove')} onClick={() => remove.mutate({ managerId: manager.id, absenceId: a.id })}>×</ActionIcon>
        </Group>
      ))}
      {absences.data?.length === 0 && <Text size="sm" c="dimmed">{t('managerSettings.noAbsences')}</Text>}
      <FormError error={remove.error} />
      <AbsenceForm key={absences.data?.length ?? 0} managers={[manager]} managerId={manager.id} onDone={() => undefined} />
    </Stack>
  );
}
