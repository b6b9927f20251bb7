import { Alert, Badge, Button, Group, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useTeams } from '@/features/team/team-api';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { fieldError, FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { useAddHoliday, useHolidays, useRemoveHoliday } from './sla-api';

const COMPANY = '__company';
const ALL = '__all';

/** Days off per year, for everyone or one team: added and removed by the admin. */
export function HolidaysPanel() {
  const { t } = useTranslation();
  const { locale } = useFormat();
  const holidays = useHolidays();
  const teams = useTeams();
  const add = useAddHoliday();
  const remove = useRemoveHoliday();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(String(thisYear));
  const [show, setShow] = useState<string>(ALL);
  const [day, setDay] = useState('');
  const [name, setName] = useState('');
  const [scope, setScope] = useState<string>(COMPANY);

  if (holidays.isPending) return <PageLoader />;
  if (holidays.isError) return <ErrorState error={holidays.error} />;
  const teamName = (id: string) => teams.data?.find((team) => team.id === id)?.name ?? id;
  const dayText = (iso: string) => new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));
  const years = [...new Set([thisYear - 1, thisYear, thisYear + 1, thisYear + 2, ...holidays.data.map((h) => Number(h.day.slice(0, 4)))])].sort();
  const shown = holidays.data
    .filter((h) => h.day.startsWith(`${year}-`))
    .filter((h) => (show === ALL ? true : show === COMPANY ? h.teamId === null : h.teamId === show))
    .sort((a, b) => a.day.localeCompare(b.day) || (a.teamId ?? '').localeCompare(b.teamId ?? ''));
  const scopes = [{ value: COMPANY, label: t('slaSettings.holidays.company') }, ...(teams.data ?? []).map((team) => ({ value: team.id, label: t('slaSettings.holidays.team', { name: team.name }) }))];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(
      { day, name: name.trim(), teamId: scope === COMPANY ? null : scope },
      {
        onSuccess: (created) => {
          setName('');
          setDay('');
          setYear(created.day.slice(0, 4));
        },
      },
    );
  };

  return (
    <Stack>
      <Text size="sm" c="dimmed" maw={760}>{t('slaSettings.holidays.hint')}</Text>
      <Paper withBorder p="md" component="form" onSubmit={submit} aria-label={t('slaSettings.holidays.add')}>
        <UnsavedChangesGuard when={name.trim() !== '' || day !== ''} />
        <Title order={5} mb="xs">{t('slaSettings.holidays.add')}</Title>
        <Group align="flex-start" gap="sm">
          <TextInput type="date" label={t('slaSettings.holidays.day')} required value={day} onChange={(e) => setDay(e.currentTarget.value)} error={fieldError(add.error, 'day')} w={170} />
          <TextInput label={t('slaSettings.holidays.name')} placeholder={t('slaSettings.holidays.namePlaceholder')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(add.error, 'name')} style={{ flex: 1 }} miw={240} />
          <Select label={t('slaSettings.holidays.for')} allowDeselect={false} data={scopes} value={scope} onChange={(v) => setScope(v ?? COMPANY)} error={fieldError(add.error, 'teamId')} w={240} />
          <Button type="submit" mt={25} loading={add.isPending}>{t('common.add')}</Button>
        </Group>
        <FormError error={add.error} fields={['day', 'name', 'teamId']} />
      </Paper>
      <Group justify="space-between" align="flex-end">
        <Group gap="sm" align="flex-end">
          <div>
            <Text size="sm" fw={500} mb={4}>{t('slaSettings.holidays.year')}</Text>
            <SegmentedControl value={year} onChange={setYear} data={years.map(String)} aria-label={t('slaSettings.holidays.year')} />
          </div>
          <Select
            label={t('slaSettings.holidays.show')}
            allowDeselect={false}
            w={260}
            value={show}
            onChange={(v) => setShow(v ?? ALL)}
            data={[{ value: ALL, label: t('slaSettings.holidays.showAll') }, { value: COMPANY, label: t('slaSettings.holidays.showCompany') }, ...scopes.slice(1)]}
          />
        </Group>
        <Text size="sm" c="dimmed">{t('slaSettings.holidays.count', { count: shown.length })}</Text>
      </Group>
      {shown.length === 0 ? (
        <Alert color="gray">{t('slaSettings.holidays.empty', { year })}</Alert>
      ) : (
        <Table verticalSpacing="xs" aria-label={t('slaSettings.tabs.holidays')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('slaSettings.holidays.day')}</Table.Th>
              <Table.Th>{t('slaSettings.holidays.name')}</Table.Th>
              <Table.Th>{t('slaSettings.holidays.for')}</Table.Th>
              <Table.Th w={100} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((h) => (
              <Table.Tr key={h.id}>
                <Table.Td>{dayText(h.day)}</Table.Td>
                <Table.Td>{h.name}</Table.Td>
                <Table.Td>
                  {h.teamId ? <Badge variant="light">{teamName(h.teamId)}</Badge> : <Text size="sm" c="dimmed">{t('slaSettings.holidays.company')}</Text>}
                </Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" color="red" loading={remove.isPending && remove.variables === h.id} onClick={() => remove.mutate(h.id)} aria-label={t('slaSettings.holidays.removeLabel', { name: h.name, day: dayText(h.day) })}>
                    {t('slaSettings.holidays.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <FormError error={remove.error} />
    </Stack>
  );
}
