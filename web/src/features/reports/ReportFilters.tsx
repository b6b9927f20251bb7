import { Group, SegmentedControl, Select, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { Manager, Team } from '@/api/types';
import { PERIOD_PRESETS, type Grouping, type PeriodPreset } from './report-period';

export interface FilterState {
  preset: PeriodPreset;
  from: string;
  to: string;
  grouping: Grouping;
  team: string | null;
  manager: string | null;
}

interface Props {
  value: FilterState;
  onChange(next: Partial<FilterState>): void;
  teams: readonly Team[];
  managers: readonly Manager[];
  /** An admin picks any team; a head sees their own. */
  canPickTeam: boolean;
  /** A manager's figures are their own; heads and the admin narrow to one manager. */
  canPickManager: boolean;
}

/** The period, the grouping and who the figures are about: one row above every report. */
export function ReportFilters({ value, onChange, teams, managers, canPickTeam, canPickManager }: Props) {
  const { t } = useTranslation();
  const inTeam = managers.filter((m) => value.team === null || m.teamId === value.team);
  // Six presets do not fit a phone in one row: there they are a list.
  const narrow = useMediaQuery('(max-width: 48em)');
  const presets = PERIOD_PRESETS.map((p) => ({ value: p, label: t(`reports.period.${p}`) }));
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      {narrow ? (
        <Select
          w={180}
          label={t('reports.period.label')}
          allowDeselect={false}
          value={value.preset}
          onChange={(preset) => preset && onChange({ preset: preset as PeriodPreset })}
          data={presets}
        />
      ) : (
        <SegmentedControl aria-label={t('reports.period.label')} value={value.preset} onChange={(preset) => onChange({ preset: preset as PeriodPreset })} data={presets} />
      )}
      {value.preset === 'custom' && (
        <>
          <TextInput type="date" w={160} label={t('reports.period.from')} value={value.from} max={value.to} onChange={(e) => onChange({ from: e.currentTarget.value })} />
          <TextInput type="date" w={160} label={t('reports.period.to')} value={value.to} min={value.from} onChange={(e) => onChange({ to: e.currentTarget.value })} />
        </>
      )}
      <Select
        w={150}
        label={t('reports.grouping.label')}
        allowDeselect={false}
        value={value.grouping}
        onChange={(g) => g && onChange({ grouping: g as Grouping })}
        data={(['day', 'week', 'month'] as const).map((g) => ({ value: g, label: t(`reports.grouping.${g}`) }))}
      />
      {canPickTeam && (
        <Select
          w={200}
          label={t('reports.filter.team')}
          placeholder={t('reports.filter.allTeams')}
          clearable
          value={value.team}
          onChange={(team) => onChange({ team, manager: null })}
          data={teams.map((team) => ({ value: team.id, label: team.name }))}
        />
      )}
      {canPickManager && (
        <Select
          w={220}
          searchable
          clearable
          label={t('reports.filter.manager')}
          placeholder={t('reports.filter.all')}
          value={value.manager}
          onChange={(manager) => onChange({ manager })}
          data={inTeam.map((m) => ({ value: m.id, label: m.name }))}
        />
      )}
    </Group>
  );
}
