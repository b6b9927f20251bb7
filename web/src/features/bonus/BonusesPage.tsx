import { ActionIcon, Anchor, Badge, Button, Group, Paper, Select, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCurrentUser } from '@/features/session/use-session';
import { useTeams } from '@/features/team/team-api';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { bonusExportUrl, useBonusReport, useBonusSettings, type BonusQuery, type BonusReport } from './bonus-api';
import { isMonth, monthLabel, monthOfDate, shiftMonth } from './bonus-month';
import { BonusLines, BonusTable, Totals } from './BonusTable';
import { ClosePeriodButton } from './ClosePeriodButton';

/**
 * «Бонусы»: the month's credited value per manager with each deal's lines (docs/motivation.md,
 * "Bonus"). A head sees the team and closes its month; an admin picks a team; a manager sees the
 * own lines. The month and team are kept in the address (`/bonuses?period=2026-11&team=…`).
 */
export function BonusesPage() {
  const { t } = useTranslation();
  const { locale } = useFormat();
  const user = useCurrentUser();
  const teams = useTeams();
  const [params, setParams] = useSearchParams();
  const period = isMonth(params.get('period')) ? (params.get('period') as string) : monthOfDate(new Date());
  const team = user.role === 'admin' ? params.get('team') : null;
  const query: BonusQuery = { period, ...(team ? { team } : {}) };
  const report = useBonusReport(query);
  const settingsTeam = user.role === 'head' ? user.teamId : team;
  const settings = useBonusSettings(settingsTeam, user.role !== 'manager');

  const change = (next: { period?: string; team?: string | null }) => {
    const out = new URLSearchParams({ period: next.period ?? period });
    const nextTeam = next.team === undefined ? team : next.team;
    if (nextTeam) out.set('team', nextTeam);
    setParams(out, { replace: true });
  };

  const months = useMemo(() => {
    const now = monthOfDate(new Date());
    const list = Array.from({ length: 24 }, (_, i) => shiftMonth(now, -i));
    if (!list.includes(period)) list.push(period);
    return list.map((p) => ({ value: p, label: monthLabel(p, locale) }));
  }, [period, locale]);

  const data = report.data;
  // The month's state for the team in view: the head's, the admin's pick, a manager's own team.
  const teamPeriod = data?.teams.find((x) => x.teamId === (user.role === 'head' ? user.teamId : user.role === 'manager' ? user.teamId : team)) ?? (data?.teams.length === 1 ? data.teams[0] : undefined);
  const canClose = user.role === 'head' || (user.role === 'admin' && team !== null);

  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={2}>{t('bonus.title')}</Title>
        <Text size="sm" c="dimmed">{user.role === 'manager' ? t('bonus.introManager') : t('bonus.intro')}</Text>
      </Stack>

      <Group gap="sm" align="flex-end" wrap="wrap">
        <Group gap={4} align="flex-end" wrap="nowrap">
          <Tooltip label={t('bonus.previousMonth')}>
            <ActionIcon variant="default" size="lg" aria-label={t('bonus.previousMonth')} onClick={() => change({ period: shiftMonth(period, -1) })}>‹</ActionIcon>
          </Tooltip>
          <Select w={190} label={t('bonus.month')} allowDeselect={false} value={period} data={months} onChange={(v) => v && change({ period: v })} />
          <Tooltip label={t('bonus.nextMonth')}>
            <ActionIcon variant="default" size="lg" aria-label={t('bonus.nextMonth')} onClick={() => change({ period: shiftMonth(period, 1) })}>›</ActionIcon>
          </Tooltip>
        </Group>
        {user.role === 'admin' && (
          <Select
            w={220}
            label={t('bonus.team')}
            clearable
            placeholder={t('bonus.allTeams')}
            value={team}
            data={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
            onChange={(v) => change({ team: v })}
          />
        )}
        <Group gap="xs" ml="auto" align="center" wrap="wrap">
          {teamPeriod && (teamPeriod.closed ? <ClosedBadge closedAt={teamPeriod.closed.closedAt} closedBy={teamPeriod.closed.closedBy} /> : <Badge variant="light" color="gray">{t('bonus.open')}</Badge>)}
          {canClose && teamPeriod && teamPeriod.teamId && !teamPeriod.closed && (
            <ClosePeriodButton period={period} teamId={user.role === 'admin' ? teamPeriod.teamId : undefined} teamName={teamPeriod.teamName} endsAt={teamPeriod.to} />
          )}
          {user.role === 'admin' && team === null && <Text size="xs" c="dimmed">{t('bonus.closePickTeam')}</Text>}
          <Button component="a" href={bonusExportUrl(query, 'xlsx')} variant="light" download>{t('bonus.download')}</Button>
          <Anchor href={bonusExportUrl(query, 'csv')} size="sm" download>{t('bonus.downloadCsv')}</Anchor>
        </Group>
      </Group>

      {settings.data && <RulesLine settings={settings.data} />}
      {user.role === 'admin' && team === null && data && data.teams.length > 1 && (
        <Group gap="xs">
          {data.teams.map((x) => (
            <Badge key={x.teamId ?? '-'} variant="light" color={x.closed ? 'teal' : 'gray'}>
              {(x.teamId ? x.teamName : t('bonus.noTeam'))}: {x.closed ? t('bonus.closedBadge') : t('bonus.open')}
            </Badge>
          ))}
        </Group>
      )}

      {report.isPending ? <PageLoader /> : report.error ? <ErrorState error={report.error} /> : data && (
        data.managers.length === 0 ? (
          <Paper withBorder p="lg"><Text c="dimmed" ta="center">{user.role === 'manager' ? t('bonus.emptyManager') : t('bonus.empty')}</Text></Paper>
        ) : (
          user.role === 'manager' ? <OwnLines report={data} /> : <BonusTable report={data} />
        )
      )}
    </Stack>
  );
}

function ClosedBadge({ closedAt, closedBy }: { closedAt: string; closedBy: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Group gap={6} wrap="nowrap">
      <Badge color="teal" variant="filled">{t('bonus.closedBadge')}</Badge>
      <Text size="xs" c="dimmed">{t('bonus.closedBy', { when: format.dateTime(closedAt), who: closedBy })}</Text>
    </Group>
  );
}

function RulesLine({ settings }: { settings: { originatorSharePercent: number; controlPointWeights: { presentation: number; proposal: number; contract: number }; bonusRatePercent: number | null } }) {
  const { t } = useTranslation();
  const { locale } = useFormat();
  const pct = (n: number) => `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n)}%`;
  const weighted = (['presentation', 'proposal', 'contract'] as const).filter((k) => settings.controlPointWeights[k] > 0);
  const points = weighted.length > 0
    ? t('bonus.rulesPoints', { list: weighted.map((k) => `${t(`bonus.points.${k}`)} ${pct(settings.controlPointWeights[k])}`).join(', ') })
    : t('bonus.rulesNoPoints');
  return (
    <Text size="sm" c="dimmed">
      {t('bonus.rules', { originator: pct(settings.originatorSharePercent), points, rate: settings.bonusRatePercent === null ? t('bonus.rulesNoRate') : pct(settings.bonusRatePercent) })}
    </Text>
  );
}

/** A manager's own month: the totals, then every line. */
function OwnLines({ report }: { report: BonusReport }) {
  const { t } = useTranslation();
  const lines = report.managers.flatMap((m) => m.lines);
  const hasBonus = report.totals.some((x) => x.bonusMinor !== null);
  const deals = new Set(lines.map((l) => l.dealId)).size;
  return (
    <Stack gap="sm">
      <Group gap="xl" align="flex-start">
        {hasBonus && (
          <Stack gap={0}>
            <Text size="xs" c="dimmed">{t('bonus.myMonth')}</Text>
            <Totals totals={report.totals} field="bonusMinor" size="xl" />
          </Stack>
        )}
        <Stack gap={0}>
          <Text size="xs" c="dimmed">{t('bonus.columns.credited')}</Text>
          <Totals totals={report.totals} field="creditedMinor" size={hasBonus ? 'md' : 'xl'} />
        </Stack>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">{t('bonus.columns.deals')}</Text>
          <Text size="md" fw={500}>{t('bonus.deals', { count: deals })}</Text>
        </Stack>
      </Group>
      <Paper withBorder p={0}>
        <BonusLines lines={lines} hasBonus={hasBonus} linkDeals={false} />
      </Paper>
    </Stack>
  );
}
